"""The crawlers compared, each run as a measured child process on the same mirror.

- ``hdnd``: ``hdnd crawl`` with the whole pipeline on (extraction, database, WARC);
- ``wget``: ``wget --recursive --warc-file`` (archives, extracts nothing);
- ``bare_scrapy``: ``bench/bare_spider.py`` (follows the same links, does nothing else).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from bench.mirror_process import MirrorProcess
from bench.processes import check_ran, directory_size, python_command, run_measured
from bench.warcs import count_responses, warc_paths
from crawler import settings as crawl_settings

BARE_SPIDER = Path(__file__).resolve().parent / "bare_spider.py"
# wget exits 8 when the server answered an error to some request; the mirror has a 404 link by design.
WGET_OK_CODES = (0, 8)


@dataclass(frozen=True)
class CrawlSetup:
    """What every crawler of one comparison gets."""

    start_url: str
    concurrency: int
    # Regex of a crawler trap's URLs that wget and the bare spider cannot detect on their own.
    deny: str


@dataclass(frozen=True)
class CrawlRun:
    """One measured crawl."""

    crawler: str
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    responses: int
    articles: int  # article pages fetched with status 200
    bytes_written: int
    mirror_cpu_seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.responses / self.wall_seconds

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.wall_seconds

    @property
    def cpu_ms_per_article(self) -> float | None:
        return 1000 * self.cpu_seconds / self.articles if self.articles else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_second": self.pages_per_second,
                "articles_per_second": self.articles_per_second, "cpu_ms_per_article": self.cpu_ms_per_article}


class Crawler(Protocol):
    name: str
    ok_exit_codes: tuple[int, ...]

    def command(self, setup: CrawlSetup, directory: Path) -> list[str]: ...

    def counts(self, directory: Path) -> tuple[int, int]:
        """(responses, articles) of a finished crawl into ``directory``."""


class Hdnd:
    name = "hdnd"
    ok_exit_codes = (0,)

    def command(self, setup: CrawlSetup, directory: Path) -> list[str]:
        return python_command(
            "-m", "hdnd", "crawl", "--start-url", setup.start_url,
            "--db", f"sqlite:///{directory / 'hdnd.sqlite'}", "--warc-dir", str(directory / "warc"),
            "--delay", "0", "--no-autothrottle", "--concurrency", str(setup.concurrency),
            "--job", "bench", "--log-level", "WARNING",
        )

    def counts(self, directory: Path) -> tuple[int, int]:
        counted = count_responses(warc_paths(directory / "warc"))
        return counted.responses, counted.articles


class Wget:
    name = "wget"
    ok_exit_codes = WGET_OK_CODES

    def command(self, setup: CrawlSetup, directory: Path) -> list[str]:
        return [
            "wget", "--recursive", "--level=inf", "--no-parent", "--page-requisites", "--execute", "robots=on",
            f"--reject-regex={setup.deny}", f"--user-agent={crawl_settings.USER_AGENT}",
            f"--warc-file={directory / 'wget'}", f"--warc-tempdir={directory}",
            "--delete-after", f"--directory-prefix={directory / 'files'}", "--no-verbose",
            setup.start_url,
        ]

    def counts(self, directory: Path) -> tuple[int, int]:
        counted = count_responses(warc_paths(directory))
        return counted.responses, counted.articles


class BareScrapy:
    name = "bare_scrapy"
    ok_exit_codes = (0,)

    def command(self, setup: CrawlSetup, directory: Path) -> list[str]:
        return python_command(
            "-m", "scrapy", "runspider", str(BARE_SPIDER),
            "-a", f"start_url={setup.start_url}", "-a", f"stats_file={directory / 'stats.json'}",
            "-a", f"deny={setup.deny}",
            "-s", f"CONCURRENT_REQUESTS={max(8, setup.concurrency)}",
            "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={setup.concurrency}",
            "-s", f"USER_AGENT={crawl_settings.USER_AGENT}",
        )

    def counts(self, directory: Path) -> tuple[int, int]:
        stats = json.loads((directory / "stats.json").read_text(encoding="utf-8"))
        return stats["responses"], stats["articles"]


def available_crawlers() -> list[Crawler]:
    """The crawlers this machine can run: wget only when installed."""
    crawlers: list[Crawler] = [Hdnd()]
    if shutil.which("wget"):
        crawlers.append(Wget())
    crawlers.append(BareScrapy())
    return crawlers


def wget_version() -> str | None:
    if not shutil.which("wget"):
        return None
    return subprocess.run(["wget", "--version"], capture_output=True, text=True).stdout.splitlines()[0]


def run_crawler(crawler: Crawler, setup: CrawlSetup, directory: Path, log_path: Path,
                mirror: MirrorProcess) -> CrawlRun:
    """Crawl the mirror into the empty folder ``directory`` and measure it."""
    directory.mkdir(parents=True)
    mirror_cpu_before = mirror.cpu_seconds()
    usage = run_measured(crawler.command(setup, directory), cwd=directory, log_path=log_path)
    mirror_cpu = mirror.cpu_seconds() - mirror_cpu_before
    check_ran(crawler.name, usage, log_path, crawler.ok_exit_codes)
    responses, articles = crawler.counts(directory)
    return CrawlRun(
        crawler=crawler.name,
        wall_seconds=usage.wall_seconds,
        cpu_seconds=usage.cpu_seconds,
        peak_rss_bytes=usage.peak_rss_bytes,
        responses=responses,
        articles=articles,
        bytes_written=directory_size(directory),
        mirror_cpu_seconds=mirror_cpu,
    )
