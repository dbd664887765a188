"""Article URL rules: recognition, source ids and canonical URLs."""

import pytest

from crawler.urls import ArticleUrlRules, host_of, is_asset


@pytest.mark.parametrize(
    ("url", "source_id", "canonical"),
    [
        ("http://hdnd.x.gov.vn/Home/DetailController?id=123", "123", "http://hdnd.x.gov.vn/Home/DetailController?id=123"),
        ("http://hdnd.x.gov.vn/Home/DetailController?id=123&print=1#top", "123",
         "http://hdnd.x.gov.vn/Home/DetailController?id=123"),
        ("http://hdnd.x.gov.vn/Home/DetailController?utm_source=fb&ItemID=77", "77",
         "http://hdnd.x.gov.vn/Home/DetailController?ItemID=77"),
        ("http://HDND.x.gov.vn/tin-tuc/DetailController/2022/456?page=2", "456",
         "http://hdnd.x.gov.vn/tin-tuc/DetailController/2022/456"),
        ("http://hdnd.x.gov.vn/tin-tuc/DetailController/ky-hop", None,
         "http://hdnd.x.gov.vn/tin-tuc/DetailController/ky-hop"),
    ],
)
def test_default_rules(url: str, source_id: str | None, canonical: str) -> None:
    rules = ArticleUrlRules()
    assert rules.is_article(url)
    assert rules.source_id(url) == source_id
    assert rules.canonical_url(url) == canonical


def test_configured_patterns() -> None:
    rules = ArticleUrlRules(article_pattern=r"/tin-tuc/.+\.html$", source_id_pattern=r"-(\d+)\.html$")
    url = "http://site.gov.vn/tin-tuc/ky-hop-thu-7-2023-991.html"
    assert rules.is_article(url)
    assert not rules.is_article("http://site.gov.vn/Home/DetailController?id=1")
    assert rules.source_id(url) == "991"


def test_source_id_pattern_needs_a_group() -> None:
    with pytest.raises(ValueError, match="capturing group"):
        ArticleUrlRules(source_id_pattern=r"\d+")


def test_assets_and_hosts() -> None:
    assert is_asset("http://a.vn/Uploads/2022/anh.JPG")
    assert is_asset("http://a.vn/files/nghi-quyet.pdf?download=1")
    assert not is_asset("http://a.vn/Home/DetailController?id=1")
    assert not is_asset("http://a.vn/tin-tuc/")
    assert host_of("http://A.vn:8080/x") == "a.vn:8080"
