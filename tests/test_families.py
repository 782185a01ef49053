"""The parser across the family of article dumps and Markdown documents (issue 3).

Every document in tests/fixtures/families/ is a short invented article laid out the way one kind of
site or crawler lays it out. expected.json says, field by field, what a careful reader would take
from it: title, date, source, author, views, lang, the subheadings, the number of paragraphs under
each, the exact first and last paragraph, site chrome that must stay out of the body (and, for
dumps, must be kept as boilerplate rather than dropped), and the kinds of the warnings raised, all of them.

For Markdown documents a "paragraph" is a top-level block: a paragraph, a list, a block quote,
a fenced code block or a table.
"""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import run_main

import render

FAMILIES = Path(__file__).resolve().parent / "fixtures" / "families"
EXPECTED: dict[str, dict] = json.loads((FAMILIES / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)
TEXT_NAMES = [n for n in NAMES if not n.endswith(".md")]
MARKDOWN_NAMES = [n for n in NAMES if n.endswith(".md")]
FIELDS = ("title", "date", "source", "author", "views", "lang")


def ids(name: str) -> str:
    return Path(name).stem


def analysed(name: str) -> dict:
    """The parse of one fixture as the --json contract shows it.

    Parsed anew by each test (a millisecond): mutation testing ties each test to the code it runs.

    This is render.parse_document, before any restoration (script conversion, punctuation widening):
    the fields here are what the parser reads from the document as written.
    """
    text = (FAMILIES / name).read_text(encoding="utf-8")
    return render.parse_document(text, Path(name).stem, markdown=name.endswith(".md")).to_json()


def paragraphs(doc: dict) -> list[str]:
    return [p for s in doc["sections"] for p in s["paragraphs"]]


def body_texts(doc: dict) -> list[str]:
    """Every text of the body: headings and paragraphs."""
    return [s["heading"] for s in doc["sections"] if s["heading"]] + paragraphs(doc)


def show(doc: dict) -> str:
    """A short picture of a parse for assertion messages."""
    lines = [f"title={doc['title']!r} date={doc['date']!r} source={doc['source']!r} author={doc['author']!r} "
             f"views={doc['views']!r} lang={doc['lang']!r}"]
    for s in doc["sections"]:
        lines.append(f"  [{s['heading']!r}] {len(s['paragraphs'])} paragraphs")
        for p in s["paragraphs"]:
            lines.append(f"      {p[:70]!r}")
    lines.append(f"  boilerplate={doc['boilerplate']!r}")
    lines.append(f"  warnings={[w['kind'] for w in doc['warnings']]!r}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# The corpus itself
# ---------------------------------------------------------------------------


def test_every_fixture_has_expectations():
    on_disk = sorted(p.name for p in FAMILIES.iterdir() if p.suffix in (".txt", ".md"))
    assert on_disk == NAMES, "fixture files and expected.json disagree"
    keys = {"title", "date", "source", "author", "views", "lang", "headings", "paragraph_counts",
            "first_paragraph", "last_paragraph", "not_in_body", "in_boilerplate", "warnings_kinds"}
    for name, exp in EXPECTED.items():
        assert keys <= set(exp), f"{name}: missing {sorted(keys - set(exp))}"
        assert len(exp["headings"]) == len(exp["paragraph_counts"]), name


def test_dated_fixtures_fall_on_distinct_days():
    """So that 'newest first' in the index has one right answer."""
    days = [EXPECTED[n]["date"][:10] for n in NAMES if EXPECTED[n]["date"]]
    assert len(days) == len(set(days))


# ---------------------------------------------------------------------------
# Field by field
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_metadata_field(name, field):
    doc, exp = analysed(name), EXPECTED[name]
    assert doc[field] == exp[field], (
        f"{name}: {field} is {doc[field]!r}, expected {exp[field]!r}"
        + (f"\n  ({exp['note']})" if exp.get("note") else "") + "\n" + show(doc))


@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_headings(name):
    doc, exp = analysed(name), EXPECTED[name]
    headings = [s["heading"] for s in doc["sections"]]
    assert headings == exp["headings"], f"{name}: headings {headings!r}, expected {exp['headings']!r}\n" + show(doc)


@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_paragraph_counts(name):
    doc, exp = analysed(name), EXPECTED[name]
    counts = [len(s["paragraphs"]) for s in doc["sections"]]
    assert counts == exp["paragraph_counts"], (
        f"{name}: paragraphs per section {counts!r}, expected {exp['paragraph_counts']!r}\n" + show(doc))


@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_first_paragraph(name):
    doc, exp = analysed(name), EXPECTED[name]
    found = paragraphs(doc)
    assert found, f"{name}: no paragraphs\n" + show(doc)
    assert found[0] == exp["first_paragraph"], (
        f"{name}: first paragraph\n  got      {found[0]!r}\n  expected {exp['first_paragraph']!r}")


@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_last_paragraph(name):
    doc, exp = analysed(name), EXPECTED[name]
    found = paragraphs(doc)
    assert found, f"{name}: no paragraphs\n" + show(doc)
    assert found[-1] == exp["last_paragraph"], (
        f"{name}: last paragraph\n  got      {found[-1]!r}\n  expected {exp['last_paragraph']!r}")


@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_chrome_stays_out_of_body(name):
    doc, exp = analysed(name), EXPECTED[name]
    leaks = [(needle, text) for needle in exp["not_in_body"] for text in body_texts(doc) if needle in text]
    assert not leaks, f"{name}: site chrome or metadata in the body: " + "; ".join(f"{n!r} in {t[:60]!r}" for n, t in leaks)


@pytest.mark.parametrize("name", TEXT_NAMES, ids=ids)
def test_chrome_is_kept_as_boilerplate(name):
    """Chrome goes to boilerplate, never silently away."""
    doc, exp = analysed(name), EXPECTED[name]
    missing = [needle for needle in exp["in_boilerplate"] if not any(needle in line for line in doc["boilerplate"])]
    assert not missing, f"{name}: chrome not kept in boilerplate: {missing!r}\n  boilerplate={doc['boilerplate']!r}"


@pytest.mark.parametrize("name", NAMES, ids=ids)
def test_warnings(name):
    """Exactly the warnings expected, no fewer and no more: a false alarm is as wrong as a miss."""
    doc, exp = analysed(name), EXPECTED[name]
    kinds = sorted(w["kind"] for w in doc["warnings"])
    assert kinds == sorted(exp["warnings_kinds"]), f"{name}: warnings {doc['warnings']!r}, expected kinds {exp['warnings_kinds']!r}"


# ---------------------------------------------------------------------------
# Markdown renders in full
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", MARKDOWN_NAMES, ids=ids)
def test_markdown_renders(name):
    exp = EXPECTED[name]
    text = (FAMILIES / name).read_text(encoding="utf-8")
    page, meta = render.render_document(text, Path(name).stem, markdown=True)
    missing = [tag for tag in exp.get("html_contains", []) if tag not in page]
    assert not missing, f"{name}: rendered page lacks {missing!r}"
    article = page.split("<article", 1)[-1] if "<article" in page else page
    assert not re.search(r"(?m)^\s*(?:#{1,6} |```|---$|\|---)", unescape(re.sub(r"<pre>.*?</pre>", "", article, flags=re.S))), (
        f"{name}: Markdown syntax left unrendered in the page")
    for section in meta["sections"]:
        for paragraph in section["paragraphs"]:
            assert not paragraph.startswith("# "), f"{name}: a level-one heading left in the body: {paragraph!r}"


# ---------------------------------------------------------------------------
# Many documents: the index
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered_folder(tmp_path_factory):
    # In this process, as the command line renders it (test_cli.py runs the process itself): mutation testing
    # sees only the functions a test runs in its own process, and a subprocess of its mutated copy takes seconds.
    out = tmp_path_factory.mktemp("families") / "out"
    result = run_main(FAMILIES, "-o", out, "--quiet", "--jobs", "1")
    return out, result


ANCHOR = re.compile(r'<a\s[^>]*href="(?P<href>[^"#?]+\.html)"[^>]*>(?P<text>.*?)</a>', re.S)


def index_entries(out: Path) -> list[tuple[str, str]]:
    """(href, the index HTML from this link to the next) for every page link of the list, in order."""
    html = (out / "index.html").read_text(encoding="utf-8")
    html = html[html.index('<ol class="index-list">'): html.index("</ol>")]  # not the site's links around it
    links = list(ANCHOR.finditer(html))
    return [(m["href"], html[m.start(): links[i + 1].start() if i + 1 < len(links) else len(html)])
            for i, m in enumerate(links)]


def stem_of(href: str) -> str:
    return Path(href).stem


def test_the_folder_renders(rendered_folder):
    out, result = rendered_folder
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    for name in NAMES:
        assert (out / f"{Path(name).stem}.html").is_file(), f"no page for {name}"


def test_index_lists_every_page_once(rendered_folder):
    out, _ = rendered_folder
    hrefs = [stem_of(href) for href, _ in index_entries(out)]
    assert sorted(hrefs) == sorted(Path(n).stem for n in NAMES), "index does not list every page exactly once"
    for href, _ in index_entries(out):
        assert (out / href).is_file(), f"index links to a missing page {href}"


def test_index_shows_title_date_and_source(rendered_folder):
    out, _ = rendered_folder
    problems = []
    for href, segment in index_entries(out):
        name = next(n for n in NAMES if Path(n).stem == stem_of(href))
        exp, text = EXPECTED[name], unescape(segment)
        if exp["title"] not in text:
            problems.append(f"{name}: title {exp['title']!r} not shown")
        if exp["source"] and exp["source"] not in text:
            problems.append(f"{name}: source {exp['source']!r} not shown")
        if exp["date"] and exp["date"] not in text:
            problems.append(f"{name}: date {exp['date']!r} not shown (as a machine-readable datetime)")
    assert not problems, "\n".join(problems)


def test_index_is_newest_first_by_the_parsed_dates(rendered_folder):
    """The index orders what the parser found: dated pages newest first, undated ones after."""
    out, _ = rendered_folder
    days = [(analysed(next(n for n in NAMES if Path(n).stem == stem_of(href)))["date"] or "")[:10]
            for href, _ in index_entries(out)]
    dated = [d for d in days if d]
    assert dated == sorted(dated, reverse=True), f"not newest first: {days!r}"
    assert days[: len(dated)] == dated, f"an undated page sits among dated ones: {days!r}"


def test_index_is_newest_first_by_the_true_dates(rendered_folder):
    out, _ = rendered_folder
    day = {Path(n).stem: (EXPECTED[n]["date"] or "")[:10] for n in NAMES}
    order = [stem_of(href) for href, _ in index_entries(out)]
    expected = sorted((stem for stem in day if day[stem]), key=day.get, reverse=True)
    assert order[: len(expected)] == expected, "index order differs from the true dates, newest first:\n" + "\n".join(
        f"  {i:2} got {got} ({day.get(got) or 'undated'}), expected {want} ({day[want]})"
        for i, (got, want) in enumerate(zip(order, expected)) if got != want)


def test_index_uses_the_page_design(rendered_folder):
    out, _ = rendered_folder
    style = re.compile(r"<style>(.*?)</style>", re.S)
    [index_css] = style.findall((out / "index.html").read_text(encoding="utf-8"))
    [page_css] = style.findall((out / f"{Path(NAMES[0]).stem}.html").read_text(encoding="utf-8"))
    site_css = (render.BUILTIN_TEMPLATES / "site.css").read_text(encoding="utf-8")
    assert index_css == page_css + site_css.rstrip("\n"), "index.html does not carry the pages' stylesheet (and the site's own rules)"
