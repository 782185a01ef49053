"""The parser's line rules: site chrome told by a line's start and words, sentences that open with a chrome word,
subheadings, the width of a hard wrap, paragraphs (wraps, indents, blank lines) and sections with their captions.

Every expectation is written by hand from the README ("What the parser recognises") or the rule's comment in
render.py, never computed by render.py. The few internal names used are wrapped just below.
"""
from __future__ import annotations

import pytest

import render

# ---------------------------------------------------------------------------
# The internal names this module uses, in one place
# ---------------------------------------------------------------------------


def chrome_kind(line: str) -> str | None:
    """Which kind of site chrome a clean line is, if any."""
    return render.chrome_kind(line)


def is_heading(line: str) -> bool:
    """Whether a clean line reads as a subheading."""
    return render.is_heading(line)


def wrap_width(text: str) -> int | None:
    """The column width a text was hard-wrapped at, None when it was not. Asked directly: in a document, where the
    article is and the one-sentence-a-line rule would stand between lines of bare widths and the answer."""
    return render.wrap_width(render.split_lines(text))


# ---------------------------------------------------------------------------
# Site chrome: the kind a line's start names, and the words anywhere in it
# ---------------------------------------------------------------------------

# The kinds whose start words also open ordinary sentences (contact, tools, site-info, advert): a line of theirs is
# body text only when it reads as a sentence, that is when it ends with a full stop and is 30 characters or longer
# or holds a clause mark before its end.
CHROME_OR_SENTENCE = [
    # no full stop at the end: chrome, however long and however many commas it holds
    ("地址：北京市朝阳区建国路88号，邮编：100022", "contact"),
    ("About us, our team and our history", "contact"),
    # a full stop, and 30 characters: long enough to be a sentence
    ("About the towns we grew up in.", None),
    # a full stop, 29 characters and no clause mark inside: too short to be one
    ("About the town we grew up in.", "contact"),
    # the full stop that ends a line is no clause mark inside it
    ("地址：人民路88号。", "contact"),
    # a quoted sentence inside the line: its full stop stands before the closing quote, inside the line
    ("打印本页后他说「好。」", None),
]


@pytest.mark.parametrize("line, kind", CHROME_OR_SENTENCE, ids=[line for line, _kind in CHROME_OR_SENTENCE])
def test_a_chrome_start_word_opening_a_sentence(line, kind):
    assert chrome_kind(line) == kind


# Only those four kinds give way to a sentence; for the others a line that reads as a sentence is still chrome.
# And the kinds are tried in order: a kind whose start fits the line wins over a later kind whose words it holds.
CHROME_IN_ORDER = [
    # a previous/next link whose title is a whole sentence is still a link
    ("上一篇：市政府召开常务会议，研究部署近期重点工作。", "prev-next"),
    # a breadcrumb to the privacy page: breadcrumb comes before share ("Privacy Policy")
    ("Home > Privacy Policy", "breadcrumb"),
]


@pytest.mark.parametrize("line, kind", CHROME_IN_ORDER, ids=[line for line, _kind in CHROME_IN_ORDER])
def test_chrome_kinds_in_their_order(line, kind):
    assert chrome_kind(line) == kind


# ---------------------------------------------------------------------------
# Subheadings
# ---------------------------------------------------------------------------

HEADINGS = [
    # Chinese: sentence punctuation at the end (an ellipsis, a closing quote) makes a sentence
    ("未完待續……", False),
    ("他說「好」", False),
    # a short Chinese line around a comma is a heading only between two paragraphs, never on its own
    ("乡村振兴，不是把人口简单聚集", False),
    # numbered forms: a closing quote at the end does not undo the number
    ("三、什么是“新质生产力”", True),
    # up to 20 characters a numbered heading may hold commas ...
    ("四、没心没肺：脸皮要厚，不要怕人骂", True),
    ("二、敢于担当，善于作为，勇于改革开拓创新", True),
    # ... from 21 on, a comma after the number makes it a sentence
    ("二、敢于担当，善于作为，勇于改革和开拓创新", False),
    ("一、快，是這次改革最鮮明也最受群眾歡迎的一個特點", False),
    # without a comma, up to 40 characters
    ("三、加快推进城乡基层医疗卫生服务体系建设和人才队伍建设", True),
    ("一、" + "國" * 38, True),
    ("一、" + "國" * 39, False),
    # English: title case, with one comma at most, and then six words at most
    ("Check Flower Pots, Gutters", True),
    ("Check Flower Pots, Gutters and Drains", True),
    ("Check Your Flower Pots, Gutters and Drains", False),
    ("Red, White, Blue", False),
    # without a comma ten words at most, and 80 characters at most
    ("One Two Three Four Five Six Seven Eight Nine Ten", True),
    ("Background", True),
    ("Neighbourhood Regeneration Programme Transforms the Northern and Eastern Suburbs", True),
    ("Neighbourhood Regeneration Programme Transforms the Northern and Southern Suburbs", False),
    # title case: small words may stay lower case, and seven in ten of the other words must be capitalised
    ("Notes from the Edge of the World", True),
    ("Life on the Farm", True),
    ("Saving the Old Town mill", True),
    ("Farmers Market Opens Every Saturday Morning Near old town hall", True),
    ("Farmers Market Opens Every Saturday Morning near old town hall", False),
    ("Back to School in style", False),
    # sentence case is not title case
    ("Work begins today", False),
    # capitalised small words do not make the other words title case
    ("The Plan For The new park and the bridge", False),
    # a line that starts in lower case carries on a sentence
    ("of the Standing Committee on Public Works", False),
]


@pytest.mark.parametrize("line, heading", HEADINGS, ids=[line for line, _heading in HEADINGS])
def test_heading_rules(line, heading):
    assert is_heading(line) is heading


def test_the_heading_rows_sit_where_the_rule_needs_them():
    lengths = {line: len(line) for line, _heading in HEADINGS}
    assert lengths["二、敢于担当，善于作为，勇于改革开拓创新"] == 20
    assert lengths["二、敢于担当，善于作为，勇于改革和开拓创新"] == 21
    assert 21 <= lengths["一、快，是這次改革最鮮明也最受群眾歡迎的一個特點"] <= 40
    assert 21 <= lengths["三、加快推进城乡基层医疗卫生服务体系建设和人才队伍建设"] <= 40
    assert lengths["一、" + "國" * 38] == 40
    assert lengths["Neighbourhood Regeneration Programme Transforms the Northern and Eastern Suburbs"] == 80


# ---------------------------------------------------------------------------
# Hard wraps: the width a text was wrapped at
# ---------------------------------------------------------------------------


def cut(columns: int) -> str:
    """A line `columns` wide that stops in the middle of a sentence."""
    return "x" * columns


def ended(columns: int) -> str:
    """A line `columns` wide that ends a sentence."""
    return "x" * (columns - 1) + "."


# A text is hard-wrapped when at least three of its lines, and at least 30% of them, are 80% as wide as its widest
# line or wider, and at least half of those stop mid-sentence; never wider than 160 columns. The width is the widest.
WRAPS = [
    ("no line", [], None),
    ("two lines", [cut(60), ended(60)], None),
    ("three lines", [cut(60), cut(60), ended(60)], 60),
    ("160 columns", [cut(160), cut(160), ended(160)], 160),
    # 80 Han characters and a digit: 81 characters, 161 columns (a wide character takes two)
    ("161 columns", ["國" * 80 + "1", "國" * 80 + "1", "國" * 79 + "1。"], None),
    # 48 columns is 80% of 60: near the widest
    ("a third line at 80%", [cut(60), cut(60), cut(48), ended(20)], 60),
    ("a third line below 80%", [cut(60), cut(60), cut(47), ended(20)], None),
    # three wide lines among ten: 30%
    ("3 wide lines of 10", [cut(40)] * 3 + [ended(20)] * 7, 40),
    ("3 wide lines of 11", [cut(40)] * 3 + [ended(20)] * 8, None),
    # of the wide lines, half stop mid-sentence
    ("2 of 4 wide lines mid-sentence", [cut(60), cut(60), ended(60), ended(60)], 60),
    ("1 of 3 wide lines mid-sentence", [cut(60), ended(60), ended(60)], None),
]


@pytest.mark.parametrize("lines, width", [(lines, width) for _id, lines, width in WRAPS], ids=[row[0] for row in WRAPS])
def test_wrap_width(lines, width):
    assert wrap_width("\n".join(lines)) == width


# ---------------------------------------------------------------------------
# Paragraphs: hard wraps rejoined, indents and blank lines
# ---------------------------------------------------------------------------


def en_document(*body: str) -> str:
    return "\n".join(["A Park for the Whole Town", "", "Published: March 3, 2024", "", *body, ""])


# A Chinese body between two full paragraphs, so that where the article is never depends on the lines under test.
ZH_LEAD = "這是第一段正文，內容完整，說明了事情的來龍去脈，也交代了會議召開的背景和主要議題。"
ZH_TAIL = "這是最後一段正文，也是一個完整的句子，寫得清清楚楚，讀者可以放心地閱讀全文內容。"


def zh_document(*body: str, blank_lines: bool = False) -> str:
    around = [""] if blank_lines else []
    return "\n".join(["好文章的標題", "", "發布時間：2022-02-16", "", ZH_LEAD, *around, *body, *around, ZH_TAIL, ""])


def parsed(text: str) -> dict:
    return render.parse_document(text, "doc").to_json()


def body_paragraphs(doc: dict) -> list[str]:
    return [p for s in doc["sections"] for p in s["paragraphs"]]


WRAPPED = ["The council met on Monday evening to discuss the plans for a new",
           "park beside the river, and most of the residents who came to the",
           "meeting spoke in favour of the proposal as drawn.",
           "Work is expected to begin in the spring, once the last of the",
           "permits have been granted and the contractors have been chosen by",
           "the city, which should take no more than a few weeks."]
FIRST, SECOND = " ".join(WRAPPED[:3]), " ".join(WRAPPED[3:])

# Wrapped at 70 columns; the third line ends a sentence at 49 columns, exactly 70% of the width.
AT_70 = ["The council met on Monday evening to discuss the plans for a new park,",
         "beside the river, and most of the residents who came to the meeting",
         "spoke in favour of the proposal, as it was drawn.",
         "Work is expected to begin in the spring, once the last of the permits",
         "have been granted and the contractors have been chosen by the city."]

# Wrapped at 65 columns; the second line reads as a title ("Springfield Harbour Commissioners …").
TITLE_CASE_WRAP = ["The meeting on Monday was attended by many representatives of the",
                   "Springfield Harbour Commissioners and Port Authority Engineers",
                   "who spoke in favour of the plans for a new park beside the river",
                   "and the bridge."]

# One paragraph wrapped at 64 columns, every line of it indented by four spaces (as a quoted text is).
INDENTED = ["The council met on Monday evening to discuss the plans for a new",
            "park beside the river, and most of the residents who came to the",
            "meeting spoke in favour of the proposal, which the city drew up",
            "with the help of a firm of architects from out of town."]

SENTENCES = ["The mayor said the park would open to the public next summer.",
             "The river path will be lit at night and patrolled by wardens.",
             "A cafe and a playground are planned for the northern corner."]

EN_PARAGRAPHS = [
    # a one-space indent starts a paragraph: the line above it ends a sentence at 75% of the width
    ("one-space indent", [" " + WRAPPED[0], *WRAPPED[1:3], " " + WRAPPED[3], *WRAPPED[4:]], [FIRST, SECOND]),
    # every line indented: the indent is the whole text's, and marks no paragraph
    ("wrapped and indented", ["    " + line for line in INDENTED], [" ".join(INDENTED)]),
    # a wrapped line at 70% of the width carries on its paragraph though it ends a sentence
    ("a line at 70%", AT_70, [" ".join(AT_70)]),
    # a line as wide as the text is a wrapped line, even when it reads as a title
    ("a wide title-case line", TITLE_CASE_WRAP, [" ".join(TITLE_CASE_WRAP)]),
    # three lines that each end a sentence are a paragraph each, however wide
    ("a block of sentences", [*WRAPPED[:3], "", *SENTENCES, "", *WRAPPED[3:]], [FIRST, *SENTENCES, SECOND]),
]


@pytest.mark.parametrize("body, paragraphs", [row[1:] for row in EN_PARAGRAPHS], ids=[row[0] for row in EN_PARAGRAPHS])
def test_english_paragraphs(body, paragraphs):
    assert body_paragraphs(parsed(en_document(*body))) == paragraphs


def test_the_english_rows_sit_where_the_rule_needs_them():
    assert [len(line) for line in AT_70] == [70, 67, 49, 69, 67]
    assert 0.6 * 65 <= len(TITLE_CASE_WRAP[1]) and is_heading(TITLE_CASE_WRAP[1])
    assert max(len(line) for line in TITLE_CASE_WRAP) == 65


ZH_PARAGRAPHS = [
    # blank-separated paragraphs broken at no fixed width: a line carries on until one ends a sentence
    ("broken lines between blank lines", True,
     ["市政府近日召开常务会议，研究部署下一阶段的重点工作，", "会议由市长主持。", "",
      "会议指出，", "今年以来全市经济运行总体平稳，主要指标好于预期。", "",
      "会议要求各部门抓好落实。", "会后，各区县迅速传达了会议精神。"],
     ["市政府近日召开常务会议，研究部署下一阶段的重点工作，会议由市长主持。",
      "会议指出，今年以来全市经济运行总体平稳，主要指标好于预期。",
      "会议要求各部门抓好落实。", "会后，各区县迅速传达了会议精神。"]),
    # a short line without punctuation 60% as wide as its block (24 of 40 columns) is no subheading: it carries on
    ("a short line at 60% of its block", True,
     ["今年全市经济运行总体平稳", "主要指标普遍好于预期，发展势头持续向好。"],
     ["今年全市经济运行总体平稳主要指标普遍好于预期，发展势头持续向好。"]),
    # no blank lines, no indents, no wrap: a line a paragraph, with or without a full stop
    ("a line a paragraph", False,
     ["今天去了新开的图书馆，环境很好", "书也很多，借阅也很方便", "下次还要带孩子一起来，顺便办张借书证"],
     ["今天去了新开的图书馆，环境很好", "书也很多，借阅也很方便", "下次还要带孩子一起来，顺便办张借书证"]),
    # ... and a chrome line taken out of the middle does not make it a text of blank-separated paragraphs
    ("a line a paragraph around chrome", False,
     ["市政府近日召开常务会议，研究部署下一阶段的重点工作，会议由市长主持，", "各区县和市直各部门主要负责同志参加了会议，",
      "13910555092",
      "会议指出，今年以来全市经济运行总体平稳，主要指标好于预期，", "各部门要抓好落实，确保各项任务按时完成"],
     ["市政府近日召开常务会议，研究部署下一阶段的重点工作，会议由市长主持，", "各区县和市直各部门主要负责同志参加了会议，",
      "会议指出，今年以来全市经济运行总体平稳，主要指标好于预期，", "各部门要抓好落实，确保各项任务按时完成"]),
    # indented paragraphs: an unindented line carries on the paragraph above it, an indented one starts the next
    ("indented paragraphs", False,
     ["  市政府近日召开常务会议，研究部署下一阶段的重点工作，", "会议由市长主持。", "  会议要求各部门抓好落实。"],
     ["市政府近日召开常务会议，研究部署下一阶段的重点工作，会议由市长主持。", "会议要求各部门抓好落实。"]),
]


@pytest.mark.parametrize("blank_lines, body, paragraphs", [row[1:] for row in ZH_PARAGRAPHS], ids=[row[0] for row in ZH_PARAGRAPHS])
def test_chinese_paragraphs(blank_lines, body, paragraphs):
    doc = parsed(zh_document(*body, blank_lines=blank_lines))
    assert body_paragraphs(doc) == [ZH_LEAD, *paragraphs, ZH_TAIL]


def test_the_chinese_rows_sit_where_the_rule_needs_them():
    assert is_heading("今年全市经济运行总体平稳")
    assert 2 * len("今年全市经济运行总体平稳") == 24 and 2 * len("主要指标普遍好于预期，发展势头持续向好。") == 40


# ---------------------------------------------------------------------------
# Sections: subheadings and captions
# ---------------------------------------------------------------------------

PART_ONE = "  第一部分的正文，寫得清清楚楚，交代了工作的進展情況和取得的成效。"
PART_TWO = "  第二部分的正文，也是完整的句子，說明了下一步的打算和具體措施。"


def sections(doc: dict) -> list[tuple[str | None, list[str], list[int]]]:
    return [(s["heading"], s["paragraphs"], s["captions"]) for s in doc["sections"]]


def test_two_numbered_headings_in_a_row_each_start_a_section():
    doc = parsed(zh_document("一、總體要求", "（一）指導思想", PART_ONE, "（二）工作目標", PART_TWO))
    assert sections(doc) == [
        (None, [ZH_LEAD], []),
        ("一、總體要求", [], []),
        ("（一）指導思想", [PART_ONE.strip()], []),
        ("（二）工作目標", [PART_TWO.strip(), ZH_TAIL], []),
    ]


def test_captions_are_marked_in_every_section():
    doc = parsed(zh_document("▲ 會議現場。", "一、工作進展", PART_ONE, "▲ 專家在社區坐診。"))
    assert sections(doc) == [
        (None, [ZH_LEAD, "▲ 會議現場。"], [1]),
        ("一、工作進展", [PART_ONE.strip(), "▲ 專家在社區坐診。", ZH_TAIL], [1]),
    ]


def test_a_document_without_a_body_has_no_sections():
    doc = parsed("好文章的標題\n\n發布時間：2022-02-16\n")
    assert doc["sections"] == []
