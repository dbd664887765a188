"""The site's clock and the Vietnamese date forms its templates show."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")
FIRST_DAY = datetime(2018, 1, 1, tzinfo=VIETNAM)
# The site's present at generation 0; each later generation is one day on.
PRESENT = datetime(2023, 6, 30, tzinfo=VIETNAM)
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# Every style and whether it shows the time of day; styles without a time publish at 00:00.
STYLES = {
    "dmy_hm": True,            # 21/12/2022 08:30
    "weekday_dmy_hm": True,    # Thứ Tư, 21/12/2022 - 08:30
    "dmy_dash": False,         # 21-12-2022
    "time_element": True,      # <time datetime="2022-12-21T08:30:00+07:00">21/12/2022 08:30</time>
    "long": False,             # ngày 21 tháng 12 năm 2022
    "posted_label": False,     # Ngày đăng: 21/12/2022
    "updated_label": True,     # Cập nhật lúc 08:30 ngày 21/12/2022
}


def today(generation: int) -> datetime:
    return PRESENT + timedelta(days=generation)


def shown_moment(style: str, moment: datetime) -> datetime:
    """The moment a reader can know from the page: midnight when the style shows no time."""
    moment = moment.replace(second=0, microsecond=0)
    return moment if STYLES[style] else moment.replace(hour=0, minute=0)


def dmy(moment: datetime) -> str:
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}"


def format_date(style: str, moment: datetime) -> str:
    """The date text as the page shows it."""
    if style in ("dmy_hm", "time_element"):
        return f"{moment:%d/%m/%Y %H:%M}"
    if style == "weekday_dmy_hm":
        return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y - %H:%M}"
    if style == "dmy_dash":
        return f"{moment:%d-%m-%Y}"
    if style == "long":
        return f"ngày {moment.day} tháng {moment.month} năm {moment.year}"
    if style == "posted_label":
        return f"Ngày đăng: {moment:%d/%m/%Y}"
    if style == "updated_label":
        return f"Cập nhật lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}"
    raise ValueError(f"unknown date style {style!r}")


def long_today(moment: datetime) -> str:
    """The header's date line, e.g. 'Thứ Sáu, ngày 30/06/2023'."""
    return f"{WEEKDAYS[moment.weekday()]}, ngày {moment:%d/%m/%Y}"
