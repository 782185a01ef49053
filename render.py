#!/usr/bin/env python3
"""Turn scraped or hand-written article documents into clean, standalone HTML pages.

Pipeline, in the order this file reads: read and decode -> parse into an Article
-> restore the text (script, punctuation, damage) -> Markdown -> HTML -> page -> write.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__version__ = "1.0.0"

HERE = Path(__file__).resolve().parent
DEFAULT_INPUT = HERE / "seeds"
DEFAULT_OUTPUT = Path("out")
BUILTIN_TEMPLATES = HERE / "templates"
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
MANIFEST_NAME = ".render-manifest.json"

# ---------------------------------------------------------------------------
# Characters and patterns
# ---------------------------------------------------------------------------

# A pinyin reading is kept inside the text as RUBY_OPEN reading RUBY_CLOSE right
# after its character. Both are Unicode noncharacters, reserved for internal use,
# so no real text can collide with them (decoding replaces any that arrive).
RUBY_OPEN, RUBY_CLOSE = "\ufdd0", "\ufdd1"
SECTION_BREAK = "\ufdd2"  # separates sections inside one Markdown conversion
NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_CHAR = re.compile(f"[{CJK}]")
TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"

# A converter's reading after a Han character (or after a character already lost
# to '?' or U+FFFD): 國(guó), ?(dāng). Real parentheses such as 所(隊) hold Han text.
PINYIN_ANNOTATION = re.compile(f"(?<=[{CJK}?\ufffd])\\((?P<reading>[a-zü{TONE_LETTERS}]{{1,7}})\\)")
# The shape of one pinyin syllable once its tone marks are gone: guo, zhuang, nü, er.
PINYIN_SYLLABLE = re.compile(r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:[aeiouü]{1,3})(?:ng|n|r)?$|^(?:hm|hng|ng|m|n)$")
MARKED_READING = re.compile(f"{RUBY_OPEN}[^{RUBY_CLOSE}]*{RUBY_CLOSE}")
# The character and its reading, as kept inside texts: 國\ufdd0guó\ufdd1.
MARKED_RUBY = re.compile(f"(?P<base>[^{RUBY_OPEN}{RUBY_CLOSE}]){RUBY_OPEN}(?P<reading>[^{RUBY_CLOSE}]*){RUBY_CLOSE}")

INDENT_CHARS = " \t\u3000\u00a0\u2002\u2003\ufeff"
# Ends a sentence or a quoted sentence: 。 ！ ？ . ! ? … and closing quotes after them.
SENTENCE_END = re.compile(r"[。！？!?….．:：;；][”’\"'」』）)\]】》]*$|[”」』]$")
# Punctuation that only a sentence, never a subheading, carries inside: , ， ; ；
SENTENCE_INNER = re.compile(r"[，,；;。！？!?]")
# Numbered subheadings: 一、 （二） (三) 1. 1、 第一章 Part 2
NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,2}[、.．]\s*(?=\D)"
    r"|第[一二三四五六七八九十百\d]+[章節节部篇]|(?:Part|Chapter|Section)\s+\w+)"
)
SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or over the to up via vs with".split())
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# ---------------------------------------------------------------------------
# Labels and site chrome: data, not branches
# ---------------------------------------------------------------------------

# Label words for each metadata field, in order of preference within a field.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "title": ("標題", "标题", "Title"),
    "date": ("發布時間", "发布时间", "發佈時間", "發佈日期", "發布日期", "发布日期", "發表時間", "发表时间",
             "更新時間", "更新时间", "時間", "时间", "日期", "Published on", "Published", "Posted on",
             "posted @", "Posted", "Updated", "Date"),
    "source": ("文章來源", "文章来源", "新聞來源", "新闻来源", "來源", "来源", "出處", "出处", "Source"),
    "author": ("作者", "記者", "记者", "撰稿", "撰文", "責任編輯", "责任编辑", "編輯", "编辑", "Author", "By"),
    "views": ("瀏覽次數", "浏览次数", "瀏覽量", "浏览量", "點擊量", "点击量", "閱讀量", "阅读量", "人氣", "人气",
              "瀏覽", "浏览", "點擊", "点击", "閱讀", "阅读", "Views"),
}
LABEL_FIELD = {label.casefold(): name for name, labels in FIELD_LABELS.items() for label in labels}
# English labels may stand without a colon ("By Jane Doe", "Posted @ 2010-07-06").
BARE_LABELS = frozenset(label.casefold() for label in ("By", "Published", "Published on", "Posted", "Posted on", "posted @", "Updated"))
_LABEL_ALTERNATION = "|".join(re.escape(label) for label in sorted(LABEL_FIELD, key=len, reverse=True))
# A label at the start of a line or after a field separator: "來源:中國…", "| Posted @ …".
META_LABEL = re.compile(
    rf"(?:^|(?<=[\s|｜·•/,，;；\[【(（]))(?P<label>{_LABEL_ALTERNATION})(?![A-Za-z])\s*(?P<colon>[:：]?)\s*",
    re.IGNORECASE,
)
FIELD_SEPARATORS = " \t\u3000|｜·•/,，;；[]【】()（）"
# A source credited in parentheses at the end of the body: （来源：新华社）
TRAILING_SOURCE = re.compile(r"\s*[（(](?:文章)?(?:來源|来源|出處|出处|Source)\s*[:：]\s*(?P<source>[^（）()]{1,40})[）)]\s*$", re.I)

# Lines that are site chrome, by kind. Matched against the clean text of one line.
CHROME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in (
    ("breadcrumb", r"^(?:首页|首頁|主页|主頁|Home)\s*(?:[>»›/＞→]|&gt;)|^(?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置|所在位置)"),
    ("hotline", r"(?:热线|熱線|电话|電話|手机|手機|传真|傳真|Tel|Phone|Fax|Hotline)\s*[:：]?\s*[+\d(（][\d\s\-–/()（）+]{5,}"),
    ("phone", r"^[+(（]?\d[\d\s\-–/()（）+]{6,}$"),
    ("prev-next", r"^(?:上一篇|下一篇|前一篇|后一篇|後一篇|上一条|下一条|上一條|下一條|上一页|下一页|Previous(?: post| article)?|Next(?: post| article)?|«|»)\s*[:：]?"),
    ("related", r"^(?:相关|相關|推荐|推薦|热门|熱門|延伸|更多|猜你喜欢|猜你喜歡)(?:文章|阅读|閱讀|新闻|新聞|推荐|推薦|链接|鏈接|资讯|資訊)|^(?:Related|Recommended|More|Popular|Trending)(?: articles| posts| stories| reading| news)?\s*:?$"),
    ("copyright", r"版权所有|版權所有|Copyright|©|\(c\)\s*\d{4}|ICP[备備证證]|公网安备|公網安備|All rights reserved|未经授权|未經授權"),
    ("share", r"扫一扫|掃一掃|二维码|二維碼|关注公众号|關注公眾號|关注我们|關注我們|微信公众|微信公眾|分享到|分享至|^分享$|Share (?:this|on)|Follow us|^Subscribe|Sign up for|Newsletter|Privacy Policy|Terms of (?:Use|Service)|Cookie"),
    ("comments", r"^\d+\s*(?:条评论|條評論|comments?|评论|評論)$|^(?:发表评论|發表評論|我要评论|我要評論|网友评论|網友評論|Leave a (?:comment|reply)|Comments?)\s*[:：]?$"),
    ("contact", r"^(?:联系我们|聯系我們|聯繫我們|联系方式|聯系方式|聯繫方式|关于我们|關於我們|關于我們|上班时间|上班時間|工作时间|工作時間|办公时间|辦公時間|公司电话|公司電話|热线电话|熱線電話|客服电话|客服電話|地址|邮箱|郵箱|E-?mail|Contact(?: us)?|About(?: us)?)\s*[:：]?"),
    ("tools", r"^[【\[]?\s*(?:字[号號体體]\s*[:：]|打印本页|打印本頁|关闭窗口|關閉窗口|收藏本页|收藏本頁|返回顶部|返回頂部|Print|Back to top)"),
    ("keywords", r"^(?:关键词|關鍵詞|关键字|關鍵字|标签|標籤|Tags?|Keywords?)\s*[:：]"),
    ("navigation", r"^(?:\S{1,6}\s*[|｜]\s*){3,}\S{1,6}$"),
))
# Footer chrome glued to the end of the last paragraph: "…說。聯系我們", "…。版权所有 ©".
GLUED_CHROME = re.compile(
    r"(?<=[。！？!?.”」』])\s*(?P<chrome>(?:联系我们|聯系我們|聯繫我們|版权所有|版權所有|Copyright|©|上一篇|下一篇|分享到|扫一扫|掃一掃|相关阅读|相關閱讀|相关文章|相關文章).*)$"
)
# A headline followed by its site's name: "Title - 某某網", "Title | Site".
SITE_SUFFIX = re.compile(r"^(?P<title>.+?)\s*(?:[-–—|｜_]|\s{2,})\s*(?P<site>[^-–—|｜_]{2,30})$")

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?:[ T,]\s*(?:at\s+)?(?P<hour>\d{1,2})\s*[:：时時点點]\s*(?P<minute>\d{1,2})(?:\s*[:：分]\s*(?P<second>\d{1,2})\s*秒?|\s*分)?(?:\s*(?P<ampm>[ap]\.?m\.?))?(?P<zone>\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"
# Date formats, each with named groups year, month, day and an optional time.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(pattern, re.I) for pattern in (
    # 2022-02-16 08:57:00, 2024-03-03T10:00:00+08:00, 2022/2/16, 2022.06.03
    rf"(?<!\d)(?P<year>\d{{4}})\s*[-/.]\s*(?P<month>\d{{1,2}})\s*[-/.]\s*(?P<day>\d{{1,2}})(?!\d){_TIME}",
    # 2022年2月16日 10:20, 2022年02月16日10时20分
    rf"(?P<year>\d{{4}})\s*年\s*(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*[日号號]?{_TIME.replace('[ T,]', '[ T,]?')}",
    # Tuesday, July 06, 2010; March 3, 2024 10:00
    rf"\b(?P<month_name>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b{_TIME}",
    # 3 March 2024
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month_name>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b{_TIME}",
))
# Dates that name no year: 2月16日, March 3. They give a warning, never a guessed year.
YEARLESS_DATE = re.compile(rf"(?<!\d)(?:\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号號]|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)", re.I)
VIEWS_NUMBER = re.compile(r"\d[\d,]*")
UTC_ZONE = re.compile(r"^(?:Z|UTC|GMT)$", re.I)
ZONE_DIGITS = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
CHINA_OFFSET = "+08:00"

# ---------------------------------------------------------------------------
# Languages
# ---------------------------------------------------------------------------

# Frequent characters that exist in only one of the two Chinese scripts.
TRADITIONAL_ONLY = frozenset("國說這個們來時為會發對學經後開關無與過還進點實當體現種機樣麼電聯華應產業務區報導質傳總歲專條設際員難將頭義黨圖處縣團單間題議長門問見聽讓認變織")
SIMPLIFIED_ONLY = frozenset("国说这个们来时为会发对学经后开关无与过还进点实当体现种机样么电联华应产业务区报导质传总岁专条设际员难将头义党图处县团单间题议长门问见听让认变织")
KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
# Frequent words that tell Latin-script languages apart.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for it with as was on are be by this have from".split()),
    "fr": frozenset("le la les et des est une pour dans que qui sur pas avec ce sont du au".split()),
    "de": frozenset("der die und das ist nicht mit den von zu ein eine sich auf für dem des".split()),
    "es": frozenset("el la los las y de que en un una es por con para del se al como".split()),
    "it": frozenset("il di che e la per un una non sono del della con le gli nel si".split()),
    "pt": frozenset("o a os as e de que em um uma para com não do da dos das por".split()),
}
CHINESE_DATE_LANGS = ("zh",)

# ---------------------------------------------------------------------------
# The data model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One run of the body under one subheading (None for the lead)."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A parsed document. Texts keep pinyin readings as RUBY_OPEN reading RUBY_CLOSE."""

    name: str
    title: str
    date: str | None = None
    source: str | None = None
    author: str | None = None
    views: int | None = None
    lang: str = "und"
    sections: tuple[Section, ...] = ()
    boilerplate: tuple[str, ...] = ()
    warnings: tuple[dict, ...] = ()
    encoding: str = "utf-8"
    markdown: bool = False  # paragraphs are Markdown source, not plain text

    def to_json(self) -> dict:
        """The article as the --json contract describes it: every text clean."""
        return {
            "file": self.name,
            "title": clean(self.title),
            "date": self.date,
            "source": self.source,
            "author": self.author,
            "views": self.views,
            "lang": self.lang,
            "encoding": self.encoding,
            "sections": [
                {"heading": clean(s.heading) if s.heading is not None else None,
                 "paragraphs": [clean(p) for p in s.paragraphs]}
                for s in self.sections
            ],
            "boilerplate": [clean(line) for line in self.boilerplate],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Options:
    """What the command line asks of every document."""

    script: str = "original"
    keep_punctuation: bool = False
    max_size: int = DEFAULT_MAX_SIZE


class DocumentError(Exception):
    """A document that cannot become a page; the message is one line for the user."""


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def clean(text: str) -> str:
    """The text a reader sees, pinyin readings removed."""
    return MARKED_READING.sub("", text) if RUBY_OPEN in text else text


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: wide CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_cjk_text(text: str) -> bool:
    """Whether Han characters make up at least a third of the letters."""
    han = len(CJK_CHAR.findall(text))
    return han > 0 and han * 3 >= sum(ch.isalpha() for ch in text)


def mark_pinyin(text: str, toneless_ok: bool) -> str:
    """The text with converter readings such as 國(guó) moved into RUBY markers."""
    def mark(match: re.Match[str]) -> str:
        reading = match["reading"]
        bare = unicodedata.normalize("NFD", reading)
        bare = "".join(ch for ch in bare if not unicodedata.combining(ch)).replace("v", "ü")
        has_tone = any(ch in TONE_LETTERS for ch in reading)
        if PINYIN_SYLLABLE.match(unicodedata.normalize("NFC", bare)) and (has_tone or toneless_ok):
            return f"{RUBY_OPEN}{reading}{RUBY_CLOSE}"
        return match[0]
    return PINYIN_ANNOTATION.sub(mark, text)


def count_toned_readings(text: str) -> int:
    """How many converter readings carry a tone mark."""
    return sum(any(ch in TONE_LETTERS for ch in m["reading"]) for m in PINYIN_ANNOTATION.finditer(text))


def strip_indent(line: str) -> str:
    return line.strip(INDENT_CHARS)


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(INDENT_CHARS))


def slug(text: str, taken: set[str]) -> str:
    """A fragment id for a heading, unique within the page; Chinese stays Chinese."""
    base = re.sub(r"[^\w\u3400-\u9fff-]+", "-", clean(text).strip().lower()).strip("-") or "section"
    if base[0].isdigit():
        base = "s-" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------------------
# Reading and decoding
# ---------------------------------------------------------------------------

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
CJK_ENCODINGS = ["gb18030", "big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr", "utf_16", "cp1252"]
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: BOM, strict UTF-8, then the best CJK match."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.replace("-sig", "")), encoding.replace("-le", "").replace("-be", "") if encoding.startswith("utf-16") else encoding
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:8192]:
        raise DocumentError("not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(data, cp_isolation=CJK_ENCODINGS).best()
    if best is None:
        raise DocumentError("not a text document")
    return str(best), best.encoding


def normalise_text(text: str) -> tuple[str, list[dict]]:
    """LF line endings, no internal marker characters; warns about what it replaced."""
    warnings = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if NONCHARACTERS.search(text):
        text = NONCHARACTERS.sub("\ufffd", text)
        warnings.append({"kind": "noncharacter", "message": "Unicode noncharacters replaced by U+FFFD"})
    if CONTROL_CHARS.search(text):
        controls = len(CONTROL_CHARS.findall(text))
        if controls > max(8, len(text) // 100):
            raise DocumentError("not a text document")
        text = CONTROL_CHARS.sub("\ufffd", text)
        warnings.append({"kind": "control", "message": f"{controls} control characters replaced by U+FFFD"})
    return text, warnings


def read_document(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> tuple[str, str]:
    """The decoded text of a file and its encoding, or a DocumentError saying why not."""
    try:
        size = path.stat().st_size
        if size > max_size:
            raise DocumentError(f"larger than --max-size ({size} > {max_size} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError("no such file") from None
    except IsADirectoryError:
        raise DocumentError("is a folder") from None
    except OSError as error:
        raise DocumentError(f"cannot be read ({error.strerror or error})") from None
    text, encoding = decode(data)
    if not text.strip(INDENT_CHARS + "\n\r\x0b\x0c"):
        raise DocumentError("empty document")
    return text, encoding


# ---------------------------------------------------------------------------
# Parsing: metadata
# ---------------------------------------------------------------------------


def iso_offset(zone: str | None) -> str | None:
    """'+08:00' from '+0800', '+08:00', 'Z' or 'UTC'."""
    if not zone:
        return None
    zone = zone.strip()
    if UTC_ZONE.match(zone):
        return "+00:00"
    m = ZONE_DIGITS.match(zone)
    return f"{m[1]}{m[2]}:{m[3]}" if m else None


def parse_date(text: str, china: bool) -> tuple[str | None, str | None]:
    """ISO 8601 date found in the text, and a warning when a date is there but unusable."""
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        year, day = int(groups["year"]), int(groups["day"])
        month = MONTHS[groups["month_name"].lower().rstrip(".")] if groups.get("month_name") else int(groups["month"])
        if not (1 <= month <= 12 and 1 <= day <= days_in_month(year, month) and 1900 <= year <= 2200):
            return None, f"impossible date {m[0].strip()!r}"
        date = f"{year:04d}-{month:02d}-{day:02d}"
        if groups.get("hour") is None:
            return date, None
        hour, minute = int(groups["hour"]), int(groups["minute"])
        second = groups.get("second")
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or (second and int(second) > 59):
            return date, f"impossible time in {m[0].strip()!r}"
        stamp = f"{date}T{hour:02d}:{minute:02d}" + (f":{int(second):02d}" if second else "")
        offset = iso_offset(groups.get("zone")) or (CHINA_OFFSET if china else None)
        return stamp + (offset or ""), None
    if YEARLESS_DATE.search(text):
        return None, f"date without a year {YEARLESS_DATE.search(text)[0]!r}"
    return None, None


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def labelled_fields(line: str) -> list[tuple[str, str, str]]:
    """(field, label, value) for every metadata label on one clean line, in order."""
    matches = [m for m in META_LABEL.finditer(line)
               if m["colon"] or m["label"].casefold() in BARE_LABELS]
    found = []
    for m, following in zip(matches, matches[1:] + [None]):
        value = line[m.end(): following.start() if following else len(line)].strip(FIELD_SEPARATORS)
        found.append((LABEL_FIELD[m["label"].casefold()], m["label"], value))
    return found


@dataclass
class MetaFields:
    """Metadata gathered while parsing; frozen into the Article at the end."""

    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    views: int | None = None
    warnings: list = field(default_factory=list)

    def take(self, name: str, value: str, china: bool) -> bool:
        """Record one labelled value if it is usable; whether it was."""
        if name == "date":
            date, warning = parse_date(value, china)
            if warning:
                self.warnings.append({"kind": "date", "message": warning})
            if date and not self.date:
                self.date = date
            return bool(date or warning)
        if name == "views":
            number = VIEWS_NUMBER.search(value)
            if number and self.views is None:
                self.views = int(number[0].replace(",", ""))
            elif not number:
                self.warnings.append({"kind": "views", "message": f"view count label without a number: {value!r}"})
            return len(value) <= 12
        if not value or len(value) > 60:
            return False
        if name == "author":
            value = re.sub(r"\s*(?:報道|报道|攝|摄|/?文)$", "", value)
        if getattr(self, name) is None:
            setattr(self, name, value)
        return True


def read_meta_line(line: str, meta: MetaFields, china: bool, header: bool) -> bool:
    """Take the metadata a line holds; whether the line is a metadata line."""
    if len(line) > 160:
        return False
    fields = labelled_fields(line)
    if not fields:
        # An unlabelled date line in the header: "2022年2月16日 10:20", "March 3, 2024".
        if header and len(line) <= 40:
            date, warning = parse_date(line, china)
            rest = line
            for pattern in DATE_PATTERNS:
                rest = pattern.sub("", rest)
            if (date or warning) and len(rest.strip(FIELD_SEPARATORS + "-–—")) <= 12:
                meta.take("date", line, china)
                return True
        return False
    first_at_start = line.startswith(fields[0][1]) or line.casefold().startswith(fields[0][1].casefold())
    if not first_at_start and len(fields) < 2:
        return False
    if not header and len(fields) == 1 and fields[0][0] in ("title",):
        return False
    usable = [meta.take(name, value, china) for name, _label, value in fields if name != "title"]
    for name, _label, value in fields:
        if name == "title" and value and meta.title is None:
            meta.title = value
            usable.append(True)
    # A date left unlabelled beside labelled fields: "2022-02-16 来源：新华社".
    if not any(name == "date" for name, _l, _v in fields):
        prefix = line[: META_LABEL.search(line).start()] if not first_at_start else ""
        if prefix:
            date, _ = parse_date(prefix, china)
            if date and not meta.date:
                meta.date = date
    return any(usable)


# ---------------------------------------------------------------------------
# Parsing: lines, chrome, title, body
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One input line: its text with readings marked, clean text, and indentation."""

    number: int
    text: str
    clean: str
    indent: int

    @property
    def blank(self) -> bool:
        return not self.clean


def chrome_kind(text: str) -> str | None:
    """Which kind of site chrome a clean line is, if any."""
    for kind, pattern in CHROME_PATTERNS:
        if pattern.search(text):
            return kind
    return None


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def is_heading(text: str) -> bool:
    """Whether a clean line reads as a subheading rather than a sentence."""
    if not text or ends_sentence(text) and not text.endswith(("：", ":")) and not NUMBERED_HEADING.match(text):
        return False
    if text.endswith(("：", ":", "。", ".", "！", "？", "!", "?")):
        return False
    if NUMBERED_HEADING.match(text):
        return len(text) <= 40 and not SENTENCE_INNER.search(text[3:])
    if SENTENCE_INNER.search(text):
        return False
    if is_cjk_text(text):
        return len(text) <= 24
    words = WORD.findall(text)
    if not words or len(words) > 10 or len(text) > 80:
        return False
    capitalised = sum(w[0].isupper() for w in words if w.lower() not in SMALL_WORDS or w is words[0])
    significant = sum(1 for w in words if w.lower() not in SMALL_WORDS or w is words[0])
    return words[0][0].isupper() and capitalised * 10 >= significant * 7


def detect_lang(text: str) -> str:
    """BCP 47 language tag guessed from the characters and frequent words."""
    han = len(CJK_CHAR.findall(text))
    kana, hangul = len(KANA.findall(text)), len(HANGUL.findall(text))
    if kana > 10 and kana * 5 > han:
        return "ja"
    if hangul > 10:
        return "ko"
    if han >= 10 and han * 3 >= sum(ch.isalpha() for ch in text):
        traditional = sum(ch in TRADITIONAL_ONLY for ch in text)
        simplified = sum(ch in SIMPLIFIED_ONLY for ch in text)
        return "zh-Hant" if traditional > simplified else "zh-Hans"
    words = [w.lower() for w in WORD.findall(text[:20000])]
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 2 else ("zh-Hans" if han else "und")


def split_lines(text: str) -> list[Line]:
    """The document as Lines, with converter readings marked."""
    toneless_ok = count_toned_readings(text) >= 3
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        marked = mark_pinyin(raw, toneless_ok) if "(" in raw else raw
        body = strip_indent(marked)
        lines.append(Line(number, body, clean(body), indent_of(raw)))
    return lines


def find_meta_block(lines: list[Line], meta: MetaFields, china: bool, limit: int = 20) -> tuple[int, int] | None:
    """First and last index of the metadata lines near the top, consumed into meta."""
    seen = 0
    for i, line in enumerate(lines):
        if line.blank:
            continue
        seen += 1
        if seen > limit:
            return None
        if chrome_kind(line.clean) in ("breadcrumb", "navigation"):
            continue
        if read_meta_line(line.clean, meta, china, header=True):
            last = i
            for j in range(i + 1, min(len(lines), i + 12)):
                if lines[j].blank:
                    continue
                if not read_meta_line(lines[j].clean, meta, china, header=True):
                    break
                last = j
            return i, last
    return None


def is_title_candidate(line: Line) -> bool:
    return not line.blank and chrome_kind(line.clean) is None and len(line.clean) <= 120 and not ends_sentence(line.clean.rstrip("”\"」』"))


def find_title(lines: list[Line], meta_block: tuple[int, int] | None) -> int | None:
    """Index of the headline: nearest plain line above the metadata, else the first one."""
    if meta_block:
        for i in range(meta_block[0] - 1, -1, -1):
            if not lines[i].blank and chrome_kind(lines[i].clean) is None:
                return i
    start = meta_block[1] + 1 if meta_block else 0
    for i in range(start, min(len(lines), start + 30)):
        if is_title_candidate(lines[i]):
            return i
    for i in range(start, len(lines)):
        if not lines[i].blank:
            return i
    return None


def trailing_chrome_start(lines: list[Line]) -> int:
    """Index where the footer of site chrome begins (len(lines) when there is none)."""
    start, has_chrome = len(lines), False
    i = len(lines) - 1
    while i >= 0:
        line = lines[i]
        if line.blank:
            i -= 1
            continue
        kind = chrome_kind(line.clean)
        short = len(line.clean) <= 24 and not ends_sentence(line.clean)
        if kind is None and not short:
            break
        has_chrome = has_chrome or kind is not None
        if kind is not None:
            start = i  # the footer begins at its first chrome line or earlier short line
        elif has_chrome:
            start = i
        i -= 1
    # Short lines below the last chrome line belong to the footer too (the seed's lone "聯").
    return start if has_chrome else len(lines)


def related_list_start(lines: list[Line]) -> int:
    """Index of a 'related articles' heading after which everything is a link list."""
    for i, line in enumerate(lines):
        if chrome_kind(line.clean) == "related":
            return i
    return len(lines)


def wrap_width(lines: list[Line]) -> int | None:
    """The column width the body was hard-wrapped at, or None when it was not."""
    widths = [display_width(line.text) for line in lines if not line.blank]
    if len(widths) < 3:
        return None
    widest = max(widths)
    if widest > 160:
        return None
    near = sum(w >= widest * 0.8 for w in widths)
    return widest if near >= 3 and near * 10 >= len(widths) * 3 else None


def join_wrapped(left: str, right: str) -> str:
    """Two wrapped lines as one: no space between Chinese characters, one between words."""
    if not left:
        return right
    a, b = left[-1], right[:1]
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return left + right
    if CJK_CHAR.match(a) or CJK_CHAR.match(b) or unicodedata.east_asian_width(a) in "WF" or unicodedata.east_asian_width(b or " ") in "WF":
        return left + right
    return f"{left} {right}"


def paragraphs_of(lines: list[Line]) -> list[tuple[str, bool]]:
    """(text, single_line) for each paragraph: one per line, by blank lines, or rewrapped."""
    width = wrap_width(lines)
    indents = [line.indent > 0 for line in lines if not line.blank]
    mixed_indent = any(indents) and not all(indents)
    paragraphs: list[list] = []
    previous: Line | None = None
    for line in lines:
        if line.blank:
            previous = None
            continue
        continues = previous is not None and (
            not (mixed_indent and line.indent > 0)
            and (
                (width is not None and display_width(previous.text) >= width * 0.7)
                or (mixed_indent and line.indent == 0 and not ends_sentence(previous.clean)
                    and not is_heading(previous.clean))
            )
        )
        if continues:
            paragraphs[-1][0] = join_wrapped(paragraphs[-1][0], line.text)
            paragraphs[-1][1] = False
        else:
            paragraphs.append([line.text, True])
        previous = line
    return [(text, single) for text, single in paragraphs]


def sections_of(paragraphs: list[tuple[str, bool]]) -> list[Section]:
    """Group paragraphs under the subheadings found among them."""
    sections: list[Section] = []
    heading: str | None = None
    current: list[str] = []
    for index, (text, single) in enumerate(paragraphs):
        last = index == len(paragraphs) - 1
        if single and not last and is_heading(clean(text)):
            if current or heading is not None:
                sections.append(Section(heading, tuple(current)))
            heading, current = text, []
        else:
            current.append(text)
    if current or heading is not None:
        sections.append(Section(heading, tuple(current)))
    return sections


def strip_site_suffix(title: str, boilerplate: list[str]) -> tuple[str, str | None]:
    """The title without a trailing site name that also stands in the site chrome."""
    m = SITE_SUFFIX.match(title)
    if m and any(m["site"].strip() in clean(line) for line in boilerplate):
        return m["title"].strip(), m["site"].strip()
    return title, None


def parse_text(text: str, name: str) -> Article:
    """Parse a plain-text article dump into an Article."""
    lines = split_lines(text)
    sample = " ".join(line.clean for line in lines[:400])
    lang = detect_lang(sample)
    china = lang.startswith(CHINESE_DATE_LANGS)
    meta = MetaFields()
    boilerplate: list[str] = []

    meta_block = find_meta_block(lines, meta, china)
    title_index = find_title(lines, meta_block)
    if title_index is None:
        return Article(name=name, title=name, lang=lang, warnings=({"kind": "title", "message": "no title found; using the file name"},))
    head_end = max(title_index, meta_block[1] if meta_block else -1)
    for i in range(head_end):
        if i == title_index or (meta_block and meta_block[0] <= i <= meta_block[1]) or lines[i].blank:
            continue
        if meta_block and title_index < i < meta_block[0] and not chrome_kind(lines[i].clean) and len(lines[i].clean) > 60:
            continue  # a lead sentence between headline and metadata stays in the body
        boilerplate.append(lines[i].text)
    lead_between = [lines[i] for i in range(title_index + 1, head_end)
                    if not lines[i].blank and lines[i].text not in boilerplate
                    and not (meta_block and meta_block[0] <= i <= meta_block[1])]

    title = lines[title_index].text
    labelled = meta.title
    body = lines[head_end + 1:]
    # A headline repeated on the next line counts once.
    first = next((i for i, line in enumerate(body) if not line.blank), None)
    if first is not None and body[first].clean == clean(title):
        boilerplate.append(body[first].text)
        body = body[first + 1:]

    cut = related_list_start(body)
    footer_at = trailing_chrome_start(body[:cut])
    boilerplate_tail = [line.text for line in body[footer_at:] if not line.blank]
    body = body[:footer_at]

    kept: list[Line] = list(lead_between)
    for line in body:
        if line.blank:
            kept.append(line)
        elif chrome_kind(line.clean) is not None:
            boilerplate.append(line.text)
        elif len(line.clean) <= 80 and read_meta_line(line.clean, meta, china, header=False):
            boilerplate.append(line.text) if False else None  # metadata: recorded in the fields
        else:
            kept.append(line)
    paragraphs = paragraphs_of(kept)
    if paragraphs:
        last_text, single = paragraphs[-1]
        glued = GLUED_CHROME.search(clean(last_text))
        if glued and GLUED_CHROME.search(last_text):
            marked = GLUED_CHROME.search(last_text)
            boilerplate_tail.insert(0, marked["chrome"])
            last_text = last_text[: marked.start("chrome")].rstrip()
        source = TRAILING_SOURCE.search(last_text)
        if source and not meta.source:
            meta.source = clean(source["source"]).strip()
            last_text = last_text[: source.start()].rstrip()
        paragraphs[-1] = (last_text, single)
        paragraphs = [(t, s) for t, s in paragraphs if t]
    boilerplate.extend(boilerplate_tail)

    if labelled and not clean(title).strip():
        title = labelled
    elif labelled and meta_block and lines[title_index].clean in (line.clean for line in lines[meta_block[0]: meta_block[1] + 1]):
        title = labelled
    title, site = strip_site_suffix(title, boilerplate)
    if site:
        boilerplate.append(site)
    warnings = list(meta.warnings)
    if not meta.date:
        warnings.append({"kind": "date", "message": "no publication date found"}) if not any(w["kind"] == "date" for w in warnings) else None
    return Article(
        name=name, title=title, date=meta.date, source=meta.source, author=meta.author, views=meta.views,
        lang=lang, sections=tuple(sections_of(paragraphs)), boilerplate=tuple(boilerplate), warnings=tuple(warnings),
    )


# ---------------------------------------------------------------------------
# Parsing: Markdown documents
# ---------------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
ATX_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")


def front_matter(text: str) -> tuple[dict, str, list[dict]]:
    """YAML front matter as a dict, the rest of the text, and warnings."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, []
    import yaml  # only documents with front matter pay for it

    try:
        data = yaml.safe_load(m["yaml"]) or {}
    except yaml.YAMLError as error:
        return {}, text[m.end():], [{"kind": "front-matter", "message": f"front matter is not valid YAML: {str(error).splitlines()[0]}"}]
    if not isinstance(data, dict):
        return {}, text[m.end():], [{"kind": "front-matter", "message": "front matter is not a mapping"}]
    return data, text[m.end():], []


def markdown_blocks(lines: list[str]) -> list[str]:
    """Blank-line separated blocks of Markdown source, keeping fenced code whole."""
    blocks, current, fence = [], [], None
    for line in lines:
        m = FENCE.match(line)
        if fence:
            current.append(line)
            if m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence):
                fence = None
            continue
        if m:
            fence = m["fence"]
            current.append(line)
        elif line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def parse_markdown(text: str, name: str) -> Article:
    """Parse a Markdown document with optional front matter into an Article."""
    data, body, warnings = front_matter(text)
    toneless_ok = count_toned_readings(body) >= 3
    lines = [mark_pinyin(line, toneless_ok) if "(" in line else line for line in body.split("\n")]
    title = str(data["title"]).strip() if data.get("title") not in (None, "") else None
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    fence = None
    for line in lines:
        m = FENCE.match(line)
        if fence:
            fence = None if m and m["fence"][0] == fence[0] else fence
        elif m:
            fence = m["fence"]
        else:
            heading = ATX_HEADING.match(line)
            if heading and len(heading["hashes"]) == 1 and title is None:
                title = heading["text"]
                continue
            if heading and len(heading["hashes"]) == 2:
                sections.append((heading["text"], []))
                continue
        sections[-1][1].append(line)
    built = tuple(Section(h, tuple(markdown_blocks(ls))) for h, ls in sections)
    built = tuple(s for i, s in enumerate(built) if s.paragraphs or s.heading is not None or i > 0)
    sample = clean(" ".join(p for s in built for p in s.paragraphs))[:20000]
    lang = str(data.get("lang") or data.get("language") or detect_lang(sample))
    china = lang.startswith(CHINESE_DATE_LANGS)
    date = None
    if data.get("date") not in (None, ""):
        raw = data["date"]
        if hasattr(raw, "isoformat"):
            date = raw.isoformat()
            if "T" in date and raw.tzinfo is None and china:
                date += CHINA_OFFSET
        else:
            date, warning = parse_date(str(raw), china)
            if warning:
                warnings.append({"kind": "date", "message": warning})
    if title is None:
        title = name
        warnings.append({"kind": "title", "message": "no title found; using the file name"})
    views = data.get("views")
    return Article(
        name=name, title=title, date=date,
        source=str(data["source"]) if data.get("source") else None,
        author=", ".join(map(str, data["author"])) if isinstance(data.get("author"), list) else (str(data["author"]) if data.get("author") else None),
        views=views if isinstance(views, int) else None,
        lang=lang, sections=built, warnings=tuple(warnings), markdown=True,
    )


def parse_document(text: str, name: str, markdown: bool = False) -> Article:
    """Parse decoded text into an Article; Markdown for .md files, the dump parser otherwise."""
    text, warnings = normalise_text(text)
    article = parse_markdown(text, name) if markdown else parse_text(text, name)
    if warnings:
        article = dataclasses.replace(article, warnings=tuple(warnings) + article.warnings)
    if not any(s.paragraphs for s in article.sections) and not article.markdown:
        article = dataclasses.replace(article, warnings=article.warnings + ({"kind": "body", "message": "no body text found"},))
    return article


# ---------------------------------------------------------------------------
# Markdown conversion
# ---------------------------------------------------------------------------

# Characters that would start Markdown syntax inside a plain-text paragraph.
MARKDOWN_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}!|~])")
# Block syntax at the start of a paragraph: "# ", "> ", "- ", "+ ", "1. ", "1) ", "===".
MARKDOWN_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_INLINE_SPECIALS.sub(r"\\\1", text)
    return MARKDOWN_BLOCK_START.sub(lambda m: m[1] + ("\\" + m[2] if not m[2][0].isdigit() else m[2] + "\\"), text, count=1)


def article_markdown(article: Article) -> str:
    """The body as one Markdown text, sections separated by SECTION_BREAK paragraphs."""
    parts = []
    for section in article.sections:
        chunk = []
        if section.heading is not None:
            chunk.append("## " + (section.heading if article.markdown else escape_markdown(section.heading)))
        chunk.extend(section.paragraphs if article.markdown else (escape_markdown(p) for p in section.paragraphs))
        parts.append("\n\n".join(chunk))
    return f"\n\n{SECTION_BREAK}\n\n".join(parts)


_MARKDOWN = None


def markdown_renderer():
    """One Python-Markdown instance per process, reset between documents."""
    global _MARKDOWN
    if _MARKDOWN is None:
        import markdown

        _MARKDOWN = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    return _MARKDOWN.reset()


RUBY_HTML = r'<ruby>\g<base><rp>(</rp><rt lang="zh-Latn-pinyin">\g<reading></rt><rp>)</rp></ruby>'


def ruby_html(html: str) -> str:
    """Marked readings in HTML turned into ruby elements."""
    return MARKED_RUBY.sub(RUBY_HTML, html) if RUBY_OPEN in html else html


def inline_html(text: str) -> str:
    """A short plain text (headline) as escaped HTML with ruby readings."""
    from markupsafe import escape

    return ruby_html(str(escape(text)))


SECTION_SPLIT = re.compile(f"\\s*<p>{SECTION_BREAK}</p>\\s*")
H2_OPEN = re.compile(r"<h2>")

SANITIZE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
SANITIZE_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "time": {"datetime"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"}, "ol": {"start"},
    "rt": {"lang"}, "abbr": {"title"}, "code": {"class"}, "*": {"lang", "dir"},
}


def sanitize(html: str) -> str:
    """HTML from a Markdown document, reduced to a safe allowlist by nh3."""
    import nh3

    return nh3.clean(html, tags=SANITIZE_TAGS, attributes=SANITIZE_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


def body_html(article: Article) -> list[dict]:
    """One dict per section: its id, heading HTML and body HTML."""
    html = markdown_renderer().convert(article_markdown(article))
    if article.markdown:
        html = sanitize(html)
    chunks = SECTION_SPLIT.split(html)
    taken: set[str] = set()
    rendered = []
    for section, chunk in zip(article.sections, chunks):
        section_id = slug(section.heading, taken) if section.heading is not None else None
        if section_id:
            chunk = H2_OPEN.sub(f'<h2 id="{section_id}">', chunk, count=1)
        rendered.append({"id": section_id, "heading": clean(section.heading) if section.heading else None,
                         "html": ruby_html(chunk)})
    return rendered


# ---------------------------------------------------------------------------
# Page rendering
# ---------------------------------------------------------------------------

UI_TEXT = {
    "zh-Hant": {"pinyin": "顯示拼音", "views": "瀏覽 {n} 次", "minutes": "約 {n} 分鐘讀完", "contents": "目錄",
                "removed": "已移除的網站雜訊（{n} 行）", "source": "來源", "author": "作者", "back": "返回目錄",
                "index": "文章列表", "warnings": "解析提示"},
    "zh-Hans": {"pinyin": "显示拼音", "views": "浏览 {n} 次", "minutes": "约 {n} 分钟读完", "contents": "目录",
                "removed": "已移除的网站杂讯（{n} 行）", "source": "来源", "author": "作者", "back": "返回目录",
                "index": "文章列表", "warnings": "解析提示"},
    "en": {"pinyin": "Show pinyin", "views": "{n} views", "minutes": "{n} min read", "contents": "Contents",
           "removed": "Removed site chrome ({n} lines)", "source": "Source", "author": "By", "back": "Back to contents",
           "index": "Articles", "warnings": "Parser notes"},
}


def ui_text(lang: str) -> dict:
    if lang.startswith("zh"):
        return UI_TEXT["zh-Hant" if lang in ("zh-Hant", "zh-TW", "zh-HK") else "zh-Hans"]
    return UI_TEXT["en"]


def display_date(iso: str | None, lang: str) -> str | None:
    """The date as a reader of the page's language writes it."""
    if not iso:
        return None
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    time = iso[11:16] if len(iso) > 10 else ""
    if lang.startswith(("zh", "ja")):
        return f"{year}年{month}月{day}日" + (f" {time}" if time else "")
    months = ("January February March April May June July August September October November December").split()
    return f"{months[month - 1]} {day}, {year}" + (f", {time}" if time else "")


def reading_minutes(article: Article) -> int:
    """Minutes to read: about 400 Chinese characters or 230 words a minute."""
    text = clean(" ".join(p for s in article.sections for p in s.paragraphs))
    han = len(CJK_CHAR.findall(text))
    words = len(WORD.findall(text))
    return max(1, round(han / 400 + words / 230))


def description_of(article: Article, limit: int = 120) -> str:
    first = next((clean(p) for s in article.sections for p in s.paragraphs), "")
    if article.markdown:
        first = re.sub(r"[#*_`>\[\]()!|]+", "", first)
    first = " ".join(first.split())
    return first if len(first) <= limit else first[: limit - 1] + "…"


def json_ld(article: Article) -> dict:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": clean(article.title),
            "inLanguage": article.lang, "description": description_of(article)}
    if article.date:
        data["datePublished"] = article.date
    if article.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if article.views is not None:
        data["interactionStatistic"] = {"@type": "InteractionCounter", "interactionType": "https://schema.org/ReadAction",
                                        "userInteractionCount": article.views}
    return data


_ENVIRONMENTS: dict = {}


def template_environment(templates: Path | None):
    """A Jinja2 environment over the user's templates, falling back to the built-in ones."""
    key = str(templates)
    if key not in _ENVIRONMENTS:
        import jinja2

        loaders = [jinja2.FileSystemLoader(str(templates))] if templates else []
        loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
        _ENVIRONMENTS[key] = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True, lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        _ENVIRONMENTS[key].filters["csp_hash"] = csp_hash
    return _ENVIRONMENTS[key]


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style."""
    import base64

    return "sha256-" + base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode("ascii")


def page_context(article: Article) -> dict:
    """Everything the page template shows, computed here so the template stays logic-free."""
    sections = body_html(article)
    ui = ui_text(article.lang)
    return {
        "article": article,
        "lang": article.lang,
        "ui": ui,
        "title_text": clean(article.title),
        "title_html": inline_html(article.title),
        "has_ruby": RUBY_OPEN in article.title or any("<ruby>" in s["html"] for s in sections),
        "date_display": display_date(article.date, article.lang),
        "views_display": ui["views"].format(n=article.views) if article.views is not None else None,
        "minutes_display": ui["minutes"].format(n=reading_minutes(article)),
        "description": description_of(article),
        "sections": sections,
        "toc": [s for s in sections if s["id"]] if sum(1 for s in sections if s["id"]) >= 2 else [],
        "boilerplate": [clean(line) for line in article.boilerplate],
        "removed_label": ui["removed"].format(n=len(article.boilerplate)),
        "json_ld": json_ld(article),
        "generator": f"render.py {__version__}",
        "build_date": build_date(),
    }


def build_date() -> str | None:
    """The build time from SOURCE_DATE_EPOCH, so pages stay reproducible without it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    import datetime

    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_page(article: Article, templates: Path | None = None) -> str:
    """The standalone HTML page of an article."""
    return template_environment(templates).get_template("page.html").render(page_context(article))


def render_index(entries: list[dict], templates: Path | None = None, lang: str = "und") -> str:
    """The index page listing rendered articles, newest first."""
    ordered = sorted(entries, key=lambda e: (e.get("date") or "", e.get("title") or ""), reverse=True)
    langs = {e.get("lang") for e in entries}
    lang = langs.pop() if len(langs) == 1 else lang
    for entry in ordered:
        entry["date_display"] = display_date(entry.get("date"), entry.get("lang") or "und")
    return template_environment(templates).get_template("index.html").render(
        entries=ordered, lang=lang, ui=ui_text(lang), generator=f"render.py {__version__}")


# ---------------------------------------------------------------------------
# Restoration hook (script conversion, punctuation, damage); see restore()
# ---------------------------------------------------------------------------


def restore(article: Article, options: Options) -> Article:
    """The article with the requested text restoration applied."""
    return article


# ---------------------------------------------------------------------------
# One document, end to end: a pure function
# ---------------------------------------------------------------------------


def render_document(text: str, name: str, markdown: bool = False, options: Options = Options(),
                    templates: Path | None = None, encoding: str = "utf-8") -> tuple[str, dict]:
    """Page HTML and --json metadata for one decoded document: text and name in, page out."""
    article = restore(parse_document(text, name, markdown), options)
    if encoding != "utf-8":
        article = dataclasses.replace(article, encoding=encoding)
    return render_page(article, templates), article.to_json()


def analyse_document(text: str, name: str, markdown: bool = False, options: Options = Options(),
                     encoding: str = "utf-8") -> dict:
    """The --json metadata of one decoded document."""
    article = restore(parse_document(text, name, markdown), options)
    return dataclasses.replace(article, encoding=encoding).to_json()


# ---------------------------------------------------------------------------
# The file system: inputs, names, atomic writes, manifest
# ---------------------------------------------------------------------------

UNSAFE_NAME = re.compile(r"[^\w.\-\u3400-\u9fff]+")


def safe_stem(path: Path) -> str:
    """An output file stem from an input name: no separators, no leading dot, no controls."""
    stem = UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", path.stem)).strip("._") or "document"
    return stem[:120]


def collect_inputs(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Documents named or found in folders (sorted), and the paths that are errors."""
    found, errors = [], []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            errors.append((path, "no such file or folder"))
    unique, seen = [], set()
    for path in found:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, errors


def output_names(inputs: list[Path]) -> dict[Path, str]:
    """A distinct, deterministic page name for each input; clashing stems get a path hash."""
    stems: dict[str, int] = {}
    for path in inputs:
        stems[safe_stem(path).lower()] = stems.get(safe_stem(path).lower(), 0) + 1
    names = {}
    for path in inputs:
        stem = safe_stem(path)
        if stems[stem.lower()] > 1 or stem.lower() == "index":
            digest = hashlib.sha1(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:8]
            stem = f"{stem}-{digest}"
        names[path] = stem + ".html"
    return names


def write_atomic(path: Path, content: str) -> None:
    """Write through a temporary file and a rename, so no reader sees half a page."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8", newline="\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def renderer_fingerprint(templates: Path | None, options: Options) -> str:
    """A hash of everything besides the input that shapes a page."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(Path(__file__).read_bytes())
    for folder in ([templates] if templates else []) + [BUILTIN_TEMPLATES]:
        for template in sorted(folder.glob("*.html")):
            digest.update(template.name.encode() + template.read_bytes())
    digest.update(repr(dataclasses.astuple(options)).encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------
# Batch work (runs in worker processes)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One document to render, with everything a worker needs."""

    path: Path
    output: Path | None  # None: analyse only (--json)
    options: Options
    templates: Path | None
    fingerprint: str = ""
    previous_hash: str | None = None


def run_job(job: Job) -> dict:
    """Render or analyse one file; a dict with status 'ok', 'skipped' or 'error'."""
    try:
        if job.output is not None and job.output.resolve() == job.path.resolve():
            raise DocumentError("output would overwrite the input")
        text, encoding = read_document(job.path, job.options.max_size)
        markdown = job.path.suffix.lower() in MARKDOWN_SUFFIXES
        name = safe_stem(job.path) if job.output is None else job.output.stem
        if job.output is None:
            return {"status": "ok", "meta": analyse_document(text, name, markdown, job.options, encoding)}
        content_hash = hashlib.sha256(job.fingerprint.encode() + job.path.read_bytes()).hexdigest()
        if job.previous_hash == content_hash and job.output.exists():
            return {"status": "skipped", "hash": content_hash}
        page, meta = render_document(text, name, markdown, job.options, job.templates, encoding)
        write_atomic(job.output, page)
        return {"status": "ok", "meta": meta, "hash": content_hash}
    except DocumentError as error:
        return {"status": "error", "message": f"{job.path}: {error}"}
    except OSError as error:
        return {"status": "error", "message": f"{job.path}: cannot write {job.output}: {error.strerror or error}"}
    except Exception as error:  # noqa: BLE001 - one bad document must never stop the batch
        return {"status": "error", "message": f"{job.path}: internal error: {type(error).__name__}: {error}"}


def run_jobs(jobs: list[Job], workers: int):
    """Results in input order, from a process pool when the batch is worth one."""
    if workers <= 1 or len(jobs) < 4:
        yield from map(run_job, jobs)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap(run_job, jobs, chunksize=max(1, min(32, len(jobs) // (workers * 8))))


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

EPILOG = """examples:
  python render.py                       render every document in seeds/ into out/
  python render.py articles/ -o site/    render a folder into site/ (with site/index.html)
  python render.py --json a.txt b.md     print the parsed metadata and sections as JSON
  python render.py --script simplified seeds/  convert Traditional text to Simplified
  python render.py --templates mytheme/  use mytheme/page.html (others from the built-in set)

exit status: 0 all rendered, 1 some input failed (the rest are still rendered), 2 usage error."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="render.py", description="Turn article documents (.txt dumps, .md) into standalone HTML pages.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or folders to render (default: seeds/ beside render.py)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
                        help="folder for the pages and index.html (default: out/), e.g. -o site")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON array of parsed documents instead of writing pages")
    parser.add_argument("--open", action="store_true", help="open the rendered page (or the index) in a browser")
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder of Jinja2 templates overriding the built-in page.html / index.html")
    parser.add_argument("--script", choices=("original", "simplified", "traditional"), default="original",
                        help="convert Chinese text with OpenCC, e.g. --script simplified (default: original)")
    parser.add_argument("--keep-punctuation", action="store_true",
                        help="leave ASCII punctuation between Chinese characters as it is")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes for a batch (default: number of cores), e.g. -j 1")
    parser.add_argument("--force", action="store_true", help="render even documents unchanged since the last run")
    parser.add_argument("--max-size", type=int, default=DEFAULT_MAX_SIZE, metavar="BYTES",
                        help=f"refuse documents larger than this (default: {DEFAULT_MAX_SIZE} bytes)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def error_line(message: str) -> None:
    print(f"render.py: error: {message}", file=sys.stderr)


def load_manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


class Progress:
    """A one-line progress report on an interactive stderr."""

    def __init__(self, total: int, enabled: bool):
        import time

        self.clock, self.total, self.done = time.monotonic, total, 0
        self.start = self.clock()
        self.enabled = enabled and total > 1 and sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if not self.enabled or (self.done % 10 and self.done != self.total):
            return
        elapsed = max(self.clock() - self.start, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate
        sys.stderr.write(f"\r{self.done}/{self.total}  {rate:.0f} docs/s  {left:.0f}s left ")
        if self.done == self.total:
            sys.stderr.write("\n")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.jobs < 1 or args.max_size < 1:
        build_parser().error("--jobs and --max-size take a positive number")
    paths = args.paths or [DEFAULT_INPUT]
    options = Options(script=args.script, keep_punctuation=args.keep_punctuation, max_size=args.max_size)
    if args.templates and not args.templates.is_dir():
        build_parser().error(f"--templates {args.templates}: not a folder")
    inputs, errors = collect_inputs(paths)
    for path, reason in errors:
        error_line(f"{path}: {reason}")

    if args.json:
        results = [run_job(Job(path, None, options, args.templates)) for path in inputs]
        documents = []
        for result in results:
            if result["status"] == "error":
                error_line(result["message"])
            else:
                documents.append(result["meta"])
        json.dump(documents, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 1 if errors or len(documents) < len(inputs) else 0

    out_dir = args.output
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        error_line(f"{out_dir}: output folder is a file")
        return 1
    except OSError as error:
        error_line(f"{out_dir}: cannot create output folder: {error.strerror or error}")
        return 1
    if not os.access(out_dir, os.W_OK):
        error_line(f"{out_dir}: output folder is not writable")
        return 1
    names = output_names(inputs)
    input_dirs = {p.resolve().parent for p in inputs}
    if out_dir.resolve() in input_dirs and any(p.resolve().parent == out_dir.resolve() and p.suffix.lower() in DOCUMENT_SUFFIXES for p in inputs):
        pass  # pages are .html, inputs are .txt/.md: never the same file
    manifest = {} if args.force else load_manifest(out_dir)
    fingerprint = renderer_fingerprint(args.templates, options)
    jobs = [Job(path, out_dir / names[path], options, args.templates, fingerprint,
                manifest.get(names[path], {}).get("hash")) for path in inputs]
    progress = Progress(len(jobs), not args.quiet)
    new_manifest, entries, rendered, skipped, failed = {}, [], 0, 0, len(errors)
    for job, result in zip(jobs, run_jobs(jobs, args.jobs)):
        progress.step()
        name = job.output.name
        if result["status"] == "error":
            error_line(result["message"])
            failed += 1
            continue
        if result["status"] == "skipped":
            skipped += 1
            entry = manifest[name]
        else:
            rendered += 1
            meta = result["meta"]
            entry = {"hash": result["hash"], "title": meta["title"], "date": meta["date"],
                     "source": meta["source"], "lang": meta["lang"]}
        new_manifest[name] = entry
        entries.append({**entry, "href": name})
    if entries:
        try:
            write_atomic(out_dir / "index.html", render_index([dict(e) for e in entries], args.templates))
            write_atomic(out_dir / MANIFEST_NAME, json.dumps(new_manifest, ensure_ascii=False, sort_keys=True, indent=1))
        except OSError as error:
            error_line(f"{out_dir / 'index.html'}: cannot write: {error.strerror or error}")
            failed += 1
    if not args.quiet:
        extra = f", unchanged {skipped}" if skipped else ""
        print(f"rendered {rendered}, failed {failed}{extra} -> {out_dir}", file=sys.stderr)
    if args.open and entries:
        import webbrowser

        target = out_dir / (entries[0]["href"] if len(entries) == 1 else "index.html")
        webbrowser.open(target.resolve().as_uri())
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
