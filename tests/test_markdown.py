"""Issue 14: Markdown keeps its headings (one h1, the headline; the rest shifted below it) and its images."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import FIXTURES, ROOT, run_cli

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
    assert document["sections"] == [{"heading": None, "level": None, "paragraphs": ["A survey."], "captions": []}]


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


# ---------------------------------------------------------------------------
# Images: relative ones copied beside the page, the others warned about
# ---------------------------------------------------------------------------

IMAGES = MARKDOWN / "images"
CHART = IMAGES / "img" / "chart.png"
REMOTE = "https://images.example.org/harbour.jpg"


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


def test_relative_image_in_a_subfolder_is_copied_keeping_its_path(tmp_path):
    result = run_cli(IMAGES / "report.md", "-o", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "img" / "chart.png").read_bytes() == CHART.read_bytes()
    page = (tmp_path / "site" / "report.html").read_text(encoding="utf-8")
    assert '<img alt="Ship calls by week" src="img/chart.png" title="Ship calls">' in page
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        f"site/{render.MANIFEST_NAME}", "site/img/chart.png", "site/index.html", "site/report.html"]


def test_missing_and_remote_images_are_warned_about_once_each(tmp_path):
    result = run_cli(IMAGES / "report.md", "-o", tmp_path / "site")
    assert warning_lines(result.stderr) == [
        f"render.py: warning: {IMAGES / 'report.md'}: image {REMOTE} is remote: the page's Content-Security-Policy "
        "blocks it (--remote-images allows https: images)",
        f"render.py: warning: {IMAGES / 'report.md'}: image img/crane.jpg is not found beside the document: "
        "the page shows it broken",
    ]
    page = (tmp_path / "site" / "report.html").read_text(encoding="utf-8")
    assert "img-src 'self';" in page
    assert "img/crane.jpg is not found beside the document" in page, "the page's parser notes list it too"


def test_json_reports_the_image_warnings_and_copies_nothing(tmp_path):
    result = run_cli("--json", IMAGES / "report.md", cwd=tmp_path)
    [document] = json.loads(result.stdout)
    images = [w for w in document["warnings"] if w["kind"] == "image"]
    assert [w["image"] for w in images] == [REMOTE, "img/crane.jpg"]
    assert len(warning_lines(result.stderr)) == 2 and list(tmp_path.iterdir()) == []


def test_remote_images_option_allows_https_in_the_policy(tmp_path):
    result = run_cli(IMAGES / "report.md", "-o", tmp_path / "report.html", "--remote-images")
    assert result.returncode == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "img-src 'self' https:;" in page
    assert [line.split(": image ")[1].split()[0] for line in warning_lines(result.stderr)] == ["img/crane.jpg"]
    assert (tmp_path / "img" / "chart.png").is_file(), "-o FILE.html copies images beside that file"


def test_plain_http_images_stay_blocked_with_remote_images():
    text = "# T\n\n![a](http://example.org/a.png)\n"
    document = render.analyse_document(text, "t", markdown=True, options=render.Options(remote_images=True))
    assert [w["message"] for w in document["warnings"]] == [
        "image http://example.org/a.png is remote over http: the page blocks it even with --remote-images "
        "(only https: images load)"]


def test_escaping_and_absolute_images_are_refused(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the site")
    doc = tmp_path / "docs" / "note.md"
    doc.parent.mkdir()
    doc.write_text(f"# Note\n\n![a](../secret.png) ![b](img/../../secret.png) <img src=\"{secret}\">\n", encoding="utf-8")
    out = tmp_path / "docs" / "site"
    result = run_cli(doc, "-o", out)
    assert result.returncode == 0
    assert [line.split(": image ")[1] for line in warning_lines(result.stderr)] == [
        "../secret.png lies outside the document's folder: not copied beside the page",
        "img/../../secret.png lies outside the document's folder: not copied beside the page",
        f"{secret} is an absolute path: not copied beside the page (give a path relative to the document)"]
    assert sorted(p.name for p in out.iterdir()) == [render.MANIFEST_NAME, "index.html", "note.html"]


def test_a_link_out_of_the_documents_folder_is_not_followed(tmp_path):
    (tmp_path / "private.png").write_bytes(b"private")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pic.png").symlink_to(tmp_path / "private.png")
    (tmp_path / "docs" / "note.md").write_text("# Note\n\n![p](pic.png)\n", encoding="utf-8")
    result = run_cli(tmp_path / "docs" / "note.md", "-o", tmp_path / "site")
    assert "image pic.png lies outside the document's folder" in result.stderr
    assert not (tmp_path / "site" / "pic.png").exists()


def test_images_in_code_are_no_images():
    text = "# T\n\n`![a](x.png)`\n\n```\n![b](y.png)\n```\n\n    ![c](z.png)\n"
    assert render.parse_document(text, "t", markdown=True).images == ()


def test_reference_and_html_images_are_found():
    text = '# T\n\n![chart][c] <IMG alt=x src="a&amp;b.png"> ![Logo]\n\n[c]: img/c.png\n[logo]: <img/logo.png>\n'
    assert render.parse_document(text, "t", markdown=True).images == ("img/c.png", "a&b.png", "img/logo.png")


def test_stdin_images_are_looked_for_in_the_current_folder(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "chart.png").write_bytes(CHART.read_bytes())
    source = b"# T\n\n![c](img/chart.png) ![m](img/missing.png)\n"
    result = subprocess.run([sys.executable, str(ROOT / "render.py"), "--from", "markdown", "-", "-o", "out/t.html"],
                            input=source, cwd=tmp_path, capture_output=True, timeout=300)
    assert result.returncode == 0
    assert (tmp_path / "out" / "img" / "chart.png").is_file()
    assert [line for line in result.stderr.decode().splitlines() if "warning" in line] == [
        "render.py: warning: stdin: image img/missing.png is not found beside the document: the page shows it broken"]


def test_text_documents_have_no_images(tmp_path):
    text = "Title\n\nA dump that quotes ![x](missing.png) as text.\n"
    assert render.parse_document(text, "t").images == ()
