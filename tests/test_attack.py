"""Issue 15: promises held under attack. Each test reproduces one finding of the hostile-input campaign.

Characters the page must never carry, names Windows would open as devices, URLs that reach another
host, SOURCE_DATE_EPOCH values no date can show, the renderer's fingerprint, unreadable templates.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import SEED, run_cli, unprivileged
from test_hostile import assert_safe_page, audit

import render


def page_and_meta(text: str, markdown: bool, name: str = "doc") -> tuple[str, dict]:
    page, meta = render.render_document(text, name, markdown=markdown)
    page.encode("utf-8")  # strict: a page that cannot be written as UTF-8 fails here
    return page, meta


# ---------------------------------------------------------------------------
# Characters: lone surrogates (item 12), U+0085 and noncharacters on every plane (item 15)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("markdown", [False, True])
def test_a_lone_surrogate_never_raises_and_the_page_can_be_written(markdown):
    text = "# Title\n\nHigh \ud800 and low \udfff halves.\n" if markdown else "Title\n\nHigh \ud800 and low \udfff halves.\n"
    page, meta = page_and_meta(text, markdown, name="name\udcff")
    assert re.search("High \ufffd.* and low \ufffd.* halves[.]", "".join(audit(page).text), re.S)  # each lost character marked
    assert [w["kind"] for w in meta["warnings"]].count("surrogate") == 1
    assert meta["file"] == "name\ufffd"


@pytest.mark.parametrize("markdown", [False, True])
@pytest.mark.parametrize("char", ["\x85", "\U0001fffe", "\U0001ffff", "\U0010ffff", "\U0008fffe", "\ufdef", "\uffff"])
def test_next_line_and_every_noncharacter_are_replaced_and_warned(char, markdown):
    text = f"# Title\n\nbefore{char}after\n" if markdown else f"Title\n\nbefore{char}after\n"
    page, meta = page_and_meta(text, markdown)
    assert char not in page
    assert re.search("before\ufffd.*after", "".join(audit(page).text), re.S)
    kind = "control" if char == "\x85" else "noncharacter"
    assert any(w["kind"] == kind and "U+FFFD" in w["message"] for w in meta["warnings"]), meta["warnings"]


def test_front_matter_escapes_cannot_bring_back_what_reading_took_out():
    """YAML's escapes write any code point: a marker character (U+FDD0 opens a reading) or a lone surrogate."""
    text = '---\ntitle: "A \\ufdd0guo\\ufdd1 B \\ud800 C \\x00"\ntags: ["\\uffff"]\n---\n\nbody\n'
    page, meta = page_and_meta(text, True)
    assert meta["title"] == "A \ufffdguo\ufffd B \ufffd C \ufffd"
    assert "<ruby>" not in page and "\ufdd0" not in page


# ---------------------------------------------------------------------------
# Names (item 15): the superscript digits Windows reads as 1, 2, 3
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [("COM¹.txt", "COM¹_"), ("lpt³.md", "lpt³_"), ("Com².txt", "Com²_"),
                                            ("COM0.txt", "COM0_"), ("LPT0.txt", "LPT0_"), ("COM¹0.txt", "COM¹0"),
                                            ("COM⁴.txt", "COM⁴")])
def test_superscript_device_names_are_made_safe(name, expected):
    assert render.safe_stem(Path(name)) == expected


# ---------------------------------------------------------------------------
# URLs (item 15): protocol-relative links and images name another host
# ---------------------------------------------------------------------------

PROTOCOL_RELATIVE = ["//evil.example/x", "\\\\evil.example\\x", "/\\evil.example/x", "\\/evil.example/x",
                     " //evil.example/x", "&#47;&#47;evil.example/x", "/&#x5c;evil.example"]


@pytest.mark.parametrize("url", PROTOCOL_RELATIVE)
def test_protocol_relative_urls_are_never_links_or_images(url):
    text = (f'# T\n\n<a href="{url}">LINK-TEXT</a> <img src="{url}" alt="IMAGE-ALT"> '
            '<a href="/ok/page.html">OK</a> <a href="other.html">REL</a>\n')
    page, meta = page_and_meta(text, True)
    found = assert_safe_page(page)
    hrefs = [attrs.get("href") for tag, attrs in found.tags if tag == "a"]
    srcs = [attrs.get("src") for tag, attrs in found.tags if tag == "img"]
    assert "/ok/page.html" in hrefs and "other.html" in hrefs
    for value in hrefs + srcs:
        assert value is None or not value.replace("\\", "/").lstrip().startswith("//"), value
    assert "LINK-TEXT" in "".join(found.text)
    assert any(w["kind"] == "image" and "protocol-relative" in w["message"] for w in meta["warnings"])


def test_protocol_relative_markdown_link_and_image_syntax():
    page, meta = page_and_meta("# T\n\n[LINK](//evil.example/x) ![ALT](//evil.example/i.png)\n", True)
    found = assert_safe_page(page)
    assert [a.get("href") for t, a in found.tags if t == "a"] == [None]
    assert [a.get("src") for t, a in found.tags if t == "img"] == [None]
    assert [w["image"] for w in meta["warnings"] if w["kind"] == "image"] == ["//evil.example/i.png"]


# ---------------------------------------------------------------------------
# SOURCE_DATE_EPOCH (item 13): one line, before any page
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("epoch, reason", [("99999999999999999", "after the year 9999"), ("²", "ASCII digits only"),
                                           ("1e9", "ASCII digits only"), ("9" * 5000, "after the year 9999"),
                                           ("-1", "ASCII digits only")])
def test_an_unusable_source_date_epoch_is_one_line_before_any_page(tmp_path, epoch, reason):
    result = run_cli(SEED, "-o", tmp_path / "out", env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"render.py: error: SOURCE_DATE_EPOCH={epoch[:40]}: ") and reason in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_last_second_of_year_9999_is_a_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert render.build_date() == "9999-12-31T23:59:59Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300800")
    assert render.build_date() is None  # in process: no date rather than an exception


# ---------------------------------------------------------------------------
# The fingerprint (item 13) and the template folder (item 9)
# ---------------------------------------------------------------------------


def test_library_versions_are_those_installed():
    import jinja2
    import markdown
    import nh3

    versions = dict(pair.split("==") for pair in render.library_versions().split())
    assert set(versions) == set(render.PAGE_LIBRARIES)
    assert versions["nh3"] == nh3.__version__
    assert versions["markdown"] == markdown.__version__
    assert versions["jinja2"] == jinja2.__version__


def test_upgrading_a_library_changes_the_fingerprint(monkeypatch):
    before = render.renderer_fingerprint(None, render.Options())
    monkeypatch.setattr(render, "library_versions", lambda: "nh3==99.0")
    assert render.renderer_fingerprint(None, render.Options()) != before


def test_a_template_in_a_subfolder_is_in_the_fingerprint(tmp_path):
    folder = tmp_path / "theme"
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "footer.html").write_text("one", encoding="utf-8")
    before = render.renderer_fingerprint(folder, render.Options())
    (folder / "partials" / "footer.html").write_text("two", encoding="utf-8")
    assert render.renderer_fingerprint(folder, render.Options()) != before


def test_an_unreadable_file_in_the_template_folder_is_one_line(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "theme"
    (folder / "notes").mkdir(parents=True)
    secret = folder / "notes" / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    read_bytes = Path.read_bytes

    def refuse(path):
        if path == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root reads any file: the refusal is simulated
    status = render.main([str(SEED), "-o", str(tmp_path / "out"), "--templates", str(folder), "-q"])
    assert status == 2
    assert capsys.readouterr().err == f"render.py: error: template folder {folder}: {secret} cannot be read (Permission denied)\n"


def test_an_unreadable_file_in_the_template_folder_through_the_command_line(open_tmp):
    folder = open_tmp / "theme"
    folder.mkdir()
    folder.chmod(0o755)
    secret = folder / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    secret.chmod(0)
    result = run_cli(SEED, "-o", open_tmp / "out", "--templates", folder, user=unprivileged())
    assert result.returncode == 2
    assert re.fullmatch(r"render\.py: error: template folder .*secret\.txt cannot be read \(Permission denied\)\n", result.stderr)


def test_an_undefined_variable_in_a_custom_index_template_is_one_line_up_front(tmp_path):
    """Item 10, handled by issue 14's up-front check: no page, no traceback, exit 2."""
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "index.html").write_text("<p>{{ undefined_var.x }}</p>", encoding="utf-8")
    result = run_cli(SEED, "-o", tmp_path / "out", "--templates", folder)
    assert result.returncode == 2
    assert result.stderr.startswith(f"render.py: error: template {folder / 'index.html'}, line 1: 'undefined_var' is "
                                    "undefined (index templates get: ")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_closed_pipe_ends_quietly(tmp_path):
    """Item 8: `render.py --json seeds/ | head -1` (the reader stops early): no BrokenPipeError traceback."""
    import subprocess
    import sys

    from conftest import ROOT

    for number in range(30):  # ~600 KB of JSON: more than a pipe holds, so a write meets the closed end
        (tmp_path / f"copy{number}.txt").write_bytes(SEED.read_bytes())
    reader = subprocess.Popen([sys.executable, str(ROOT / "render.py"), "--json", str(tmp_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.read(1)
    reader.stdout.close()  # as head does once it has its line
    stderr = reader.stderr.read().decode()
    reader.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


# ---------------------------------------------------------------------------
# Decoding (item 16): short damaged UTF-8, and the script of a short text
# ---------------------------------------------------------------------------


def read(data: bytes) -> tuple[dict, str]:
    text, encoding = render.decode_document(data)
    page, meta = page_and_meta(text, False)
    return {**meta, "encoding": encoding}, page


@pytest.mark.parametrize("data, shown", [
    ("標題\n\n正文有一個壞".encode() + b"\xff" + "字節。\n".encode(), "正文有一個壞\ufffd字節。"),
    ("標題\n\n這是一段正文".encode()[:-2], "這是一段正\ufffd"),  # cut in the middle of its last character
    (b"Title\n\nThe caf\xc3 is open \xe2\x80\x94 all day \xe2\x80\x94 now.\n", "The caf\ufffd is open — all day — now."),
])
def test_a_short_utf8_file_with_one_bad_byte_is_read_with_the_byte_replaced_and_marked(data, shown):
    meta, page = read(data)
    assert meta["encoding"] == "utf-8"
    assert shown in [p for s in meta["sections"] for p in s["paragraphs"]]
    [damage] = [w for w in meta["warnings"] if w["kind"] == "damage"]
    assert damage["cause"] == "lost" and damage["text"] == "\ufffd"
    assert page.count('<mark class="damaged"') == 1


@pytest.mark.parametrize("data, encoding", [(b"Hello w\xf6rld, fa\xe7ade\n", "cp1252"),
                                            ("國家發展委員會會議".encode("big5"), "big5"),
                                            ("国家发展委员会会议".encode("gb18030"), "gb18030")])
def test_other_encodings_are_not_taken_for_damaged_utf8(data, encoding):
    assert render.decode_document(data)[1] == encoding


@pytest.mark.parametrize("text, encoding, lang", [
    ("臺灣的歷史", "big5", "zh-Hant"),  # 臺 灣 歷 are in Big5 only
    ("測試文件", "utf-8", "zh-Hant"),
    ("测试文件", "utf-8", "zh-Hans"),
    ("中文大小人", "big5", "zh-Hant"),  # in both scripts: the encoding tells
    ("中文大小人", "gb18030", "zh-Hans"),
    ("中文大小人", "utf-8", "zh-Hans"),
])
def test_a_short_chinese_text_is_tagged_by_what_its_characters_can_say(text, encoding, lang):
    data = text.encode(encoding)
    decoded, used = render.decode_document(data) if encoding != "utf-8" else (text, "utf-8")
    assert (decoded, used) == (text, encoding)
    assert render.read_article(decoded, "short", encoding=used).lang == lang


# ---------------------------------------------------------------------------
# Markdown (item 1): raw-text and foreign elements never swallow the rest of the page
# ---------------------------------------------------------------------------

RAW_TEXT_OPENERS = ["<style>", "<script>", "<template>", "<textarea>", "<xmp>", "<title>", "<noembed>", "<iframe>",
                    "<noframes>", "<noscript>", "<plaintext>", "<select>", "<SCRIPT type=x>", "<noscript><style>"]
FOREIGN_OPENERS = ["<svg><style>", "<math><style>", "<select><style>", "<svg><title>", "<svg><script>",
                   "<math><mtext><table><mglyph><style><!--", "<math><mi>", "<svg><text>", "<svg><g>"]


def body_text(page: str) -> str:
    return "".join(audit(page[page.index("<main"):page.index("</main>")]).text)


def assert_rest_of_page_kept(page: str) -> None:
    found = assert_safe_page(page)
    assert '<h2 id="later">Later</h2>' in page, "the heading after it still starts a section"
    assert "AFTER-TEXT" in "".join(found.text) and "MORE-TEXT" in "".join(found.text)
    assert "</p>" not in body_text(page) and "\ufdd2" not in page, "no markup shown as text"


@pytest.mark.parametrize("opener", RAW_TEXT_OPENERS)
@pytest.mark.parametrize("where", ["prose", "block"])
def test_an_unclosed_raw_text_element_is_shown_as_typed_and_named(opener, where):
    body = f"Use the {opener} element for CSS." if where == "prose" else opener
    page, meta = page_and_meta(f"# T\n\n{body}\n\nAFTER-TEXT\n\n## Later\n\nMORE-TEXT\n", True)
    assert_rest_of_page_kept(page)
    assert body in body_text(page)  # the tag as typed
    [warning] = [w for w in meta["warnings"] if w["kind"] == "html"]
    for name in re.findall(r"<(\w+)", opener):
        assert f"<{name.lower()}>" in warning["message"]


@pytest.mark.parametrize("opener", FOREIGN_OPENERS)
def test_svg_and_math_with_swallowing_elements_inside_keep_the_rest(opener):
    page, _ = page_and_meta(f"# T\n\nBEFORE {opener} inside\n\nAFTER-TEXT\n\n## Later\n\nMORE-TEXT\n", True)
    assert_rest_of_page_kept(page)
    assert "inside" in body_text(page)


def test_closed_raw_text_elements_show_their_content_as_text():
    page, meta = page_and_meta("# T\n\n<script>alert(1)</script>\n\n<style>p { color: red }</style> and text\n", True)
    assert_safe_page(page)
    shown = body_text(page)
    assert "<script>alert(1)</script>" in shown and "<style>p { color: red }</style> and text" in shown
    assert page.lower().count("<script") == 1  # the JSON-LD block only


@pytest.mark.parametrize("code", ["`<style>`", "```\n<style>\n```", "    <style>", "``a <style> b``"])
def test_raw_text_tags_in_code_stay_code(code):
    page, meta = page_and_meta(f"# T\n\n{code}\n\nAFTER-TEXT\n", True)
    assert "&lt;style&gt;" in page and "&amp;lt;" not in page
    assert not [w for w in meta["warnings"] if w["kind"] == "html"]


@pytest.mark.parametrize("markup, kept", [
    ('<div>\n<a title="never closed\n</div>', '<a title="never closed'),
    ("<div>\n<a b='never closed\n</div>", "<a b='never closed"),
    ("<div>\n<?php echo 1 ?> PHP-TEXT\n</div>", "<?php echo 1 ?> PHP-TEXT"),
    ("<div>\n<!DOCTYPE html> DOCTYPE-TEXT\n</div>", "<!DOCTYPE html> DOCTYPE-TEXT"),
    ("<div>\n<![CDATA[ CDATA-TEXT ]]>\n</div>", "<![CDATA[ CDATA-TEXT ]]>"),
    ("<div>\n</ x> BOGUS-TEXT\n</div>", "</ x> BOGUS-TEXT"),
    ("<div>\n<!-- never closed\n</div>", "<!-- never closed"),
    ("<p>a <mi>MI-TEXT</p>", "MI-TEXT"),
    ("<scr<script>ipt>alert(23)</scr</script>ipt>", "<scr<script>ipt>alert(23)</scr</script>ipt>"),
])
def test_what_the_html_parser_would_drop_is_shown_as_text(markup, kept):
    page, _ = page_and_meta(f"# T\n\n{markup}\n\nAFTER-TEXT\n\n## Later\n\nMORE-TEXT\n", True)
    found = assert_safe_page(page)
    assert kept in "".join(found.text)
    assert "AFTER-TEXT" in "".join(found.text) and "MORE-TEXT" in "".join(found.text)


def test_a_reading_inside_an_attribute_stays_out_of_the_tag():
    text = '# T\n\n國(guó)家(jiā) <a title="國(guó)家(jiā)" href="國(guó).html">中(zhōng)國(guó)</a> <img src="a.png" alt="書(shū)">\n'
    page, _ = page_and_meta(text, True)
    found = assert_safe_page(page)
    [link] = [attrs for tag, attrs in found.tags if tag == "a" and attrs.get("href")]
    assert link["title"] == "國(guó)家(jiā)" and link["href"] == "國(guó).html"
    assert [attrs["alt"] for tag, attrs in found.tags if tag == "img"] == ["書(shū)"]
    for tag in re.findall(r"<(?:a|img) [^>]*>", page):
        assert "ruby" not in tag and "\ufdd0" not in tag and "\ufdd1" not in tag
    assert page.count("<ruby>") == 4  # the readings in the text: 國 家, and 中 國 in the link's text


def test_damage_marks_inside_a_tag_stay_out_of_it():
    """A tag over two lines is not protected from restoration: a damaged run found inside is unmarked there."""
    text = '# Title\n\nSome text <a href="x.html" title="lost \ufffd here\nand there">link</a>, and lost \ufffd here.\n'
    page, meta = page_and_meta(text, True)
    found = assert_safe_page(page)
    [link] = [attrs for tag, attrs in found.tags if tag == "a"]
    assert link["title"] == "lost \ufffd here\nand there"
    assert all("mark" not in tag for tag in re.findall(r"<a [^>]*>", page))
    assert page.count('<mark class="damaged"') == 1  # the run in the text is still marked


# ---------------------------------------------------------------------------
# Decoding (item 4): a file that mixes Chinese encodings
# ---------------------------------------------------------------------------

SIMPLIFIED = "国家发展和改革委员会今天发布了新的政策，进一步加强对经济的支持。我们认为这个决定对于全国人民都有重要的意义。"
TRADITIONAL = "信息主導，資源整合。湖北連續十七年獲評全國平安建設優秀省份，群眾安全感不斷提升，引來在場群眾點贊。"


@pytest.mark.parametrize("main, other, first, second", [
    ("gbk", "big5", SIMPLIFIED, TRADITIONAL),
    ("big5", "gbk", TRADITIONAL, SIMPLIFIED),
    ("utf-8", "gbk", SIMPLIFIED, SIMPLIFIED),
    ("utf-8", "big5", SIMPLIFIED, TRADITIONAL),
])
def test_a_paragraph_in_another_chinese_encoding_is_read_in_it_with_a_warning(main, other, first, second):
    data = (f"標題\n\n{first}\n\n".encode(main) if main != "gbk" else f"标题\n\n{first}\n\n".encode(main)) \
        + second.encode(other) + f"\n\n{first}\n".encode(main)
    text, encoding = render.decode_document(data)
    assert text.split("\n\n")[1:] == [first, second, first + "\n"]
    label = {"gbk": "gb18030"}.get(main, main) + "+" + {"gbk": "gb18030"}.get(other, other)
    assert encoding == label
    meta = render.analyse_document(text, "mixed", encoding=encoding)
    assert meta["encoding"] == label
    [warning] = [w for w in meta["warnings"] if w["kind"] == "encoding"]
    assert warning["message"].startswith(f"the file mixes encodings: read as {label.split('+')[0]}, with lines in {label.split('+')[1]}")


@pytest.mark.parametrize("text, codec", [(SIMPLIFIED * 3, "gbk"), (TRADITIONAL * 3, "big5"),
                                         ("標題\n\n" + TRADITIONAL + "\n\n鬱鬱蔥蔥，齜牙咧嘴，囁嚅\n", "big5")])
def test_a_file_in_one_chinese_encoding_is_not_mixed(text, codec):
    decoded, encoding = render.decode_document(text.encode(codec))
    assert (decoded, encoding) == (text, {"gbk": "gb18030"}.get(codec, codec))


# ---------------------------------------------------------------------------
# Time (items 5, 6, 7): what would cost Python-Markdown more than linear time is defused, its text kept.
# These assert the defusing itself; bench/run.py --worst measures the time.
# ---------------------------------------------------------------------------


def section_headings(page: str) -> list[str]:
    return re.findall(r"<h[2-6] id=", page)


@pytest.mark.parametrize("unit", ["a\n=\n", "a\n-\n", "---\n", "- a\n---\n", "> a\n> =\n", "#a\n", "[a]: b\n"])
def test_lines_that_split_a_block_again_and_again_are_shown_as_typed(unit):
    """Python-Markdown splits a block at each such line and tests all the rest again: quadratic in the lines."""
    page, _ = page_and_meta("# T\n\nBEFORE-TEXT\n\n" + unit * 2000 + "\nAFTER-TEXT\n", True)
    found = assert_safe_page(page)
    shown = "".join(found.text)
    assert "BEFORE-TEXT" in shown and "AFTER-TEXT" in shown
    assert len(section_headings(page)) <= 1 and page.count("<hr") <= 1  # the first pair, after a blank line, may be one
    assert shown.count(unit.strip().split()[-1]) >= 1999  # every underline, rule or definition as typed


def test_a_block_with_a_few_such_lines_is_left_to_markdown():
    source = "Intro paragraph with *some* markup.\n\n" + "Heading\n---\ntext of a few words\n" * 30 + "\n\n" + "filler " * 2000
    assert render.defuse_markdown(source) == source


@pytest.mark.parametrize("step, depth", [(4, 300), (2, 400), (1, 1000)])
def test_a_deeply_nested_list_renders_every_item(step, depth):
    """Python-Markdown recurses once per level: RecursionError at 300 levels of four spaces."""
    text = "# T\n\n" + "".join(" " * (step * level) + f"- item{level}\n" for level in range(depth)) + "\nAFTER-TEXT\n"
    page, _ = page_and_meta(text, True)
    shown = "".join(assert_safe_page(page).text)
    assert all(f"item{level}" in shown for level in range(depth)) and "AFTER-TEXT" in shown
    assert page.count("<ul>") <= render.MARKDOWN_LIST_INDENT // 2 + 1


def test_a_deep_list_in_fenced_code_keeps_its_indentation():
    code = "".join(" " * (4 * level) + "- x\n" for level in range(30))
    page, _ = page_and_meta(f"# T\n\n```\n{code}```\n", True)
    assert " " * 116 + "- x" in page


def test_tables_past_the_budget_are_shown_as_text():
    small = "| a | b |\n|---|---|\n| SMALL-CELL | 2 |\n"
    huge = "| h | i |\n|---|---|\n" + "".join(f"| x{row} | y{row} |\n" for row in range(3000))
    page, _ = page_and_meta(f"# T\n\n{small}\n{huge}\nAFTER-TEXT\n", True)
    shown = "".join(assert_safe_page(page).text)
    assert page.count("<table>") == 1 and "SMALL-CELL" in shown  # the first table, under the budget
    assert "<pre>| h | i |\n|---|---|\n| x0 | y0 |" in page and "| x2999 | y2999 |" in shown


def test_front_matter_nested_thousands_deep_is_not_read_but_kept():
    text = "---\ntitle: " + "[" * 5000 + "\nauthor: A\n---\n\n# Heading\n\nbody\n"
    article = render.parse_document(text, "deep", markdown=True)
    [warning] = [w for w in article.warnings if w["kind"] == "front-matter"]
    assert warning["message"] == "front matter is not read: [ and { nested 5000 deep (at most 32)"
    assert any("[" * 5000 in line for line in article.meta_lines)
    assert article.title == "Heading"


def test_one_character_paragraphs_do_not_each_become_a_section():
    """A heading heads text: thousands of one-character lines in a row are a list, not thousands of sections."""
    page, meta = page_and_meta("標題\n\n" + "中\n\n" * 2000 + "最後一段正文。\n", False)
    assert len(meta["sections"]) == 1 and len(meta["sections"][0]["paragraphs"]) == 2001
    assert not section_headings(page) and "<nav" not in page


def test_blocks_are_taken_from_the_front_in_constant_time():
    """Python-Markdown's processors pop(0) and insert(0, rest): a deque does both without moving the other blocks."""
    queue = render.BlockQueue(["a", "b", "c"])
    assert queue.pop(0) == "a" and queue[0] == "b"
    queue.insert(0, "rest")
    assert list(queue) == ["rest", "b", "c"] and queue.pop() == "c"


@pytest.mark.parametrize("markdown, link", [("[x]( some words 'and a quote) on", None), ("[x](my page.html)", None),
                                             ("[x](<my page.html>)", "my page.html"), ('[x](page.html "A title")', "page.html")])
def test_a_link_destination_with_white_space_outside_angle_brackets_is_no_link(markdown, link):
    """Python-Markdown would read the words as the URL and the page would hide them (CommonMark makes it no link)."""
    page, _ = page_and_meta(f"# T\n\n{markdown} TAIL-TEXT\n", True)
    found = assert_safe_page(page)
    assert [attrs.get("href") for tag, attrs in found.tags if tag == "a"] == ([link] if link else [])
    shown = "".join(found.text)
    assert "TAIL-TEXT" in shown and (link is not None or markdown in shown)


def test_a_long_text_node_reaches_the_sanitizer_in_pieces():
    """nh3's parser takes time growing with the square of one text node's character references: cut, then joined again."""
    markup = "<p>" + "a &amp; b " * 20_000 + "</p>"
    assert render.parseable(markup).count("<wbr>") >= 10
    assert render.sanitize(markup) == markup
