"""The hdnd command line and Python API (``hdnd.open_archive``)."""

from hdnd.api import Archive, open_archive

__all__ = ["Archive", "open_archive"]
