"""Scrapy settings of hdnd-archive: the one home of every setting.

Defaults are safe for a fragile government host. Environment variables named in
``ENVIRONMENT`` override them; ``hdnd crawl`` flags override both (see ``hdnd.options``).
"""

from __future__ import annotations

import os

from crawler import __version__

BOT_NAME = "hdnd"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Politeness -------------------------------------------------------------
HDND_CONTACT_URL = "https://github.com/hdnd-archive/hdnd-archive"
USER_AGENT = f"hdnd-archive/{__version__} (+{HDND_CONTACT_URL}; archival crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
# A random jitter may take the delay below DOWNLOAD_DELAY; a promise of "at least one second" forbids it.
DOWNLOAD_DELAY_JITTER = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Longest Retry-After (seconds) that is honoured; a longer one is capped to it.
HDND_RETRY_AFTER_MAX = 600
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REDIRECT_MAX_TIMES = 10
# Error pages (404, 500, ...) reach the spider so that they are counted, not silently dropped.
HTTPERROR_ALLOW_ALL = True

# --- Reactor and request fingerprints (current Scrapy defaults, pinned) -----
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- Components ---------------------------------------------------------------
# The queue and seen-set live on disk (SQLite), so that a killed crawl resumes where it stopped.
SCHEDULER = "crawler.frontier.FrontierScheduler"
DOWNLOADER_MIDDLEWARES = {
    # Seen before RetryMiddleware (550) so that Retry-After slows the host down before the retry.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Closest to the network: it records the bytes as sent, before decompression, redirects or retries.
    "crawler.middlewares.warc.WarcCaptureMiddleware": 950,
}
EXTENSIONS = {
    "crawler.progress.CrawlProgress": 500,
}
# A live status line on a terminal; elsewhere a log line every HDND_PROGRESS_INTERVAL seconds.
HDND_PROGRESS = True
HDND_PROGRESS_INTERVAL = 30.0
ITEM_PIPELINES = {
    "crawler.pipelines.validate.ValidatePipeline": 100,
    "crawler.pipelines.store.StorePipeline": 800,
}

# --- What to crawl ------------------------------------------------------------
HDND_START_URLS: list[str] = []
# A URL whose path (or query) matches this regular expression is an article page.
HDND_ARTICLE_URL_PATTERN = r"DetailController"
# A regular expression whose first group is the article's id on the site; empty means the default
# rule: an id-like query parameter (id, ItemID, newsid, ...), else the last number in the path.
HDND_SOURCE_ID_PATTERN = ""
# Fetch each article's images, attachments and stylesheets too, so that replay shows the page.
HDND_FETCH_ASSETS = True
# Stop following a chain of same-path pages (``?week=N`` → ``?week=N+1``) after this many pages
# in a row that led to no new article: a calendar trap ends by itself, real pagination does not.
HDND_TRAP_BARREN_PAGES = 5
# Hard cap on distinct query strings followed under one non-article path.
HDND_MAX_QUERY_VARIANTS = 5000
# Incremental re-crawl: skip archived articles and stop paging a listing at the first page that brings
# nothing new, except that archived articles published within HDND_RECHECK_DAYS are re-checked
# (with If-None-Match / If-Modified-Since when the server gave validators).
HDND_INCREMENTAL = False
HDND_RECHECK_DAYS = 30
# Per-site extraction hints: a JSON file mapping a host to CSS selectors (title, date, body, caption, breadcrumb).
HDND_SITE_HINTS_FILE = ""

# --- Where to store -----------------------------------------------------------
HDND_DB_URL = "sqlite:///data/hdnd.sqlite"
HDND_WARC_DIR = "data/warc"
HDND_WARC_PREFIX = "hdnd"
HDND_WARC_MAX_SIZE = 1_000_000_000
# zlib level for the per-record gzip members; 6 is as small as 9 and a quarter faster.
HDND_WARC_GZIP_LEVEL = 6
HDND_OPERATOR = ""
HDND_JOB = "default"
# Where each job's frontier (pending requests) lives; empty: a "jobs" folder beside HDND_WARC_DIR.
HDND_JOBS_DIR = ""
# Commit database writes in batches of this many rows.
HDND_DB_BATCH = 200

# Environment variables and the settings they override.
ENVIRONMENT = {
    "HDND_DB": "HDND_DB_URL",
    "HDND_WARC_DIR": "HDND_WARC_DIR",
    "HDND_USER_AGENT": "USER_AGENT",
    "HDND_OPERATOR": "HDND_OPERATOR",
    "HDND_SITE_HINTS_FILE": "HDND_SITE_HINTS_FILE",
}
for _variable, _setting in ENVIRONMENT.items():
    if os.environ.get(_variable):
        globals()[_setting] = os.environ[_variable]
