"""hdnd verify: check the WARC files, their fixity, and the database against them."""

from __future__ import annotations

import argparse
import json
import sys
from archive.audit import Audit, audit_database
from archive.verify import WarcCheck, verify_warc_dir
from crawler.spiders.council import load_site_hints
from db.engine import DatabaseError
from hdnd.database import open_existing_database
from hdnd.options import HelpFormatter, add_storage_options

HELP = "check WARC digests and completeness, file fixity, and that the database matches the WARC files"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify", help=HELP, description=HELP + ". Exits 0 only when everything holds.",
        formatter_class=HelpFormatter,
    )
    add_storage_options(parser)
    parser.add_argument("--warc-only", action="store_true",
                        help="check the WARC files alone, without a database")
    parser.add_argument("--hints", metavar="FILE", default=None,
                        help="the extraction hints file the crawl used (to extract the articles again)")
    parser.add_argument("--json", action="store_true", help="print a machine-readable report")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        hints = load_site_hints(args.hints or "")
        engine = None if args.warc_only else open_existing_database(args.db)
        warc = verify_warc_dir(args.warc_dir)
        audit = audit_database(engine, args.warc_dir, warc, hints=hints) if engine is not None else None
    except (OSError, ValueError, DatabaseError) as error:
        print(f"hdnd verify: error: {error}", file=sys.stderr)
        return 2
    problems = warc.problems + (audit.problems if audit else [])
    checked = _checked(warc, audit)
    if args.json:
        report = {"ok": not problems, "checked": checked, "problems": [problem.to_dict() for problem in problems]}
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for problem in problems:
            print(problem)
        print(_summary(checked, len(problems)))
    return 1 if problems else 0


def _checked(warc: WarcCheck, audit: Audit | None) -> dict[str, int]:
    checked = {"warc_files": len(warc.files), "records": len(warc.records)}
    if audit is not None:
        checked.update(warc_files_in_database=audit.warc_files, captures=audit.captures,
                       article_versions=audit.versions)
    return checked


def _summary(checked: dict[str, int], problems: int) -> str:
    lines = [f"Checked {checked['warc_files']} WARC files ({checked['records']} records)"]
    if "captures" in checked:
        lines.append(f"  against the database: {checked['warc_files_in_database']} closed files, "
                     f"{checked['captures']} captures, {checked['article_versions']} article versions extracted again")
    lines.append("OK: everything holds" if not problems else f"FAILED: {problems} problem{'s' * (problems != 1)}")
    return "\n".join(lines)
