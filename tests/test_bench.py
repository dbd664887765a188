"""The benchmark runs end to end at a tiny size and writes the results it promises (no timed assertions)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
RUN = [sys.executable, str(REPOSITORY / "bench" / "run.py")]
STATUSES = {"PASS", "MISS", "n/a"}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path_factory.mktemp("bench-out")
    finished = subprocess.run(
        [*RUN, "--articles", "50", "--repeat", "1", "--memory-sizes", "30,50", "--stage-sample", "20",
         "--ceiling-seconds", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    [results_path] = out.glob("*/results.json")
    return finished, json.loads(results_path.read_text(encoding="utf-8"))


def test_results_have_every_section(tiny_run):
    _, results = tiny_run
    sections = {"config", "mirror", "crawlers", "ratios", "stages", "reindex", "search", "memory", "targets"}
    assert sections <= set(results)
    assert results["config"]["articles"] == 50
    assert results["mirror"]["ceiling_pages_per_second"] > 0


def test_each_crawler_fetched_the_mirror(tiny_run):
    _, results = tiny_run
    crawlers = results["crawlers"]
    expected = {"hdnd", "bare_scrapy"} | ({"wget"} if shutil.which("wget") else set())
    for name in expected:
        summary = crawlers[name]
        [run] = summary["runs"]
        assert run["articles"] > 0 and run["responses"] >= run["articles"]
        assert run["cpu_seconds"] > 0 and run["peak_rss_bytes"] > 0
        assert summary["pages_per_second"]["median"] == run["pages_per_second"]
    assert crawlers["hdnd"]["runs"][0]["bytes_written"] > 0
    if not shutil.which("wget"):
        assert "skipped" in crawlers["wget"]


def test_ratios_compare_hdnd_with_the_others(tiny_run):
    _, results = tiny_run
    labels = {"hdnd/bare_scrapy"} | ({"hdnd/wget"} if shutil.which("wget") else set())
    assert set(results["ratios"]) == labels
    for label in labels:
        ratio = results["ratios"][label]
        assert ratio["pages_per_second"] > 0 and ratio["peak_rss_bytes"] > 0


def test_stages_memory_and_targets(tiny_run):
    finished, results = tiny_run
    stages = results["stages"]
    assert stages["pages"] > 0
    assert all(stages[key] > 0 for key in ("extraction_ms", "warc_write_ms", "database_ms"))
    assert set(results["memory"]) == {"30", "50"}
    assert all(row["peak_rss_bytes"] > 0 for row in results["memory"].values())
    for optional in ("reindex", "search"):
        assert "skipped" in results[optional] or results[optional]
    assert len(results["targets"]) == 7
    assert {target["status"] for target in results["targets"]} <= STATUSES
    assert "pages/s" in finished.stdout
    assert all(target["target"] in finished.stdout for target in results["targets"])


@pytest.mark.parametrize("arguments, message", [
    (["--articles", "5"], "articles must be between"),
    (["--memory-sizes", "10k"], "--memory-sizes takes numbers"),
])
def test_bad_options_get_a_clear_error(tmp_path, arguments, message):
    finished = subprocess.run([*RUN, *arguments, "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2
    assert message in finished.stderr
    assert not list(tmp_path.iterdir())
