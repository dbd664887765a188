"""The mirror's own ceiling: article pages per second it serves to clients that do nothing else.

With ``wrk`` installed it does the asking; otherwise one plain keep-alive ``http.client`` loop per
core. Either way the clients share the machine's cores with the mirror, so the figure is a floor
of what the mirror could serve, measured the same way the crawlers are.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from mirror.site import Site

WRK_CONNECTIONS = 8
WRK_SCRIPT = """\
paths = {%s}
counter = 0
request = function()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end
"""


@dataclass(frozen=True)
class Ceiling:
    requests_per_second: float
    method: str


def article_paths(articles: int, seed: int, count: int = 200) -> list[str]:
    """Paths of ordinary article pages spread over the site (special cases such as the slow page left out)."""
    site = Site(articles=articles, seed=seed)
    special = set(site.special_pages().values())
    ids = list(site.article_ids())
    step = max(1, len(ids) // count)
    paths = [site.truth(article_id)["url"] for article_id in ids[::step]]
    return [path for path in paths if path not in special][:count]


def measure_ceiling(base_url: str, paths: list[str], seconds: float) -> Ceiling:
    if shutil.which("wrk"):
        return _with_wrk(base_url, paths, seconds)
    return _with_python_clients(base_url, paths, seconds)


def _with_wrk(base_url: str, paths: list[str], seconds: float) -> Ceiling:
    threads = os.cpu_count() or 1
    lua = WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua)
        script.flush()
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{WRK_CONNECTIONS}", f"-d{max(1, round(seconds))}s", "-s", script.name,
             base_url + "/"],
            capture_output=True, text=True, check=True,
        ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None or "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"wrk did not get article pages from the mirror:\n{output}")
    return Ceiling(float(match.group(1)), f"wrk, {threads} threads, {WRK_CONNECTIONS} keep-alive connections")


def _with_python_clients(base_url: str, paths: list[str], seconds: float) -> Ceiling:
    clients = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=clients) as pool:
        rates = list(pool.map(_client_loop, [base_url] * clients, [paths] * clients, [seconds] * clients))
    return Ceiling(sum(rates), f"{clients} Python keep-alive clients (http.client), one per core")


def _client_loop(base_url: str, paths: list[str], seconds: float) -> float:
    """Fetch ``paths`` in turn over one keep-alive connection for ``seconds``; return responses per second."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    done = 0
    started = time.monotonic()
    try:
        while time.monotonic() - started < seconds:
            connection.request("GET", paths[done % len(paths)])
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"the mirror answered {response.status} for {paths[done % len(paths)]}")
            done += 1
    finally:
        connection.close()
    return done / (time.monotonic() - started)

