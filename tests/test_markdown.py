"""Issue 14: Markdown keeps its headings (one h1, the headline; the rest shifted below it) and its images."""
from __future__ import annotations

import json
import re

from conftest import FIXTURES, run_cli

import render

MARKDOWN = FIXTURES / "markdown"
HEADING_TAGS = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)


def analysed(name: str) -> dict:
    return render.analyse_document((MARKDOWN / name).read_text(encoding="utf-8"), name, markdown=True)


def page_headings(page: str) -> list[tuple[int, str]]:
    """(level, text) of every heading in the article, the headline first."""
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    article = re.sub(r'<nav class="toc".*?</nav>', "", article, flags=re.S)
    return [(int(level), re.sub(r"<[^>]+>", "", text)) for level, text in HEADING_TAGS.findall(article)]


def rendered(name: str) -> str:
    return render.render_document((MARKDOWN / name).read_text(encoding="utf-8"), name, markdown=True)[0]


def test_title_from_front_matter_is_not_repeated_by_its_heading():
    document = analysed("front_matter_and_title.md")
    assert document["title"] == "Notes on the river survey"
    assert [(s["heading"], s["level"]) for s in document["sections"]] == [(None, None), ("Method", 2), ("Findings", 2)]
    assert document["sections"][0]["paragraphs"] == ["We walked the lower reach on three mornings and counted what we found."]
    assert page_headings(rendered("front_matter_and_title.md")) == [
        (1, "Notes on the river survey"), (2, "Method"), (2, "Findings")]


def test_first_level_one_heading_is_the_title_and_the_others_shift_below_it():
    document = analysed("several_level_one_headings.md")
    assert document["title"] == "Field diary"
    assert [(s["heading"], s["level"]) for s in document["sections"]] == [
        (None, None), ("Monday", 2), ("The tide gauge", 3), ("Readings", 4), ("Tuesday", 2)]
    page = rendered("several_level_one_headings.md")
    assert page_headings(page) == [(1, "Field diary"), (2, "Monday"), (3, "The tide gauge"), (4, "Readings"), (2, "Tuesday")]
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S)[0]
    assert re.findall(r'href="#([^"]+)"', contents) == ["monday", "tuesday"], "the contents list the top level in use"
    assert '<h3 id="the-tide-gauge">' in page


def test_json_keeps_headings_as_headings():
    for name in ("front_matter_and_title.md", "several_level_one_headings.md"):
        for section in analysed(name)["sections"]:
            assert not [p for p in section["paragraphs"] if re.match(r"#{1,6} ", p)], (name, section)


def test_fenced_code_keeps_its_hash_lines():
    tuesday = analysed("several_level_one_headings.md")["sections"][-1]
    assert tuesday["paragraphs"][-1].startswith("```sh\n# not a heading")
    assert "# not a heading: a comment inside fenced code" in rendered("several_level_one_headings.md")


def test_heading_that_differs_from_the_front_matter_title_stays_a_section():
    text = "---\ntitle: Harbour report\n---\n# Summary\n\nAll quiet.\n\n# Details\n\nTwo ships.\n"
    document = render.analyse_document(text, "harbour", markdown=True)
    assert document["title"] == "Harbour report"
    assert [(s["heading"], s["level"]) for s in document["sections"]] == [("Summary", 2), ("Details", 2)]


def test_heading_repeating_the_title_in_other_case_and_emphasis_is_dropped():
    text = "---\ntitle: Rivers of the World\n---\n\n# *Rivers* of  the world\n\nA survey.\n"
    document = render.analyse_document(text, "rivers", markdown=True)
    assert document["sections"] == [{"heading": None, "level": None, "paragraphs": ["A survey."]}]


def test_no_heading_levels_are_shifted_when_the_body_has_no_level_one():
    text = "# Title\n\n## Part\n\n### Piece\n\ntext\n"
    assert [s["level"] for s in render.analyse_document(text, "t", markdown=True)["sections"]] == [2, 3]


def test_heading_after_an_unclosed_fence_is_still_a_heading():
    text = "# Title\n\n```\nnever closed\n\n## Later\n\ntext\n"
    assert [s["heading"] for s in render.analyse_document(text, "t", markdown=True)["sections"]] == [None, "Later"]


def test_page_has_one_h1_even_with_raw_html_headings():
    text = "# Title\n\nIntro.\n\n<h1>Raw heading</h1>\n\nMore.\n"
    headings = page_headings(render.render_document(text, "raw", markdown=True)[0])
    assert headings == [(1, "Title"), (2, "Raw heading")]


def test_text_documents_keep_level_two_sections(seed_article):
    document = render.restore(seed_article, render.Options()).to_json()
    assert [s["level"] for s in document["sections"]] == [None, 2, 2, 2]


def test_command_line_json_has_the_levels(tmp_path):
    result = run_cli("--json", MARKDOWN / "several_level_one_headings.md")
    assert [s["level"] for s in json.loads(result.stdout)[0]["sections"]] == [None, 2, 3, 4, 2]
