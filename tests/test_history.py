"""hdnd history: the versions of an article the mirror edited between two crawls, and their diff."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hdnd.cli import main
from mirror.site import Site
from recrawled import ARTICLES, Recrawled, recrawled


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recrawled]:
    with recrawled(tmp_path_factory.mktemp("history")) as archive:
        yield archive


@pytest.fixture(scope="module")
def edited(twice: Recrawled) -> str:
    """The source id of an article that has two versions."""
    source_ids = [source_id for (source_id,) in twice.query("SELECT source_id FROM articles WHERE versions = 2")]
    assert len(source_ids) == 3
    return source_ids[0]


def history(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["history", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def paragraphs(source_id: str, generation: int) -> set[str]:
    site = Site(articles=ARTICLES, generation=generation)
    return set(site.truth(int(source_id))["body"])


def test_history_lists_both_versions_with_their_captures(
    twice: Recrawled, edited: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = history(capsys, edited, "--db", twice.db_url)
    assert code == 0
    assert "Versions (2):" in out
    version_lines = [line for line in out.splitlines() if "captured" in line and "paragraphs" in line]
    assert [line.split()[0] for line in version_lines] == ["1", "2"]
    assert f"run {twice.first_run} " in version_lines[0] and f"run {twice.second_run} " in version_lines[1]


def test_the_diff_shows_the_edited_paragraphs(
    twice: Recrawled, edited: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = history(capsys, edited, "--db", twice.db_url)
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("--- version 1 (captured ") for line in lines)
    assert any(line.startswith("+++ version 2 (captured ") for line in lines)
    added = {line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")}
    removed = {line[1:] for line in lines if line.startswith("-") and not line.startswith("---")}
    before, after = paragraphs(edited, 0), paragraphs(edited, 1)
    assert added == after - before  # one paragraph rewritten and an update appended
    assert removed == before - after
    assert len(added) == 2 and len(removed) == 1
    assert "\033[" not in out  # not a terminal: no colour


def test_diff_of_chosen_versions_and_colour(twice: Recrawled, edited: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, default, _ = history(capsys, edited, "--db", twice.db_url)
    _, chosen, _ = history(capsys, edited, "--db", twice.db_url, "--diff", "1", "2")
    assert chosen == default
    _, backwards, _ = history(capsys, edited, "--db", twice.db_url, "--diff", "2", "1")
    assert "--- version 2 (captured " in backwards
    _, same, _ = history(capsys, edited, "--db", twice.db_url, "--diff", "2", "2")
    assert "Versions 2 and 2 have the same content." in same
    _, coloured, _ = history(capsys, edited, "--db", twice.db_url, "--color", "always")
    assert "\033[32m+" in coloured and "\033[31m-" in coloured


def test_an_article_with_one_version_and_lookup_by_url(twice: Recrawled, capsys: pytest.CaptureFixture[str]) -> None:
    ((url,),) = twice.query("SELECT url FROM articles WHERE versions = 1 ORDER BY id LIMIT 1")
    code, out, _ = history(capsys, url, "--db", twice.db_url)
    assert code == 0
    assert "Versions (1):" in out and "Only one version: nothing to compare." in out


@pytest.mark.parametrize(("arguments", "code", "message"), [
    (["no-such-article"], 1, "no article 'no-such-article'"),
    (["EDITED", "--diff", "1", "3"], 1, "the article has no version 3 (it has 1, 2)"),
    (["EDITED", "--context", "-1"], 2, "--context cannot be negative"),
])
def test_bad_requests_get_a_clear_message(
    twice: Recrawled, edited: str, capsys: pytest.CaptureFixture[str], arguments: list[str], code: int, message: str
) -> None:
    arguments = [edited if argument == "EDITED" else argument for argument in arguments]
    returned, _, err = history(capsys, *arguments, "--db", twice.db_url)
    assert returned == code
    assert message in err
