"""Sample captures and articles for the database tests."""

from __future__ import annotations

import itertools

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from db.store import ArchiveStore

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FETCHED_AT = datetime(2024, 5, 1, 3, 0, tzinfo=timezone.utc)
SITE = "hdnd.example.gov.vn"
CAPTION = "Đồng chí Bùi Đức Hinh phát biểu"


def capture(number: int, **changes: Any) -> dict[str, Any]:
    """A capture mapping shaped like the one the WARC middleware hands over."""
    row = {
        "url": f"http://{SITE}/DetailController/{number}",
        "method": "GET",
        "status": 200,
        "fetched_at": FETCHED_AT + timedelta(seconds=number),
        "content_type": "text/html; charset=utf-8",
        "payload_digest": f"sha1:PAYLOAD{number}",
        "warc_type": "response",
        "warc_file": "hdnd-20240501030000000000-00000.warc.gz",
        "warc_offset": 1000 * number,
        "warc_length": 900,
        "warc_record_id": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>",
        "request_record_id": f"<urn:uuid:11111111-0000-0000-0000-{number:012d}>",
        "ip_address": "127.0.0.1",
        "content_length": 35_000,
    }
    row.update(changes)
    return row


def article(source_id: str, **changes: Any) -> dict[str, Any]:
    """An article item mapping as the pipeline saves it."""
    item = {
        "url": f"http://{SITE}/DetailController/{source_id}",
        "site": SITE,
        "source_id": source_id,
        "title": "Tổng kết công tác Dân vận năm 2022",
        "published_at": datetime(2022, 12, 21, 0, 0, tzinfo=VIETNAM),
        "category": "Tin hoạt động",
        "lead": "Ngày 20/12, Tỉnh ủy tổ chức Hội nghị Tổng kết công tác Dân vận.",
        "body": (
            "Năm 2022, cấp ủy, chính quyền các cấp luôn quan tâm.\n\n"
            "Hệ thống dân vận các cấp chủ động tham mưu."
        ),
        "byline": "Hồng Nhung",
        "images": [
            {"src": f"http://{SITE}/img/1.jpg", "alt": None, "caption": CAPTION},
            {"src": f"http://{SITE}/img/2.jpg", "alt": "Hội nghị", "caption": None},
        ],
        "attachments": [{"url": f"http://{SITE}/files/nq-12.pdf", "name": "Nghị quyết 12/2022/NQ-HĐND"}],
        "fetched_at": FETCHED_AT,
        # Provenance carried by the crawler's item; the store ignores it.
        "fetched_url": f"http://{SITE}/DetailController/{source_id}",
    }
    item.update(changes)
    return item


_capture_numbers = itertools.count(1)


def save_articles(engine: Engine, *items: dict[str, Any]) -> None:
    """Store each item from a capture of its own, in one run."""
    with ArchiveStore(engine) as store:
        run_id = store.start_run("council", {})
        for item in items:
            row = capture(next(_capture_numbers), url=item["url"])
            store.add_capture(run_id, row)
            store.save_article(run_id, item, row["warc_record_id"])
        store.finish_run(run_id, "finished")
