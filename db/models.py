"""SQLAlchemy models of the archive database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import VIETNAM, UTCDateTime

RUN_STATUSES = ("running", "finished", "interrupted", "failed")
CAPTURE_WARC_TYPES = ("response", "revisit")

# Deterministic constraint names keep Alembic migrations portable and reviewable.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CrawlRun(Base):
    """One execution of a crawl job."""

    __tablename__ = "crawl_runs"
    __table_args__ = (CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(200), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class WarcFile(Base):
    """A closed WARC file and its fixity information."""

    __tablename__ = "warc_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int]
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Capture(Base):
    """One fetch as written to a WARC record (a response or a revisit)."""

    __tablename__ = "captures"
    __table_args__ = (CheckConstraint(_one_of("warc_type", CAPTURE_WARC_TYPES), name="warc_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    method: Mapped[str] = mapped_column(String(16), default="GET")
    status: Mapped[int]
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content_type: Mapped[str | None] = mapped_column(String(255))
    payload_digest: Mapped[str | None] = mapped_column(String(128), index=True)
    warc_type: Mapped[str] = mapped_column(String(16), default="response")
    # The file name, not a foreign key: the warc_files row only appears when the file is closed.
    warc_file: Mapped[str] = mapped_column(String(255), index=True)
    warc_offset: Mapped[int] = mapped_column(BigInteger)
    warc_length: Mapped[int] = mapped_column(BigInteger)
    warc_record_id: Mapped[str] = mapped_column(String(128), unique=True)
    request_record_id: Mapped[str | None] = mapped_column(String(128))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    content_length: Mapped[int | None] = mapped_column(BigInteger)
    refers_to_record_id: Mapped[str | None] = mapped_column(String(128))


class Article(Base):
    """One article of a site, carrying a copy of its current version's fields for querying."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("site", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(255))
    source_id: Mapped[str] = mapped_column(String(255), index=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(VIETNAM), index=True)
    category: Mapped[str | None] = mapped_column(Text, index=True)
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str | None] = mapped_column(Text)
    # The current version's image captions, one per line: every searched field sits on the row.
    captions: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    versions: Mapped[int] = mapped_column(default=1)

    capture: Mapped[Capture] = relationship()
    history: Mapped[list[ArticleVersion]] = relationship(
        back_populates="article", order_by="ArticleVersion.version", cascade="all, delete-orphan"
    )


class ArticleVersion(Base):
    """The extracted content of an article each time it changed."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int]
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(VIETNAM))
    category: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    article: Mapped[Article] = relationship(back_populates="history")
    capture: Mapped[Capture] = relationship()
    images: Mapped[list[Image]] = relationship(order_by="Image.position", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.position", cascade="all, delete-orphan"
    )


class Image(Base):
    __tablename__ = "images"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    src: Mapped[str] = mapped_column(Text)
    alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    url: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)


class Schedule(Base):
    """A recurring crawl: every ``every`` (e.g. '1d') or by ``cron``, optionally at ``at`` ('03:00')."""

    __tablename__ = "schedules"
    __table_args__ = (CheckConstraint("every IS NOT NULL OR cron IS NOT NULL", name="interval"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    every: Mapped[str | None] = mapped_column(String(50))
    cron: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[str | None] = mapped_column(String(50))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The scheduler's claim on a crawl it started: the process, its host and when it was started.
    running_pid: Mapped[int | None]
    running_host: Mapped[str | None] = mapped_column(String(255))
    running_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
