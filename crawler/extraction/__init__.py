"""Article extraction: from the raw bytes of a council article page to a clean, normalised record.

The article is found by structure and text density, never by class names; per-site CSS hints may refine it.
"""

from crawler.extraction.article import extract_article
from crawler.extraction.charset import decode_html
from crawler.extraction.dates import parse_vietnamese_date
from crawler.extraction.hints import SiteHints
from crawler.extraction.model import Attachment, ExtractedArticle, Image
from crawler.extraction.text import fold_vietnamese, normalize_text

__all__ = [
    "Attachment",
    "ExtractedArticle",
    "Image",
    "SiteHints",
    "decode_html",
    "extract_article",
    "fold_vietnamese",
    "normalize_text",
    "parse_vietnamese_date",
]
