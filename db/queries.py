"""Read helpers for the command line and the crawler: look up articles, list runs, known articles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import DatabaseError
from db.models import Article, CrawlRun


class AmbiguousArticleError(DatabaseError):
    """A key matches more than one article."""


def find_article(session: Session, key: str, *, site: str | None = None) -> Article | None:
    """The article whose URL (when ``key`` has a scheme) or source id is ``key``; None if absent.

    A key matching several articles (a source id used by several sites) raises
    ``AmbiguousArticleError``; ``site`` narrows the search.
    """
    key = key.strip()
    if not key:
        return None
    column = Article.url if "://" in key else Article.source_id
    query = select(Article).where(column == key).order_by(Article.id)
    if site is not None:
        query = query.where(Article.site == site)
    articles = session.scalars(query.limit(2)).all()
    if len(articles) > 1:
        matches = ", ".join(f"{article.site} {article.source_id}" for article in session.scalars(query))
        raise AmbiguousArticleError(f"{key!r} matches several articles ({matches}); give the site or the full URL")
    return articles[0] if articles else None


def list_runs(session: Session, *, limit: int | None = None) -> list[CrawlRun]:
    """Crawl runs, newest first."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def known_articles(session: Session, sites: Iterable[str]) -> dict[tuple[str, str], datetime | None]:
    """(site, source id) → published_at of every article already archived from these sites."""
    rows = session.execute(
        select(Article.site, Article.source_id, Article.published_at).where(Article.site.in_(list(sites)))
    )
    return {(site, source_id): published_at for site, source_id, published_at in rows}
