"""Restoration's edges that test_rules.py's tables leave out: how far a garbled run grows over lost marks, what joins
foreign characters into one run, which codec repairs mojibake first, lost separators at the ends of a text, and
which ( ) pairs become full-width. Every expectation is written by hand from the README or the rule's comment."""
from __future__ import annotations

import pytest

import render

# ---------------------------------------------------------------------------
# The internal names this module uses, in one place
# ---------------------------------------------------------------------------


def restored(text: str, lang: str) -> tuple[str, list]:
    """(the clean restored text, its damaged runs as (cause, text, repair)) for one text in a document of lang."""
    how = render.Restoration(lang=lang, widen=True, chinese=lang.startswith("zh"), traditional=lang == "zh-Hant")
    marked, runs = render.restore_text(text, how)
    return render.clean(marked), [(run.cause, run.text, run.repair) for run in runs]


def widened(text: str, readings: bool = False) -> str:
    """The text with its punctuation widened, nothing frozen; with readings, it may hold readings as the parser marks them."""
    return render.widen_punctuation(text, bytes(len(text)), readings)


def reading(pinyin: str) -> str:
    """A pinyin reading as the parser marks it, on the character before it: 國(guó) -> 國 + reading("guó")."""
    return f"{render.RUBY_OPEN}{pinyin}{render.RUBY_CLOSE}"


# ---------------------------------------------------------------------------
# Damage: a garbled run grows over '?' at most two Han characters away
# ---------------------------------------------------------------------------
# 浇约业 are three Simplified-only characters: foreign to Traditional text, a garbled run when a lost '?' is beside them.


@pytest.mark.parametrize("text, runs", [
    # On the right, a '?' is lost only when a Han character or a digit follows it
    pytest.param("這是浇约业?的內容。", [("garbled", "浇约业?", None)], id="right-before-han"),
    pytest.param("這是浇约业?7號", [("garbled", "浇约业?", None)], id="right-before-digit"),
    pytest.param("這是浇约业?的", [("garbled", "浇约业?", None)], id="right-before-the-last-character"),
    pytest.param("這是浇约业??的內容", [("garbled", "浇约业??", None)], id="right-two-lost-marks"),
    pytest.param("這是浇约业中?的內容", [("garbled", "浇约业中?", None)], id="right-one-han-away"),
    pytest.param("這是浇约业中文?的內容", [("garbled", "浇约业中文?", None)], id="right-two-han-away"),
    pytest.param("這是浇约业中文字?的", [], id="right-three-han-away-too-far"),
    # A question mark that ends a question is no lost character (README: "Clean documents get no warnings")
    pytest.param("他問浇约业?", [], id="right-question-ends-the-text"),
    pytest.param("他問浇约业?。", [], id="right-question-before-a-full-stop"),
    # On the left, any '?' within reach is lost
    pytest.param("這是?中浇约业的內容", [("garbled", "?中浇约业", None)], id="left-one-han-away"),
    pytest.param("這是?中文浇约业", [("garbled", "?中文浇约业", None)], id="left-two-han-away"),
    pytest.param("?中文字浇约业的內容", [], id="left-three-han-away-too-far"),
])
def test_garbled_run_grows_over_lost_marks_nearby(text, runs):
    assert restored(text, "zh-Hant")[1] == runs


# ---------------------------------------------------------------------------
# Damage: foreign characters at most two Han characters or lost marks apart are one run
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, runs", [
    pytest.param("這是?浇?约业的內容。", [("garbled", "?浇?约业", None)], id="a-lost-mark-between-joins"),
    pytest.param("這是?浇中文约业", [("garbled", "?浇中文约业", None)], id="two-han-between-join"),
    # Not one run: one foreign character, then two, are never three together
    pytest.param("這是?浇中文字约业", [], id="three-han-between-split"),
    pytest.param("這是?浇,约业的內容。", [], id="a-comma-between-splits"),
    pytest.param("這是?浇。约业的內容", [], id="a-full-stop-between-splits"),
])
def test_only_han_characters_or_lost_marks_join_foreign_characters(text, runs):
    assert restored(text, "zh-Hant")[1] == runs


# ---------------------------------------------------------------------------
# Mojibake: which codec repairs a run first (README, Damage report: cause gbk or big5)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, lang, expected", [
    # 事件 in UTF-8 read as GBK, in Traditional text: Big5 is tried first and cannot encode it; GBK repairs it
    pytest.param("這起浜嬩欢很嚴重。", "zh-Hant", ("這起事件很嚴重。", [("gbk", "浜嬩欢", "事件")]), id="gbk-in-traditional"),
    # 主任 in UTF-8 read as Big5, in Simplified text: GBK is tried first and fails; Big5 repairs it
    pytest.param("銝颱遙说会议推迟。", "zh-Hans", ("主任说会议推迟。", [("big5", "銝颱遙", "主任")]), id="big5-in-simplified"),
    # 通聯 read as GBK, in Simplified text: its bytes read back as Big5 would also be UTF-8 (觺rɶ), but GBK comes
    # first in Simplified text and its repair is Chinese
    pytest.param("保持閫氳伅畅通。", "zh-Hans", ("保持通聯畅通。", [("gbk", "閫氳伅", "通聯")]), id="gbk-before-big5-in-simplified"),
])
def test_mojibake_is_repaired_by_the_codec_the_script_tries_first(text, lang, expected):
    assert restored(text, lang) == expected


# ---------------------------------------------------------------------------
# Damage: a separator lost between digits, at either end of the text
# ---------------------------------------------------------------------------


# README: a "?" standing for a lost character between digits (7?25) is lost. The scan for these walks back over the
# digits before the first such "?": it must stop at the start of the text, and a text may end in the number.
@pytest.mark.parametrize("text, runs", [
    pytest.param("3?5月", [("lost", "3?5", None)], id="number-starts-the-text"),
    pytest.param("第7?25", [("lost", "7?25", None)], id="number-ends-the-text"),
])
def test_separator_lost_in_a_number_at_an_end_of_the_text(text, runs):
    assert restored(text, "zh-Hant")[1] == runs


# ---------------------------------------------------------------------------
# Punctuation: ( ) pairs around Chinese text, between no ASCII letters or digits, become full-width
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    pytest.param("(注)見附錄B", "（注）見附錄B", id="pair-starts-the-text"),
    pytest.param("型號A(中文版)", "型號A(中文版)", id="letter-before-the-pair"),
    pytest.param("型號2(中文版)", "型號2(中文版)", id="digit-before-the-pair"),
    pytest.param("中(文)A", "中(文)A", id="letter-after-the-pair-ends-the-text"),
    pytest.param("中(文)2號", "中(文)2號", id="digit-after-the-pair"),
])
def test_parentheses_widen_only_between_no_ascii_letters_or_digits(before, after):
    assert widened(before) == after


@pytest.mark.parametrize("before, after", [
    # The neighbour of "(" is 站, the character the reading is on, not the B before it
    pytest.param(f"B站{reading('zhàn')}(視頻網站)", f"B站{reading('zhàn')}（視頻網站）", id="reading-on-han-after-a-letter"),
    # A reading may sit on any character but a mark (render.PLAIN_READING): on a letter, the letter is the neighbour.
    # It is the reading just before "(" that counts, not the first one of the text nor the last one.
    pytest.param(f"A{reading('a')}國{reading('guó')}(中)", f"A{reading('a')}國{reading('guó')}（中）",
                 id="the-reading-just-before-counts"),
    pytest.param(f"A{reading('a')}(中)國{reading('guó')}", f"A{reading('a')}(中)國{reading('guó')}",
                 id="a-reading-after-the-pair-does-not-count"),
])
def test_parentheses_see_through_readings(before, after):
    assert widened(before, readings=True) == after
