"""Recurring crawls in the database: add, list, remove, and what the scheduler needs to claim a due one."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import CrawlRun, Schedule

# Schedule names end up in log file names and job names: keep them to one plain word.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def add_schedule(
    session: Session,
    name: str,
    *,
    every: str | None,
    at: str | None,
    cron: str | None,
    options: dict[str, Any],
    next_due_at: datetime,
) -> Schedule:
    """Store a new schedule and commit; ValueError if the name is malformed or taken."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(
            f"schedule name {name!r}: use letters, digits, '.', '_' or '-' (up to 200), starting with a letter or digit"
        )
    taken = f"a schedule named {name!r} exists; remove it first with 'hdnd schedule remove {name}'"
    if find_schedule(session, name) is not None:
        raise ValueError(taken)
    schedule = Schedule(name=name, every=every, at=at, cron=cron, options=options, enabled=True,
                        next_due_at=next_due_at)
    session.add(schedule)
    try:
        session.commit()
    except IntegrityError as exc:  # added by another process since the check
        session.rollback()
        raise ValueError(taken) from exc
    return schedule


def find_schedule(session: Session, name: str) -> Schedule | None:
    return session.scalars(select(Schedule).where(Schedule.name == name)).one_or_none()


def list_schedules(session: Session) -> list[Schedule]:
    """Every schedule, by name."""
    return list(session.scalars(select(Schedule).order_by(Schedule.name)))


def remove_schedule(session: Session, name: str) -> bool:
    """Delete a schedule and commit; False if there is none of that name. A crawl it started goes on."""
    schedule = find_schedule(session, name)
    if schedule is None:
        return False
    session.delete(schedule)
    session.commit()
    return True


def due_schedule_ids(session: Session, now: datetime) -> list[int]:
    """Enabled schedules due at ``now``, longest overdue first."""
    query = (
        select(Schedule.id)
        .where(Schedule.enabled.is_(True), Schedule.next_due_at.is_not(None), Schedule.next_due_at <= now)
        .order_by(Schedule.next_due_at, Schedule.id)
    )
    return list(session.scalars(query))


def lock_schedule(session: Session, schedule_id: int) -> Schedule | None:
    """The schedule, locked for the rest of the transaction where the database can lock rows.

    SQLite has no row locks: open the session's transaction as a write transaction
    (``db.sqlite.WRITE_TRANSACTION``) so that claims are serialized there too.
    """
    return session.scalars(select(Schedule).where(Schedule.id == schedule_id).with_for_update()).one_or_none()


def running_runs(session: Session, job: str) -> list[CrawlRun]:
    """Runs of ``job`` whose row says they are still running, oldest first."""
    query = select(CrawlRun).where(CrawlRun.job == job, CrawlRun.status == "running").order_by(CrawlRun.id)
    return list(session.scalars(query))


def first_run_since(session: Session, job: str, since: datetime) -> CrawlRun | None:
    """The first run of ``job`` started at or after ``since``: the one a crawl launched then recorded."""
    query = select(CrawlRun).where(CrawlRun.job == job, CrawlRun.started_at >= since).order_by(CrawlRun.id)
    return session.scalars(query.limit(1)).one_or_none()
