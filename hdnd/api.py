"""A small Python API for notebooks: open an archive, search it, read its articles and their captures.

    >>> import hdnd
    >>> archive = hdnd.open_archive("data/hdnd.sqlite")
    >>> for hit in archive.search("dan van", since="2022"):
    ...     print(hit.score, hit.title, hit.snippet)
    >>> frame = archive.dataframe(query='"kỳ họp"', category="tin hoat dong")
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.export import EXPORT_FIELDS, iter_export_records
from db.extras import import_extra
from db.models import Article, ArticleVersion, Capture
from db.queries import find_article
from db.search import DEFAULT_LIMIT, SearchHit, count_matches, search
from hdnd.database import open_existing_database

if TYPE_CHECKING:
    import pandas

DateLike = str | date | datetime | None


class Archive:
    """An archive database, opened for reading (opening applies pending schema migrations)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, location: str | os.PathLike[str]) -> Archive:
        """Open a database URL (``sqlite:///…``, ``postgresql+psycopg://…``) or the path of a SQLite file."""
        return cls(open_existing_database(_url(location)))

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def search(
        self,
        query: str,
        *,
        since: DateLike = None,
        until: DateLike = None,
        category: str | None = None,
        site: str | None = None,
        limit: int | None = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> list[SearchHit]:
        """The best articles for ``query`` (as ``hdnd search`` reads it), with score and snippet; ``limit=None``: all."""
        return search(self.engine, query, since=since, until=until, category=category, site=site,
                      limit=limit, offset=offset)

    def count(self, query: str, *, since: DateLike = None, until: DateLike = None,
              category: str | None = None, site: str | None = None) -> int:
        """How many articles match ``query`` and the filters."""
        return count_matches(self.engine, query, since=since, until=until, category=category, site=site)

    def articles(
        self,
        *,
        query: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        category: str | None = None,
        site: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles as export records (title, dates, body, images with captions, attachments, capture), oldest first."""
        return iter_export_records(self.engine, site=site, published_since=since, published_until=until,
                                   category=category, query=query)

    def categories(self) -> list[str]:
        """The categories articles are filed under."""
        with self.engine.connect() as connection:
            return list(connection.scalars(
                select(Article.category).where(Article.category.is_not(None)).distinct().order_by(Article.category)
            ))

    def captures(self, article: str, *, site: str | None = None) -> list[dict[str, Any]]:
        """Every capture that stored a version of ``article`` (its URL or source id), oldest first.

        Each says when it was fetched, the version it made and where its record is in the WARC files.
        """
        with Session(self.engine) as session:
            found = find_article(session, article, site=site)
            if found is None:
                raise KeyError(f"no article {article!r} in the archive")
            rows = session.execute(
                select(ArticleVersion.version, Capture)
                .join(Capture, Capture.id == ArticleVersion.capture_id)
                .where(ArticleVersion.article_id == found.id)
                .order_by(ArticleVersion.version)
            )
            return [
                {
                    "version": version,
                    "url": capture.url,
                    "fetched_at": capture.fetched_at.isoformat(),
                    "status": capture.status,
                    "warc_file": capture.warc_file,
                    "warc_offset": capture.warc_offset,
                    "warc_length": capture.warc_length,
                    "warc_record_id": capture.warc_record_id,
                    "payload_digest": capture.payload_digest,
                }
                for version, capture in rows
            ]

    def dataframe(
        self,
        *,
        query: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        category: str | None = None,
        site: str | None = None,
    ) -> pandas.DataFrame:
        """The articles as a pandas DataFrame: one row each, ``published_at`` as a Vietnam-time timestamp.

        Needs pandas. ``images`` and ``attachments`` stay lists of dicts; the capture's fields
        become columns named ``capture_…``.
        """
        pd = import_extra("pandas", "notebook", "A DataFrame of articles")
        records = [
            {**{key: value for key, value in record.items() if key != "capture"},
             **{f"capture_{key}": value for key, value in record["capture"].items()}}
            for record in self.articles(query=query, since=since, until=until, category=category, site=site)
        ]
        frame = pd.DataFrame.from_records(records, columns=_dataframe_columns())
        frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True).dt.tz_convert("Asia/Ho_Chi_Minh")
        frame["capture_fetched_at"] = pd.to_datetime(frame["capture_fetched_at"], utc=True)
        return frame


def open_archive(location: str | os.PathLike[str]) -> Archive:
    """Open an archive by database URL or SQLite file path (see ``Archive.open``)."""
    return Archive.open(location)


def _url(location: str | os.PathLike[str]) -> str:
    text = os.fspath(location)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _dataframe_columns() -> list[str]:
    capture = ("warc_file", "warc_offset", "warc_length", "warc_record_id", "fetched_at")
    return [field for field in EXPORT_FIELDS if field != "capture"] + [f"capture_{key}" for key in capture]
