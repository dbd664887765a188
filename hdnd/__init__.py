"""The hdnd command line and Python API (``hdnd.open_archive``)."""

from __future__ import annotations

from typing import Any

__all__ = ["Archive", "open_archive"]


def __getattr__(name: str) -> Any:
    # The API is loaded on first use, so that the command line does not pay for it at every start.
    if name in __all__:
        from hdnd import api

        return getattr(api, name)
    raise AttributeError(f"module 'hdnd' has no attribute {name!r}")
