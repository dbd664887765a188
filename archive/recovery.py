"""Recover from a killed crawl: finish its ``.open`` WARC files and store what the database lacks."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive.dedup import DedupIndex
from archive.reindex import import_files
from archive.repair import RepairReport, repair_open_files
from crawler.urls import ArticleUrlRules
from db.schedules import running_runs
from db.store import ArchiveStore

logger = logging.getLogger(__name__)


def recover_archive(warc_dir: str | Path, engine: Engine, *, job: str, rules: ArticleUrlRules) -> list[RepairReport]:
    """Repair the folder's unfinished WARC files, catch the database and the dedup index up with them,
    and close the job's runs that were left running.

    Must run while no crawl of ``job`` runs (the job's frontier lock says so); files held open by
    crawls of other jobs are left alone. The records of a repaired file are added to the job's last
    running run, or to the database's most fitting run when the job has none.
    """
    if not Path(warc_dir).is_dir():
        return []
    reports = repair_open_files(warc_dir)
    with Session(engine) as session:
        stale = [run.id for run in running_runs(session, job)]
    for report in reports:
        logger.warning(
            "Repaired %s left open by a killed crawl: %d bytes of a partial record removed, %d records kept",
            report.name, report.bytes_removed, report.records_kept,
        )
    repaired = [report.closed_path for report in reports if report.closed_path is not None]
    indexes = [report.closed.index_path for report in reports if report.closed and report.closed.index_path]
    if indexes:
        dedup = DedupIndex(warc_dir)
        for index in indexes:
            dedup.load_index(index)
        dedup.close()
    if repaired and stale:
        result = import_files(engine, repaired, run_id=stale[-1], rules=rules)
        logger.warning("Stored %d captures and %s articles the killed crawl had not written to the database",
                       result.captures, dict(result.articles))
    if stale:
        with ArchiveStore(engine) as store:
            for run_id in stale:
                store.finish_run(run_id, "interrupted")
        logger.warning("Marked run(s) %s of job %s as interrupted", ", ".join(map(str, stale)), job)
    return reports
