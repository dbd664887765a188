"""Generated Vietnamese council prose: titles, paragraphs, captions and names, from a seeded random source.

Every phrase is a pattern whose named slots are drawn from `vocabulary` only when the pattern uses them.
"""

from __future__ import annotations

import random
from datetime import datetime
from functools import lru_cache

from mirror import vocabulary as v

POOL_SIZE = 4096
CAPTION_POOL_SIZE = 512

_TITLES = {
    "tin-hoat-dong": (
        "Thường trực HĐND tỉnh tổ chức {event}",
        "Đồng chí {person} làm việc tại {place}",
        "Tổng kết {topic} năm {year}",
        "Ban {board} HĐND tỉnh làm việc với {agency}",
        "HĐND tỉnh {province} đẩy mạnh {topic}",
    ),
    "ky-hop-hdnd": (
        "Khai mạc Kỳ họp thứ {session} HĐND tỉnh khóa XVII, nhiệm kỳ 2021 - 2026",
        "Bế mạc Kỳ họp thứ {session} HĐND tỉnh khóa XVII",
        "Phiên chất vấn và trả lời chất vấn tại Kỳ họp thứ {session} về {topic}",
        "Thảo luận tổ tại Kỳ họp thứ {session}: tập trung vào {topic}",
        "Thông báo triệu tập Kỳ họp thứ {session} HĐND tỉnh",
    ),
    "nghi-quyet": (
        "Nghị quyết số {resolution} quy định {policy}",
        "HĐND tỉnh thông qua Nghị quyết về {policy}",
        "Triển khai thực hiện Nghị quyết số {resolution} của HĐND tỉnh",
    ),
    "giam-sat": (
        "Đoàn giám sát HĐND tỉnh giám sát {topic} tại {place}",
        "Ban {board} giám sát việc thực hiện {policy}",
        "Kết quả giám sát chuyên đề về {topic} năm {year}",
    ),
    "tiep-xuc-cu-tri": (
        "Đại biểu HĐND tỉnh tiếp xúc cử tri {place} trước Kỳ họp thứ {session}",
        "Tổ đại biểu HĐND tỉnh số {group} tiếp xúc cử tri sau Kỳ họp thứ {session}",
        "Trả lời kiến nghị của cử tri {place} về {topic}",
    ),
}
# Sentences that name no date: drawn once into a shared pool.
_SENTENCES = (
    "Tham dự có đồng chí {person}, {position}; đại diện lãnh đạo {agency} và {place}.",
    "Theo báo cáo của {agency}, {time_frame}, toàn tỉnh đã {achievement}, đạt {percent}% kế hoạch.",
    "Tại hội nghị, các đại biểu đã tập trung thảo luận, làm rõ {issue}.",
    "Cử tri {place} kiến nghị {request}.",
    "Đồng chí {person} đề nghị {agency} tiếp tục {adverb} thực hiện {topic}.",
    "Công tác dân vận chính quyền trên địa bàn tỉnh {province} tiếp tục được quan tâm, gắn với {topic}.",
    "Phát biểu kết luận, đồng chí {person}, {position} ghi nhận, đánh giá cao tinh thần trách nhiệm của các đơn vị.",
    "Kỳ họp thứ {session} dự kiến kéo dài {days} ngày, xem xét {reports} báo cáo và tờ trình.",
    "Bên cạnh kết quả đạt được, {topic} vẫn còn {issue} cần được khắc phục.",
    "Các đại biểu thống nhất cao với dự thảo Nghị quyết về {policy}.",
    "{closing}",
)
_OPENING = "Ngày {day}/{month}, Thường trực HĐND tỉnh tổ chức {event} nhằm {purpose}."
_RESOLUTION = (
    "Thực hiện Nghị quyết số {resolution} của HĐND tỉnh về {policy}, các ngành, địa phương đã triển khai {adverb}."
)
_LEAD = "Sáng {day}/{month}, {event} đã diễn ra tại {place}, tập trung vào {topic}."
_CAPTIONS = (
    "Đồng chí {person}, {position} phát biểu tại hội nghị",
    "Quang cảnh {event}",
    "Các đại biểu dự {event}",
    "Đoàn công tác khảo sát thực tế tại {place}",
    "Cử tri {place} phát biểu ý kiến tại buổi tiếp xúc",
    "Ảnh: {reporter}",
)
_ATTACHMENTS = ("Nghị quyết số {resolution}", "Báo cáo kết quả giám sát {topic}", "Tờ trình về {policy}")
_SCHEDULE = (
    "Thường trực HĐND tỉnh làm việc với {agency}",
    "Đoàn giám sát làm việc tại {place}",
    "Tiếp công dân định kỳ tại Trụ sở tiếp công dân tỉnh",
    "Họp Thường trực HĐND tỉnh cho ý kiến về {policy}",
    "Dự {event}",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(v.SURNAMES)} {rng.choice(v.MIDDLE_NAMES)} {rng.choice(v.GIVEN_NAMES)}"


def _achievement(rng: random.Random) -> str:
    verb, unit = rng.choice(v.ACHIEVEMENTS)
    amount = f"{rng.randint(12, 4800):,}".replace(",", ".")
    return f"{verb} {amount} {unit}"


_DRAWS = {
    "event": lambda rng, year: rng.choice(v.EVENTS),
    "person": lambda rng, year: person(rng),
    "place": lambda rng, year: rng.choice(v.PLACES),
    "topic": lambda rng, year: rng.choice(v.TOPICS),
    "board": lambda rng, year: rng.choice(v.BOARDS),
    "agency": lambda rng, year: rng.choice(v.AGENCIES),
    "province": lambda rng, year: v.PROVINCE_OLD_SPELLING if rng.random() < 0.3 else v.PROVINCE,
    "policy": lambda rng, year: rng.choice(v.POLICIES),
    "position": lambda rng, year: rng.choice(v.POSITIONS),
    "reporter": lambda rng, year: rng.choice(v.REPORTERS),
    "purpose": lambda rng, year: rng.choice(v.PURPOSES),
    "issue": lambda rng, year: rng.choice(v.ISSUES),
    "request": lambda rng, year: rng.choice(v.REQUESTS),
    "adverb": lambda rng, year: rng.choice(v.ADVERBS),
    "time_frame": lambda rng, year: rng.choice(v.TIME_FRAMES),
    "closing": lambda rng, year: rng.choice(v.CLOSINGS),
    "achievement": lambda rng, year: _achievement(rng),
    "percent": lambda rng, year: rng.randint(62, 128),
    "resolution": lambda rng, year: f"{rng.randint(1, 60)}/{year - rng.randint(0, 2)}/NQ-HĐND",
    "session": lambda rng, year: rng.randint(1, 18),
    "group": lambda rng, year: rng.randint(1, 12),
    "days": lambda rng, year: rng.randint(2, 4),
    "reports": lambda rng, year: rng.randint(8, 30),
    "year": lambda rng, year: year,
}


class _Slots(dict):
    """Fills the named slots of a pattern, drawing only the ones the pattern uses; `fixed` slots are given."""

    def __init__(self, rng: random.Random, year: int, **fixed: int) -> None:
        super().__init__(fixed)
        self._rng = rng
        self._year = year

    def __missing__(self, key: str) -> str | int:
        value = self[key] = _DRAWS[key](self._rng, self._year)
        return value


def _fill(rng: random.Random, patterns: tuple[str, ...], year: int = 2023) -> str:
    return rng.choice(patterns).format_map(_Slots(rng, year))


def _dated(rng: random.Random, pattern: str, when: datetime) -> str:
    return pattern.format_map(_Slots(rng, when.year, day=when.day, month=when.month))


def title(rng: random.Random, category: str, year: int) -> str:
    """A headline fitting the category, never ending with punctuation."""
    return _fill(rng, _TITLES[category], year)


def lead(rng: random.Random, when: datetime) -> str:
    return _dated(rng, _LEAD, when)


def subhead(rng: random.Random, number: int) -> str:
    return f"{number}. {rng.choice(v.SUBHEADS)}"


def attachment_name(rng: random.Random, year: int) -> str:
    return _fill(rng, _ATTACHMENTS, year)


def byline(rng: random.Random) -> str:
    return rng.choice(v.REPORTERS)


def schedule_item(rng: random.Random) -> str:
    return _fill(rng, _SCHEDULE)


class Writer:
    """Writes body paragraphs for one seed from a fixed pool of generated sentences, so a page costs microseconds.

    Sentences that name a date or a resolution year are written for the article itself.
    """

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:sentences")
        self._pool = tuple(_fill(rng, _SENTENCES) for _ in range(POOL_SIZE))
        self._captions = tuple(_fill(rng, _CAPTIONS) for _ in range(CAPTION_POOL_SIZE))

    def caption(self, rng: random.Random) -> str:
        return self._captions[int(rng.random() * CAPTION_POOL_SIZE)]

    def paragraph(self, rng: random.Random, when: datetime, sentences: int, opening: bool = False) -> str:
        pool, draw = self._pool, rng.random
        chosen = [pool[int(draw() * POOL_SIZE)] for _ in range(sentences)]
        if opening:
            chosen[0] = _dated(rng, _OPENING, when)
        elif draw() < 0.15:
            chosen[-1] = _dated(rng, _RESOLUTION, when)
        return " ".join(chosen)


@lru_cache(maxsize=8)
def writer(seed: int) -> Writer:
    """The writer of a seed, shared: its pool is built once, whatever the generation or site size."""
    return Writer(seed)
