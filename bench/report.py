"""Turn measured runs into the benchmark's results: medians with their spread, ratios, targets, a table."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import Any

from bench.crawlers import CrawlRun

MB = 1_000_000
# A 1-minute load average above this before the benchmark starts means something else is running.
BUSY_LOAD = 0.5
# The search target holds for an archive of this size (measured on the largest --memory-sizes crawl).
SEARCH_TARGET_ARTICLES = 100_000
# Metrics summarized over the repeated runs of each crawler.
RUN_METRICS = ("pages_per_second", "articles_per_second", "wall_seconds", "cpu_seconds", "cpu_ms_per_article",
               "peak_rss_bytes", "bytes_written", "responses", "articles", "mirror_cpu_seconds")
RATIO_METRICS = ("pages_per_second", "articles_per_second", "cpu_ms_per_article", "peak_rss_bytes")
COMPARED = (("hdnd/wget", "wget"), ("hdnd/bare_scrapy", "bare_scrapy"))


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, min, max and the relative spread (max - min) / median of repeated measurements."""
    median = statistics.median(values)
    low, high = min(values), max(values)
    return {"median": median, "min": low, "max": high, "spread": (high - low) / median if median else 0.0}


def summarize_runs(runs: Sequence[CrawlRun]) -> dict[str, Any]:
    rows = [run.as_dict() for run in runs]
    summary: dict[str, Any] = {"runs": rows}
    for metric in RUN_METRICS:
        values = [row[metric] for row in rows if row[metric] is not None]
        summary[metric] = spread(values) if values else None
    return summary


def ratios(crawlers: dict[str, dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """hdnd's medians divided by each other crawler's, for the crawlers that ran."""
    hdnd = crawlers["hdnd"]
    result = {}
    for label, other_name in COMPARED:
        other = crawlers.get(other_name)
        if other is None or "skipped" in other:
            continue
        result[label] = {metric: _divide(_median(hdnd, metric), _median(other, metric)) for metric in RATIO_METRICS}
    return result


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issue 6 with the measured value and PASS, MISS or n/a (not measured in this run)."""
    hdnd = results["crawlers"]["hdnd"]
    ratio = results["ratios"]
    memory = results["memory"]
    rss_values = [row["peak_rss_bytes"] for row in memory.values() if "error" not in row]
    reindex = results["reindex"]
    search = results["search"]
    return [
        _target("hdnd pages/s >= 1.0x wget", ratio.get("hdnd/wget", {}).get("pages_per_second"),
                lambda v: v >= 1.0, "{:.2f}x"),
        _target("hdnd pages/s >= 0.6x bare Scrapy", ratio.get("hdnd/bare_scrapy", {}).get("pages_per_second"),
                lambda v: v >= 0.6, "{:.2f}x"),
        _target("CPU <= 3 ms per archived article", _median(hdnd, "cpu_ms_per_article"),
                lambda v: v <= 3.0, "{:.2f} ms"),
        _target("peak RSS <= 200 MB", max([_median(hdnd, "peak_rss_bytes"), *rss_values]) / MB,
                lambda v: v <= 200, "{:.0f} MB"),
        _target("peak RSS within 10% from smallest to largest memory size",
                (max(rss_values) / min(rss_values) - 1) * 100 if len(rss_values) > 1 else None,
                lambda v: v <= 10, "{:+.1f}%"),
        _target("reindex >= 500 articles/s", reindex.get("articles_per_second"), lambda v: v >= 500, "{:.0f}/s"),
        _target(f"search median < 20 ms at {SEARCH_TARGET_ARTICLES:,} articles",
                max(search["folded"]["median_ms"], search["exact"]["median_ms"]) if "folded" in search else None,
                lambda v: v < 20, f"{{:.1f}} ms at {search.get('articles')} articles",
                applies=search.get("articles", 0) >= SEARCH_TARGET_ARTICLES),
    ]


def format_report(results: dict[str, Any]) -> str:
    config = results["config"]
    ceiling = results["mirror"]
    lines = [
        f"hdnd benchmark: {config['articles']} articles, {config['repeat']} run(s) each (median, min-max), "
        f"concurrency {config['concurrency']}, {config['cpus']} cores",
        f"Mirror ceiling: {ceiling['ceiling_pages_per_second']:,.0f} article pages/s ({ceiling['method']})",
        *_load_warning(config),
        "",
        _table(
            ["crawler", "pages/s", "articles/s", "wall s", "CPU ms/article", "peak RSS MB", "MB written", "pages",
             "articles", "mirror CPU s"],
            [[name, *_crawler_cells(summary)] for name, summary in results["crawlers"].items()],
        ),
    ]
    if results["ratios"]:
        lines += ["", _table(
            ["ratio", "pages/s", "articles/s", "CPU ms/article", "peak RSS"],
            [[label, *(_format(values[m], "{:.2f}x") for m in RATIO_METRICS)]
             for label, values in results["ratios"].items()],
        )]
    lines += ["", _optional_line("hdnd stages", results["stages"], lambda s: (
        f"ms per article page (offline, {s['pages']} archived pages): extraction {s['extraction_ms']:.2f}, "
        f"WARC write {s['warc_write_ms']:.2f}, database {s['database_ms']:.2f}"))]
    lines.append(_optional_line("reindex", results["reindex"], lambda r: (
        f"{r['articles_per_second']:.0f} articles/s ({r['articles']} articles in {r['wall_seconds']:.1f} s)")))
    lines.append(_optional_line("search", results["search"], lambda s: (
        f"folded median {s['folded']['median_ms']:.1f} ms, p95 {s['folded']['p95_ms']:.1f} ms; "
        f"exact median {s['exact']['median_ms']:.1f} ms, p95 {s['exact']['p95_ms']:.1f} ms "
        f"({s['articles']} articles, {s['method']})")))
    if results["memory"]:
        lines.append("memory: " + "; ".join(_optional_line(f"{size} articles", row, lambda r: (
            f"peak RSS {r['peak_rss_bytes'] / MB:.0f} MB, {r['pages_per_second']:.0f} pages/s"))
            for size, row in results["memory"].items()))
    lines += ["", _table(["target", "measured", "status"],
                         [[t["target"], t["measured_text"], t["status"]] for t in results["targets"]])]
    return "\n".join(lines)


def _load_warning(config: dict[str, Any]) -> list[str]:
    """A warning when other work shared the machine: wall times and pages/s are then not comparable."""
    start, end = config["load_average_at_start"], config["load_average_at_end"]
    if start < BUSY_LOAD:
        return []
    return [f"WARNING: the machine was busy with other work (load average {start:.1f} at start, {end:.1f} at "
            "end): wall times and pages/s are lower than on a quiet machine; CPU times hold better."]


def _crawler_cells(summary: dict[str, Any]) -> list[str]:
    if "skipped" in summary:
        return [f"skipped: {summary['skipped']}"] + [""] * 9
    return [
        _ranged(summary["pages_per_second"], "{:.0f}"),
        _ranged(summary["articles_per_second"], "{:.0f}"),
        _ranged(summary["wall_seconds"], "{:.1f}"),
        _ranged(summary["cpu_ms_per_article"], "{:.2f}"),
        _ranged(_scaled(summary["peak_rss_bytes"]), "{:.0f}"),
        _ranged(_scaled(summary["bytes_written"]), "{:.1f}"),
        _format(summary["responses"]["median"], "{:.0f}"),
        _format(summary["articles"]["median"], "{:.0f}"),
        _ranged(summary["mirror_cpu_seconds"], "{:.1f}"),
    ]


def _ranged(values: dict[str, float] | None, pattern: str) -> str:
    if values is None:
        return "-"
    text = pattern.format(values["median"])
    if values["min"] != values["max"]:
        text += f" ({pattern.format(values['min'])}-{pattern.format(values['max'])})"
    return text


def _scaled(values: dict[str, float]) -> dict[str, float]:
    return {key: value / MB if key != "spread" else value for key, value in values.items()}


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths)).rstrip()
    return "\n".join([line(header), line(["-" * width for width in widths]), *map(line, rows)])


def _optional_line(name: str, result: dict[str, Any], describe: Callable[[dict[str, Any]], str]) -> str:
    """A section's line: its figures, or why it was skipped or failed."""
    if "skipped" in result:
        return f"{name}: skipped ({result['skipped']})"
    if "error" in result:
        return f"{name}: FAILED ({result['error']})"
    return f"{name}: {describe(result)}"


def _target(name: str, measured: float | None, passes: Callable[[float], bool], pattern: str,
            applies: bool = True) -> dict[str, Any]:
    """A target's row; n/a when not measured, or measured where the target does not apply (a smaller archive)."""
    if measured is None:
        return {"target": name, "measured": None, "measured_text": "-", "status": "n/a"}
    status = ("PASS" if passes(measured) else "MISS") if applies else "n/a"
    return {"target": name, "measured": measured, "measured_text": pattern.format(measured), "status": status}


def _median(summary: dict[str, Any], metric: str) -> float | None:
    values = summary.get(metric)
    return values["median"] if values else None


def _divide(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def _format(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)
