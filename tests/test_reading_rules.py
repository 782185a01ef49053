"""Pinyin readings that become ruby: which annotations are readings (toneless ones only where three toned ones
show that the converter writes tones), and the clean text the parser reads fields from, readings removed.

Expected values are written by hand from the README ("Restoring Chinese text") and the comments on
PINYIN_ANNOTATION, marked_and_clean and toneless_readings_ok in render.py; none is computed by render.py.
"""
from __future__ import annotations

import re

import pytest

import render

# ---------------------------------------------------------------------------
# Small documents, written out in full so that every row reads on its own
# ---------------------------------------------------------------------------

ZH_BODY = "  這是第一段正文，內容完整，說明了事情的來龍去脈。\n  這是第二段正文，也是一個完整的句子。\n"


def zh_document(*header: str, body: str = ZH_BODY) -> str:
    return "\n".join(["好文章的標題", "", *header, "", body])


def source_of(header_line: str) -> str | None:
    """The source the parser reads from a header line (it reads fields from the text without readings)."""
    return render.parse_document(zh_document("發布時間：2022-02-16", header_line), "doc").to_json()["source"]


RT = re.compile(r"<rt[^>]*>([^<]*)</rt>")


def shown_readings(body: str) -> tuple[list[str], str]:
    """(the readings a page shows as ruby, the article's visible text without them) for a body."""
    page, _meta = render.render_document(zh_document("發布時間：2022-02-16", body=body), "doc")
    article = page[page.index("<article"): page.index("</article>")]
    visible = re.sub(r"<rp>.*?</rp>|<rt[^>]*>.*?</rt>|<[^>]+>", "", article)
    return RT.findall(article), visible


# ---------------------------------------------------------------------------
# The clean text: a field holding readings reads as if they were not there
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "source"), [
    ("來源：新華(huá)社", "新華社"),
    ("來源：新(xīn)華(huá)社北京分社", "新華社北京分社"),
    ("來源(yuán)：新華社", "新華社"),  # a reading inside the label: the label still reads as one
    # A parenthesis that is no reading stays, beside readings or alone.
    ("來源：新華(huá)社(xyz)北京", "新華社(xyz)北京"),
    ("來源：新華社(xyz)北京", "新華社(xyz)北京"),
    ("來源：新(xyz)華社(abc)北京", "新(xyz)華社(abc)北京"),
    # Toneless readings are readings only when three toned ones show that the converter writes tones.
    ("來源：新(xīn)華(huá)社(shè)北京(de)分社", "新華社北京分社"),
    ("來源：新(xīn)華(huá)社北京(de)分社", "新華社北京(de)分社"),
    ("來源：新華社北京(de)分社", "新華社北京(de)分社"),
    ("來源：新(de)華(men)社(ge)北京", "新(de)華(men)社(ge)北京"),  # three toneless ones are not three toned ones
], ids=["one-reading", "two-readings", "in-the-label", "reading-and-other", "other-alone", "two-others",
        "toneless-after-three-toned", "toneless-after-two-toned", "toneless-alone", "three-toneless"])
def test_a_field_is_read_without_its_readings(line, source):
    assert source_of(line) == source


# ---------------------------------------------------------------------------
# The page: which annotations become ruby
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "readings", "text"), [
    # The same reading twice: each stays on its own character (two toned ones only: (de) stays text).
    ("  全國(guó)的(de)人和國(guó)的(de)事。\n  這是第二段正文。\n", ["guó", "guó"], "全國的(de)人和國的(de)事"),
    # Readings in a row, one a character.
    ("  全(quán)國(guó)平(píng)安(ān)。\n  這是第二段正文。\n", ["quán", "guó", "píng", "ān"], "全國平安"),
    # Three toned readings anywhere in the text (here the second paragraph) let the toneless ones count.
    ("  我們(men)的(de)事情，大家都看到了。\n  全國(guó)平安(ān)建設(shè)的成績，這是第二段正文。\n",
     ["men", "de", "guó", "ān", "shè"], "我們的事情"),
    # Every occurrence of a toned reading counts: the same one three times makes three.
    ("  國(guó)國(guó)國(guó)的(de)事。\n  這是第二段正文。\n", ["guó", "guó", "guó", "de"], "國國國的事"),
    # Annotations that are no pinyin stay text, and so does a toneless reading without three toned ones.
    ("  所(xyz)隊(abc)組(qwe)的(de)事。\n  這是第二段正文。\n", [], "所(xyz)隊(abc)組(qwe)的(de)事"),
], ids=["same-reading-twice", "readings-in-a-row", "toned-in-another-paragraph", "same-toned-three-times",
        "no-pinyin"])
def test_which_annotations_become_ruby(body, readings, text):
    shown, visible = shown_readings(body)
    assert shown == readings
    assert text in visible
