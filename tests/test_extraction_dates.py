"""Vietnamese dates: the shapes council pages show, labels around them, and what must not be read as a date."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.extraction import parse_vietnamese_date
from crawler.extraction.dates import VIETNAM, find_date

CRAWLED_AT = datetime(2023, 1, 10, 3, 0, tzinfo=timezone.utc)  # 10:00 in Vietnam


def vn(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21/12/2022", vn(2022, 12, 21)),
        ("21/12/2022 08:30", vn(2022, 12, 21, 8, 30)),
        ("21/12/2022 00:00", vn(2022, 12, 21)),
        ("1/2/2022", vn(2022, 2, 1)),  # day first, always
        ("05/06/2022", vn(2022, 6, 5)),
        ("21-12-2022", vn(2022, 12, 21)),
        ("17-07-2026", vn(2026, 7, 17)),
        ("21.12.2022", vn(2022, 12, 21)),
        ("21/12/22 08:30", vn(2022, 12, 21, 8, 30)),
        ("Thứ Tư, 21/12/2022 - 08:30", vn(2022, 12, 21, 8, 30)),
        ("Thứ tư, 21/12/2022, 08:30 (GMT+7)", vn(2022, 12, 21, 8, 30)),
        ("08:30 21/12/2022", vn(2022, 12, 21, 8, 30)),
        ("8h30 ngày 21/12/2022", vn(2022, 12, 21, 8, 30)),
        ("ngày 21 tháng 12 năm 2022", vn(2022, 12, 21)),
        ("09 tháng 10, 2025", vn(2025, 10, 9)),
        ("21 Tháng 12 2022 08:30", vn(2022, 12, 21, 8, 30)),
        ("21 tháng 12 năm 2022 lúc 8 giờ 30", vn(2022, 12, 21, 8, 30)),
        ("21 tháng 12 năm 2022 lúc 20 giờ 30 phút", vn(2022, 12, 21, 20, 30)),
        ("2022-12-21", vn(2022, 12, 21)),
        ("2022-12-21T08:30:00+07:00", vn(2022, 12, 21, 8, 30)),
        ("2025-10-09T10:14:56+07:00", vn(2025, 10, 9, 10, 14, 56)),
        ("2022-12-21T01:30:00Z", vn(2022, 12, 21, 8, 30)),
        ("2022-12-21T03:30:00+09:00", vn(2022, 12, 21, 1, 30)),
        ("2022-12-21 08:30:15.123", vn(2022, 12, 21, 8, 30, 15)),
        # labelled forms
        ("Ngày đăng: 21/12/2022", vn(2022, 12, 21)),
        ("Ngày đăng: 05/06/2022 14:05", vn(2022, 6, 5, 14, 5)),
        ("Đăng ngày 21/12/2022", vn(2022, 12, 21)),
        ("Cập nhật lúc 08:30 ngày 21/12/2022", vn(2022, 12, 21, 8, 30)),
        ("Ngày cập nhật: 21/12/2022 16:45", vn(2022, 12, 21, 16, 45)),
        ("Thời gian đăng: 21/12/2022 | 08:30", vn(2022, 12, 21, 8, 30)),
        ("(HĐND) - 21/12/2022", vn(2022, 12, 21)),
        ("Tin hoạt động | 20/12/2022 | Lượt xem: 1.204", vn(2022, 12, 20)),
        # morning and afternoon marks
        ("21/12/2022 08:30 SA", vn(2022, 12, 21, 8, 30)),
        ("21/12/2022 12:15 SA", vn(2022, 12, 21, 0, 15)),
        ("21/12/2022 08:30 CH", vn(2022, 12, 21, 20, 30)),
        ("8:30 chiều 21/12/2022", vn(2022, 12, 21, 20, 30)),
        ("9 giờ sáng ngày 21/12/2022", vn(2022, 12, 21, 9, 0)),
        ("21/12/2022 08:30 PM", vn(2022, 12, 21, 20, 30)),
        # NFD text and no-break spaces
        ("Ngày\u00a0đăng:\u00a021/12/2022", vn(2022, 12, 21)),
        ("nga\u0300y 21 tha\u0301ng 12 năm 2022", vn(2022, 12, 21)),
    ],
)
def test_shapes(text: str, expected: datetime) -> None:
    parsed = parse_vietnamese_date(text, reference_time=CRAWLED_AT)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(hours=7)
    assert parsed.tzinfo is VIETNAM


@pytest.mark.parametrize(
    "text",
    ["15/15/2022", "ngày 15/15/2022", "31/04/2022", "29/02/2023", "Năm 2023", "kỳ họp thứ 7", "", "   ",
     "Lượt xem - 844", "Nghị quyết số 12/2022/NQ-HĐND", "Đề án số 15-ĐA/TU, ngày 15/15/2022", "tháng"],
)
def test_not_dates(text: str) -> None:
    assert parse_vietnamese_date(text, reference_time=CRAWLED_AT) is None


def test_bad_time_is_left_out_not_the_date() -> None:
    assert parse_vietnamese_date("21/12/2022 25:00") == vn(2022, 12, 21)


def test_year_missing_takes_the_crawl_year_never_a_future_date() -> None:
    assert parse_vietnamese_date("Ngày 20/12", reference_time=CRAWLED_AT) == vn(2022, 12, 20)
    assert parse_vietnamese_date("Thứ Hai, 09/01 - 15:10", reference_time=CRAWLED_AT) == vn(2023, 1, 9, 15, 10)
    assert parse_vietnamese_date("ngày 11 tháng 1", reference_time=CRAWLED_AT) == vn(2022, 1, 11)


def test_naive_reference_time_is_utc() -> None:
    naive = datetime(2023, 1, 9, 20, 0)  # 03:00 on 10 January in Vietnam
    assert parse_vietnamese_date("10/01", reference_time=naive) == vn(2023, 1, 10)


def test_relative_dates_count_back_from_the_crawl() -> None:
    assert parse_vietnamese_date("3 ngày trước", reference_time=CRAWLED_AT).date().isoformat() == "2023-01-07"
    assert parse_vietnamese_date("hôm qua", reference_time=CRAWLED_AT).date().isoformat() == "2023-01-09"


def test_month_names_fall_back_to_dateparser() -> None:
    assert parse_vietnamese_date("Thứ Tư, 21 Tháng Mười Hai 2022") == vn(2022, 12, 21)
    assert parse_vietnamese_date("21 Th12 2022") == vn(2022, 12, 21)
    assert parse_vietnamese_date("December 21, 2022") == vn(2022, 12, 21)


def test_body_text_is_not_handed_to_dateparser() -> None:
    sentence = "Kỳ họp kéo dài 3 ngày, từ ngày mùng 5 đến mùng 7 trong năm 2023 theo kế hoạch đã được thông qua."
    assert parse_vietnamese_date(sentence) is None


def test_find_date_reports_the_span_shown() -> None:
    text = "Cập nhật lúc 08:30 ngày 21/12/2022 | Lượt xem: 12"
    match = find_date(text)
    assert text[match.start:match.end] == "08:30 ngày 21/12/2022"
    assert match.value == vn(2022, 12, 21, 8, 30)
