"""Property-based tests (hypothesis): parsing and rendering never raise, nothing is lost, pages stay safe.

The oracles are written here, never taken from render.py; a test that compares two of render.py's
own paths says so in its name and docstring (a consistency check, not an oracle).

The no-loss property, stated exactly. Take any text and normalise it as the README says
(normalised() below: line endings to LF; the noncharacters render.py uses as markers and C0
controls to U+FFFD, which a warning reports). Count its visible characters: everything but white
space (str.isspace) and the indentation characters the parser strips at line edges (INDENT_CHARS
below, e.g. U+FEFF). Then every
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

import re
from collections import Counter
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import render

# How many examples, the seed and the deadline come from the Hypothesis profile (tests/conftest.py).
SETTINGS = settings()

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


# What the parser strips at the edges of a line besides white space: " \t", U+3000, NBSP, EN and EM spaces, U+FEFF.
INDENT_CHARS = " \t\u3000\u00a0\u2002\u2003\ufeff"
# What normalisation replaces by U+FFFD: C0 controls but tab, LF, FF and CR, DEL, and the noncharacters of the BMP.
UNWANTED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]")


def normalised(text: str) -> str:
    """The text as the parser reads it: LF line endings, unwanted characters made U+FFFD."""
    return UNWANTED.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def visible(text: str, syntax: str = "") -> set[str]:
    return {ch for ch in text if not ch.isspace() and ch not in INDENT_CHARS and ch not in syntax}


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
        article = render.parse_document(text, "doc", markdown)
    except render.DocumentError as error:  # mostly control characters: refused as a whole, nothing kept to lose
        assert str(error) == "not a text document"
        assert len(UNWANTED.findall(text)) > 8
        return set()
    expected = normalised(text)
    if markdown:
        expected = without_setext_underlines(expected)
    return visible(expected, "#" if markdown else "") - visible(kept_text(article))


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
    """Every start tag of a page, and the text of each reading the page shows (<rt lang="zh-Latn-pinyin">)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.rt = [], []
        self._in_rt = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_rt = tag == "rt" and dict(attrs).get("lang") == "zh-Latn-pinyin"

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
    # Every reading shown is one the text wrote in parentheses, never more often than it wrote it.
    # (That every reading written is shown: test_readings_in_articles_are_ruby_and_only_ruby, on texts made for it.)
    source = normalised(text)
    for reading, times in Counter(audit.rt).items():
        assert reading and times <= source.count(f"({reading})"), reading


@SETTINGS
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
@given(texts)
def test_split_lines_agrees_with_the_per_line_helpers(text):
    """Consistency check, not an oracle: split_lines() marks and cleans the whole text at once, and each line
    is what render.py's per-line helpers give (the oracle for what they give: the article tests below)."""
    try:
        text = render.normalise_text(text)[0]  # as parse_document() does first: no marker characters of its own
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


# Texts as the parser hands them to restoration: Chinese, ASCII marks, digits, lost marks, URLs and readings
# written as the parser writes them (國\ufdd0guó\ufdd1), or stray ones.
RESTORATION_PIECES = ["中", "國", "文", "国", "a", "Z", "1", "2021", "%", ",", ":", ";", "!", "?", "(", ")", ",,", "?!", " ",
                      "國\ufdd0guó\ufdd1", "\ufdd0x\ufdd1", "\ufdd0", "\ufdd1", "「", "」", "（", "。", "http://x.cn/a,b", "a@b.cn",
                      "`", "](x)", "<b>", "\ufffd", "??", "浇幼约", "Ã©", "鍙戝竷", "「」", "\u3000"]
RESTORATION_TEXTS = st.lists(st.lists(st.sampled_from(RESTORATION_PIECES), max_size=12).map("".join), max_size=8)


@SETTINGS
@given(RESTORATION_TEXTS, st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_simply_restored_texts_are_what_taking_them_apart_gives(texts, widen, chinese, traditional, markdown, detect):
    """Consistency check, not an oracle: simply_restored() only answers when taking the text apart
    (fully_restored) would find nothing more to do (test_rules.py and test_restore.py hold the oracles)."""
    how = render.Restoration(lang="zh-Hant" if traditional else "zh-Hans", widen=widen, chinese=chinese,
                             traditional=traditional, markdown=markdown)
    for text in texts:
        simple = render.simply_restored(text, how, detect)
        if simple is not None:
            assert (simple, []) == render.fully_restored(text, how, detect)


# Markdown built from the shapes of issue 15's campaign: raw-text and foreign elements left open, setext and
# rule lines without blank lines, deep lists, tables, entities, nested brackets, front matter. Words W0, W1, …
# stand only where Markdown shows text (never in a URL, an attribute, an image's alt or a closed comment: none
# closes), so each must be in the page's text or its warnings.
HOSTILE_SHAPES = [
    "<style>", "<script>", "<template>", "<textarea>", "<xmp>", "<title>", "<noembed>", "<iframe>", "<noframes>",
    "<noscript>", "<plaintext>", "<select>", "<svg>", "<svg><style>", "<math>", "<math><mi>", "<svg><text>", "<mglyph>",
    "<!--", "<?php", "<!DOCTYPE html>", '<a title="', "<a href='javascript:alert(1)'>", "<img src=x onerror=alert(1)>",
    "</style>", "</script>", "</textarea>", "</svg>", "</math>", "<div>", "</div>", "<b>", "</b>",
    "=", "===", "-", "---", "***", "___", "* * *", "# ", "## ", "#", "> ", ">", "- ", "* ", "1. ", "  ", "    ", "\t",
    "| a | b |", "|---|---|", "| ", " |", "&amp;", "&lt;", "&#60;", "&#x3C;", "&bogus;", "&", ";",
    "[", "]", "(", ")", "![x](", "[x](javascript:alert(1))", "[x][", "]:", "`", "```", "~~~", "*", "_", "\\",
    "國(guó)", "中文", "\ufffd", "\n", "\n", "\n\n", "\n\n",
]


def with_words(pieces: list[str]) -> tuple[str, list[str]]:
    """The pieces joined, a word W<n> after each one that leaves its text visible, and those words."""
    out, words = [], []
    for number, piece in enumerate(pieces):
        out.append(piece)
        if piece not in ("![x](", "[x](javascript:alert(1))", '<a title="'):
            words.append(f"W{number}")
            out.append(f" W{number} ")
    return "".join(out), words


HOSTILE_MARKDOWN = st.lists(st.tuples(st.sampled_from(HOSTILE_SHAPES), st.integers(1, 40)), min_size=1, max_size=40).map(
    lambda runs: [piece for shape, times in runs for piece in [shape] * (times if len(shape) <= 3 else 1)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_MARKDOWN, st.booleans(), st.booleans())
def test_hostile_markdown_keeps_its_text_and_stays_inert(pieces, deep_list, front_matter):
    body, words = with_words(pieces)
    if deep_list:
        body += "\n\n" + "".join(" " * (4 * level) + f"- L{level}\n" for level in range(80))
        words += [f"L{level}" for level in range(80)]
    text = ("---\ntitle: " + "[" * 60 + "\n---\n\n" if front_matter else "") + "# Title\n\n" + body + "\n\nLAST-WORD\n"
    page, meta = render.render_document(text, "doc", markdown=True)
    check_page(page)
    shown = "".join(PageText.of(page)) + "\n".join(w["message"] for w in meta["warnings"])
    missing = [word for word in words + ["LAST-WORD"] if word not in shown]
    assert not missing, missing
    assert not any(marker in page for marker in "\ufdd0\ufdd1\ufdd3\ufdd4\ufdd5")  # check_page: nothing active


class PageText(HTMLParser):
    """The text of a page's body as a reader sees it (character references decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        self.in_body = self.in_body or tag == "body"

    def handle_data(self, data):
        if self.in_body:
            self.text.append(data)

    @classmethod
    def of(cls, page: str) -> list[str]:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser.text


@SETTINGS
@given(st.lists(st.sampled_from(MARKDOWN_PIECES + ["\n\n", "a\n=\n", "---\n", "    - x\n", "| a |\n|---|\n"]), max_size=80).map("".join))
def test_the_block_queue_parses_as_the_stock_list_does(text):
    """render's Python-Markdown keeps its blocks in a deque (BlockQueue): the same HTML as a list gives."""
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    stock = render.with_spaceless_links(markdown.Markdown(
        extensions=[TableExtension(), FencedCodeExtension(), SaneListExtension()], output_format="html"))
    assert render.markdown_renderer().reset().convert(text) == stock.convert(text)


def joined_line_by_line(left: str, right: str) -> str:
    """How two wrapped lines were joined before the pieces were: the rule written once more, on whole texts."""
    if not left:
        return right
    a, b = left[-1], right[:1]
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return left + right
    wide = render.display_width(a) > 1 or render.display_width(b) > 1
    if a == render.RUBY_CLOSE or render.CJK_CHAR.match(a) or render.CJK_CHAR.match(b) or wide:
        return left + right
    return f"{left} {right}"


@SETTINGS
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab-Z中國 ,.\ufdd1")), min_size=1, max_size=6), min_size=1, max_size=12))
def test_wrapped_lines_are_joined_as_one_text_would_be(lines):
    """Wrapped joins a paragraph's pieces once, from the last two characters so far (linear, not quadratic)."""
    expected = lines[0]
    for line in lines[1:]:
        expected = joined_line_by_line(expected, line)
    wrapped = render.Wrapped(lines[0])
    for line in lines[1:]:
        wrapped.add(line)
    assert wrapped.text() == expected


# Articles made for the reading tests: Han characters with the reading a converter writes after them,
# characters without one, and parentheses that are no reading; what the parse must give is built alongside.
TONED = [("國", "guó"), ("家", "jiā"), ("平", "píng"), ("安", "ān"), ("建", "jiàn"), ("設", "shè"), ("優", "yōu"),
         ("秀", "xiù"), ("省", "shěng"), ("來", "lái"), ("時", "shí"), ("長", "zhǎng"), ("女", "nǚ"), ("綠", "lǜ")]
TONELESS = [("的", "de"), ("們", "men"), ("麼", "me"), ("子", "zi")]  # readings only where the converter writes tones
PLAIN = list("湖北連續年獲評全份人民生活水準提高")
NO_READING = ["所(隊)", "(CEO)", "(2022)", "之(xyz)", "和(abcdefgh)"]
TONED_READING = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
HAN_TOKENS = st.one_of(st.sampled_from(TONED), st.sampled_from(TONELESS), st.sampled_from(PLAIN).map(lambda ch: (ch, None)))
BODY_TOKENS = st.one_of(HAN_TOKENS, st.sampled_from(NO_READING).map(lambda text: (text, None)))
ARTICLES = st.tuples(st.lists(HAN_TOKENS, min_size=2, max_size=8),
                     st.lists(st.lists(BODY_TOKENS, min_size=8, max_size=30), min_size=1, max_size=5))


# The words around the made tokens: a headline and a body that read as an article's, whatever the tokens.
TITLE_FRAME = "{}的新聞報道"
PARAGRAPH_FRAME = "這是一段正文，{}，內容完整，說明了事情的來龍去脈。"
LEAD = "記者從市政府獲悉，今年全市將新建和改造城市公園綠地二十八處，市民可以就近休閒。"
CLOSING = "市政府表示，下一步還將聽取市民的意見，讓更多的公園走進大家的生活。"


def article_source(title: list, paragraphs: list[list]) -> tuple[str, bool]:
    """The text of a made article; and whether it has three toned readings, so that toneless ones count too."""
    def written(tokens):
        return "".join(text + (f"({reading})" if reading else "") for text, reading in tokens)
    toned = sum(1 for tokens in (title, *paragraphs) for _text, reading in tokens if reading and TONED_READING.search(reading))
    lines = [TITLE_FRAME.format(written(title)), "", "發布時間:2022-02-16 08:57", ""]
    lines += ["\u3000\u3000" + text for text in (LEAD, *map(PARAGRAPH_FRAME.format, map(written, paragraphs)), CLOSING)]
    return "\n".join(lines) + "\n", toned >= 3


def is_reading(reading: str | None, toneless_count: bool) -> bool:
    return bool(reading) and (toneless_count or bool(TONED_READING.search(reading)))


def without_readings(tokens: list, toneless_count: bool) -> str:
    return "".join(text + ("" if is_reading(reading, toneless_count) or not reading else f"({reading})")
                   for text, reading in tokens)


@SETTINGS
@given(ARTICLES)
def test_readings_leave_the_text_and_nothing_else_does(article):
    title, paragraphs = article
    text, toneless_count = article_source(title, paragraphs)
    doc = render.parse_document(text, "doc").to_json()
    assert doc["title"] == TITLE_FRAME.format(without_readings(title, toneless_count))
    assert [p for s in doc["sections"] for p in s["paragraphs"]] == [
        LEAD, *(PARAGRAPH_FRAME.format(without_readings(tokens, toneless_count)) for tokens in paragraphs), CLOSING]


@SETTINGS
@given(ARTICLES)
def test_readings_in_articles_are_ruby_and_only_ruby(article):
    title, paragraphs = article
    text, toneless_count = article_source(title, paragraphs)
    page, _ = render.render_document(text, "doc")
    expected = Counter(reading for tokens in (title, *paragraphs) for _text, reading in tokens if is_reading(reading, toneless_count))
    assert Counter(check_page(page).rt) == expected
