"""What a crawl run did, from its counts and from the rows it wrote (captures, versions, WARC files).

Figures the database holds are counted there, so a report stays true for a run that was killed before
it could store its counts: pages are the run's captures, new and changed articles are the versions
made from its captures, bytes are its closed WARC files. Figures with no trace in the rows (articles
discovered, unchanged or failed, listing depth, robots-blocked URLs, errors after retries) come from
the run's counts and are None when the run has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import ArticleVersion, Capture, CrawlRun, WarcFile


@dataclass
class RunFigures:
    """The numbers of one run shown in a list of runs."""

    run: CrawlRun
    pages: int
    articles_new: int
    articles_changed: int
    articles_unchanged: int | None
    errors: int | None

    @property
    def seconds(self) -> float | None:
        if self.run.finished_at is None:
            return None
        return (self.run.finished_at - self.run.started_at).total_seconds()


@dataclass
class WarcFileFigures:
    name: str
    size: int
    records: int
    sha256: str
    closed_at: datetime


@dataclass
class RunReport:
    """Coverage of one run."""

    figures: RunFigures
    articles_discovered: int | None
    articles_failed: int | None
    listing_pages: int | None
    listing_depth: int | None
    robots_blocked: int | None
    errors: dict[str, int] | None
    statuses: dict[int, int]
    record_types: dict[str, int]
    warc_files: list[WarcFileFigures]
    # Files the run's captures are in that were never recorded as closed (a killed crawl leaves them).
    unclosed_warc_files: list[str] = field(default_factory=list)

    @property
    def run(self) -> CrawlRun:
        return self.figures.run

    @property
    def warc_bytes(self) -> int:
        return sum(warc.size for warc in self.warc_files)

    @property
    def warc_records(self) -> int:
        return sum(warc.records for warc in self.warc_files)

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data: times in ISO 8601 UTC, HTTP statuses as string keys."""
        run, figures = self.run, self.figures
        return {
            "run": {
                "id": run.id,
                "job": run.job,
                "status": run.status,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "seconds": figures.seconds,
                "start_urls": start_urls(run),
                "options": run.options,
            },
            "listing": {"pages": self.listing_pages, "depth": self.listing_depth},
            "articles": {
                "discovered": self.articles_discovered,
                "new": figures.articles_new,
                "changed": figures.articles_changed,
                "unchanged": figures.articles_unchanged,
                "failed": self.articles_failed,
            },
            "captures": {
                "total": figures.pages,
                "by_status": {str(status): count for status, count in self.statuses.items()},
                "by_type": self.record_types,
            },
            "errors": self.errors,
            "robots_blocked": self.robots_blocked,
            "warc": {
                "files": [
                    {"name": warc.name, "size": warc.size, "records": warc.records, "sha256": warc.sha256,
                     "closed_at": warc.closed_at.isoformat()}
                    for warc in self.warc_files
                ],
                "bytes": self.warc_bytes,
                "records": self.warc_records,
                "unclosed": self.unclosed_warc_files,
            },
            "counts": run.counts,
        }


def run_figures(session: Session, runs: Sequence[CrawlRun]) -> list[RunFigures]:
    """Figures of ``runs``, in their order, with two queries for all of them."""
    ids = [run.id for run in runs]
    pages = dict(session.execute(
        select(Capture.run_id, func.count()).where(Capture.run_id.in_(ids)).group_by(Capture.run_id)
    ).all())
    versions = {
        run_id: (int(new or 0), int(changed or 0))
        for run_id, new, changed in session.execute(
            select(
                Capture.run_id,
                func.sum(case((ArticleVersion.version == 1, 1), else_=0)),
                func.sum(case((ArticleVersion.version > 1, 1), else_=0)),
            )
            .join(Capture, ArticleVersion.capture_id == Capture.id)
            .where(Capture.run_id.in_(ids))
            .group_by(Capture.run_id)
        )
    }
    figures = []
    for run in runs:
        new, changed = versions.get(run.id, (0, 0))
        errors = _errors(run.counts)
        figures.append(RunFigures(
            run=run,
            pages=pages.get(run.id, 0),
            articles_new=new,
            articles_changed=changed,
            articles_unchanged=_count(run.counts, "articles_unchanged"),
            errors=sum(errors.values()) if errors is not None else None,
        ))
    return figures


def run_report(session: Session, run_id: int) -> RunReport | None:
    """The coverage report of run ``run_id``; None if there is no such run."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return None
    (figures,) = run_figures(session, [run])
    by_run = Capture.run_id == run_id
    statuses = dict(session.execute(
        select(Capture.status, func.count()).where(by_run).group_by(Capture.status).order_by(Capture.status)
    ).all())
    record_types = dict(session.execute(
        select(Capture.warc_type, func.count()).where(by_run).group_by(Capture.warc_type).order_by(Capture.warc_type)
    ).all())
    warc_files = [
        WarcFileFigures(warc.name, warc.size, warc.records, warc.sha256, warc.closed_at)
        for warc in session.scalars(select(WarcFile).where(WarcFile.run_id == run_id).order_by(WarcFile.name))
    ]
    closed = select(WarcFile.name)
    unclosed = list(session.scalars(
        select(Capture.warc_file).where(by_run, Capture.warc_file.not_in(closed)).distinct().order_by(Capture.warc_file)
    ))
    counts = run.counts
    return RunReport(
        figures=figures,
        articles_discovered=_count(counts, "articles_discovered"),
        articles_failed=_count(counts, "articles_failed"),
        listing_pages=_count(counts, "listing_pages"),
        listing_depth=_count(counts, "listing_depth"),
        robots_blocked=_count(counts, "robots_blocked"),
        errors=_errors(counts),
        statuses=statuses,
        record_types=record_types,
        warc_files=warc_files,
        unclosed_warc_files=unclosed,
    )


def start_urls(run: CrawlRun) -> list[str]:
    urls = run.options.get("HDND_START_URLS") if isinstance(run.options, Mapping) else None
    return [str(url) for url in urls] if isinstance(urls, list) else []


def _count(counts: Any, key: str) -> int | None:
    value = counts.get(key) if isinstance(counts, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _errors(counts: Any) -> dict[str, int] | None:
    errors = counts.get("errors") if isinstance(counts, Mapping) else None
    if not isinstance(errors, Mapping):
        return None
    return {str(name): int(count) for name, count in errors.items() if isinstance(count, int)}
