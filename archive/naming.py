"""Names of WARC files: the timestamped template and the '.open' suffix of a file being written."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

OPEN_SUFFIX = ".open"
WARC_SUFFIX = ".warc.gz"
DEFAULT_TEMPLATE = "{prefix}-{timestamp}-{serial:05d}.warc.gz"


def timestamp_now() -> str:
    """UTC now as YYYYMMDDhhmmssffffff (20 digits)."""
    return datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")


def open_name(name: str) -> str:
    return name + OPEN_SUFFIX


def closed_name(name: str) -> str:
    """The name a file gets once closed: its name without the '.open' suffix."""
    return name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name


class FileNamer:
    """Turns the template into successive file names for one writer: serial 0, 1, 2..."""

    def __init__(self, template: str, prefix: str) -> None:
        self.template = template
        self.prefix = prefix
        self.serial = 0
        self._validate()

    def next_name(self) -> str:
        name = self._format(timestamp_now(), self.serial)
        self.serial += 1
        return name

    def _format(self, timestamp: str, serial: int) -> str:
        return self.template.format(prefix=self.prefix, timestamp=timestamp, serial=serial)

    def _validate(self) -> None:
        try:
            first = self._format("20260101000000000000", 0)
            other_serial = self._format("20260101000000000000", 1)
            other_time = self._format("20260101000000000001", 0)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(
                f"bad WARC file name template {self.template!r} ({error!r}); "
                "it may use {prefix}, {timestamp} and {serial}"
            ) from None
        if not first.endswith(WARC_SUFFIX):
            raise ValueError(f"WARC file name template {self.template!r} must end with {WARC_SUFFIX!r}")
        if Path(first).name != first or first.startswith("."):
            raise ValueError(f"WARC file name template {self.template!r} must give a plain file name")
        if first == other_serial and first == other_time:
            raise ValueError(f"WARC file name template {self.template!r} must use {{timestamp}} or {{serial}}")
