"""The parser's and the restorer's rules, one table each: input -> expected output, written by hand from the rule.

Each row states what the README (or the rule's own comment in render.py) says must happen to one small
input, including the edge a plausible slip would move: an explicit time zone the +08:00 default must not
override, a wrapped line at 75% of the width, a "?" beside a digit that may hide a lost character. No
expectation here is computed by render.py.

The tests call behaviour-level functions (parse_document, analyse_document, render_document, parse_date,
widen_punctuation, restore_text, write_atomic, renderer_fingerprint). The few internal names they need are
wrapped just below, so that a rename in render.py is a one-line fix here.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

import pytest
from conftest import SEED, run_main

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


def chrome_kinds_in_render() -> set[str]:
    return {kind for kind, *_patterns in render.CHROME_KINDS}


def label_words_in_render() -> dict[str, str]:
    """Every label word of render.py's table, and the field it names."""
    return {label: name for name, labels in render.FIELD_LABELS.items() for label in labels}


def restored(text: str, lang: str) -> tuple[str, list]:
    """(the clean restored text, its damaged runs as (cause, text, repair)) for one text in a document of lang."""
    how = render.Restoration(lang=lang, widen=True, chinese=lang.startswith("zh"), traditional=lang == "zh-Hant")
    marked, runs = render.restore_text(text, how)
    return render.clean(marked), [(run.cause, run.text, run.repair) for run in runs]


# ---------------------------------------------------------------------------
# Small documents, written out in full so that every row reads on its own
# ---------------------------------------------------------------------------

ZH_BODY = "  這是第一段正文，內容完整，說明了事情的來龍去脈。\n  這是第二段正文，也是一個完整的句子。\n"
EN_BODY = ("The council met on Monday evening to discuss the new park, and most residents spoke in favour of it.\n\n"
           "Work is expected to begin in the spring, once the last permits have been granted by the city.\n")


def zh_document(*header: str, body: str = ZH_BODY) -> str:
    return "\n".join(["好文章的標題", "", *header, "", body])


def en_document(*header: str, body: str = EN_BODY) -> str:
    return "\n".join(["A Park for the Whole Town", "", *header, "", body])


def parsed(text: str) -> dict:
    return render.parse_document(text, "doc").to_json()


def body_paragraphs(doc: dict) -> list[str]:
    return [p for s in doc["sections"] for p in s["paragraphs"]]


def warning_kinds(doc: dict) -> list[str]:
    return sorted(w["kind"] for w in doc["warnings"])


# ---------------------------------------------------------------------------
# Dates: formats, zones, AM/PM, impossible dates, dates without a year
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, china, expected", [
    # The formats the README lists
    ("2022-02-16 08:57:00", True, "2022-02-16T08:57:00+08:00"),
    ("2022-02-16 08:57:00", False, "2022-02-16T08:57:00"),
    ("2022/2/16", True, "2022-02-16"),
    ("2022.06.03", False, "2022-06-03"),
    ("2022年2月16日", True, "2022-02-16"),
    ("2022年2月16日 10:20", True, "2022-02-16T10:20+08:00"),
    ("2022年02月16日10时20分", True, "2022-02-16T10:20+08:00"),
    ("March 3, 2024", False, "2024-03-03"),
    ("Tuesday, July 06, 2010", False, "2010-07-06"),
    ("3 March 2024", False, "2024-03-03"),
    ("Sept. 9, 2021", False, "2021-09-09"),
    ("published 2022-02-16 in the morning", False, "2022-02-16"),
    ("25/12/2023", False, "2023-12-25"),  # the day first when the first number cannot be a month
    ("05/11/2012", False, "2012-05-11"),  # else the month first, as American sites write it
    # A clock time written before its date
    ("3:01pm Tuesday 3rd September 2013", False, "2013-09-03T15:01"),
    ("3:01pm Tuesday 3rd September 2013", True, "2013-09-03T15:01+08:00"),
    ("10:20 March 3, 2024", False, "2024-03-03T10:20"),
    # An explicit zone is the page's own: the +08:00 default never overrides it
    ("2024-03-03T10:00:00+08:00", False, "2024-03-03T10:00:00+08:00"),
    ("2022-02-16 08:57 UTC", True, "2022-02-16T08:57+00:00"),
    ("2022-02-16T08:57:00Z", True, "2022-02-16T08:57:00+00:00"),
    ("2022-02-16 08:57 GMT", True, "2022-02-16T08:57+00:00"),
    ("2022-02-16 08:57 +0530", True, "2022-02-16T08:57+05:30"),
    ("2022-02-16 08:57 -05:00", True, "2022-02-16T08:57-05:00"),
    ("2022-02-16 08:57 -05:00", False, "2022-02-16T08:57-05:00"),
    # AM and PM
    ("March 3, 2024 at 2:05 pm", False, "2024-03-03T14:05"),
    ("March 3, 2024 2:05 PM", False, "2024-03-03T14:05"),
    ("March 3, 2024 11:59 a.m.", False, "2024-03-03T11:59"),
    ("March 3, 2024 12:30 am", False, "2024-03-03T00:30"),
    ("March 3, 2024 12:15 pm", False, "2024-03-03T12:15"),
    ("March 3, 2024 2:05 p.m.", False, "2024-03-03T14:05"),
    ("March 3, 2024 12:30 a.m.", False, "2024-03-03T00:30"),
    # Leap years, the years a page can be from, the last minute and second of a day
    ("2024-02-29", False, "2024-02-29"),
    ("2000-02-29", False, "2000-02-29"),
    ("1900-01-01", False, "1900-01-01"),
    ("2200-12-31", False, "2200-12-31"),
    ("2022-02-16 23:59:59", False, "2022-02-16T23:59:59"),
])
def test_dates_that_parse(text, china, expected):
    assert render.parse_date(text, china) == (expected, None)


@pytest.mark.parametrize("text, warning", [
    ("2023-02-29", "impossible date '2023-02-29'"),
    ("1900-02-29", "impossible date '1900-02-29'"),
    ("2022-04-31", "impossible date '2022-04-31'"),
    ("2022-13-01", "impossible date '2022-13-01'"),
    ("2022-00-10", "impossible date '2022-00-10'"),
    ("1850-01-01", "impossible date '1850-01-01'"),
    ("1899-12-31", "impossible date '1899-12-31'"),
    ("2201-01-01", "impossible date '2201-01-01'"),
    ("2022年2月30日", "impossible date '2022年2月30日'"),
    ("13/13/2023", "impossible date '13/13/2023'"),
])
def test_impossible_dates_give_null_and_a_warning(text, warning):
    assert render.parse_date(text, True) == (None, warning)


@pytest.mark.parametrize("text, date", [
    ("2022-02-16 24:00", "2022-02-16"),
    ("2022-02-16 10:60", "2022-02-16"),
    ("2022-02-16 10:30:60", "2022-02-16"),
])
def test_an_impossible_time_keeps_the_day_with_a_warning(text, date):
    found, warning = render.parse_date(text, True)
    assert found == date
    assert warning == f"impossible time in {text!r}"


@pytest.mark.parametrize("text, china, warning", [
    ("2月16日", True, "date without a year '2月16日'"),
    ("發布於 2 月 16 日", True, "date without a year '2 月 16 日'"),
    ("March 3", False, "date without a year 'March 3'"),
])
def test_dates_without_a_year_are_never_guessed(text, china, warning):
    assert render.parse_date(text, china) == (None, warning)


@pytest.mark.parametrize("text", ["", "hello", "No. 12345", "電話 010-67877741", "3/4 cup of flour"])
def test_no_date_no_warning(text):
    assert render.parse_date(text, True) == (None, None)


def test_an_explicit_zone_survives_the_whole_pipeline():
    doc = parsed(zh_document("發布時間:2022-02-16 08:57 UTC 來源:新华社"))
    assert doc["date"] == "2022-02-16T08:57+00:00"
    assert parsed(zh_document("發布時間:2022-02-16 08:57 來源:新华社"))["date"] == "2022-02-16T08:57+08:00"
    assert parsed(en_document("Published: 2022-02-16 08:57"))["date"] == "2022-02-16T08:57"


# ---------------------------------------------------------------------------
# Metadata labels: every label word, bare labels, view counts
# ---------------------------------------------------------------------------

# Every label word the README names, and its field: a word added to render.py's table needs a row here.
LABEL_WORDS = {
    "標題": "title", "标题": "title", "Title": "title",
    "發布時間": "date", "发布时间": "date", "發佈時間": "date", "發佈日期": "date", "發布日期": "date", "发布日期": "date",
    "發表時間": "date", "发表时间": "date", "更新時間": "date", "更新时间": "date", "時間": "date", "时间": "date",
    "日期": "date", "Published on": "date", "Published": "date", "Posted on": "date", "posted @": "date",
    "Posted": "date", "Updated": "date", "Date": "date",
    "文章來源": "source", "文章来源": "source", "新聞來源": "source", "新闻来源": "source", "信息來源": "source",
    "信息来源": "source", "消息來源": "source", "消息来源": "source", "來源": "source", "来源": "source",
    "出處": "source", "出处": "source", "Source": "source",
    "作者": "author", "記者": "author", "记者": "author", "撰稿": "author", "撰文": "author", "責任編輯": "author",
    "责任编辑": "author", "編輯": "author", "编辑": "author", "Author": "author", "By": "author",
    "Posted by": "author",
    "瀏覽次數": "views", "浏览次数": "views", "瀏覽量": "views", "浏览量": "views", "點擊量": "views",
    "点击量": "views", "閱讀量": "views", "阅读量": "views", "人氣": "views", "人气": "views", "瀏覽": "views",
    "浏览": "views", "點擊": "views", "点击": "views", "閱讀": "views", "阅读": "views", "Views": "views",
}
# What each field's value is in the test document, and what the parse must give for it.
LABEL_VALUES = {
    "title": ("測試新聞的標題", "測試新聞的標題"),
    "date": ("2022-02-16", "2022-02-16"),
    "source": ("新华社", "新华社"),
    "author": ("張三", "張三"),
    "views": ("1024", 1024),
}
EN_LABEL_VALUES = {
    "title": ("A Test Headline", "A Test Headline"),
    "date": ("March 3, 2024", "2024-03-03"),
    "source": ("Reuters", "Reuters"),
    "author": ("Jane Doe", "Jane Doe"),
    "views": ("1024", 1024),
}


def test_the_label_table_here_covers_render_s():
    assert label_words_in_render() == LABEL_WORDS


@pytest.mark.parametrize("label", sorted(LABEL_WORDS))
def test_every_label_word_fills_its_field(label):
    field = LABEL_WORDS[label]
    english = label.isascii()
    value, expected = (EN_LABEL_VALUES if english else LABEL_VALUES)[field]
    line = f"{label}: {value}" if english else f"{label}：{value}"
    doc = parsed(en_document(line) if english else zh_document(line))
    assert doc[field] == expected, doc
    assert line in doc["metadata_lines"]
    assert not any(value in p for p in body_paragraphs(doc))


@pytest.mark.parametrize("line, field, expected", [
    ("By Jane Doe", "author", "Jane Doe"),
    ("Posted on March 3, 2024", "date", "2024-03-03"),
    ("Published March 3, 2024", "date", "2024-03-03"),
    ("Updated March 3, 2024", "date", "2024-03-03"),
    ("posted @ 2012-03-15 10:20", "date", "2012-03-15T10:20"),
])
def test_bare_english_labels_in_the_header(line, field, expected):
    doc = parsed(en_document(line))
    assert doc[field] == expected, doc
    assert line in doc["metadata_lines"]


def test_posted_at_names_the_author_after_the_date():
    doc = parsed(zh_document("posted @ 2012-03-15 10:20 王五"))
    assert (doc["date"], doc["author"]) == ("2012-03-15T10:20+08:00", "王五")


def test_a_bare_label_word_opening_a_body_sentence_is_no_label():
    body = ("The council met on Monday evening to discuss the new park.\n\n"
            "By the end of the year the river was clean again, and the park was open to all.\n\n"
            "Posted notices told residents where the new paths would run through the woods.\n")
    doc = parsed(en_document("Published: March 3, 2024", body=body))
    assert doc["author"] is None
    assert doc["date"] == "2024-03-03"
    assert len(body_paragraphs(doc)) == 3
    assert body_paragraphs(doc)[1].startswith("By the end of the year")


def test_a_body_sentence_opening_with_by_and_a_date_gives_no_date():
    body = ("The council met on Monday evening to discuss the new park and its paths.\n\n"
            "By 2 March 2024 the paths were open, and the park was busy every weekend after.\n\n"
            "Residents said the new paths made the woods easy to walk for everyone.\n")
    doc = parsed("New Park Opens\n\n" + body)
    assert (doc["date"], doc["author"]) == (None, None)
    assert body_paragraphs(doc)[1].startswith("By 2 March 2024 the paths were open")


def test_a_byline_with_a_date_gives_both():
    doc = parsed(en_document("By Sam Lee on March 15, 2024"))
    assert (doc["author"], doc["date"]) == ("Sam Lee", "2024-03-15")


def test_publication_date_wins_over_an_update_label():
    doc = parsed(zh_document("更新時間：2022-03-01 發布時間：2022-02-16"))
    assert doc["date"] == "2022-02-16"


def test_several_fields_on_one_line():
    doc = parsed(zh_document("發布時間:2022-02-16 08:57:00 人氣:244 來源:中國安全防范產品行業協會"))
    assert (doc["date"], doc["views"], doc["source"]) == ("2022-02-16T08:57:00+08:00", 244, "中國安全防范產品行業協會")


@pytest.mark.parametrize("line, field, expected", [
    ("來源：新華社（北京）", "source", "新華社（北京）"),       # a closing bracket that closes one of the value's own
    ("來源：（北京）新華社", "source", "（北京）新華社"),       # and an opening one
    ("作者：王小明(CEO)", "author", "王小明(CEO)"),
    ("（來源：新華社）", "source", "新華社"),                   # brackets around the whole field are separators
    ("【來源：人民網】", "source", "人民網"),
    ("來源：新華社）", "source", "新華社"),                     # a stray closing one too
    ("來源：新華社（北京） 作者：張三", "source", "新華社（北京）"),  # the value ends before the next label
    ("來源：新華社（北京（東城））", "source", "新華社（北京（東城））"),  # nested: each closing bracket its own
    ("來源：（（北京）東城）新華社", "source", "（（北京）東城）新華社"),  # and each opening one
    ("來源：（新華社）", "source", "新華社"),                   # a bracket pair right after the label holds the value
])
def test_a_value_keeps_its_own_brackets(line, field, expected):
    doc = parsed(zh_document("發布時間：2022-02-16", line))
    assert doc[field] == expected, doc


@pytest.mark.parametrize("line, views", [
    ("人氣：244", 244),
    ("浏览次数：1,024", 1024),
    ("阅读 1.2万", 12000),
    ("人氣：1.2萬", 12000),
    ("阅读量：10万+", 100000),
    ("阅读(2345)", 2345),
    ("點擊：3.5萬次", 35000),
])
def test_view_counts(line, views):
    doc = parsed(zh_document(line))
    assert doc["views"] == views
    assert "views" not in warning_kinds(doc)


@pytest.mark.parametrize("line", ["浏览量：人", "阅读量：", "點擊量：很多"])
def test_a_view_label_without_a_number_gives_null_and_a_warning(line):
    doc = parsed(zh_document("發布時間：2022-02-16", line))
    assert doc["views"] is None
    assert "views" in warning_kinds(doc)


# ---------------------------------------------------------------------------
# Site chrome: each kind, a line it must match and a near miss it must not
# ---------------------------------------------------------------------------

CHROME_LINES = [
    ("breadcrumb", "首页 > 新闻 > 正文"),
    ("breadcrumb", "當前位置：首頁"),
    ("breadcrumb", "Home » News"),
    ("hotline", "全國咨詢熱線:010-67877741/42/43"),
    ("hotline", "Tel: +86 10 1234 5678"),
    ("hotline", "服務電話 (02) 4066-3000"),
    ("phone", "13910555092"),
    ("phone", "010-6787 7741"),
    ("phone", "+86 10 6787 7741"),
    ("prev-next", "上一篇：舊聞一則"),
    ("prev-next", "下一條"),
    ("prev-next", "Next post: Our Summer Trip"),
    ("related", "相关文章"),
    ("related", "延伸閱讀："),
    ("related", "Related articles"),
    ("copyright", "版权所有 © 2020 某某網"),
    ("copyright", "Copyright 2024 Example Inc."),
    ("copyright", "赣ICP备05001234号-2"),
    ("copyright", "京公网安备 11010502030143号"),
    ("share", "扫一扫 关注我们"),
    ("share", "分享到：微信 微博"),
    ("share", "阅读原文"),
    ("share", "点赞 12"),
    ("share", "Share this article"),
    ("comments", "128 条评论"),
    ("comments", "3 comments"),
    ("comments", "发表评论："),
    ("contact", "联系我们"),
    ("contact", "地址：某某市人民路88号"),
    ("contact", "E-mail: editor@example.org"),
    ("tools", "【字体：大 中 小】"),
    ("tools", "打印本页"),
    ("tools", "Back to top"),
    ("keywords", "关键词：教育 招生"),
    ("keywords", "Tags: news, city"),
    ("navigation", "首页 | 机构概况 | 政务公开 | 教育资讯"),
    ("navigation", "新闻 体育 财经 娱乐 科技"),
    ("buttons", "【我要打印】【关闭窗口】"),
    ("site-info", "主办单位：某市卫生健康委员会"),
    ("site-info", "Powered by WordPress"),
    ("site-info", "免责声明：本文仅代表作者本人观点"),
    ("today", "今天是：2024年5月6日 星期一"),
    ("advert", "Advertisement"),
    ("advert", "广告"),
]

# Lines that come close to a kind's words and must not be taken for chrome: the body's own sentences.
NEAR_MISSES = [
    ("breadcrumb", "首页改版后，读者反映查找信息更方便了。"),
    ("hotline", "他拨打热线反映了情况，很快得到回复。"),
    ("phone", "2022"),
    ("phone", "12345"),
    ("phone", "2022年全市新增就业岗位12万个。"),
    ("prev-next", "下一步将推动专家团队与家庭医生签约服务相结合。"),
    ("related", "相关文章显示，该市去年新增绿地120公顷。"),
    ("copyright", "We met at the cafÃ© on Friday."),
    ("copyright", "版权问题一直困扰着出版行业。"),
    ("share", "分享经验是他们每周的习惯。"),
    ("comments", "128 条评论里，大多数支持这项政策。"),
    ("contact", "请与我们联系，我们会尽快回复。"),
    ("tools", "打印机坏了，他只好手写通知。"),
    ("keywords", "关键词是合作与共享。"),
    ("navigation", "甲 | 乙"),
    ("buttons", "【新华社北京2月16日电】记者从国务院获悉，会议已经召开。"),
    ("site-info", "这次比赛由市教育局主办。"),
    ("today", "今天是个好日子，大家都很高兴。"),
    ("advert", "Advertisements were banned on the trams in 1990."),
    ("advert", "广告法修订后，虚假宣传明显减少。"),
]


def test_the_chrome_tables_here_cover_every_kind():
    assert {kind for kind, _line in CHROME_LINES} == chrome_kinds_in_render()
    assert {kind for kind, _line in NEAR_MISSES} == chrome_kinds_in_render()


@pytest.mark.parametrize("kind, line", CHROME_LINES, ids=[f"{k}:{line}" for k, line in CHROME_LINES])
def test_chrome_kind(kind, line):
    assert chrome_kind(line) == kind


@pytest.mark.parametrize("kind, line", NEAR_MISSES, ids=[f"{k}:{line}" for k, line in NEAR_MISSES])
def test_chrome_near_miss(kind, line):
    assert chrome_kind(line) is None


# Body sentences that open with a chrome kind's word: a line that reads as a sentence (a full stop at its end,
# and long or with a clause inside) is never taken for chrome by how it starts.
SENTENCES_OPENING_WITH_CHROME_WORDS = [
    "About 300 people came to the meeting, more than the hall could hold.",
    "Printing presses ran all night to get the news out to every house in town.",
    "Contact with the river water was forbidden until the tests came back clean.",
    "联系我们的读者很多，大家都很关心这件事的进展。",
    "地址变更后，市民可以在网上查询新的办事地点。",
    "承办这次比赛的学校很多，大家都很积极地参与。",
]


@pytest.mark.parametrize("sentence", SENTENCES_OPENING_WITH_CHROME_WORDS)
def test_a_sentence_opening_with_a_chrome_word_is_body(sentence):
    assert chrome_kind(sentence) is None


@pytest.mark.parametrize("chrome", ["13910555092", "010-6787 7741", "128 条评论", "3 comments", "扫一扫 关注我们"])
def test_chrome_in_the_middle_of_the_body_goes_to_boilerplate(chrome):
    body = ("  這是第一段正文，內容完整，說明了事情的來龍去脈。\n"
            f"{chrome}\n"
            "  這是第二段正文，也是一個完整的句子，寫得清清楚楚。\n"
            "  這是第三段正文，同樣是完整的句子。\n")
    doc = parsed(zh_document("發布時間：2022-02-16", body=body))
    assert chrome in doc["boilerplate"]
    assert len(body_paragraphs(doc)) == 3
    assert not any(chrome in p for p in body_paragraphs(doc))


# ---------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("line, heading", [
    # Numbered forms
    ("一、小標題", True),
    ("（二）工作安排", True),
    ("(三)下一步打算", True),
    ("1. Background", True),
    ("1、总体要求", True),
    ("第一章 總則", True),
    ("Part 2", True),
    ("Chapter Three", True),
    ("一、小標題，後面還有一句話，這是正文。", False),
    # Chinese: short, no sentence punctuation
    ("信息主導", True),
    ("國" * 24, True),
    ("國" * 25, False),
    ("這是一段正文，句子完整。", False),
    ("他說：", False),
    ("（完）", False),
    # English: title case, short
    ("The Road Ahead", True),
    ("Why We Left the City", True),
    ("A Park for the Whole Town", True),
    ("the road ahead", False),
    ("The road ahead for us all", False),
    ("Why We Left the City.", False),
    ("What Comes Next?", False),
    ("One Two Three Four Five Six Seven Eight Nine Ten Eleven", False),
])
def test_heading_rules(line, heading):
    assert is_heading(line) is heading


def test_headings_start_sections():
    body = ("  這是導語，內容完整，說明了事情的來龍去脈。\n"
            "一、工作進展\n"
            "  第一部分的正文，寫得清清楚楚。\n"
            "二、下一步打算\n"
            "  第二部分的正文，也是完整的句子。\n")
    doc = parsed(zh_document("發布時間：2022-02-16", body=body))
    assert [(s["heading"], len(s["paragraphs"])) for s in doc["sections"]] == [(None, 1), ("一、工作進展", 1), ("二、下一步打算", 1)]


def test_the_last_line_is_never_a_heading():
    assert is_heading("以上就是全部內容")
    doc = parsed(zh_document("發布時間：2022-02-16", body=ZH_BODY + "以上就是全部內容\n"))
    assert [s["heading"] for s in doc["sections"]] == [None]
    assert body_paragraphs(doc)[-1] == "以上就是全部內容"


# ---------------------------------------------------------------------------
# Paragraphs: hard wraps rejoined
# ---------------------------------------------------------------------------

# An English paragraph hard-wrapped at 64 columns. Its third line ends a sentence at 48 columns,
# 75% of the width: a wrapped line that wide continues its paragraph (the 70% rule).
WRAPPED_ENGLISH = [
    "The council met on Monday evening to discuss the plans for a new",
    "park beside the river, and most of the residents who came to the",
    "meeting spoke in favour of the proposal as drawn.",
    "Work is expected to begin in the spring, once the last of the",
    "permits have been granted and the contractors have been chosen by",
    "the city, which should take no more than a few weeks.",
]


def test_the_english_wrap_rows_sit_where_the_rule_needs_them():
    widths = [len(line) for line in WRAPPED_ENGLISH]
    assert max(widths) == 65
    assert 0.7 * 65 <= len(WRAPPED_ENGLISH[2]) < 0.8 * 65 and WRAPPED_ENGLISH[2].endswith(".")


def test_a_hard_wrapped_english_paragraph_stays_one():
    doc = parsed(en_document("Published: March 3, 2024", body="\n".join(WRAPPED_ENGLISH) + "\n"))
    assert body_paragraphs(doc) == [" ".join(WRAPPED_ENGLISH)]


def test_hard_wrapped_english_paragraphs_split_at_blank_lines():
    text = "\n".join(WRAPPED_ENGLISH[:3]) + "\n\n" + "\n".join(WRAPPED_ENGLISH[3:]) + "\n"
    doc = parsed(en_document("Published: March 3, 2024", body=text))
    assert body_paragraphs(doc) == [" ".join(WRAPPED_ENGLISH[:3]), " ".join(WRAPPED_ENGLISH[3:])]


WRAPPED_CHINESE = [
    "為進一步提升基層醫療服務能力，市衛生健康委近日啟動名醫下基層行動，組織",
    "三甲醫院專家定期到社區衛生服務中心坐診，首批三十二名專家涵蓋心內科、內",
    "分泌科、兒科等十二個專業。",
    "行動啟動以來，已累計接診居民兩千一百餘人次，開展健康講座十八場，居民反",
    "映良好，下一步還將推動專家團隊與家庭醫生簽約服務相結合，讓群眾在家門口",
    "看上好醫生。",
]


def test_a_hard_wrapped_chinese_paragraph_joins_without_spaces():
    doc = parsed(zh_document("發布時間：2022-02-16", body="\n".join(WRAPPED_CHINESE) + "\n"))
    assert body_paragraphs(doc) == ["".join(WRAPPED_CHINESE[:3]), "".join(WRAPPED_CHINESE[3:])]


def test_a_hyphen_at_a_wrap_joins_without_a_space():
    body = ["The council met on Monday evening to discuss the plans for a new",
            "park beside the river, and most of the residents who came to the",
            "meeting spoke in favour of the proposal, drawn up by a well-",
            "known firm of architects, which should take a few more weeks."]
    doc = parsed(en_document("Published: March 3, 2024", body="\n".join(body) + "\n"))
    assert body_paragraphs(doc) == [" ".join(body).replace("well- known", "well-known")]


def test_one_sentence_a_line_stays_one_paragraph_a_line():
    body = "第一段正文在這裡結束。\n第二段正文也在這裡結束。\n第三段正文同樣在這裡結束。\n"
    doc = parsed(zh_document("發布時間：2022-02-16", body=body))
    assert body_paragraphs(doc) == ["第一段正文在這裡結束。", "第二段正文也在這裡結束。", "第三段正文同樣在這裡結束。"]


# ---------------------------------------------------------------------------
# Punctuation widening
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    ("中,文", "中，文"),
    ("中:文", "中：文"),
    ("中;文", "中；文"),
    ("中!文", "中！文"),
    ("中?文", "中？文"),
    ("中?!", "中？！"),
    ("中,", "中，"),
    ("中,」", "中，」"),
    ("“好!”", "“好！”"),
    ("年,2021", "年，2021"),
    ("2021,年", "2021，年"),
    ("20%,警", "20%，警"),
    ("中,“好”", "中，“好”"),
    ("中(文)", "中（文）"),
    ("所(隊)四級", "所（隊）四級"),
    # Left alone: a "?" beside a digit may stand for a lost character
    ("2021?年", "2021?年"),
    ("年?2021", "年?2021"),
    ("7?25", "7?25"),
    # Left alone: times, Latin text, the start of a text, parentheses around no Chinese
    ("3:年", "3:年"),
    ("2021,", "2021,"),
    ("20%,", "20%,"),
    ("08:57", "08:57"),
    ("中,a", "中,a"),
    ("a,中", "a,中"),
    (",中", ",中"),
    ("中(CEO)", "中(CEO)"),
    ("中(2)", "中(2)"),
    ("iPhone,很好", "iPhone,很好"),
])
def test_widening(before, after):
    assert render.widen_punctuation(before, bytes(len(before))) == after


@pytest.mark.parametrize("text, expected", [
    ("會議於2021?年召開，中,文並用。", "會議於2021?年召開，中，文並用。"),
    ("他說:你好;再見!", "他說：你好；再見！"),
])
def test_widening_in_a_restored_text(text, expected):
    assert restored(text, "zh-Hant")[0] == expected


# ---------------------------------------------------------------------------
# Damage: lost characters, garbled runs, mojibake
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, lang, runs", [
    # Three Simplified-only characters in Traditional text, a lost "?" before them: garbled
    ("這是一段正文?浇约业的內容。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("??吹浇幼约夯丶业母赣H受", "zh-Hant", [("garbled", "??吹浇幼约夯丶业母赣H", None)]),
    # Two are not enough, nor one far from the run
    ("這是一段正文?浇约的內容。", "zh-Hant", []),
    ("国家很好，這是?浇约业的內容。", "zh-Hant", [("garbled", "?浇约业", None)]),
    # Stray Latin letters glued to a garbled run belong to it; a word's letters do not
    ("H?浇约业的內容。", "zh-Hant", [("garbled", "H?浇约业", None)]),
    ("這是H?浇约业的內容。", "zh-Hant", [("garbled", "H?浇约业", None)]),
    ("這是AH?浇约业的內容。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("AH?浇约业的內容。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("這是?浇约业H", "zh-Hant", [("garbled", "?浇约业H", None)]),
    ("這是?浇约业Hi的內容。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("這是?浇约业Hi", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("這是?浇约业A?浇约业的內容。", "zh-Hant", [("garbled", "?浇约业A", None), ("garbled", "?浇约业", None)]),
    ("甲?浇约业。乙?浇约业H。丙?浇约业", "zh-Hant", [("garbled", "?浇约业", None), ("garbled", "?浇约业H", None), ("garbled", "?浇约业", None)]),
    # A quotation mark whose partner was lost inside the run belongs to it
    ("他說“?浇约业很好。", "zh-Hant", [("garbled", "“?浇约业", None)]),
    ("他說“?浇约业”很好。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("他說?浇约业”很好。", "zh-Hant", [("garbled", "?浇约业”", None)]),
    ("他說‘?浇约业很好。", "zh-Hant", [("garbled", "‘?浇约业", None)]),
    ("他說?浇约业’很好。", "zh-Hant", [("garbled", "?浇约业’", None)]),
    ("他說‘?浇约业’很好。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("他說“?浇约业很好 他說”。", "zh-Hant", [("garbled", "?浇约业", None)]),
    ("他說“?浇约业", "zh-Hant", [("garbled", "“?浇约业", None)]),
    ("?浇约业的內容，他說“", "zh-Hant", [("garbled", "?浇约业", None)]),
    # UTF-8 read as GBK, three characters: repaired exactly
    ("鍙戝竷时间另行通知。", "zh-Hans", [("gbk", "鍙戝竷", "发布")]),
    ("延长运营时间，鍙戝竷鏃堕棿另行通知。", "zh-Hans", [("gbk", "鍙戝竷鏃堕棿", "发布时间")]),
    ("鍙戝竷了通知，另有閫氱煡。", "zh-Hans", [("gbk", "鍙戝竷", "发布"), ("gbk", "閫氱煡", "通知")]),
    # Only characters outside GB2312 count: 鏃堕棿 (时间) holds 堕, which is in it, so two, not three
    ("另有鏃堕棿。", "zh-Hans", []),
    ("鍙戝竷时间是7?25。", "zh-Hans", [("gbk", "鍙戝竷", "发布"), ("lost", "7?25", None)]),
    # Lost characters
    ("第7?25號", "zh-Hant", [("lost", "7?25", None)]),
    ("會議於2021?7?22召開", "zh-Hant", [("lost", "2021?7?22", None)]),
    ("中國\ufffd\ufffd人民", "zh-Hant", [("lost", "\ufffd\ufffd", None)]),
    ("中國\ufffd人民，第7?25號", "zh-Hant", [("lost", "\ufffd", None), ("lost", "7?25", None)]),
    ("他說“?當場”很好", "zh-Hant", [("lost", "?", None)]),
    # Not damage
    ("你好吗?我很好。", "zh-Hans", []),
    ("What? Really?", "zh-Hant", []),
    ("朱镕基到訪。", "zh-Hant", []),
    ("大陸網友留言:「这个国产手机怎么样?」", "zh-Hant", []),
])
def test_damage_found(text, lang, runs):
    assert restored(text, lang)[1] == runs


def test_damage_is_reported_with_its_place():
    body = "  這是第一段正文，內容完整。\n  這是第二段正文?浇约业的內容，很長很長。\n"
    doc = render.analyse_document(zh_document("發布時間：2022-02-16", body=body), "doc")
    damage = [(w["kind"], w["cause"], w["text"], w["section"], w["paragraph"]) for w in doc["warnings"] if w["kind"] == "damage"]
    assert damage == [("damage", "garbled", "?浇约业", 0, 1)]


def test_gbk_mojibake_is_repaired_and_reported():
    body = "  延长运营时间，鍙戝竷时间另行通知。\n  这是第二段正文。\n"
    text = "\n".join(["好文章的标题", "", "发布时间：2022-02-16", "", body])
    doc = render.analyse_document(text, "doc")
    assert doc["lang"] == "zh-Hans"
    assert [(w["kind"], w["cause"], w["text"], w["repair"]) for w in doc["warnings"] if w["kind"] == "mojibake"] == [
        ("mojibake", "gbk", "鍙戝竷", "发布")]
    assert body_paragraphs(doc)[0] == "延长运营时间，发布时间另行通知。"


# ---------------------------------------------------------------------------
# Pinyin readings
# ---------------------------------------------------------------------------

RT = re.compile(r"<rt[^>]*>([^<]*)</rt>")


def shown_readings(text: str) -> tuple[list[str], str]:
    """(the readings a page shows as ruby, the article's visible text without them)."""
    page, _meta = render.render_document(text, "doc")
    article = page[page.index("<article"): page.index("</article>")]
    visible = re.sub(r"<rp>.*?</rp>|<rt[^>]*>.*?</rt>|<[^>]+>", "", article)
    return RT.findall(article), visible


def test_toneless_readings_become_ruby_when_the_converter_writes_tones():
    body = "  全國(guó)平安(ān)建設(shè)的(de)成績，我們(men)都看到了。\n  這是第二段正文。\n"
    readings, visible = shown_readings(zh_document("發布時間：2022-02-16", body=body))
    assert readings == ["guó", "ān", "shè", "de", "men"]
    assert "(de)" not in visible and "(men)" not in visible and "的成績，我們都看到了" in visible


def test_readings_typed_with_v_for_u_umlaut_are_pinyin():
    body = "  全國(guó)平安(ān)建設(shè)，婦女(nv)和綠(lv)色。\n  這是第二段正文。\n"
    readings, visible = shown_readings(zh_document("發布時間：2022-02-16", body=body))
    assert readings == ["guó", "ān", "shè", "nv", "lv"]
    assert "婦女和綠色" in visible


def test_toneless_readings_stay_text_without_three_toned_ones():
    body = "  全國(guó)平安(ān)的(de)成績，我們(men)都看到了。\n  這是第二段正文。\n"
    readings, visible = shown_readings(zh_document("發布時間：2022-02-16", body=body))
    assert readings == ["guó", "ān"]
    assert "的(de)成績，我們(men)都看到了" in visible


@pytest.mark.parametrize("annotation", ["(CEO)", "(隊)", "(2022)", "(xyz)", "(abcdefgh)"])
def test_parentheses_that_are_no_reading_stay_text(annotation):
    body = f"  全國(guó)平安(ān)建設(shè)，所{annotation}四級。\n  這是第二段正文。\n"
    readings, visible = shown_readings(zh_document("發布時間：2022-02-16", body=body))
    assert readings == ["guó", "ān", "shè"]
    assert f"所{annotation}四級" in visible or f"所{annotation.replace('(', '（').replace(')', '）')}四級" in visible


# ---------------------------------------------------------------------------
# The renderer fingerprint: every option and every template byte counts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("options", [
    render.Options(script="simplified"),
    render.Options(script="traditional"),
    render.Options(keep_punctuation=True),
], ids=["simplified", "traditional", "keep-punctuation"])
def test_each_option_changes_the_fingerprint(options):
    assert render.renderer_fingerprint(None, options) != render.renderer_fingerprint(None, render.Options())


def test_the_fingerprint_is_stable_and_follows_every_template_byte(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "custom.css").write_text(":root { --bg: #fdf6e3; }\n", encoding="utf-8")
    first = render.renderer_fingerprint(theme, render.Options())
    assert render.renderer_fingerprint(theme, render.Options()) == first
    assert first != render.renderer_fingerprint(None, render.Options())
    (theme / "custom.css").write_text(":root { --bg: #fdf6e4; }\n", encoding="utf-8")  # one byte, same length
    assert render.renderer_fingerprint(theme, render.Options()) != first
    (theme / "custom.css").write_text(":root { --bg: #fdf6e3; }\n", encoding="utf-8")
    (theme / "notes.txt").write_text("", encoding="utf-8")  # a new file, even empty (a template may include it)
    assert render.renderer_fingerprint(theme, render.Options()) != first


def test_a_rerun_with_another_script_renders_again(tmp_path):
    out = tmp_path / "out"
    assert run_main(SEED, "-o", out).returncode == 0
    again = run_main(SEED, "-o", out)
    assert "rendered 0, failed 0, unchanged 1" in again.stderr
    simplified = run_main(SEED, "-o", out, "--script", "simplified")
    assert simplified.returncode == 0, simplified.stderr
    assert "rendered 1, failed 0" in simplified.stderr
    assert '<html lang="zh-Hans"' in (out / f"{SEED.stem}.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# The Content-Security-Policy hash
# ---------------------------------------------------------------------------


def style_and_policy_hash(page: str) -> tuple[str, str]:
    """(the sha256 source of the page's one inline style, computed here; the style-src of its policy)."""
    [style] = re.findall(r"<style>(.*?)</style>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)[1].replace("&#39;", "'")
    return f"'sha256-{digest}'", re.search(r"style-src ([^;]+)", policy)[1]


def test_each_template_set_in_one_process_gets_its_own_hash(tmp_path):
    themes = []
    for colour in ("#fdf6e3", "#102030"):
        theme = tmp_path / colour.strip("#")
        theme.mkdir()
        (theme / "custom.css").write_text(f":root {{ --bg: {colour}; }}\n", encoding="utf-8")
        themes.append(theme)
    text = zh_document("發布時間：2022-02-16")
    hashes = []
    for theme in [None, *themes, themes[0], None]:
        page, _meta = render.render_document(text, "doc", templates=theme)
        expected, policy = style_and_policy_hash(page)
        assert policy == expected, theme
        hashes.append(expected)
    assert len(set(hashes)) == 3 and hashes[0] == hashes[4] and hashes[1] == hashes[3]


def test_the_index_policy_hashes_its_own_style(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "custom.css").write_text(":root { --fg: #073642; }\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_main(SEED, "-o", out, "--templates", theme).returncode == 0
    for name in ("index.html", f"{SEED.stem}.html"):
        expected, policy = style_and_policy_hash((out / name).read_text(encoding="utf-8"))
        assert policy == expected, name


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------


def test_write_atomic_never_writes_in_place(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")
    alias = tmp_path / "alias.html"
    os.link(target, alias)  # the same file under a second name: writing in place would change it too
    render.write_atomic(target, "new page")
    assert target.read_text(encoding="utf-8") == "new page"
    assert alias.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alias.html", "page.html"]


def test_a_reader_never_sees_half_a_page(tmp_path, monkeypatch):
    """Up to the one rename, a reader finds the old page whole; the rename brings the new page whole."""
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")
    page = "<html><body>" + "新的一頁 " * 5000 + "</body></html>"
    renames = []
    rename = os.replace

    def watched_rename(source, destination):
        renames.append((Path(destination).read_text(encoding="utf-8"), Path(source).read_text(encoding="utf-8")))
        rename(source, destination)
    monkeypatch.setattr(os, "replace", watched_rename)
    render.write_atomic(target, page)
    assert renames == [("old page", page)]
    assert target.read_text(encoding="utf-8") == page


def test_write_atomic_writes_bytes_too(tmp_path):
    target = tmp_path / "image.png"
    render.write_atomic(target, b"\x89PNG\r\n")
    assert target.read_bytes() == b"\x89PNG\r\n"


def test_write_atomic_creates_a_new_file(tmp_path):
    target = tmp_path / "new.html"
    render.write_atomic(target, "本文")
    assert target.read_bytes() == "本文".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["new.html"]


def test_write_atomic_writes_lf_line_endings(tmp_path):
    target = tmp_path / "page.html"
    render.write_atomic(target, "a\nb\n")
    assert target.read_bytes() == b"a\nb\n"
