"""The metadata rules of one line, one table each: dates and clocks, labels and their values (sources, authors, views),
bylines, outlets beside a date, which value wins, and which lines are no metadata; written by hand from the README.

The rules come from README's "What the parser recognises" (labels, dates, source and author) and the comments beside
read_meta_line and MetaFields in render.py. Most rows read one line, or a few lines in order, as the page's header
or as a line below it, the way parse_text does: a whole document would hide each row's line behind the choices of
the article model. The internal names this needs are wrapped just below, so that a rename is a one-line fix here.
"""
from __future__ import annotations

import pytest

import render

# ---------------------------------------------------------------------------
# The internal names this module uses, in one place
# ---------------------------------------------------------------------------

FIELDS = ("title", "date", "source", "author", "views")


def read_lines(*lines: str, header: bool = True, china: bool = True) -> tuple[list[bool], dict, list[str]]:
    """Read lines in order into one page's metadata, as the header (or the text below it) is read:
    (whether each line is a metadata line, the fields found, the warnings' messages)."""
    meta = render.MetaFields()
    flags = [render.read_meta_line(line, meta, china, header) for line in lines]
    fields = {name: getattr(meta, name) for name in FIELDS if getattr(meta, name) is not None}
    return flags, fields, [warning["message"] for warning in meta.warnings]


def header_line(line: str, china: bool = True) -> tuple[bool, dict]:
    """Whether one header line is metadata, and the fields it gives."""
    flags, fields, _warnings = read_lines(line, china=china)
    return flags[0], fields


def below_line(line: str) -> tuple[bool, dict]:
    """Whether one line below the header (in the text or the footer) is metadata, and the fields it gives."""
    flags, fields, _warnings = read_lines(line, header=False)
    return flags[0], fields


def parsed(text: str) -> dict:
    return render.parse_document(text, "doc").to_json()


ZH_BODY = "  這是第一段正文，內容完整，說明了事情的來龍去脈。\n  這是第二段正文，也是一個完整的句子。\n"


def zh_document(*header: str) -> str:
    return "\n".join(["好文章的標題", "", *header, "", ZH_BODY])


# ---------------------------------------------------------------------------
# Dates: clocks, zones, the time before a date
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, china, expected", [
    # A 24-hour clock at noon and midnight: no "am"/"pm", the hour stays as written
    ("2022-02-16 12:00", False, "2022-02-16T12:00"),
    ("2022-02-16 00:05", False, "2022-02-16T00:05"),
    ("2022-02-16 11:00 pm", False, "2022-02-16T23:00"),
    ("2022-02-16 01:00 am", False, "2022-02-16T01:00"),
    # A clock before the date, in the morning or at midnight
    ("3:01am Tuesday 3rd September 2013", False, "2013-09-03T03:01"),
    ("12:10 a.m. March 3, 2024", False, "2024-03-03T00:10"),
    # Only a clock right before the date belongs to it (a weekday may stand between)
    ("10:20 in the morning, March 3, 2024", False, "2024-03-03"),
    ("Opening 9:30, Tuesday March 3, 2024", False, "2024-03-03T09:30"),
    # A zone written without a colon, and a Chinese page's own zone kept
    ("2022-02-16T08:57:00+0800", False, "2022-02-16T08:57:00+08:00"),
    ("2022-02-16 08:57 -0330", True, "2022-02-16T08:57-03:30"),
    # A clock of one-digit minutes and seconds in Chinese (10时5分3秒)
    ("2022年02月16日10时5分3秒", True, "2022-02-16T10:05:03+08:00"),
    # A month name in capitals, or abbreviated with a stop
    ("MARCH 3, 2024", False, "2024-03-03"),
    ("3 Dec. 2024", False, "2024-12-03"),
    # Several dates on one line: the first of them
    ("2022-02-16, updated 2022-03-01", False, "2022-02-16"),
])
def test_clocks_zones_and_several_dates(text, china, expected):
    assert render.parse_date(text, china) == (expected, None)


@pytest.mark.parametrize("text", [
    "16/02/22",  # a two-digit year is no year: no date, and no guess
    "22-02-16 08:57",
    "Version 2.0.1",
])
def test_no_four_digit_year_no_date(text):
    assert render.parse_date(text, True) == (None, None)


# ---------------------------------------------------------------------------
# Labels and their values in the header
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("line, is_meta, fields", [
    # Several labels on one line: each value ends where the next label starts, separators aside
    ("作者：张三 | 來源：新华社", True, {"author": "张三", "source": "新华社"}),
    ("來源：新华社 作者：张三 人氣：88", True, {"source": "新华社", "author": "张三", "views": 88}),
    # A clock after a labelled date is China's on a Chinese page
    ("發布時間：2022-02-16 08:57 來源：新华社", True, {"date": "2022-02-16T08:57+08:00", "source": "新华社"}),
    # A labelled title, kept whole: a word of the page tools inside it is the title's
    ("標題：測試新聞的標題", True, {"title": "測試新聞的標題"}),
    ("Title: How to Print Photos at Home", True, {"title": "How to Print Photos at Home"}),
    # Page tools after a value are not part of it
    ("來源：新华社 【字体：大 中 小】 打印", True, {"source": "新华社"}),
    ("來源：南方周末 分享到", True, {"source": "南方周末"}),
    # An author's credit words are not part of the name
    ("作者：张三 摄", True, {"author": "张三"}),
    ("记者：李四 报道", True, {"author": "李四"}),
    ("作者：王五/文", True, {"author": "王五"}),
    ("Posted by Alicia under Career Advice, Coaching", True, {"author": "Alicia"}),
    # A byline with the date after the name: "Sam Lee on March 15, 2024"
    ("By Sam Lee on March 15, 2024", True, {"author": "Sam Lee", "date": "2024-03-15"}),
    ("By Sam Lee, March 15, 2024", True, {"author": "Sam Lee", "date": "2024-03-15"}),
    ("作者：张三 2022-02-16 08:57", True, {"author": "张三", "date": "2022-02-16T08:57+08:00"}),
    # A Chinese byline without a colon
    ("記者陳怡君／台北報導", True, {"author": "陳怡君"}),
    ("（记者 李明）", True, {"author": "李明"}),
    # A label whose value is no name, no number or nothing: no field, and no metadata line
    ("作者：这是一段很长的说明文字，并不是人名。", False, {}),
    ("來源：", False, {}),
    # A label word that opens another word is no label ("作者简介": the author's biography)
    ("作者简介", False, {}),
    # A label in the middle of a sentence is no label; two or more labels after some words still are
    ("本文转载自其他网站，来源：新华社", False, {}),
    ("新闻中心 发布时间：2022-02-16 来源：新华社", True, {"date": "2022-02-16", "source": "新华社"}),
    # A date before the first label, and a crawler's stray number
    ("2022-02-16 10:20 来源：新华社", True, {"date": "2022-02-16T10:20+08:00", "source": "新华社"}),
    ("【2022-02-16】 來源：新华社", True, {"date": "2022-02-16", "source": "新华社"}),
    ("2022-02-16 来源：", True, {"date": "2022-02-16"}),
    ("0 发布时间：2021.04.17", True, {"date": "2021-04-17"}),
    # A date label followed by a weekday: no author after a date but "posted @"'s
    ("發布時間：2022-02-16 10:20 星期三", True, {"date": "2022-02-16T10:20+08:00"}),
])
def test_labelled_header_lines(line, is_meta, fields):
    assert header_line(line) == (is_meta, fields)


@pytest.mark.parametrize("line, author", [
    # "posted @ date time  name": the name, up to two spaces
    ("posted @ 2012-03-15 10:20  王五  评论(0)  编辑", "王五"),
    ("posted @ 2012-03-15 10:20 Jane Doe", "Jane Doe"),
    ("posted @ 2012-03-15 10:20 |  王五", "王五"),
    ("posted @ 2012-03-15 10:20 王五 |  评论(0)", "王五"),  # separators around the name are not part of it
    ("posted @ 2012-03-15 10:20", None),  # nothing after the date: no author
    ("posted @ 2012-03-15 10:20 阅读这篇文章的人，都说好。", None),  # a sentence is no name
])
def test_posted_at_author(line, author):
    is_meta, fields = header_line(line)
    assert is_meta
    assert (fields["date"], fields.get("author")) == ("2012-03-15T10:20+08:00", author)


# ---------------------------------------------------------------------------
# View counts
# ---------------------------------------------------------------------------

# A value of 12 characters and one of 13, neither of them a number
TWELVE = "很多很多很多很多很多很多"
THIRTEEN = TWELVE + "人"


@pytest.mark.parametrize("line, is_meta, views, unread", [
    ("阅读(2345)", True, 2345, None),
    ("人氣：244 人次（統計至今日為止）", True, 244, None),  # a long value that starts with the count
    ("瀏覽次數：1,024,000", True, 1024000, None),
    ("阅读 10万+", True, 100000, None),
    ("點擊：0.5萬", True, 5000, None),
    # A short value without a number: a metadata line with a warning; a long one (a sentence) is no metadata line
    (f"阅读：{TWELVE}", True, None, TWELVE),
    (f"阅读：{THIRTEEN}", False, None, THIRTEEN),
    ("Views: X1", True, None, "X1"),  # the count must open the value
])
def test_view_counts(line, is_meta, views, unread):
    """unread: the value a warning names, when it holds no count."""
    flags, fields, warnings = read_lines(line)
    assert (flags, fields.get("views")) == ([is_meta], views)
    assert warnings == ([f"view count label without a number: {unread!r}"] if unread else [])


def test_the_first_view_count_stays():
    assert read_lines("人氣：244", "阅读：1024")[1] == {"views": 244}


# ---------------------------------------------------------------------------
# Which value wins
# ---------------------------------------------------------------------------


WHICH_WINS = [
    # The first value of a field stays
    (("作者：张三", "作者：李四"), {"author": "张三"}),
    (("來源：新华社", "来源：人民网"), {"source": "新华社"}),
    (("發布時間：2022-02-16", "日期：2022-02-18"), {"date": "2022-02-16"}),
    (("標題：第一個標題", "標題：第二個標題"), {"title": "第一個標題"}),
    # An update date counts only without a publication date, on the same line or another, in either order
    (("更新時間：2022-03-01", "更新時間：2022-03-05"), {"date": "2022-03-01"}),
    (("更新時間：2022-03-01", "發布時間：2022-02-16"), {"date": "2022-02-16"}),
    (("發布時間：2022-02-16", "更新時間：2022-03-01"), {"date": "2022-02-16"}),
    # An impossible publication date leaves the update date
    (("更新時間：2022-03-01 發布時間：2022-02-30",), {"date": "2022-03-01"}),
    # A labelled source wins over an outlet beside a date, in either order, whatever stands between
    (("2022-02-16 新华网", "來源：人民网"), {"date": "2022-02-16", "source": "人民网"}),
    (("來源：人民网", "2022-02-16 新华网"), {"date": "2022-02-16", "source": "人民网"}),
    (("Reuters | March 3, 2024", "By Jane Doe", "Source: AP"), {"date": "2024-03-03", "author": "Jane Doe", "source": "AP"}),
    # ... but a second outlet does not replace the first
    (("2022-02-16 新华网", "2022-02-17 人民网"), {"date": "2022-02-16", "source": "新华网"}),
    (("Reuters | March 3, 2024", "AP | March 4, 2024"), {"date": "2024-03-03", "source": "Reuters"}),
]


@pytest.mark.parametrize("lines, fields", WHICH_WINS, ids=[" / ".join(lines) for lines, _fields in WHICH_WINS])
def test_which_value_wins(lines, fields):
    assert read_lines(*lines)[1] == fields


def test_an_impossible_date_warns_and_leaves_the_other():
    flags, fields, warnings = read_lines("更新時間：2022-03-01 發布時間：2022-02-30")
    assert (flags, fields, warnings) == ([True], {"date": "2022-03-01"}, ["impossible date '2022-02-30'"])


def test_the_outlet_of_the_date_line_gives_way_to_the_labelled_source_in_a_document():
    doc = parsed(zh_document("2022-02-16 08:57 新华网", "來源：人民网"))
    assert (doc["date"], doc["source"]) == ("2022-02-16T08:57+08:00", "人民网")


# ---------------------------------------------------------------------------
# Unlabelled lines of the header: a date line, a date and an outlet or a writer, WeChat's byline
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("line, is_meta, fields", [
    # A date line, with a weekday or a zone word beside it
    ("2022年2月16日 10:20", True, {"date": "2022-02-16T10:20+08:00"}),
    ("2022年2月16日 星期三", True, {"date": "2022-02-16"}),
    ("March 3, 2024 EST", True, {"date": "2024-03-03"}),
    # A date and the outlet's name, with a clock (China's on a Chinese page)
    ("2022年02月16日 08:57 新华网", True, {"date": "2022-02-16T08:57+08:00", "source": "新华网"}),
    ("Reuters | March 3, 2024", True, {"date": "2024-03-03", "source": "Reuters"}),
    ("Xinhua | March 3, 2024", True, {"date": "2024-03-03", "source": "Xinhua"}),
    ("The Daily Star | March 3, 2024", True, {"date": "2024-03-03", "source": "The Daily Star"}),
    # A person's name beside a date is the writer
    ("Jay Cochran - November 11, 2011", True, {"date": "2011-11-11", "author": "Jay Cochran"}),
    ("Mary Smith | March 3, 2024", True, {"date": "2024-03-03", "author": "Mary Smith"}),
    # WeChat: author, account, date, place
    ("原创 林小满 城市漫步 2023-07-08 18:30 发表于江苏", True,
     {"date": "2023-07-08T18:30+08:00", "author": "林小满", "source": "城市漫步"}),
    ("城市漫步 2023-07-08", True, {"date": "2023-07-08", "source": "城市漫步"}),
    # A date in a sentence is no date line
    ("The park opens on March 3, 2024 for all", False, {}),
    # "Today is …" in the site's header: the day the page was seen
    ("今天是2024年3月3日 星期日", False, {}),
    ("As of Tuesday, June 4, 2013", False, {}),
    # A list item (a related article with its date) is no metadata line
    ("· 2023-04-20 老旧供水管网改造完成过半", False, {}),
    # A line without a date or a label
    ("好文章的標題", False, {}),
])
def test_unlabelled_header_lines(line, is_meta, fields):
    assert header_line(line) == (is_meta, fields)


@pytest.mark.parametrize("line, named", [
    ("2月16日", "2月16日"),
    ("【2月16日】", "2月16日"),  # brackets around it are separators
    ("March 3", "March 3"),
])
def test_a_header_date_without_a_year_is_a_metadata_line_with_a_warning(line, named):
    assert read_lines(line) == ([True], {}, [f"date without a year {named!r}"])


# A date without a year, padded with separators to 40 characters and to 41
YEARLESS_40 = "|" * 33 + "March 3"
YEARLESS_41 = "|" * 34 + "March 3"


def test_a_date_without_a_year_is_read_from_a_line_of_at_most_40_characters():
    assert (len(YEARLESS_40), len(YEARLESS_41)) == (40, 41)
    assert read_lines(YEARLESS_40) == ([True], {}, ["date without a year 'March 3'"])
    assert read_lines(YEARLESS_41) == ([False], {}, [])


# A date line of 40 characters is read as a date line; one of 41 is not.
DATE_LINE_40 = "Wednesday, September 25, 2024 11:45 p.m."
DATE_LINE_41 = "Wednesday, September 25, 2024 at 11:45 PM"


def test_the_date_line_rows_have_the_lengths_they_pin():
    assert (len(DATE_LINE_40), len(DATE_LINE_41)) == (40, 41)


@pytest.mark.parametrize("line, is_meta, fields", [
    (DATE_LINE_40, True, {"date": "2024-09-25T23:45"}),
    (DATE_LINE_41, False, {}),
])
def test_an_unlabelled_date_line_is_at_most_40_characters(line, is_meta, fields):
    assert header_line(line, china=False) == (is_meta, fields)


# ---------------------------------------------------------------------------
# Lengths: a metadata line, a value
# ---------------------------------------------------------------------------

LINE_PREFIX = "發布時間：2022-02-16 來源："


def padded(prefix: str, length: int) -> str:
    return prefix + "某" * (length - len(prefix))


@pytest.mark.parametrize("line, is_meta, fields", [
    # A line up to 160 characters may be a metadata line (its source, too long, is dropped); a longer one is not
    pytest.param(padded(LINE_PREFIX, 160), True, {"date": "2022-02-16"}, id="line of 160 characters"),
    pytest.param(padded(LINE_PREFIX, 161), False, {}, id="line of 161 characters"),
    # ... but a byline may be longer: "Posted by Alicia under C-Suite, Career Advice, …"
    pytest.param("Posted by Alicia under " + ", ".join(["Career Advice"] * 12), True, {"author": "Alicia"}, id="byline of 201"),
    # A value up to 60 characters
    pytest.param("來源：" + "新" * 60, True, {"source": "新" * 60}, id="value of 60 characters"),
    pytest.param("來源：" + "新" * 61, False, {}, id="value of 61 characters"),
])
def test_lengths(line, is_meta, fields):
    assert header_line(line) == (is_meta, fields)


# ---------------------------------------------------------------------------
# Below the header: a label counts only with a colon, a number after it, or as "posted @"
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("line, is_meta, fields", [
    ("來源：新华社", True, {"source": "新华社"}),
    ("人氣 244", True, {"views": 244}),
    ("posted @ 2012-03-15 10:20 王五", True, {"date": "2012-03-15T10:20+08:00", "author": "王五"}),
    ("記者陳怡君／台北報導", True, {"author": "陳怡君"}),
    # No colon, no number: a body sentence that opens with a label word
    ("Posted notices dated 2 March 2024 told residents where to go.", False, {}),
    # A title label below the header is the text's, not the page's
    ("標題：測試新聞", False, {}),
    # Unlabelled dates count only in the header
    ("2022-02-16 新华网", False, {}),
    ("每日一读 2023-07-08", False, {}),  # nor a WeChat byline (an account and a date)
    ("Jan 9", False, {}),
    ("這是一段普通的正文。", False, {}),
])
def test_lines_below_the_header(line, is_meta, fields):
    assert below_line(line) == (is_meta, fields)
