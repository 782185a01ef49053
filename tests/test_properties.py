"""Property-based tests (hypothesis): parsing and rendering never raise, nothing is lost, pages stay safe.

The no-loss property, stated exactly. Take any text and normalise it as parse_document does
(line endings to LF; Unicode noncharacters and C0 controls to U+FFFD, which a warning reports).
Count its visible characters: everything but white space (str.isspace) and the indentation
characters the parser strips at line edges (render.INDENT_CHARS, e.g. U+FEFF). Then every
such character is found in the Article (as the issue states it: every character appears; the
count is not compared, since a metadata line repeated word for word is recorded once):

- the title, the section headings and paragraphs (the article),
- the source and author fields and the raw metadata lines (Article.meta_lines: a metadata
  line whose date or view count was parsed into a field is kept there as it stood),
- the boilerplate list (site chrome),

where a pinyin reading 國(guó) kept as a ruby marker counts as the reading in parentheses.
For Markdown documents heading markup is syntax and is not counted: the '#' characters, and
a setext underline (a line of only '=' or '-' right below a line of text). The front matter
block is kept in meta_lines.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import render

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines of the kinds the parser treats specially, to mix with arbitrary text.
SPECIAL_LINES = [
    "標題：測試新聞", "Title: A headline", "來源：新华社", "发布时间：2022-02-16 10:20", "發布時間:2022-02-16 08:57:00 人氣:244",
    "作者：張三 报道", "By Jane Doe", "Posted on March 3, 2024", "浏览：123", "阅读量：", "2022年2月16日", "2月30日",
    "全國(guó)平安(ān)建設(shè)", "國(guo)家(jia)好(hao)", "首页 > 新闻 > 正文", "当前位置：首页", "版权所有 © 2020 某某網",
    "上一篇：舊聞", "相关文章", "扫一扫 关注我们", "Headline - 某某網", "某某網", "（来源：新华社）", "正文結尾。（来源：人民网）",
    "信息主導 資源整合 湖北連續17年獲評", "", "   這是一段正文，句子完整。", "\u3000\u3000全形縮排的段落。", "一、小標題",
    "## Heading #", "# Title", "---", "title: x", "...", "~~~", "```", "<script>alert(1)</script>", "a | b | c | d",
    "1. item", "- item", "> quote", "[link](javascript:alert(1))", "&amp; &lt;", "\\", "*bold* _it_",
    "\ufdd0x\ufdd1", "\x00\x01\x1b", "\ufeff", "\u200b", "\r", "\t", "Ⅻ ⅷ ¼ ﬁ ｱ",
]
ALPHABET = list("國說這來源:：發布時間2022-02-16 作者題()（）guóāǎ#*-_|<>&;[]!`~.,。，Title Site 首页©\t\u3000\ufeff\n\r")
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=300),
    st.lists(st.one_of(st.sampled_from(SPECIAL_LINES), st.text(alphabet=st.sampled_from(ALPHABET), max_size=40)),
             max_size=30).map("\n".join),
)


def visible(text: str, syntax: str = "") -> set[str]:
    return {ch for ch in text if not ch.isspace() and ch not in render.INDENT_CHARS and ch not in syntax}


def kept_text(article: render.Article) -> str:
    parts = [article.title, article.source or "", article.author or "", *article.meta_lines, *article.boilerplate]
    for section in article.sections:
        parts.append(section.heading or "")
        parts.extend(section.paragraphs)
    return "\n".join(parts).replace(render.RUBY_OPEN, "(").replace(render.RUBY_CLOSE, ")")


SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def without_setext_underlines(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(line for i, line in enumerate(lines)
                     if not (i and lines[i - 1].strip() and SETEXT_UNDERLINE.match(line)))


def lost(text: str, markdown: bool) -> set[str]:
    try:
        normalised, _ = render.normalise_text(text)
    except render.DocumentError:  # mostly control characters: refused as "not a text document"
        return set()
    if markdown:
        normalised = without_setext_underlines(normalised)
    article = render.parse_document(text, "doc", markdown)
    return visible(normalised, "#" if markdown else "") - visible(kept_text(article))


@SETTINGS
@given(texts, st.booleans())
def test_parsing_never_raises_but_for_binary_like_text(text, markdown):
    try:
        article = render.parse_document(text, "doc", markdown)
    except render.DocumentError as error:
        assert str(error) == "not a text document"
        return
    assert isinstance(article.title, str) and article.title
    article.to_json()


@SETTINGS
@given(texts)
def test_nothing_is_lost_from_plain_text(text):
    assert not lost(text, markdown=False)


@SETTINGS
@given(texts)
def test_nothing_is_lost_from_markdown(text):
    assert not lost(text, markdown=True)


class Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.rt = [], []
        self._in_rt = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_rt = tag == "rt"

    def handle_endtag(self, tag):
        self._in_rt = False if tag == "rt" else self._in_rt

    def handle_data(self, data):
        if self._in_rt:
            self.rt.append(data)


def check_page(page: str) -> Audit:
    audit = Audit()
    audit.feed(page)
    audit.close()
    assert [a for t, a in audit.tags if t == "script"] == [{"type": "application/ld+json"}]
    assert page.lower().count("<script") == 1
    for tag, attrs in audit.tags:
        assert tag not in {"iframe", "object", "embed", "form", "base", "svg", "math", "frame", "link"}, tag
        assert tag != "meta" or attrs.get("http-equiv", "").lower() != "refresh"
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                squeezed = re.sub(r"[\x00-\x20]+", "", value or "").lower()
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), value
    return audit


@SETTINGS
@given(texts, st.booleans())
def test_rendering_never_raises_and_pages_stay_safe(text, markdown):
    try:
        page, meta = render.render_document(text, "doc", markdown)
    except render.DocumentError as error:
        assert str(error) == "not a text document"
        return
    audit = check_page(page)
    assert meta["title"]
    # Every pinyin reading the article holds is shown in an <rt>.
    article = render.parse_document(text, "doc", markdown)
    readings = [m["reading"] for s in article.sections for p in (s.heading or "", *s.paragraphs)
                for m in render.MARKED_RUBY.finditer(p)]
    readings += [m["reading"] for m in render.MARKED_RUBY.finditer(article.title)]
    shown = Counter(audit.rt)
    for reading in readings:
        if reading:
            assert shown[reading] > 0, reading


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>', "<svg onload=alert(1)>", "<iframe src=x></iframe>",
    '<meta http-equiv="refresh" content="0;url=x">', "<base href=x>", "<form action=x><input></form>",
    "<math><mi>x</mi></math>", "<object data=x></object>", "<embed src=x>", "[x](javascript:alert(1))",
    "![x](data:text/html,x)", "<div onclick=alert(1)>x</div>", '"><script>alert(1)</script>', "</script>",
    "<style>*{}</style>", "<!-- x -->", "TEXT", "\n\n", "# ", "## ", "---\ntitle: '</script><script>x</script>'\n---\n",
]), max_size=20).map("".join), st.booleans())
def test_xss_vector_soup_is_always_safe(text, markdown):
    page, _ = render.render_document(text, "doc", markdown)
    check_page(page)
    if "TEXT" in text:
        assert "TEXT" in page


def test_seed_readings_are_in_rt(seed_text):
    page, _ = render.render_document(seed_text, "seed")
    audit = check_page(page)
    assert {"guó", "shí", "lái"} <= set(audit.rt)


MARKDOWN_PIECES = ["a", "中文", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")",
                   "!", "<", ">", "&", "&amp;", "<b>", "</b>", "<http://x.y>", "<a@b.c>", "# ", "## ", "- ", "1. ", "> ",
                   "    ", "| a | b |\n|---|---|\n| c | d |", "```", "~~~", "[x](y)", "![x](y)", "[x]: http://z", "\x02", "\x03"]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=5)), max_size=40).map("".join),
       st.booleans())
def test_plain_text_skips_the_inline_pass_with_the_same_output(source, fences):
    """The skip_plain_text fast path changes nothing: same HTML as a stock Python-Markdown instance."""
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    fast = render.markdown_renderer(fences)
    assert any(type(p).__name__ == "SkipPlainText" for p in fast.treeprocessors)
    extensions = [TableExtension(), SaneListExtension()] + ([FencedCodeExtension()] if fences else [])
    stock = markdown.Markdown(extensions=extensions, output_format="html")
    assert fast.convert(source) == stock.convert(source)


@SETTINGS
@given(texts)
def test_split_lines_cleans_each_line_as_clean_does(text):
    """split_lines() marks and cleans the whole text at once: each line is what the per-line helpers give."""
    if len(text) % 2:  # with and without marker characters
        try:
            text = render.normalise_text(text)[0]
        except render.DocumentError:  # binary-looking text never reaches split_lines
            return
    toneless_ok = render.toneless_readings_ok(text)
    expected = [render.mark_pinyin(raw, toneless_ok).strip(render.INDENT_CHARS) for raw in text.split("\n")]
    lines = render.split_lines(text)
    assert all(line.clean == render.clean(line.text) for line in lines)
    assert {line.number for line in lines} == set(range(1, len(expected) + 1))
    def solid(line: str) -> str:  # glued chrome split off loses only the white space at the cut
        return "".join(ch for ch in line if not ch.isspace())

    for number, marked in enumerate(expected, start=1):
        assert solid("".join(line.text for line in lines if line.number == number)) == solid(marked)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("。！？!?….．:：;；”’\"'」』）)]】》a中 \n")), max_size=8))
def test_ends_sentence_is_sentence_end_at_the_line_end(text):
    assert render.ends_sentence(text) == bool(render.SENTENCE_END.search(text))


PARAGRAPH_PIECES = MARKDOWN_PIECES + ["---", "***", "___", "- - -", "+ x", "1) ", "12. ", "#", "=", "===", "\t", "\u3000",
                                      "| a |", "|---|", ":", "[x]: http://z", ">", "&#126;", "~", "\ufdd2", "    code"]


# A text document's body as (is a heading, text) blocks, before escaping; some texts open with an indent.
TEXT_DOCUMENT_BLOCKS = st.lists(st.tuples(
    st.booleans(),
    st.tuples(st.sampled_from(["", "", " ", "    ", "\t"]),
              st.lists(st.one_of(st.sampled_from(PARAGRAPH_PIECES), st.text(max_size=4)), max_size=12).map("".join)).map("".join)),
    max_size=12)


def text_blocks_convert_alike(blocks: list[tuple[bool, str]]) -> None:
    """text_block_renderer gives the full instance's HTML, when every escaped block is one line."""
    escaped = [("## " if heading else "") + render.escape_markdown(text) for heading, text in blocks]
    if all(map(render.one_line_block, escaped)):
        source = "\n\n".join(escaped)
        assert render.text_block_renderer().convert(source) == render.markdown_renderer(False).convert(source)


@SETTINGS
@given(TEXT_DOCUMENT_BLOCKS)
def test_text_documents_convert_alike_without_the_unused_block_processors(blocks):
    text_blocks_convert_alike(blocks)


@SETTINGS
@given(TEXT_DOCUMENT_BLOCKS)
def test_text_documents_without_html_convert_alike(blocks):
    """The same on sources without "<" or "&", where text_block_renderer also skips the HTML-block scan."""
    text_blocks_convert_alike([(heading, re.sub("[<>&]", "", text)) for heading, text in blocks])


@functools.cache
def quick_processor_renderer():
    """An instance like markdown_renderer(False), with skip_idle_processors."""
    renderer = render.new_markdown(False)
    render.skip_idle_processors(renderer)
    return renderer


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES + ["\t", "\r", "\n   \n", "<br>", "<pre>x</pre>"]), st.text(max_size=4)),
                max_size=30).map("".join))
def test_skipping_idle_processors_keeps_any_markdown_alike(source):
    """skip_idle_processors only skips what would change nothing: same HTML on any Markdown."""
    assert quick_processor_renderer().reset().convert(source) == render.markdown_renderer(False).convert(source)


def _opening_nodes(items):
    """The one-character nodes a parsed regex sequence can open with, and whether it can match empty."""
    from re import _constants as sre

    nodes = []
    for op, av in items:
        if op in (sre.AT, sre.ASSERT_NOT):
            continue  # takes no character
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            return nodes + [(op, av)], False
        if op is sre.SUBPATTERN:
            found, empty = _opening_nodes(av[-1])
        elif op is sre.BRANCH:
            found, empty = [], False
            for alternative in av[1]:
                more, more_empty = _opening_nodes(alternative)
                found, empty = found + more, empty or more_empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            found, empty = _opening_nodes(av[2])
            empty = empty or av[0] == 0
        else:
            raise AssertionError(f"unexpected regex node {op}")
        nodes += found
        if not empty:
            return nodes, False
    return nodes, True


def test_chrome_start_firsts_hold_every_opening_character():
    """CHROME_START_FIRSTS (with the digits) holds every character a CHROME_AT_START match can open with."""
    from re import _compiler, _parser

    pattern = render.CHROME_AT_START
    nodes, empty = _opening_nodes(list(_parser.parse(pattern.pattern, pattern.flags)))
    assert not empty and nodes
    state = _parser.State()
    state.flags = pattern.flags
    either = _parser.SubPattern(state, [(_parser.BRANCH, (None, [_parser.SubPattern(state, [node]) for node in nodes]))])
    opening = _compiler.compile(either, pattern.flags)
    every_character = "".join(map(chr, range(0x110000)))
    openers = {m[0] for m in opening.finditer(every_character)}
    assert openers and {ch for ch in openers if not ch.isdecimal()} <= render.CHROME_START_FIRSTS
