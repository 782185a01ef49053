#!/usr/bin/env python3
"""Turn scraped or hand-written article documents into clean, standalone HTML pages.

Pipeline: read the bytes and decode them -> parse the text into an Article (a text dump by its
lines, Markdown by its front matter and headings) -> restore its text (script, punctuation, damage)
-> the body as HTML (text directly, Markdown through Python-Markdown and nh3) -> the page through
a Jinja2 template -> written atomically, with an index and a manifest for the next run.

The file reads in that order:
    data model            Section, Article, Options, DocumentError
    tables                label words, site chrome, dates, the line model's weights, scripts, encodings, notes, UI text
    patterns              the regular expressions derived from the tables, and the others
    text helpers          clean text, widths, Han counts, pinyin readings, fragment ids
    reading and decoding  bytes from disk, encodings, control characters
    parsing text dumps    metadata, chrome, headline, paragraphs and sections, where the article is, the article
    parsing Markdown      front matter, headings, blocks
    restoration           damage, script conversion, full-width punctuation
    HTML body             text sections, ruby, Markdown conversion, sanitizing
    page                  the Jinja2 environment and what the templates receive
    pipeline              one document, end to end, as pure functions
    files and manifest    inputs, output names, atomic writes, what is unchanged
    batch                 worker processes
    command line          main()
"""
from __future__ import annotations

import argparse
import base64
import bisect
import calendar
import collections
import contextlib
import dataclasses
import errno
import functools
import gc
import hashlib
import html
import itertools
import json
import math
import operator
import os
import re
import sys
import time
import typing
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":
    # Start-up makes tens of thousands of objects that live as long as the run (patterns, functions,
    # Jinja2), which the cycle collector would only walk again and again; one document leaves next
    # to no cyclic garbage. main() turns the collector back on for a batch. With the freeze at exit: ~8% of a one-page run.
    gc.disable()

__all__ = [
    "Article", "Section", "Options", "DocumentError",
    "decode_document", "read_document", "parse_document", "restore", "read_article",
    "render_document", "analyse_document", "render_page", "Manifest", "write_site", "main",
]
__version__ = "1.0.0"

HERE = Path(__file__).resolve().parent
COMMAND = "article-pages"  # the console command pip and pipx install (pyproject.toml), which runs command()
DEFAULT_INPUT = HERE / "seeds"  # a checkout's seeds; an installed copy has none
DEFAULT_OUTPUT = Path("out")
STDIO = Path("-")  # as an input, standard input; as --output, standard output
STDIO_NAME = os.fspath(STDIO)  # "-", as a path string compares
STDIN_NAME = "stdin"  # the page name of a document read from standard input
PAGE_SUFFIXES = (".html", ".htm")  # an --output with one of these is one page's file, not a folder
BUILTIN_TEMPLATES = HERE / "templates"
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
MANIFEST_NAME = ".render-manifest.sqlite"
LEGACY_MANIFEST_NAME = ".render-manifest.json"  # the previous version's, taken over once
SITE_FOLDER = "index"  # every site file but index.html: no name a document's page can take

# A pinyin reading is kept inside the text as RUBY_OPEN reading RUBY_CLOSE right after its
# character; a damaged run as DAMAGE_OPEN note DAMAGE_TEXT run DAMAGE_CLOSE. All are Unicode
# noncharacters, reserved for internal use: decoding replaces any a document brings.
RUBY_OPEN, RUBY_CLOSE = "\ufdd0", "\ufdd1"
DAMAGE_OPEN, DAMAGE_TEXT, DAMAGE_CLOSE = "\ufdd3", "\ufdd4", "\ufdd5"

# ---------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One run of the body under one subheading (None for the lead)."""

    heading: str | None
    paragraphs: tuple[str, ...]
    level: int = 2  # the heading's level on the page, 2 to 6 (the headline is the one h1)
    captions: tuple[int, ...] = ()  # which paragraphs (their indexes) are pictures' captions


class MetaValues(dict):
    """Front-matter values beyond the Article's own fields, for templates (article.meta.tags); a missing key reads as ""."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Article:
    """A parsed document. Texts keep pinyin readings and damage marks (see RUBY_OPEN)."""

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
    meta_lines: tuple[str, ...] = ()  # the raw lines the metadata came from, so no input text is lost
    meta: MetaValues = field(default_factory=MetaValues, hash=False)  # front matter beyond the fields above
    images: tuple[str, ...] = ()  # the image URLs a Markdown body shows, in order, each once

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
                 "level": s.level if s.heading is not None else None,
                 "paragraphs": [clean(p) for p in s.paragraphs], "captions": list(s.captions)}
                for s in self.sections
            ],
            "boilerplate": [clean(line) for line in self.boilerplate],
            "metadata_lines": [clean(line) for line in self.meta_lines],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Options:
    """What the command line asks of every document."""

    script: str = "original"
    keep_punctuation: bool = False
    max_size: int = DEFAULT_MAX_SIZE
    source_format: str | None = None  # "text" or "markdown" for every input (--from); None: by file extension
    remote_images: bool = False  # pages may load https: images (--remote-images)


class DocumentError(Exception):
    """A document that cannot become a page; the message is one line for the user."""


# ---------------------------------------------------------------------------
# Tables: data only
# ---------------------------------------------------------------------------

# Han characters: the unified ideographs, extension A, the compatibility block and the supplementary planes.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
INDENT_CHARS = " \t\u3000\u00a0\u2002\u2003\ufeff"
# Characters that show nothing: a document made only of these is empty.
INVISIBLE = frozenset(INDENT_CHARS + "\u200b\u200c\u200d\u2060")
# English words a title-case heading leaves in lower case.
SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or over the to up via vs with".split())

# Label words for each metadata field, in order of preference within a field.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "title": ("標題", "标题", "Title"),
    "date": ("發布時間", "发布时间", "發佈時間", "發佈日期", "發布日期", "发布日期", "發表時間", "发表时间",
             "更新時間", "更新时间", "時間", "时间", "日期", "Published on", "Published", "Posted on",
             "posted @", "Posted", "Updated", "Date"),
    "source": ("文章來源", "文章来源", "新聞來源", "新闻来源", "信息來源", "信息来源", "消息來源", "消息来源", "來源", "来源",
               "出處", "出处", "Source"),
    "author": ("作者", "記者", "记者", "撰稿", "撰文", "責任編輯", "责任编辑", "編輯", "编辑", "Author", "Posted by", "By"),
    "views": ("瀏覽次數", "浏览次数", "瀏覽量", "浏览量", "點擊量", "点击量", "閱讀量", "阅读量", "人氣", "人气",
              "瀏覽", "浏览", "點擊", "点击", "閱讀", "阅读", "Views"),
}
# English labels may stand without a colon ("By Jane Doe", "Posted @ 2010-07-06"), in the header only,
# except "posted @", which no sentence starts with.
BARE_LABELS = frozenset(label.casefold() for label in ("By", "Published", "Published on", "Posted", "Posted on", "Posted by", "posted @", "Updated"))
BARE_LABELS_ANYWHERE = frozenset({"posted @"})
# Date labels that name a later revision: used only when no publication date is given.
UPDATE_LABELS = frozenset(label.casefold() for label in ("更新時間", "更新时间", "Updated"))
# Date labels after whose date a blog names the author: "posted @ 2012-03-15 10:20 王五".
AUTHOR_AFTER_DATE = frozenset({"posted @"})
FIELD_SEPARATORS = " \t\u3000|｜·•/,，;；[]【】()（）"
# Brackets a value may hold: its closing one is part of it, not a separator ("新華社（北京）", "王小明(CEO)").
VALUE_BRACKETS = ("()", "（）", "[]", "【】")

# Lines that are site chrome, by kind, in the order they are tried; matched against the clean text of one line.
# Each kind has up to three patterns: one for the line's start (every alternative anchored with ^), and two for
# anywhere in it: Han words, and the rest (Latin words, numbers, bars), which CHROME_NEEDS_CHARS pre-filters.
# A Han range sits inside (?-i:...): under re.I the compiler would case-fold each of its code points.
CHROME_KINDS: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("breadcrumb", r"^(?:首页|首頁|主页|主頁|Home)\s*(?:[>»›/＞→]|&gt;)|^(?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置|所在位置)", None, None),
    ("hotline", None, None, r"(?:热线|熱線|电话|電話|手机|手機|传真|傳真|Tel|Phone|Fax|Hotline)\s*[:：]?\s*[+\d(（][\d\s\-–/()（）+]{5,}"),
    ("phone", r"^[+(（]?\d[\d\s\-–/()（）+]{6,}$", None, None),
    ("prev-next", r"^(?:上一篇|下一篇|前一篇|后一篇|後一篇|上一条|下一条|上一條|下一條|上一页|下一页|Previous(?: post| article)?|Next(?: post| article)?|«|»)\s*[:：]?", None, None),
    ("related", r"^(?:相关|相關|推荐|推薦|热门|熱門|延伸|更多|猜你喜欢|猜你喜歡|最新|热点|熱點|精彩)(?:文章|阅读|閱讀|新闻|新聞|推荐|推薦|链接|鏈接|资讯|資訊|动态|動態|报道|報導|视频|視頻)\s*[:：]?$"
     r"|^(?:Related|Recommended|More|Popular|Trending|Most (?:popular|read|viewed|shared|commented)|Top stories|Latest (?:news|stories|posts))"
     r"(?: articles| posts| stories| reading| news| content| coverage| links| videos)?\s*:?$"
     r"|^(?:More like this(?: story)?|You (?:may|might) also like|Read more|Also read|See also|Read next|More (?:from|on) [^.!?]{1,40}?)\s*[:»]?$", None, None),
    ("copyright", None, r"版权所有|版權所有|公网安备|公網安備|未经授权|未經授權", r"Copyright|(?<!Ã)©|\(c\)\s*\d{4}|ICP[备備证證]|All rights reserved"),
    ("share", r"^(?:阅读原文|閱讀原文|在看|点赞|點贊|赞|讚|赞赏|讚賞|写留言|寫留言|留言|喜欢此内容的人还喜欢|分享|收藏)\s*\d*$|^分享$|^Subscribe",
     r"扫一扫|掃一掃|二维码|二維碼|关注公众号|關注公眾號|关注我们|關注我們|微信公众|微信公眾|分享到|分享至",
     r"Share (?:this|on)|Follow us|Sign up for|Newsletter|Privacy Policy|Terms of (?:Use|Service)|Cookie"),
    ("comments", r"^[\[(（【]?\d+[\])）】]?\s*(?:条评论|條評論|comments?|评论|評論)$|^(?:发表评论|發表評論|我要评论|我要評論|网友评论|網友評論|Leave a (?:comment|reply)|Comments?)\s*[:：]?$", None, None),
    ("contact", r"^(?:联系我们|聯系我們|聯繫我們|联系方式|聯系方式|聯繫方式|关于我们|關於我們|關于我們|上班时间|上班時間|工作时间|工作時間|办公时间|辦公時間|公司电话|公司電話|热线电话|熱線電話|客服电话|客服電話|地址|邮箱|郵箱|E-?mail|Contact(?: us)?|About(?: us)?)\s*[:：]?", None, None),
    ("tools", r"^[【\[]?\s*(?:字[号號体體]\s*[:：]|打印本页|打印本頁|关闭窗口|關閉窗口|收藏本页|收藏本頁|返回顶部|返回頂部|Print|Back to top)", None, None),
    ("keywords", r"^(?:关键词|關鍵詞|关键字|關鍵字|标签|標籤|Tags?|Keywords?|热门搜索|熱門搜索|热搜|熱搜|Filed under)\s*[:：]|^#[^#\s]{1,24}#", None, None),
    # Anchored, but with the anywhere patterns: its backtracking would cost every line ~0.7 µs, and CHROME_NEEDS spares that.
    ("navigation", None, None, r"^(?:[^\s|｜。，,.!?！？:：]{1,16}(?: [^\s|｜。，,.!?！？:：]{1,16}){0,2}\s*[|｜]\s*){2,}[^|｜。，.!?！？:：]{1,24}$|^(?-i:(?:[\u4e00-\u9fff]{1,4}\s+){4,}[\u4e00-\u9fff]{1,4})$"),
    ("buttons", r"^(?:[【\[][^】\]]{1,8}[】\]]\s*)+$", None, None),
    ("site-info", r"^(?:主办|主辦|承办|承辦|协办|協辦|技术支持|技術支持|网站标识码|網站標識碼|网站地图|網站地圖|网站导航|網站導覽|Powered by|回上一頁|回上一页|回首頁|回首页|返回首页|返回首頁|返回列表|刷新评论|刷新評論|无障碍|無障礙)",
     r"返回顶部|返回頂部|隐私政策|隱私權政策|免责声明|免責聲明|不代表本[站网網]|本站同意其观点|网友评论仅供|網友評論僅供", None),
    ("today", r"^(?:今天是|今日|今天)\s*[:：]?\s*\d{4}\s*年|^(?:As of|Today is)\s", None, None),
    ("advert", r"^(?:Advertisement|Sponsored|广告|廣告|推广|推廣|Partager sur|Mentions légales|Politique de confidentialité)\b", None, None),
)
# The kinds whose start words also open ordinary sentences ("About", "Contact", "Print", "地址", "承办"): a line of
# theirs that reads as a sentence (reads_as_prose) is body text.
PROSE_OPENING_KINDS = frozenset({"contact", "tools", "site-info", "advert"})
# For each kind's Latin anywhere pattern: characters one of which (case aside) every match holds, the first
# of each alternative ("C©(IA" for copyright). A line without any is spared the pattern's scan of every position.
CHROME_NEEDS_CHARS: dict[str, str] = {
    "hotline": "TPFH热熱电電手传傳",  # the label's first character: "電話:010-67…"
    "copyright": "CIA©(",
    "share": "SFNPTC",
    "navigation": "|｜\\s",  # two bars, or four spaces between Han words
}
# Footer chrome glued to the end of the last paragraph: "…說。聯系我們", "…。版权所有 ©".
GLUED_CHROME_WORDS = ("联系我们", "聯系我們", "聯繫我們", "版权所有", "版權所有", "Copyright", "©", "上一篇", "下一篇",
                      "分享到", "扫一扫", "掃一掃", "相关阅读", "相關閱讀", "相关文章", "相關文章")

# Where the article is (see "Parsing text dumps: where the article is"). The line model's features, named as in
# EXTRACTION_WEIGHTS: a block's own (LineShape.features), then its place among the others.
OWN_FEATURES = ("bias", "length", "sentence_end", "colon_end", "commas", "function_words", "chrome", "separators", "date")
PLACE_FEATURES = ("position", "below_comments", "chrome_near", "prose_before", "prose_after")
# The weight of each feature in the logistic model that says how much a block reads like article prose. Fitted by
# bench/train_extraction.py on the development corpora (kept outside the repository); run it again after changing
# a feature, and paste its table here.
EXTRACTION_WEIGHTS: dict[str, float] = {
    "bias": -2.62, "length": 0.31, "sentence_end": 0.27, "colon_end": 0.49, "commas": 2.19, "function_words": 3.05,
    "chrome": -2.01, "separators": -1.08, "date": -1.23, "position": -0.52, "below_comments": -5.02, "chrome_near": -1.05,
    "prose_before": 2.64, "prose_after": 2.82,
}
# The kinds of chrome that open what follows an article (see is_wall).
WALL_KINDS = frozenset({"related", "comments"})
# A block counts for the span by its words, up to this many: one long footer does not outweigh a run of menus.
LONG_BLOCK = 60
# What prose below a comments heading counts for: comments read like prose, but an article above them wins.
BELOW_COMMENTS_SHARE = 0.3
# A line reads as article prose when the model gives it at least this probability.
PROSE_THRESHOLD = 0.5
# A block right after the article still belongs to it at this probability.
EDGE_THRESHOLD = 0.3
# Lines up to this many words are asked the questions only short lines raise (a date, a comments heading).
SHORT_LINE = 15
# Lines up to this long are asked which kind of chrome they are, for the model.
CHROME_FEATURE_LENGTH = 200
# How many blocks above the article's first one its headline is looked for.
HEADLINE_REACH = 12
# How many non-blank lines below the article its metadata is looked for ("Posted 05/11/2012" after the text).
EDGE_REACH = 8
# The article's text tells its language when it is at least this long; a shorter one is told with the page's.
LANGUAGE_SAMPLE = 200
# How many blocks below the headline its metadata and the text's first sentence are looked for.
HEAD_REACH = 5
# How many metadata lines above the headline (or the text) belong to it: "Title: …", "Date: …", "Source: …"
META_REACH = 6
# How many blocks below what reads as prose a closing mark ends the article.
END_MARK_REACH = 3
# A line longer than this holds a whole page's text: it is cut after sentences into pieces of about WALL_PIECE.
WALL_OF_TEXT = 2000
WALL_PIECE = 400
# What ends a sentence for the model: a stop, then any closing quotes ("… done." "完成。」").
MODEL_STOPS = frozenset("。！？!?…．.")
MODEL_CLOSERS = "”’\"'」』）)"
# What ends a full sentence (a title may end in a question or exclamation mark, rarely in these).
FULL_STOPS = ("。", ".", "．", "…", "”", "」")
# A caption is at most this long, and CAPTION_END is looked for in its last CAPTION_TAIL characters.
CAPTION_LENGTH = 120
CAPTION_TAIL = 60
# A dateline below a headline is at most this long.
DATELINE_LENGTH = 120
# A numbered heading (or a Chinese one between paragraphs) up to this long may hold a comma.
SHORT_NUMBERED_HEADING = 20
# Words in the names of outlets, which a person's name does not hold: "The Daily Star", "Straits Wire".
OUTLET_WORDS = frozenset(
    "the news times post daily press journal herald tribune gazette standard star sun mail telegraph guardian observer wire "
    "media network radio tv magazine online today weekly review report chronicle examiner globe register sentinel courier "
    "dispatch bulletin inquirer express record monitor agency service".split())
# What a paper calls itself in the credit a news text opens with (LEAD_CREDIT): no outlet's name.
OWN_OUTLET = frozenset({"本报", "本報", "本网", "本網", "本台", "本刊"})

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
CHINA_OFFSET = "+08:00"
CHINESE_DATE_LANGS = ("zh",)  # languages whose sites give local times in China's zone

# Frequent characters that exist in only one of the two Chinese scripts.
TRADITIONAL_ONLY = "國說這個們來時為會發對學經後開關無與過還進點實當體現種機樣麼電聯華應產業務區報導質傳總歲專條設際員難將頭義黨圖處縣團單間題議長門問見聽讓認變織"
SIMPLIFIED_ONLY = "国说这个们来时为会发对学经后开关无与过还进点实当体现种机样么电联华应产业务区报导质传总岁专条设际员难将头义党图处县团单间题议长门问见听让认变织"
# Frequent words that tell Latin-script languages apart.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for it with as was on are be by this have from".split()),
    "fr": frozenset("le la les et des est une pour dans que qui sur pas avec ce sont du au".split()),
    "de": frozenset("der die und das ist nicht mit den von zu ein eine sich auf für dem des".split()),
    "es": frozenset("el la los las y de que en un una es por con para del se al como".split()),
    "it": frozenset("il di che la per una non sono del della con le gli nel si".split()),
    "pt": frozenset("os as de que em um uma para com não do da dos das por".split()),
}

# (byte order mark, codec for the rest of the file, name reported in --json)
BOMS = ((b"\xef\xbb\xbf", "utf-8", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"), (b"\xff\xfe", "utf-16-le", "utf-16"), (b"\xfe\xff", "utf-16-be", "utf-16"))
# Chinese encodings tried strictly before charset-normalizer is asked; the most plausible reading wins.
CHINESE_ENCODINGS = ("gb18030", "big5")
CJK_ENCODINGS = ["gb18030", "big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr", "cp1252"]
# File signatures of formats that are never text: images, archives, PDF, executables, media, databases.
BINARY_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b",
    b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
    b"\x00asm", b"OggS", b"fLaC", b"\x1a\x45\xdf\xa3", b"wOFF", b"wOF2", b"SQLite format 3\x00", b"II*\x00", b"MM\x00*",
)
# A decoding is plausible Chinese when most of its non-ASCII characters are frequent Han characters
# (the ~500 most frequent, in both scripts) or CJK punctuation; a wrong decoding gives rare characters.
COMMON_HAN = frozenset(
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然"
    "没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二"
    "理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信"
    "北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提"
    "感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让"
    "认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步"
    "完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改"
    "议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕"
    "母调局根曾准团段终乐切级克精哪官示冷域省县镇村企项织况施推善坚具按照括需够须這來國個說們爲時會過學對裏後麼沒於還發當無開"
    "見經頭從動兩長樣現將與進實點種聲話兒問機給幾業間電門東聽氣關並內卻軍產萬體別處總場師書員華報馬張難數車應計親務臺記邊風戰"
    "幹許覺題統請愛讓認論喫義術結連遠資隊帶條變聯權該領傳紅決達辦運強區轉衆輕語滿寫識極黃臉錢黨設雙歷廣議際則單據導網專誰讀飛"
    "觀爭組視濟離雖編寶談隨盡劍講殺調準團終樂級縣鎮項織況堅夠須為著裡眾説"
)
CJK_PUNCTUATION = frozenset("，。、；：？！「」『』（）《》〈〉【】“”‘’…—～·　％０１２３４５６７８９")
PLAUSIBLE_CHINESE = 0.25
# The encodings one file may mix, line by line; a line is read in another only when it holds this many scored characters.
MIXED_ENCODINGS = ("utf-8", "gb18030", "big5")
MIXED_LINE_CHARACTERS = 4
# Encodings of Traditional Chinese only: a Chinese text read with one is Traditional when its characters cannot tell.
TRADITIONAL_ENCODINGS = frozenset({"big5", "big5hkscs", "cp950"})

# Pelican's own metadata header keys ("Title: My post" lines before the first blank line).
PELICAN_KEYS = frozenset("title date modified author authors category tags slug lang summary source status template".split())

# ASCII marks shown full-width between Chinese characters, and the CJK marks around which they may stand.
FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
CJK_OPENING = "“‘「『（《〈【〔"
CJK_CLOSING = "”’」』）》〉】〕"
CJK_PUNCT = "，。、；：！？…—·～" + CJK_OPENING + CJK_CLOSING
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")  # a set: "" is no letter
LOST_MARKS = "?\ufffd"  # what stands for a character lost to an encoding error
# Windows-1252's characters for the bytes 0x80-0x9F, which UTF-8 read as Windows-1252 shows.
CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
DAMAGE_NOTES = {
    "garbled": {"zh-Hant": "亂碼：這段文字在編碼轉換中損壞，原文無法確定", "zh-Hans": "乱码：这段文字在编码转换中损坏，原文无法确定",
                "en": "Garbled text: damaged by an encoding error; the original cannot be recovered"},
    "lost": {"zh-Hant": "缺字：問號代替了編碼轉換中遺失的字", "zh-Hans": "缺字：问号代替了编码转换中遗失的字",
             "en": "Lost characters: the question marks stand for characters lost to an encoding error"},
    "unrepaired": {"zh-Hant": "亂碼：以錯誤編碼讀取的文字，無法確切修復", "zh-Hans": "乱码：以错误编码读取的文字，无法确切修复",
                   "en": "Encoding damage: text read with the wrong encoding that has no exact repair"},
    "repaired": {"zh-Hant": "已修復的亂碼，原為「{text}」", "zh-Hans": "已修复的乱码，原为“{text}”",
                 "en": "Repaired encoding damage; the document had “{text}”"},
}
DAMAGE_MESSAGES = {
    "garbled": "garbled text (bytes decoded with the wrong encoding), left as it is and marked: {text}",
    "lost": "characters lost to '?' or U+FFFD, left as they are and marked: {text}",
    "unrepaired": "encoding damage without an exact repair, left as it is and marked: {text}",
    "repaired": "encoding damage repaired exactly and marked: {text} -> {repair}",
}

# What the sanitizer keeps of a Markdown document's HTML.
SANITIZE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
SANITIZE_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "time": {"datetime"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"}, "ol": {"start"},
    "rt": {"lang"}, "abbr": {"title"}, "code": {"class"}, "*": {"lang", "dir"},
}
SANITIZE_URL_SCHEMES = {"http", "https", "mailto"}  # and relative URLs
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "background", "srcset"})
SECTION_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})  # each starts a section of a Markdown document's page
VOID_ELEMENTS = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
# Every element name the HTML parser knows as HTML (obsolete ones too): sanitize() drops the tags of all others.
HTML_ELEMENTS = tuple("""a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
    blockquote body br button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div
    dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html
    i iframe image img input ins isindex kbd keygen label legend li link listing main map mark marquee menu menuitem meta
    meter nav nobr noembed noframes noscript object ol optgroup option output p param picture plaintext pre progress q rb
    rp rt rtc ruby s samp script search section select slot small source span strike strong style sub summary sup table
    tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp""".split())
# Python-Markdown's cost on one block grows with its length times its inline matches: beyond this
# product (~1 s of Python-Markdown) a paragraph is shown as literal text.
MARKDOWN_BLOCK_BUDGET = 20_000_000
# Characters of text the sanitizer's parser gets in one piece at most (cut before a character reference).
TEXT_NODE_CHARACTERS = 16_384
# More lines than this in one block at which Python-Markdown splits it (each split tests all the rest again): literal text.
MARKDOWN_BLOCK_SPLITS = 64
# Table cells ("|") a document's tables may hold in all; a table past it is shown as text (Python-Markdown makes
# several elements per cell: ~40 µs and ~1 KB each, 8 s and 250 MB for a table of 1 MB).
MARKDOWN_TABLE_CELLS = 5_000
# How deep front matter's [ and { may nest: PyYAML takes seconds for a few thousand levels.
FRONT_MATTER_DEPTH = 32
# Columns of indentation a list item may have (16 levels): Python-Markdown recurses once per level of nesting.
MARKDOWN_LIST_INDENT = 64

UI_TEXT = {
    "zh-Hant": {"pinyin": "顯示拼音", "views": "瀏覽 {n} 次", "minutes": "約 {n} 分鐘讀完", "contents": "目錄",
                "removed": "已移除的網站雜訊（{n} 行）", "source": "來源", "author": "作者", "back": "返回目錄",
                "index": "文章列表", "warnings": "解析提示（{n} 條）", "colon": "：", "generated": "由 {g} 生成", "count": "共 {n} 篇"},
    "zh-Hans": {"pinyin": "显示拼音", "views": "浏览 {n} 次", "minutes": "约 {n} 分钟读完", "contents": "目录",
                "removed": "已移除的网站杂讯（{n} 行）", "source": "来源", "author": "作者", "back": "返回目录",
                "index": "文章列表", "warnings": "解析提示（{n} 条）", "colon": "：", "generated": "由 {g} 生成", "count": "共 {n} 篇"},
    "en": {"pinyin": "Show pinyin", "views": "{n} views", "minutes": "{n} min read", "contents": "Contents",
           "removed": "Removed site chrome ({n} lines)", "source": "Source", "author": "By", "back": "Back to contents",
           "index": "Articles", "warnings": "Parser notes ({n})", "colon": ": ", "generated": "Made with {g}", "count": "{n} articles"},
}

# Names Windows reserves for devices, whatever the extension: COM1 to COM9 and LPT1 to LPT9, with 0 and
# the superscript digits too (Windows reads COM¹ as COM1).
RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in "0123456789¹²³"])
LAST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z, the last second an ISO 8601 date of four-digit years can write
MAX_STEM_BYTES = 150  # leaves room for "-hash.html" and the temporary name within 255 bytes
# The libraries whose releases can change a page (decoding, front matter, Markdown, sanitizing, script
# conversion, repairs, templates), by their distribution names: their versions are in the renderer's fingerprint.
PAGE_LIBRARIES = ("markdown", "jinja2", "nh3", "charset-normalizer", "pyyaml", "opencc", "ftfy")
# The metadata of each page that the manifest keeps for the site's listings.
INDEX_FIELDS = ("title", "date", "source", "lang")

# The site: how many a page holds (each page stays well under 300 KB), its own words, languages by their names.
INDEX_PAGE_SIZE = 50  # articles a page of index.html, index/2.html, ... (about 30 KB)
LIST_PAGE_SIZE = 200  # one-line rows a page of a month, source or language (about 60 KB)
GROUP_PAGE_SIZE = 500  # sources a page of the list of sources
CATALOGUE_SHARD_SIZE = 2000  # articles a file of the search catalogue (about 150 KB)
LISTED_TITLE_LIMIT = 200  # characters of a title a listing shows (the page has it whole)
SITE_TEXT = {
    "zh-Hant": {"site": "網站導覽", "archive": "歸檔", "sources": "來源", "languages": "語言", "search": "搜尋",
                "count_one": "共 1 篇", "newer": "較新", "older": "較舊", "pages": "分頁", "page": "第 {n} 頁，共 {m} 頁", "month": "{y}年{m}月",
                "year": "{y}年", "undated": "未註明日期", "no_source": "未註明來源", "search_label": "搜尋標題與來源",
                "found": "找到 {n} 篇", "found_limit": "僅列出最新的 {n} 篇，請縮小搜尋範圍", "none_found": "找不到相符的文章",
                "searching": "搜尋中…", "failed": "無法載入搜尋目錄", "noscript": "搜尋需要 JavaScript；也可從歸檔或來源頁瀏覽。"},
    "zh-Hans": {"site": "网站导览", "archive": "归档", "sources": "来源", "languages": "语言", "search": "搜索",
                "count_one": "共 1 篇", "newer": "较新", "older": "较旧", "pages": "分页", "page": "第 {n} 页，共 {m} 页", "month": "{y}年{m}月",
                "year": "{y}年", "undated": "未注明日期", "no_source": "未注明来源", "search_label": "搜索标题与来源",
                "found": "找到 {n} 篇", "found_limit": "仅列出最新的 {n} 篇，请缩小搜索范围", "none_found": "找不到相符的文章",
                "searching": "搜索中…", "failed": "无法载入搜索目录", "noscript": "搜索需要 JavaScript；也可从归档或来源页浏览。"},
    "en": {"site": "Site", "archive": "Archive", "sources": "Sources", "languages": "Languages", "search": "Search",
           "count_one": "1 article", "newer": "Newer", "older": "Older", "pages": "Pages", "page": "Page {n} of {m}", "month": "{name} {y}",
           "year": "{y}", "undated": "Undated", "no_source": "No source given", "search_label": "Search titles and sources",
           "found": "{n} found", "found_limit": "The newest {n} shown; narrow the search to see others",
           "none_found": "No article found", "searching": "Searching…", "failed": "The search catalogue could not be loaded",
           "noscript": "Searching needs JavaScript; the archive and the sources list every article too."},
}
# Languages by their own names; a tag not here is shown as it is.
LANGUAGE_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English", "fr": "Français", "de": "Deutsch",
                  "es": "Español", "it": "Italiano", "pt": "Português", "ja": "日本語", "ko": "한국어", "und": "?"}

# The manifest: one row a page, so that a re-run reads and writes only what it needs, whatever the number of pages.
# It lives in the database "manifest", attached to a run's own temporary one, which holds the run's table.
MANIFEST_TABLES = """
CREATE TABLE IF NOT EXISTS manifest.pages (
    page TEXT PRIMARY KEY,     -- the page's file name in the output folder
    input_hash TEXT NOT NULL,  -- input_hash() of the bytes it was rendered from, under this renderer
    written TEXT NOT NULL,     -- file_identity() of the page, taken as it was renamed into place
    title TEXT, date TEXT, source TEXT, lang TEXT,
    seen TEXT,                 -- input_stat() of the input as it was hashed; NULL when a write could have followed unseen
    renderer INTEGER           -- the renderers.id of the fingerprint it was hashed under
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS manifest.renderers (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS manifest.site (
    name TEXT PRIMARY KEY,     -- a file of the site: index.html, index/2.html, index/catalogue-1.js
    key TEXT NOT NULL,         -- site_page_key() of what it shows
    written TEXT NOT NULL      -- its file_identity()
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS manifest.settings (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;  -- site: the fingerprint it was made with
"""
# The columns a manifest of the first SQLite version lacks, added when it is opened.
MANIFEST_ADDED_COLUMNS = {"seen": "TEXT", "renderer": "INTEGER"}
# This run's inputs, one row each in input order: the page's name, input_stat() of the input and file_identity() of
# the page as they are now (NULL: not looked at, or nothing there).
RUN_TABLE = "CREATE TABLE run (position INTEGER PRIMARY KEY, page TEXT NOT NULL, seen TEXT, written TEXT)"
# A page's entry has the types and shapes the site relies on (an entry edited by hand may not): hash and identity as
# text, a title and a language, a source or none, a date as the parser writes it or none: 2024-03-03, 2024-03-03T10:00+08:00.
SOUND_ENTRY = """(typeof(pages.input_hash) = 'text' AND typeof(pages.written) = 'text' AND typeof(pages.title) = 'text'
    AND typeof(pages.lang) = 'text' AND typeof(pages.source) IN ('text', 'null')
    AND (pages.date IS NULL OR (typeof(pages.date) = 'text'
         AND pages.date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]*' AND (length(pages.date) = 10 OR substr(pages.date, 11, 1) = 'T')
         AND substr(pages.date, 6, 2) BETWEEN '01' AND '12' AND substr(pages.date, 9, 2) BETWEEN '01' AND '31')))"""
# A file changed less than this before it was read may be changed again within the same tick of the file system's
# clock, its stat unchanged (git's "racily clean" entries): its stat is not recorded. Two seconds covers file
# systems that keep times to the second or to two seconds (FAT).
RACY_WINDOW_NS = 2_000_000_000
# Windows' st_ctime is the creation time, which a rewrite keeps: there, every input is hashed on every run.
STAT_STANDS_FOR_BYTES = os.name != "nt"
# The order of every listing: newest first, undated last; then by title, and by name for equal titles.
NEWEST_FIRST = "coalesce(date, '') DESC, title DESC, page"


# ---------------------------------------------------------------------------
# Patterns: derived from the tables, and the others, each with an example
# ---------------------------------------------------------------------------

def word_trie(words) -> str:
    """A regular expression for exactly these words, as a trie of alternatives: "a(?:bbr|rticle)?|b(?:r)?" (a flat
    alternation of a hundred words tries each of them at every position)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[:1], []).append(word[1:])
    parts = []
    for first, rests in sorted(by_first.items()):
        inner = word_trie(rest for rest in rests if rest)
        parts.append(re.escape(first) + (f"(?:{inner}){'?' if '' in rests else ''}" if inner else ""))
    return "|".join(parts)


# Marks the parser and restoration leave in texts: 國\ufdd0guó\ufdd1, \ufdd3note\ufdd4run\ufdd5.
MARKED_READING = re.compile(f"{RUBY_OPEN}[^{RUBY_CLOSE}]*{RUBY_CLOSE}")
MARKED_READING_SPLIT = re.compile(f"{RUBY_OPEN}([^{RUBY_CLOSE}]*){RUBY_CLOSE}")
DAMAGE_RUN = re.compile(f"{DAMAGE_OPEN}(?P<note>[^{DAMAGE_TEXT}]*){DAMAGE_TEXT}(?P<run>.*?){DAMAGE_CLOSE}", re.S)
DAMAGE_MARKS = re.compile(f"{DAMAGE_OPEN}[^{DAMAGE_TEXT}]*{DAMAGE_TEXT}|{DAMAGE_CLOSE}")

# Characters and words.
CJK_CHAR = re.compile(f"[{CJK}]")  # 國
NOT_CJK_RUN = re.compile(f"[^{CJK}]+")  # "國 2022, " in "中國 2022, 中"
# What \w leaves out of U+3400-9FFF (the Yijing hexagrams, U+9FFD-9FFF before Unicode 14): [\w{WORD_GAPS_IN_HAN}]
# is [\w\u3400-\u9fff] without a 27,000-character class to compile.
WORD_GAPS_IN_HAN = "\u4dc0-\u4dff\u9ffd-\u9fff"
NOT_IN_SLUG = re.compile(rf"[^\w{WORD_GAPS_IN_HAN}-]+")  # " " and "?" in "Why now?"
UNSAFE_NAME = re.compile(rf"[^\w.\-{WORD_GAPS_IN_HAN}]+")  # " (" and ")!" in "my file (2)!"
# A page name as output_names() makes it: "post-9edcd25e.html" (no folder, no leading dot).
PAGE_NAME = re.compile(rf"[\w\-{WORD_GAPS_IN_HAN}][\w.\-{WORD_GAPS_IN_HAN}]*\.html")

# A site file as write_site() names it: "index.html", "index/2.html", "index/catalogue-3.js".
SITE_FILE = re.compile(rf"index\.html|{SITE_FOLDER}/[\w\-{WORD_GAPS_IN_HAN}][\w.\-{WORD_GAPS_IN_HAN}]*\.(?:html|js)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")  # Don't, well-known
KANA = re.compile(r"[\u3040-\u30ff]")  # の, カ
HANGUL = re.compile(r"[\uac00-\ud7af]")  # 한
TRADITIONAL_ONLY_CHAR = re.compile(f"[{TRADITIONAL_ONLY}]")  # 國
SIMPLIFIED_ONLY_CHAR = re.compile(f"[{SIMPLIFIED_ONLY}]")  # 国
TONE_SET = frozenset(TONE_LETTERS)
# The UTF-16 high bytes of the BMP characters that are not Han (all but U+3400-9FFF and U+F900-FAFF), for count_han().
NOT_HAN_HIGH_BYTES = bytes(byte for byte in range(256) if not (0x34 <= byte <= 0x9F or byte in (0xF9, 0xFA)))

# Pinyin. A converter's reading after a Han character (or after a character already lost to '?' or
# U+FFFD): 國(guó), ?(dāng); real parentheses such as 所(隊) hold Han text. (The lookbehind sits after
# the "(" so that the engine can skip ahead to each "(".)
PINYIN_ANNOTATION = re.compile(f"\\((?<=[{CJK}?\ufffd]\\()(?P<reading>[a-zü{TONE_LETTERS}]{{1,7}})\\)")
# One pinyin syllable once its tone marks are gone: guo, zhuang, nü, er.
PINYIN_SYLLABLE = re.compile(r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:[aeiouü]{1,3})(?:ng|n|r)?$|^(?:hm|hng|ng|m|n)$")

# Sentences and headings.
SENTENCE_END = re.compile(r"[。！？!?….．:：;；][”’\"'」』）)\]】》]*$|[”」』]$")  # 說。 / "Go!" / 好」
FULL_STOP_END = re.compile(r"[。！？!?….．][”’\"'」』）)]*$")  # a full sentence, not a clause before a list: 說。
SENTENCE_INNER = re.compile(r"[，,；;。！？!?]")  # what only a sentence, never a subheading, holds inside
NEVER_ENDS_HEADING = ("：", ":", "。", ".", "！", "？", "!", "?")
# Numbered subheadings: 一、 （二） (三) 1. 1、 第一章 Part 2
NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,2}[、.．]\s*(?=\D)"
    r"|第[一二三四五六七八九十百\d]+[章節节部篇]|(?:Part|Chapter|Section)\s+\w+)"
)
END_MARK = re.compile(r"^[（(【\[—-]*\s*(?:完|全文完|END|end)\s*[）)】\]—-]*$")  # （完） 【完】 -完- (END)
BULLET = re.compile(r"^[·•●▪■◆◇○►▶※*-]\s*")  # "· 2023-04-20 老旧供水管网改造完成过半", "• Story"
# The same mark closing the last line of the text: "…扩大开放。（完）"
CLOSING_MARK = re.compile(r"[（(【\[]\s*(?:完|全文完|END|end)\s*[）)】\]]$")
# Where a sentence ends inside a line: after a stop and the space before the next sentence ("… done. The …"),
# or after a Chinese stop ("…完成。下一…").
SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|[。！？][”’」』）]*")
# A picture's caption, by how it opens: "▲刘华干在…", "图为发布会现场", "圖：…", "Photo: Reuters", "Pictured: …"
CAPTION_START = re.compile(r"^(?:[▲△▼↑]|图为|圖為|图片?\s*[：:]|圖片?\s*[：:]|(?:Photo|Picture|Image)s?(?: by| credit)?\s*:|Pictured\s*:)")
# ... or by how it ends: "酒店外观效果图", "图片来自文学院。", "（记者 张三 摄）", "(AP Photo/Jane Doe)", "(Photo: AFP)"
CAPTION_END = re.compile(
    r"(?:效果图|效果圖|示意图|示意圖|资料图|資料圖|图片来[自源]\S{0,12}|圖片來[自源]\S{0,12}|[（(][^（）()]{1,40}(?:摄|攝|供图|供圖)[）)]"
    r"|\((?:[^()]{0,20}[ /])?Photo\b[^()]{0,30}\))\s*[。.]?$")
# A character every caption holds (one that CAPTION_START or CAPTION_END needs; P and I for "Photo", "Picture",
# "Image"): most Chinese lines hold none. One character class, which the engine scans for at C speed.
CAPTION_HINT = re.compile("[▲△▼↑图圖摄攝效示资資PI]")

# Labels (FIELD_LABELS).
LABEL_FIELD = {label.casefold(): name for name, labels in FIELD_LABELS.items() for label in labels}
_LABEL_ALTERNATION = "|".join(re.escape(label) for label in sorted(LABEL_FIELD, key=len, reverse=True))
# A label at the start of a line or after a field separator: "來源:中國…", "| Posted @ …".
META_LABEL = re.compile(
    rf"(?:^|(?<=[\s|｜·•/,，;；\[【(（]))(?P<label>{_LABEL_ALTERNATION})(?![A-Za-z])\s*(?:(?P<colon>[:：])|(?P<paren>(?=\s?[(（]?\d)))?\s*",
    re.IGNORECASE,
)
# Below the header a label counts only with a colon ("來源:"), a number after it ("人氣 244") or as "posted @":
# a line without a label's last character followed by one of those ("源:", "氣 2", "@") holds no label that counts.
LABEL_VALUE_HINT = re.compile(
    "[" + re.escape("".join(sorted({label[-1] for labels in FIELD_LABELS.values() for label in labels}))) + r"](?:\s*[:：(（\d]|(?<=@))",
    re.IGNORECASE)
# How a Chinese byline starts: "記者", "本报记者", "（记者", "文／".
_BYLINE_START = r"^[（(【\[]?\s*(?:本[報报])?(?:記者|记者|文[／/]|撰文[／/]|通[讯訊]員|通[讯訊]员)"
BYLINE_START = re.compile(_BYLINE_START)
# A Chinese byline without a colon: 記者陳怡君／台北報導, 本报记者 张伟 报道, （记者 李明）
CHINESE_BYLINE = re.compile(
    _BYLINE_START + r"\s*(?P<name>[\u4e00-\u9fff·]{2,4}(?:[、 ][\u4e00-\u9fff·]{2,4})*)"
    r"\s*(?:(?:[／/]\s*[\u4e00-\u9fff]{2,6}\s*(?:[綜综]合)?(?:報導|报道))|(?:[綜综]合)?(?:報導|报道)|[）)】\]])\s*[）)】\]]?$"
)
# Page tools that follow a metadata value on the same line: "湖北日报 【字体：大 中 小】 打印", "南方周末 分享到".
VALUE_TAIL_CHROME = re.compile(r"\s*(?:[【\[]|(?:字[号號体體]|打印|分享[到至]?|收藏|关闭|關閉|Print|Share)(?:\s|[:：]|$)).*$", re.I)
# An outlet's name beside an unlabelled date: 新华网, Reuters, The Daily Star (no digits, no sentence).
OUTLET_NAME = re.compile(r"^[^\d\s:：,，。.!?！？|｜]{2,16}(?: [^\d\s:：,，。.!?！？|｜]{1,16}){0,2}$")
# A person's name in Latin letters: two or three capitalised words ("Jay Cochran", "Mary-Ann O'Neil Smith").
PERSON_NAME = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){1,2}$")
# The credit a Chinese news text opens with: outlet, place and day, "讯"/"电"/"报道", and the reporter in parentheses.
# "北欧绿色邮报网报道（记者陈雪霏）", "新华社北京11月29日电（记者 张三）", "本报讯（记者 李四）"
LEAD_CREDIT = re.compile(
    r"^(?P<source>[\u4e00-\u9fffA-Za-z]{2,12}?[社网網报報台刊站]?)(?:[\u4e00-\u9fff]{2,6}\d{1,2}月\d{1,2}日)?(?:电|電|讯|訊|报道|報導)\s*"
    r"[（(](?:记者|記者)\s*(?P<author>[\u4e00-\u9fff·]{2,4}(?:[、 ][\u4e00-\u9fff·]{2,4})*)\s*[）)]")
# A byline's label at the start of a line: "Posted by", "By"
BYLINE_LABEL = re.compile(r"^(?:Posted by|By)\s", re.I)
# What follows an author's name on a blog's byline: " under Career Advice, Coaching" in "Posted by Alicia under …"
AUTHOR_TAIL = re.compile(r"\s+(?:under|filed under|in)\s.*$", re.I)
# What a crawler may leave before a line's first label: "0" in "0 发布时间：2021.04.17"
STRAY_PREFIX = re.compile(r"^[\d\W]{1,2}$")
# Whom a dateline credits: a news agency in parentheses, or the holder of the copyright.
# "ST JOHN'S, Antigua (AFP), 2013/04/19" -> AFP; "3rd September 2013 in National News © Press Association 2013" -> Press Association
DATELINE_CREDIT = re.compile(r"\((?P<agency>[A-Z][A-Za-z]{1,9})\)|©\s*(?P<holder>[A-Z][\w.&' ]{1,40}?)\s*(?:\d{4})?\s*$")
# A WeChat article's byline: "原创 林小满 城市漫步 2023-07-08 18:30 发表于江苏" (author, account, date, place).
WECHAT_BYLINE = re.compile(
    r"^(?:原创|原創)?\s*(?:(?P<author>[^\s\d:：|]{1,16})\s+)?(?P<source>[^\s\d:：|]{1,24})\s+(?P<date>\d{4}[-/.年]\S*(?:\s+\d{1,2}:\d{2})?)"
    r"(?:\s*(?:发表于|發表於)\s*\S{1,8})?$")
# What may stand beside an unlabelled date on a date line: a weekday, a time zone word: "星期三", "Tuesday", "EST".
DATE_LINE_EXTRA = re.compile(r"^[\s|｜·•,，/()（）-]*(?:(?:星期|週|周|礼拜|禮拜)[一二三四五六日天]|(?:mon|tues|wednes|thurs|fri|satur|sun)day|[A-Z]{2,4}|北京时间|北京時間)?[\s|｜·•,，/()（）-]*$", re.I)
# A source credited in parentheses at the end of the body: （来源：新华社）
TRAILING_SOURCE = re.compile(r"\s*[（(](?:文章)?(?:來源|来源|出處|出处|Source)\s*[:：]\s*(?P<source>[^（）()]{1,40})[）)]\s*$", re.I)
# A view count: 244, 1,024, 1.2万, 10万+
VIEWS_NUMBER = re.compile(r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[万萬]?)")

# Site chrome (CHROME_KINDS). Every start pattern as one group of one regex, in order: the group that matched
# (lastindex) names the earliest kind whose start pattern fits, in one call instead of a dozen.
CHROME_AT_START = re.compile("|".join(f"({start})" for _kind, start, _han, _other in CHROME_KINDS if start), re.I)
CHROME_START_KINDS = tuple(kind for kind, start, _han, _other in CHROME_KINDS if start)
CHROME_RANK = {kind: rank for rank, (kind, _start, _han, _other) in enumerate(CHROME_KINDS)}
# Every kind's Han words as one regex: one scan tells whether any kind's Han words are worth looking for.
CHROME_HAN_WORDS = re.compile("|".join(han for _kind, _start, han, _other in CHROME_KINDS if han))
CHROME_NEEDS = {kind: re.compile(f"[{chars}]", re.I) for kind, chars in CHROME_NEEDS_CHARS.items()}
CHROME_ANY_NEEDS = re.compile(f"[{''.join(CHROME_NEEDS_CHARS.values())}]", re.I)
# The anywhere patterns, in order: (rank in CHROME_KINDS, kind, Han words, needs, the rest), each may be None.
CHROME_ANYWHERE: tuple[tuple[int, str, re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None], ...] = tuple(
    (rank, kind, re.compile(han) if han else None, CHROME_NEEDS[kind] if other else None, re.compile(other, re.I) if other else None)
    for rank, (kind, _start, han, other) in enumerate(CHROME_KINDS) if han or other)
# Footer chrome glued to the end of the last paragraph: "…說。聯系我們", "…。版权所有 ©".
GLUED_CHROME_WORD = re.compile("|".join(map(re.escape, GLUED_CHROME_WORDS)))
GLUED_CHROME = re.compile(rf"[。！？!?.”」』]\s*(?P<chrome>(?:{GLUED_CHROME_WORD.pattern}).*)$")
# A headline followed by its site's name: "Title - 某某網", "Title | Site".
SITE_SUFFIX = re.compile(r"^(?P<title>.+?)\s*(?:[-–—|｜_]|\s{2,})\s*(?P<site>[^-–—|｜_]{2,30})$")

# Where the article is.
# What opens the comments below an article:
# "12 comments", "[2] Comments", "{ 4 comments… read them below or add one }", "Leave a Reply", "Comments are closed.",
# "What do you think? To leave a comment, you can:", "发表评论"
COMMENT_SECTION = re.compile(
    r"\b(?:leave|post|add|write) (?:a|your) (?:comment|reply)\b|^\W{0,2}\d+\W{0,2}\s*(?:comments?|responses?|replies|thoughts?)\b|^(?:comments?|leave a (?:comment|reply)|post (?:a|new|your) comment"
    r"|add (?:a|your) comment|comments are closed|reader comments|join the discussion|responses|discussion"
    r"|you can follow this conversation)\b|^(?-i:发表评论|發表評論|网友评论|網友評論|我要评论|我要評論|评论|評論|留言)", re.I)
# A copyright notice, which ends an article too: "Copyright 2012 Scripps Media, Inc. All rights reserved.", "© NHL 2012"
COPYRIGHT_NOTICE = re.compile(r"^\W{0,2}(?:©|Copyright\b|\(c\)|版权所有|版權所有)", re.I)
# Marks that separate links in a menu or a list: "Home | News", "Tags » Travel", "• Story" (and " > " in "Accueil > Actualités",
# counted apart: one character class is scanned for at C speed).
LINK_SEPARATORS = re.compile(r"[|｜»›•·]")
# Function words, which prose is made of and menus, headlines and link lists lack (see "Parsing: where the article
# is"): the STOPWORDS of every Latin-script language and a few more; Chinese particles, pronouns and prepositions,
# and Japanese particles.
FUNCTION_WORDS = frozenset().union(
    *STOPWORDS.values(), "a an or not but has had were been will would can could he she they we you i his her their its our which who".split())
FUNCTION_HAN = re.compile("[的了是在和与與也就都而及着著被把这這那之其我你他她们們个個有不为為以于於对對中上说說到のはがをにでともへ]")
# What prose carries inside: "," "，" "、" ";" "；"
CLAUSE_MARKS = re.compile(r"[,，、;；]")

# Dates (MONTHS).
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# An optional time after a date: " 08:57:00", "T10:00:00+08:00", " at 8:59 pm", "10时20分".
_TIME = (r"(?:[ T,]\s*(?:at\s+)?(?P<hour>\d{1,2})\s*[:：时時点點]\s*(?P<minute>\d{1,2})(?:\s*[:：分]\s*(?P<second>\d{1,2})\s*秒?|\s*分)?"
         r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?P<zone>\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?")
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
    # 25/12/2023: the day first, when the first number cannot be a month
    rf"(?<![\d/])(?P<day>1[3-9]|2\d|3[01])/(?P<month>\d{{1,2}})/(?P<year>\d{{4}})(?![\d/]){_TIME}",
    # 05/11/2012: the month first, as American sites write it
    rf"(?<![\d/])(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})/(?P<year>\d{{4}})(?![\d/]){_TIME}",
))
# A clock time written before the date it belongs to: "3:01pm Tuesday " in "3:01pm Tuesday 3rd September 2013"
TIME_BEFORE_DATE = re.compile(r"(?<!\d)(?P<hour>\d{1,2})[:：](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?[\s,]*"
                              r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day[\s,]*)?$", re.I)
FOUR_DIGITS = re.compile(r"\d{4}")  # every DATE_PATTERNS match holds its year: a text without it holds no date
# Dates that name no year: 2月16日, March 3. They give a warning, never a guessed year.
YEARLESS_DATE = re.compile(rf"(?<!\d)(?:\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号號]|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)", re.I)
UTC_ZONE = re.compile(r"^(?:Z|UTC|GMT)$", re.I)
ZONE_DIGITS = re.compile(r"^([+-])(\d{2}):?(\d{2})$")  # +0800, +08:00
PROJECT_NAME_SEPARATORS = re.compile(r"[-_.]+")  # the "_" of charset_normalizer-3.5.3.dist-info

# Decoding: a text as chinese_score() sees it. Characters that count for neither side are gone (ASCII, Latin letters,
# combining marks and general punctuation: guó, —), frequent Han characters and CJK punctuation are "+", the others
# stay; newlines stay too: "國(guó)說\nいァ筿" -> "++\nいァ筿".
_NEUTRAL = [chr(code) for first, last in ((0, 0x7F), (0xC0, 0x24F), (0x300, 0x36F), (0x2000, 0x206F))
            for code in range(first, last + 1) if chr(code) != "\n"]
SCORE_VIEW = str.maketrans({**dict.fromkeys(COMMON_HAN | CJK_PUNCTUATION, "+"), **dict.fromkeys(_NEUTRAL)})  # "—" is neutral

# Reading: what normalise_text replaces. A C0 control other than tab, newline, form feed and carriage
# return ("\x00", "\x1b"); a noncharacter ("\ufdd0", "\uffff", "\U0001fffe": the last two code points
# of every plane); a lone surrogate, half of a UTF-16 pair that no encoder writes ("\ud800"); and U+0085,
# the C1 control that YAML and str.splitlines() read as a line break ("\x85").
_CONTROLS = "\x00-\x08\x0b\x0e-\x1f\x7f"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
CONTROL_CHARS = re.compile(f"[{_CONTROLS}]")
# What normalise_text replaces besides C0 controls (which it counts: many of them mean a binary file), with its warning.
REPLACED_CHARS = (
    (re.compile(f"[{_NONCHARACTERS}]"), "noncharacter", "Unicode noncharacters replaced by U+FFFD"),
    (re.compile("[\ud800-\udfff]"), "surrogate", "lone surrogates (halves of a UTF-16 pair, not characters) replaced by U+FFFD"),
    (re.compile("\x85"), "control", "U+0085 (NEXT LINE, a C1 control) replaced by U+FFFD"),
)
UNWANTED_CHARS = re.compile(f"[{_CONTROLS}{_NONCHARACTERS}\ud800-\udfff\x85]")
# The same, and every character from U+1FFFE on: what every document is scanned for first (a class holding the
# 32 noncharacters above the BMP one by one scans ten times slower than one range).
MAYBE_UNWANTED_CHARS = re.compile(f"[{_CONTROLS}\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff\x85\U0001fffe-\U0010ffff]")

# Markdown documents.
FLOW_BRACKET = re.compile(r"[\[\]{}]")  # what opens and closes YAML's flow collections: [a, [b]], {k: v}
FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)  # ---\ntitle: X\n---
ATX_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")  # ## Notes ##
FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")  # ```python
PELICAN_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z_-]{1,20})[ \t]*:[ \t]*(?P<value>.*)$")  # Title: My post
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?P<rule>=+|-+)[ \t]*$")  # "=====" for level one, "-----" for level two
# What makes Python-Markdown's inline pass do work on a block: & < > \ ` * _ [ ] { } ! | #
MARKDOWN_MATCH_CHARS = re.compile(r"[&<>\\`*_\[\]{}!|#]")
BRACKET_OR_ESCAPE = re.compile(r"\\.|[\[\]]", re.S)  # \[ or [ or ]
WHITE_SPACE_IN = re.compile(r"\s")  # the space of "my file.png"
# A line at which Python-Markdown splits a block and tests the rest of it again, maybe inside a quote: a setext
# underline or rule ("===", "---", "* * *", "> ___"), a heading ("#a"), a link definition ("[a]: b").
BLOCK_SPLIT_LINE = re.compile(r"^(?:> ?)*(?: {0,3}(?:[-=][ =-]*|_[ _]*|\*[ *]*)|#.*| {0,3}\[[^\]\n]*\]:.*)$", re.M)
# A table's first two lines as Python-Markdown's tables extension reads them: "| a | b |" over "|---|:-:|".
MARKDOWN_TABLE = re.compile(r"^[^|\n]*\|.*\n[ |:]*-[ |:-]*$", re.M)
# A list item's indentation of 17 or more spaces or tabs: "                    - x", "\t\t\t\t\t1. x".
DEEP_LIST_ITEM = re.compile(r"^[ \t]{17,}(?=(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))", re.M)
LIVE_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\[")  # a "[" no backslash escapes
TAG_OPEN_OR_CLOSE = re.compile(r"<(?=[A-Za-z/!?])|>")  # the "<" of <b>, </p>, <!--, and any ">"
# A section's heading as Python-Markdown and nh3 write it: <h2>Notes</h2>, <h3 lang="en">Notes</h3>.
HEADING_ELEMENT = re.compile(r"<h(?P<level>[2-6])(?P<attributes>[^>]*)>(?P<inner>.*?)</h(?P=level)>", re.S)
H1_TAG = re.compile(r"<(/?)h1\b")  # a level-one heading's tags: <h1>, <h1 lang="en">, </h1>
TAG = re.compile(r"<[^>]*>")  # <em>, </em>
LONG_TEXT_RUN = re.compile(f"[^<]{{{TEXT_NODE_CHARACTERS},}}")  # text between two tags longer than TEXT_NODE_CHARACTERS
# A tag that holds a reading or damage mark (sanitized HTML escapes "<" and ">" inside attribute values): <a title="國\ufdd0guó\ufdd1">.
MARKED_TAG = re.compile(f"<[^>]*[{RUBY_OPEN}{DAMAGE_OPEN}{DAMAGE_CLOSE}][^>]*>")
# A tag of well-formed HTML, its quoted attribute values allowed to hold ">": <a title="a>b">, </p>
HTML_TAG = re.compile(r"<(?P<closing>/)?(?P<name>[A-Za-z][A-Za-z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
PARAGRAPH_BREAK = re.compile("\n\n")
MARKDOWN_MARKS = re.compile(r"[#*_`>\[\]()!|]+")  # what a Markdown paragraph's description leaves out: "**", "[", "]("

# How Jinja2 names a missing attribute: "'render.Article object' has no attribute 'tags'" (or '__main__.Article').
ATTRIBUTE_MISSING = re.compile(r"^'(?:[\w.]+\.)?(?P<type>\w+) object' has no attribute '(?P<name>[^']*)'$")

# Sanitizing. A script or document URL once tabs, newlines, spaces and controls are gone: "java\tscript:".
DANGEROUS_URL = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):")
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]+")
# A tag that is no HTML element's (SVG's and MathML's, <foo>), dropped before sanitizing so that what it wraps is kept
# as HTML text: nh3 drops the content of many (<mi>, <text>, <g>) and, left open, all that follows: <svg onload=…>, </mi>.
NOT_HTML_TAG = re.compile(rf"</?(?!(?:{word_trie(HTML_ELEMENTS)})(?![^\s/>]))[A-Za-z][^<>]*>", re.I)
# A "<" that starts neither a well-formed tag (no "<" inside, so each try stops at the next) nor a comment: the HTML parser would read
# what follows as a tag, a bogus comment or an attribute up to a ">" or a quote that may never come, and drop it.
# A tag's name is letters, digits, "-" and ":": <scr&lt;script> is text. <a title="open, <?php, <!DOCTYPE, </ x>, <![CDATA[.
NOT_A_TAG = re.compile(r"""<(?!!--|/?[A-Za-z][A-Za-z0-9:-]*(?![^\s/>])(?>\s*(?:[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?|/(?!>)))*\s*/?>)""")
# XML-style empty elements, which HTML would read as opening a non-void element: <circle r="10"/>.
SELF_CLOSING = re.compile(rf"<(?!(?:{'|'.join(VOID_ELEMENTS)})\b)([a-zA-Z][\w:-]*)\b([^<>]*?)/>", re.I)

# Restoration.
MARK_RUN = re.compile(r"([,:;!?]+)")  # ",", ",,", "!?" in "中,文!?"
PARENTHESIS = re.compile(r"[()]")
FULLWIDTH_TABLE = str.maketrans(FULLWIDTH)
ASCII_LETTER = re.compile(r"[A-Za-z]")
ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
TRADITIONAL_TAG = re.compile(r"^zh-(?:hant|tw|hk|mo)\b", re.I)  # zh-Hant, zh-TW, zh-Hant-HK
# Spans no restoration touches: URLs everywhere; code, link targets and HTML tags in Markdown.
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+")  # http://x.cn, a@b.cn
MARKDOWN_PROTECTED = re.compile(r"(`+)[\s\S]*?\1|\]\([^)\n]*\)|^\[[^\]\n]+\]:.*$|<[^>\n]+>|" + URL.pattern, re.M)  # `x`, ](url)
# Every match of URL holds one of these; of MARKDOWN_PROTECTED, one of these or of URL's. A text without any is spared the scan.
URL_HINTS = ("://", "www.", "@")
MARKDOWN_PROTECTED_HINTS = ("`", "](", "[", "<") + URL_HINTS
# UTF-8 read as Latin-1 or Windows-1252: a lead byte's character, then continuation bytes' characters: cafÃ©.
_CONTINUATION = f"\u0080-\u00bf{CP1252_HIGH}"
LATIN1_MOJIBAKE = re.compile(f"(?:[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}|[\u00f0-\u00f4][{_CONTINUATION}]{{3}})+")
MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")  # the Ã of cafÃ©: every LATIN1_MOJIBAKE match starts with one
# (Patterns that start with a literal "?", lookbehinds after it, let the engine skip ahead to each "?".)
# A character lost to '?' whose converter reading survived without its opening parenthesis: ?dāng)
ORPHAN_READING = re.compile(f"\\?\\?*(?P<reading>[a-zü{TONE_LETTERS}]{{1,7}})\\)")
LOST_IN_NUMBER = re.compile(r"\d+(?:\?+\d+)+")  # 7?25, 2021?7?22: a separator lost between digits
DIGIT_THEN_LOST = re.compile(r"\?(?<=\d\?)")  # the "?" of 7?25: each LOST_IN_NUMBER match holds one
LOST_AFTER_OPENING = re.compile(f"\\?(?<=[{CJK_OPENING}]\\?)\\?*(?=[^\\s?{CJK_CLOSING}])")  # “?當
REPLACEMENT_RUN = re.compile("[?\ufffd]*\ufffd[?\ufffd]*")  # "??\ufffd?": lost marks around a replacement character
# A reading as the parser writes it, on a character that is no mark, parenthesis or reading: 國\ufdd0guó\ufdd1.
# Punctuation can be widened around such readings without taking the text apart.
PLAIN_READING = re.compile(f"{RUBY_OPEN}(?<=[^,:;!?(){RUBY_CLOSE}]{RUBY_OPEN})[a-zü{TONE_LETTERS}]+{RUBY_CLOSE}")


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


def clean(text: str) -> str:
    """The text a reader sees, pinyin readings and damage marks removed."""
    text = MARKED_READING.sub("", text) if RUBY_OPEN in text else text
    return DAMAGE_MARKS.sub("", text) if DAMAGE_OPEN in text or DAMAGE_CLOSE in text else text


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: wide CJK characters count twice."""
    return len(text) if text.isascii() else sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def count_han(text: str) -> int:
    """How many Han characters a text holds.

    A BMP character's UTF-16 high byte tells whether it is Han, and bytes.translate() deletes the
    others at C speed: ten times faster than the regex, which takes texts with characters outside
    the BMP or in U+4D00-4DFF (half Han). Saves ~8% of a batch.
    """
    if text.isascii():
        return 0
    units = text.encode("utf-16-be", "surrogatepass")
    high = units[::2]
    if len(units) != 2 * len(text) or 0x4D in high:
        return len(NOT_CJK_RUN.sub("", text))
    return len(high.translate(None, NOT_HAN_HIGH_BYTES))


def han_third_of_letters(han: int, text: str) -> bool:
    """Whether han characters are at least a third of the text's letters (a third of its length settles most)."""
    return han * 3 >= len(text) or han * 3 >= sum(map(str.isalpha, text))


def is_cjk_text(text: str) -> bool:
    """Whether Han characters make up at least a third of the letters."""
    han = count_han(text)
    return han > 0 and han_third_of_letters(han, text)


def count_wide(text: str) -> int:
    """About how many Chinese, Japanese or Korean characters a text holds: the bytes UTF-8 gives each beyond one,
    halved (a CJK character, a full-width mark or a curly quote takes three bytes; an accented letter, two)."""
    return 0 if text.isascii() else (len(text.encode("utf-8", "surrogatepass")) - len(text)) // 2


def mark_pinyin(text: str, toneless_ok: bool) -> str:
    """The text with converter readings such as 國(guó) moved into RUBY markers."""
    return marked_and_clean(text, toneless_ok)[0]


def marked_and_clean(text: str, toneless_ok: bool) -> tuple[str, str]:
    """mark_pinyin(text) and, for a text without marks of its own, clean() of it, from one split."""
    parts = PINYIN_ANNOTATION.split(text)  # [text, reading, text, reading, ..., text]
    readings = parts[1::2]
    if not readings:
        return text, text
    marks = {reading: reading_mark(reading, toneless_ok) for reading in set(readings)}
    plain = "".join(parts[::2])  # the clean text when every annotation is a reading, as in most documents
    parts[1::2] = [marks[reading] for reading in readings]
    marked = "".join(parts)
    if any(mark[0] != RUBY_OPEN for mark in marks.values()):  # an annotation that is no reading stays in the clean text
        parts[1::2] = ["" if marks[reading][0] == RUBY_OPEN else marks[reading] for reading in readings]
        plain = "".join(parts)
    return marked, plain


def reading_mark(reading: str, toneless_ok: bool) -> str:
    """What stands for the annotation "(reading)": the marked reading, or the annotation itself when it is no pinyin."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", reading) if not unicodedata.combining(ch)).replace("v", "ü")
    has_tone = not TONE_SET.isdisjoint(reading)
    if PINYIN_SYLLABLE.match(unicodedata.normalize("NFC", bare)) and (has_tone or toneless_ok):
        return f"{RUBY_OPEN}{reading}{RUBY_CLOSE}"
    return f"({reading})"


def toneless_readings_ok(text: str) -> bool:
    """Whether the text's converter writes tones (three toned readings), so toneless ones count as pinyin too."""
    toned = 0
    for m in PINYIN_ANNOTATION.finditer(text):
        toned += not TONE_SET.isdisjoint(m["reading"])
        if toned >= 3:
            return True
    return False


def slug(text: str, taken: set[str]) -> str:
    """A fragment id for a heading, unique within the page; Chinese stays Chinese."""
    base = NOT_IN_SLUG.sub("-", clean(text).strip().lower()).strip("-") or "section"
    if base[0].isdigit():
        base = "s-" + base
    candidate = base
    if candidate in taken:  # base-2, base-3, ...: the first free number, in O(log n) probes, not one per taken id
        low, high = 1, 2
        while f"{base}-{high}" in taken:
            low, high = high, high * 2
        while high - low > 1:  # base-low is taken (or low == 1), base-high is free
            middle = (low + high) // 2
            low, high = (middle, high) if f"{base}-{middle}" in taken else (low, middle)
        candidate = f"{base}-{high}"
    taken.add(candidate)
    return candidate


def detect_lang(text: str, encoding: str = "utf-8") -> str:
    """BCP 47 language tag guessed from the characters and frequent words (and, for Chinese, maybe the encoding)."""
    han = count_han(text)
    kana = len(KANA.findall(text))
    if kana > 10 and kana * 5 > han:
        return "ja"
    if len(HANGUL.findall(text)) > 10:
        return "ko"
    if han >= 10 and han_third_of_letters(han, text):
        return chinese_script(text, encoding)
    words = [w.lower() for w in WORD.findall(text[:20000])]
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] < 2:
        return chinese_script(text, encoding) if han else ("en" if words else "und")
    return best


def chinese_script(text: str, encoding: str = "utf-8") -> str:
    """zh-Hant or zh-Hans for a Chinese text: by its frequent characters of one script only; else (a short text) by
    every character one script's encoding lacks (測 is not in GB2312, 测 not in Big5); else by its encoding; else zh-Hans."""
    lean = len(TRADITIONAL_ONLY_CHAR.findall(text)) - len(SIMPLIFIED_ONLY_CHAR.findall(text))
    if lean == 0:
        lean = sum(map(script_form, set(NOT_CJK_RUN.sub("", text))))
    if lean == 0:
        return "zh-Hant" if encoding.split("+")[0] in TRADITIONAL_ENCODINGS else "zh-Hans"
    return "zh-Hant" if lean > 0 else "zh-Hans"


# ---------------------------------------------------------------------------
# Reading and decoding
# ---------------------------------------------------------------------------


def chinese_score(text: str) -> float:
    """Share of frequent Han characters and CJK punctuation among the non-ASCII characters.

    Accented Latin letters (pinyin such as guó) and general punctuation count for neither side.
    """
    return view_score(text[:200_000].translate(SCORE_VIEW).replace("\n", ""))


def view_score(view: str) -> float:
    """chinese_score() of a text from its SCORE_VIEW."""
    good = view.count("+")
    return good / len(view) if good else 0.0


def mixed_reading(data: bytes, main: str, text: str | None) -> tuple[str, str] | None:
    """The text with each line read in main but those that only make sense in another Chinese encoding, and the
    encodings used ("gb18030+big5"); None when a line is in none. text is data read in main, if it could be.

    A line with MIXED_LINE_CHARACTERS to go by is read in another of MIXED_ENCODINGS when main cannot
    read it or reads it as implausible Chinese (a Big5 paragraph in a GBK file: いァ筿 ︽現皘さぱミ猭…)
    and the other reads it as plausible Chinese; a shorter one is read as most of those were (valid UTF-8
    stays UTF-8). Bytes split at newlines in all of them: no multi-byte character holds 0x0A.
    """
    raws = data.split(b"\n")
    lines = text.split("\n") if text is not None else [strict_reading(raw, main) for raw in raws]
    views = text.translate(SCORE_VIEW).split("\n") if text is not None else [""] * len(raws)
    used: dict[int, str] = {}  # the encoding of each line that is not ASCII
    short = []  # lines too short to tell their encoding
    for number, raw in enumerate(raws):
        line, view = lines[number], views[number]
        if raw.isascii():
            continue
        if line is not None and (main == "utf-8" or (len(view) >= MIXED_LINE_CHARACTERS
                                                     and view_score(view) >= PLAUSIBLE_CHINESE)):
            used[number] = main
            continue
        other = best_reading(raw, [encoding for encoding in MIXED_ENCODINGS if encoding != main])
        if len(view if line is not None else other[2].translate(SCORE_VIEW) if other else "") < MIXED_LINE_CHARACTERS:
            short.append(number)
        elif other is not None and other[0] >= max(PLAUSIBLE_CHINESE, 2 * view_score(view)):
            lines[number], used[number] = other[2], other[3]
        elif line is not None:
            used[number] = main
        else:
            return None
    ranked = [encoding for encoding, _count in collections.Counter(used.values()).most_common()] or [main]
    for number in short:
        reading = next(((line, encoding) for encoding in ranked
                        if (line := strict_reading(raws[number], encoding)) is not None), None)
        if reading is None:  # none of the encodings the other lines are in reads it
            return None
        lines[number], used[number] = reading
    return "\n".join(lines), "+".join(dict.fromkeys(used[number] for number in sorted(used))) or main


def best_reading(data: bytes, encodings) -> tuple[float, int, str, str] | None:
    """(score, -order, text, encoding) of the strict reading of data with the most plausible Chinese, first first; None."""
    readings = [(chinese_score(text), -order, text, encoding) for order, encoding in enumerate(encodings)
                if (text := strict_reading(data, encoding)) is not None]
    return max(readings) if readings else None


def strict_reading(data: bytes, encoding: str) -> str | None:
    """The bytes decoded strictly, or None when they are not in that encoding."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def lightly_damaged_utf8(lenient: str, data_replacements: int = 0) -> bool:
    """Whether a UTF-8 reading with errors replaced holds few enough new U+FFFD to be the document, marked.

    At most one per 200 non-ASCII characters; in a short text, up to two (a byte gone bad, a file cut in the
    middle of a character) when well-formed non-ASCII characters outnumber them two to one: the characters
    another encoding's bytes would make valid UTF-8 by chance are far fewer than the bytes they make invalid.
    """
    new = lenient.count("\ufffd") - data_replacements
    non_ascii = sum(ord(ch) > 0x7F for ch in lenient)
    return new <= max(non_ascii // 200, min(2, (non_ascii - new - data_replacements) // 2))


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with.

    The order is fixed: a byte order mark; strict UTF-8; GB18030 and Big5 read strictly,
    the one giving the most plausible Chinese text; UTF-8 with a few damaged bytes;
    then charset-normalizer's best match among CJK_ENCODINGS. Anything else, and any
    file with a binary signature or NUL bytes, is not a text document.
    """
    if data.startswith(BINARY_SIGNATURES):
        raise DocumentError("not a text document")
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError:
                lenient = data[len(bom):].decode(codec, errors="replace")
                if codec == "utf-8" and lightly_damaged_utf8(lenient):
                    return lenient, name
                raise DocumentError(f"not a text document (invalid {name} after its byte order mark)") from None
    if b"\x00" in data[:65536]:
        raise DocumentError("not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = best_reading(data, CHINESE_ENCODINGS)
    if best is not None and best[0] >= PLAUSIBLE_CHINESE:
        return mixed_reading(data, best[3], best[2])
    mixed = mixed_reading(data, "utf-8", None)  # UTF-8 with lines in a Chinese encoding
    if mixed is not None:
        return mixed
    lenient = data.decode("utf-8", errors="replace")
    if lightly_damaged_utf8(lenient, data.count(b"\xef\xbf\xbd")):
        return lenient, "utf-8"  # a few damaged bytes in a UTF-8 file: shown as U+FFFD
    from charset_normalizer import from_bytes  # only for files that are none of the above

    best = from_bytes(data, cp_isolation=CJK_ENCODINGS).best()
    if best is None:
        raise DocumentError("not a text document")
    return str(best), best.encoding


def without_unwanted(text: str) -> str:
    """A short text (a name, a front-matter value) with every character normalise_text replaces replaced, silently."""
    return UNWANTED_CHARS.sub("\ufffd", text) if UNWANTED_CHARS.search(text) else text


def normalise_text(text: str) -> tuple[str, list[dict]]:
    """LF line endings, no internal marker characters; warns about what it replaced."""
    warnings = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if MAYBE_UNWANTED_CHARS.search(text) is None:
        return text, warnings
    for pattern, kind, message in REPLACED_CHARS:
        if pattern.search(text):
            text = pattern.sub("\ufffd", text)
            warnings.append({"kind": kind, "message": message})
    if CONTROL_CHARS.search(text):
        controls = len(CONTROL_CHARS.findall(text))
        if controls > max(8, len(text) // 100):
            raise DocumentError("not a text document")
        text = CONTROL_CHARS.sub("\ufffd", text)
        warnings.append({"kind": "control", "message": f"{controls} control characters replaced by U+FFFD"})
    return text, warnings


def read_file_safely(path: Path, max_size: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most max_size bytes and its fstat, taken before they were read; never blocks on a FIFO or device."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DocumentError("broken link" if path.is_symlink() else "no such file") from None
    except IsADirectoryError:
        raise DocumentError("is a folder, not a document") from None
    except OSError as error:
        raise DocumentError(f"cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise DocumentError("is a folder, not a document")
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError("not a regular file (device, pipe or socket)")
        if info.st_size > max_size:
            raise DocumentError(f"larger than --max-size ({info.st_size} > {max_size} bytes)")
        with os.fdopen(os.dup(fd), "rb") as handle:
            # As many bytes as fstat saw and one more, to notice a file that grew: read(max_size + 1)
            # would allocate max_size bytes (50 MiB by default) for every document.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since fstat (or fstat says 0, as in /proc): read on, up to the limit
                data += handle.read(max_size + 1 - len(data))
    except OSError as error:
        raise DocumentError(f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if len(data) > max_size:  # the file grew while it was read
        raise DocumentError(f"larger than --max-size (> {max_size} bytes)")
    return data, info


def read_input(path: Path, max_size: int) -> tuple[bytes, os.stat_result | None]:
    """The bytes of one input and, for a file, its read_file_safely fstat: standard input for "-" (read in pieces, up to max_size)."""
    if path != STDIO:
        return read_file_safely(path, max_size)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise DocumentError("standard input is closed")
    data = bytearray()
    while len(data) <= max_size:
        piece = stream.read1(1 << 20)  # read(max_size + 1) would allocate max_size bytes up front
        if not piece:
            break
        data += piece
    if len(data) > max_size:
        raise DocumentError(f"larger than --max-size (> {max_size} bytes)")
    return bytes(data), None


def read_document(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> tuple[str, str]:
    """The decoded text of a file and its encoding, or a DocumentError saying why not."""
    return decode_document(read_file_safely(path, max_size)[0])


def decode_document(data: bytes) -> tuple[str, str]:
    """The text of a document's bytes and its encoding, or a DocumentError when it is none."""
    if not data:
        raise DocumentError("empty file")
    text, encoding = decode(data)
    if all(ch.isspace() or ch in INVISIBLE for ch in text):
        raise DocumentError("empty document (white space only)")
    return text, encoding


# ---------------------------------------------------------------------------
# Parsing text dumps: metadata
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
        if not (1 <= month <= 12 and 1900 <= year <= 2200 and 1 <= day <= calendar.monthrange(year, month)[1]):
            return None, f"impossible date {m[0].strip()!r}"
        date = f"{year:04d}-{month:02d}-{day:02d}"
        if groups.get("hour") is None:
            before = TIME_BEFORE_DATE.search(text, 0, m.start())
            if before is None:
                return date, None
            groups = {**groups, **before.groupdict()}
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


def field_value(text: str) -> str:
    """The value in text, without the separators around it but with the brackets of its own."""
    start = len(text) - len(text.lstrip(FIELD_SEPARATORS))
    value = text[start:].rstrip(FIELD_SEPARATORS)
    end = start + len(value)
    for opening, closing in VALUE_BRACKETS:
        while value.count(opening) > value.count(closing) and text[end:end + 1] == closing:
            value, end = value + closing, end + 1
        while value.count(closing) > value.count(opening) and start and text[start - 1] == opening:
            value, start = opening + value, start - 1
    return value


def labelled_fields(line: str, header: bool = True) -> list[tuple[str, str, str]]:
    """(field, label, value) for every metadata label on one clean line, in order."""
    if not header and not LABEL_VALUE_HINT.search(line):
        return []  # no label below the header can count: spare META_LABEL's scan of every position
    bare = BARE_LABELS if header else BARE_LABELS_ANYWHERE
    matches = [m for m in META_LABEL.finditer(line)
               if m["colon"] or m["paren"] is not None or m["label"].casefold() in bare]
    found = []
    for m, following in zip(matches, matches[1:] + [None]):
        value = field_value(line[m.end(): following.start() if following else len(line)])
        found.append((LABEL_FIELD[m["label"].casefold()], m["label"], value))
    return found


def first_date(text: str) -> re.Match[str] | None:
    """The first well-formed date in a text."""
    if FOUR_DIGITS.search(text) is None:
        return None  # every date pattern needs a four-digit year: one scan spares four re.I scans
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            return m
    return None


def looks_like_name(text: str) -> bool:
    """Whether a short text can be a person's or outlet's name (no sentence, no digits)."""
    return 0 < len(text) <= 40 and not SENTENCE_END.search(text) and not any(ch.isdigit() for ch in text) and len(text.split()) <= 6


class MetaFields:
    """Metadata gathered while parsing; frozen into the Article at the end.

    A plain class with slots: each footer line tried as metadata makes one, and a dataclass adds start-up.
    """

    __slots__ = ("title", "date", "source", "author", "views", "warnings", "date_is_update", "source_is_outlet")

    def __init__(self) -> None:
        self.title: str | None = None
        self.date: str | None = None
        self.source: str | None = None
        self.author: str | None = None
        self.views: int | None = None
        self.warnings: list = []
        self.date_is_update = False
        self.source_is_outlet = False  # the source is a name read beside a date, which a labelled source replaces

    def take_date(self, value: str, label: str, china: bool) -> bool:
        date, warning = parse_date(value, china)
        if warning:
            self.warnings.append({"kind": "date", "message": warning})
        update = label.casefold() in UPDATE_LABELS
        if date and (not self.date or (self.date_is_update and not update)):
            self.date, self.date_is_update = date, update
        if date and label.casefold() in AUTHOR_AFTER_DATE:
            m = first_date(value)
            after = value[m.end():].strip(FIELD_SEPARATORS) if m else ""
            name = after.split("  ")[0].strip(FIELD_SEPARATORS)
            if looks_like_name(name) and self.author is None:
                self.author = name
        return bool(date or warning)

    def take(self, name: str, value: str, china: bool, label: str = "") -> bool:
        """Record one labelled value if it is usable; whether it was."""
        if name == "date":
            return self.take_date(value, label, china)
        if name == "views":
            number = VIEWS_NUMBER.match(value.lstrip("(（ "))
            if number and self.views is None:
                self.views = round(float(number["number"].replace(",", "")) * (10_000 if number["unit"] else 1))
            elif not number:
                self.warnings.append({"kind": "views", "message": f"view count label without a number: {value!r}"})
            return len(value) <= 12 or bool(number)
        if name == "author":
            date = first_date(value)
            if date:  # "Sam Lee on March 15, 2024"
                value, dated = re.sub(r"(?:\s+(?:on|at)|[,，|])\s*$", "", value[: date.start()].strip()), value[date.start():]
            value = AUTHOR_TAIL.sub("", re.sub(r"\s*(?:報道|报道|攝|摄|/?文)$", "", value))
            if not looks_like_name(value):
                return False  # and its date is no page's date: "By 2 March 2024 the paths were open."
            if date:
                self.take_date(dated, "", china)
        value = VALUE_TAIL_CHROME.sub("", value)
        if not value or len(value) > 60:
            return False
        if getattr(self, name) is None or (name == "source" and self.source_is_outlet and label != "outlet"):
            setattr(self, name, value)
            self.source_is_outlet = self.source_is_outlet if name != "source" else label == "outlet"
        return True


def read_meta_line(line: str, meta: MetaFields, china: bool, header: bool) -> bool:
    """Take the metadata a line holds; whether the line is a metadata line."""
    if (len(line) > 160 and not BYLINE_LABEL.match(line)) or BULLET.match(line):
        return False  # but a byline may list the post's categories: "Posted by Alicia under C-Suite, Career Advice, …"
    byline = CHINESE_BYLINE.match(line) if BYLINE_START.match(line) else None
    if byline:
        meta.take("author", byline["name"], china, "記者")
        return True
    if not header and not LABEL_VALUE_HINT.search(line):
        return False  # no label below the header can count, and only the header has unlabelled dates
    fields = labelled_fields(line, header)
    wechat = WECHAT_BYLINE.match(line) if header and not fields else None
    if wechat and parse_date(wechat["date"], china)[0]:
        meta.take_date(wechat["date"], "", china)
        for name in ("author", "source"):
            if wechat[name]:
                meta.take(name, wechat[name], china, name)
        return True
    if not fields and chrome_kind(line) == "today":
        return False  # "As of Tuesday, June 4, 2013": the day the page was seen, not the article's date
    if not fields:
        # An unlabelled date line in the header: "2022年2月16日 10:20", "March 3, 2024 Tuesday".
        m = first_date(line) if header and len(line) <= 40 else None
        if m and DATE_LINE_EXTRA.match(line[: m.start()] + " " + line[m.end():]):
            return meta.take_date(line, "", china)
        # A date and the outlet's name: "2022年02月16日 08:57 新华网", "Reuters | March 3, 2024".
        outlet = (line[: m.start()] + " " + line[m.end():]).strip(FIELD_SEPARATORS + "-–—") if m else ""
        if m and OUTLET_NAME.match(outlet) and meta.take_date(line, "", china):
            if PERSON_NAME.match(outlet) and not OUTLET_WORDS.intersection(outlet.lower().split()):
                meta.take("author", outlet, china, "By")  # "Jay Cochran - November 11, 2011": a writer, not an outlet
            else:
                meta.take("source", outlet, china, "outlet")
            return True
        if header and len(line) <= 40 and YEARLESS_DATE.fullmatch(line.strip(FIELD_SEPARATORS)):
            return meta.take_date(line, "", china)
        return False
    start = META_LABEL.search(line).start() if fields else 0
    prefix = line[:start].strip(FIELD_SEPARATORS)
    prefix_date = first_date(prefix) if prefix else None
    if prefix and not STRAY_PREFIX.match(prefix) and not (
            prefix_date and DATE_LINE_EXTRA.match(prefix[: prefix_date.start()] + " " + prefix[prefix_date.end():])):
        if len(fields) < 2:
            return False  # a label in the middle of a sentence
    if not header and len(fields) == 1 and fields[0][0] == "title":
        return False
    if prefix_date:
        meta.take_date(prefix, "", china)  # "2022-02-16 来源：新华社"
    usable = [meta.take(name, value, china, label) for name, label, value in fields if name != "title"]
    for name, _label, value in fields:
        if name == "title" and value and meta.title is None:
            meta.title = value
            usable.append(True)
    return any(usable) or bool(prefix_date)


def is_dateline(text: str) -> bool:
    """Whether a clean line without labels is a dateline, read as such right below a headline:
    "|ST JOHN'S, Antigua (AFP), 2013/04/19 08:16:13 ,", "3:01pm Tuesday 3rd September 2013 in National News"."""
    return len(text) <= DATELINE_LENGTH and not text.endswith(FULL_STOPS) and first_date(text) is not None


def read_dateline(text: str, meta: MetaFields, china: bool) -> bool:
    """Take the date of a dateline, and the agency or copyright holder it credits as the source."""
    if not is_dateline(text) or not meta.take_date(text, "", china):
        return False
    credit = DATELINE_CREDIT.search(text)
    if credit:
        meta.take("source", (credit["agency"] or credit["holder"]).strip(), china, "outlet")
    return True


def read_lead_credit(text: str, meta: MetaFields, china: bool) -> None:
    """Take the outlet and reporter a Chinese news text credits as it opens: "北欧绿色邮报网报道（记者陈雪霏）－－…",
    "新华社北京11月29日电（记者 张三）…" (the text keeps them)."""
    credit = LEAD_CREDIT.match(text) if (meta.source is None or meta.author is None) else None
    if credit:
        if credit["source"] not in OWN_OUTLET:
            meta.take("source", credit["source"], china, "outlet")
        meta.take("author", credit["author"], china, "記者")


# ---------------------------------------------------------------------------
# Parsing text dumps: lines, chrome, headline, body
# ---------------------------------------------------------------------------


class Line:
    """One input line: its text with readings marked, clean text, and indentation (never changed once made).

    A plain class with slots: a document makes one per line, and a frozen dataclass takes twice as long to build.
    """

    __slots__ = ("number", "text", "clean", "indent", "blank")

    def __init__(self, number: int, text: str, clean: str, indent: int):
        self.number, self.text, self.clean, self.indent = number, text, clean, indent
        self.blank = not clean  # asked of every line several times


def uncached_chrome_kind(text: str) -> str | None:
    """Which kind of site chrome a clean line is, if any (chrome_kind() remembers the answers)."""
    start = CHROME_AT_START.match(text)
    first = CHROME_START_KINDS[start.lastindex - 1] if start else None
    if first in PROSE_OPENING_KINDS and reads_as_prose(text):
        first = None  # "About 300 people came…", "承办这次比赛的学校…": a sentence, not a footer
    last_rank = CHROME_RANK[first] if first else len(CHROME_KINDS)
    han_words = CHROME_HAN_WORDS.search(text) is not None
    if not han_words and CHROME_ANY_NEEDS.search(text) is None:
        return first  # no anywhere pattern can match: one scan instead of one per kind
    for rank, kind, han, needs, other in CHROME_ANYWHERE:
        if rank > last_rank:
            break  # an earlier kind already fits the line's start
        if han_words and han is not None and han.search(text):
            return kind
        if other is not None and needs.search(text) and other.search(text):
            return kind
    return first


# The parser asks about each line several times, and chrome lines recur from page to page. Saves ~11% of a batch.
# (Wrapped here rather than decorated: mutation testing skips decorated functions.)
chrome_kind = functools.lru_cache(maxsize=4096)(uncached_chrome_kind)


def reads_as_prose(text: str) -> bool:
    """Whether a line ends as a full sentence and is long or holds a clause: "About 300 people came, …" is a sentence."""
    return FULL_STOP_END.search(text) is not None and (len(text) >= 30 or SENTENCE_INNER.search(text, 0, len(text) - 1) is not None)


def is_sentence(text: str) -> bool:
    """A line of running text: long enough and ending like a sentence."""
    return len(text) >= 30 and bool(FULL_STOP_END.search(text))


def is_heading(text: str) -> bool:
    """Whether a clean line reads as a subheading rather than a sentence."""
    if END_MARK.match(text):
        return False
    if not text or SENTENCE_END.search(text) and not NUMBERED_HEADING.match(text):
        return False
    if text.endswith(NEVER_ENDS_HEADING):
        return False
    if NUMBERED_HEADING.match(text):  # a short one may hold a comma: "四、没心没肺：脸皮要厚，不要怕人骂"
        return len(text) <= 40 and (len(text) <= SHORT_NUMBERED_HEADING or not SENTENCE_INNER.search(text[3:]))
    cjk = is_cjk_text(text)
    inner = SENTENCE_INNER.findall(text)
    if inner and (cjk or inner != [","]):
        return False  # but one comma in an English title: "Check Flower Pots, Gutters"
    if cjk:
        return len(text) <= 24
    words = WORD.findall(text)
    if not words or len(words) > (6 if inner else 10) or len(text) > 80:
        return False
    capitalised = sum(w[0].isupper() for w in words if w.lower() not in SMALL_WORDS or w is words[0])
    significant = sum(1 for w in words if w.lower() not in SMALL_WORDS or w is words[0])
    return words[0][0].isupper() and capitalised * 10 >= significant * 7


def is_loose_heading(text: str) -> bool:
    """Whether a clean line can be a subheading that only its place between paragraphs tells from a short
    paragraph (sections_of): English in sentence case ("Funding and timeline"), or a short title around
    one comma ("乡村振兴，不是把人口简单聚集")."""
    if not text[:1].isalpha() or SENTENCE_END.search(text) or text.endswith(NEVER_ENDS_HEADING):
        return False
    inner = SENTENCE_INNER.findall(text)
    if is_cjk_text(text):
        return inner in (["，"], [","]) and len(text) <= SHORT_NUMBERED_HEADING
    words = WORD.findall(text)
    return (len(inner) <= 1 and set(inner) <= {","} and 2 <= len(words) <= 8 and len(text) <= 60
            and words[0][0].isupper() and len(" ".join(words)) >= len(text) * 0.8)


def marked_index(text: str, clean_index: int) -> int:
    """The index in a marked text of the character at clean_index of its clean text."""
    seen = i = 0
    while i < len(text) and seen < clean_index:
        if text[i] == RUBY_OPEN:
            i = text.index(RUBY_CLOSE, i) + 1
            continue
        seen += 1
        i += 1
    while i < len(text) and text[i] == RUBY_OPEN:  # a reading belongs to the character before it
        i = text.index(RUBY_CLOSE, i) + 1
    return i


def split_glued_chrome(line: Line) -> list[Line]:
    """A line whose sentence has footer chrome glued to its end, as two lines."""
    m = GLUED_CHROME.search(line.clean) if len(line.clean) > 12 else None
    if not m or m.start("chrome") < 8:
        return [line]
    cut = marked_index(line.text, m.start("chrome"))
    head, tail = line.text[:cut].rstrip(), line.text[cut:].strip()
    return [Line(line.number, head, clean(head), line.indent), Line(line.number, tail, clean(tail), 0)]


def split_lines(text: str) -> list[Line]:
    """The document as Lines, with converter readings marked and glued chrome split off.

    The text holds no marks of its own (normalise_text) and a reading never crosses a line:
    the whole text is marked and cleaned at once, then cut into lines.
    """
    marked, plain = marked_and_clean(text, toneless_readings_ok(text)) if "(" in text else (text, text)
    glued = {plain.count("\n", 0, m.start()) for m in GLUED_CHROME_WORD.finditer(plain)}  # the lines that may hold glued chrome
    lines = []
    for index, (raw, body, bare) in enumerate(zip(text.split("\n"), marked.split("\n"), plain.split("\n"))):
        line = Line(index + 1, body.strip(INDENT_CHARS), bare.strip(INDENT_CHARS), len(raw) - len(raw.lstrip(INDENT_CHARS)))
        lines.extend(split_glued_chrome(line) if index in glued else [line])
    for i in reversed([i for i, line in enumerate(lines) if len(line.clean) > WALL_OF_TEXT]):
        lines[i:i + 1] = split_wall_of_text(lines[i])
    return lines


def split_wall_of_text(line: Line) -> list[Line]:
    """A line holding a whole page (or a page's text with no line breaks) as lines of a few sentences each."""
    cuts = []
    for m in SENTENCE_BREAK.finditer(line.clean):
        if m.end() - (cuts[-1] if cuts else 0) >= WALL_PIECE and len(line.clean) - m.end() >= WALL_PIECE // 2:
            cuts.append(m.end())
    pieces = [line.text[marked_index(line.text, a):marked_index(line.text, b)].strip()
              for a, b in zip([0, *cuts], [*cuts, len(line.clean)])]
    return [Line(line.number, piece, clean(piece), line.indent if k == 0 else 0) for k, piece in enumerate(pieces) if piece]


def find_meta_block(lines: list[Line], meta: MetaFields, china: bool, limit: int = 24) -> tuple[int, int] | None:
    """First and last index of the metadata lines near the top, consumed into meta."""
    seen = 0
    for i, line in enumerate(lines):
        if line.blank or BULLET.match(line.clean):
            continue
        seen += 1
        if seen > limit or is_sentence(line.clean):
            return None  # the body has begun: metadata further down is read with the footer
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
    return (not line.blank and chrome_kind(line.clean) is None and len(line.clean) <= 120
            and not BULLET.match(line.clean) and not line.clean.endswith(("。", ".")))


def find_title(lines: list[Line], meta_block: tuple[int, int] | None, labelled: str | None) -> int | None:
    """Index of the headline: the labelled title's line, the nearest plain line above the metadata, else the first."""
    if meta_block and labelled:
        for i in range(meta_block[0], meta_block[1] + 1):
            if labelled in lines[i].clean:
                return i
    if meta_block:
        for i in range(meta_block[0] - 1, -1, -1):
            if is_title_candidate(lines[i]):
                return i
    start = meta_block[1] + 1 if meta_block else 0
    for i in range(start, min(len(lines), start + 30)):
        if is_title_candidate(lines[i]):
            return i
        if is_sentence(lines[i].clean):
            break
    return None


def is_footer_line(line: Line) -> bool:
    """Whether a line can belong to a page footer: chrome, metadata or a short non-sentence."""
    if END_MARK.match(line.clean):
        return False  # the article's own last line
    return (chrome_kind(line.clean) is not None or (len(line.clean) <= 24 and not SENTENCE_END.search(line.clean))
            or read_meta_line(line.clean, MetaFields(), False, header=False))


def trailing_chrome_start(lines: list[Line]) -> int:
    """Index where the footer of site chrome begins (len(lines) when there is none)."""
    start, has_chrome = len(lines), False
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line.blank:
            continue
        if not is_footer_line(line):
            break
        has_chrome = has_chrome or chrome_kind(line.clean) is not None
        if has_chrome:
            start = i  # short lines below the last chrome line belong to the footer too (the seed's lone "聯")
    return start if has_chrome else len(lines)


def related_list_start(lines: list[Line]) -> int:
    """Index of a 'related articles' heading after which everything is a link list."""
    for i, line in enumerate(lines):
        if chrome_kind(line.clean) == "related":
            return i
    return len(lines)


def wrap_width(lines: list[Line]) -> int | None:
    """The column width the body was hard-wrapped at, or None when it was not."""
    texts = [line for line in lines if not line.blank]
    if len(texts) < 3 or max(len(line.text) for line in texts) > 160:
        return None  # a line is at least as wide as it is long: no need to measure each one
    widths = [display_width(line.text) for line in texts]
    widest = max(widths)
    if widest > 160:
        return None
    near = [line for line, w in zip(texts, widths) if w >= widest * 0.8]
    mid_sentence = sum(not SENTENCE_END.search(line.clean) for line in near)
    return widest if len(near) >= 3 and len(near) * 10 >= len(widths) * 3 and mid_sentence * 2 >= len(near) else None


class Wrapped:
    """A paragraph rejoined from hard-wrapped lines, its pieces joined once at the end (a text grown line by line
    is copied whole each time: quadratic in its lines)."""

    __slots__ = ("pieces", "tail")

    def __init__(self, first: str):
        self.pieces, self.tail = [first], first[-2:]  # tail: the last two characters so far, all wrap_separator needs

    def add(self, line: str) -> None:
        gap = wrap_separator(self.tail, line)
        self.pieces += (gap, line)
        self.tail = (self.tail + gap + line)[-2:]

    def text(self) -> str:
        return "".join(self.pieces)


def wrap_separator(left: str, right: str) -> str:
    """What joins two wrapped lines, from the end of the first (its last two characters will do): nothing between
    Chinese characters or after a hyphen that breaks a word, a space between words."""
    a, b = left[-1:], right[:1]
    if not a:
        return ""
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return ""
    if a in (RUBY_CLOSE,) or CJK_CHAR.match(a) or CJK_CHAR.match(b) or display_width(a) > 1 or display_width(b) > 1:
        return ""
    return " "


def blocks_of(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines between blank lines."""
    blocks: list[list[Line]] = [[]]
    for line in lines:
        if line.blank:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [block for block in blocks if block]


class Block:
    """A run of non-blank lines, whose widest line is measured only when a rule asks (most blocks never are)."""

    def __init__(self, lines: list[Line]):
        self.lines = lines

    @functools.cached_property
    def widest(self) -> int:
        return max(display_width(line.text) for line in self.lines)


def continues(previous: Line, line: Line, width: int | None, mixed_indent: bool, blank_separated: bool,
              block: Block) -> bool:
    """Whether a line carries on the paragraph of the line before it (a hard wrap)."""
    if line.indent > 0 and (mixed_indent or width is None):
        return False  # an indent marks a new paragraph, unless the whole text was wrapped and indented
    if width is not None and display_width(previous.text) >= width * 0.7:
        return True  # the width is the text's widest line, so such a line is never a heading narrow in its block
    if SENTENCE_END.search(previous.clean) or (is_heading(previous.clean) and display_width(previous.text) < block.widest * 0.6):
        return False
    return blank_separated or (mixed_indent and line.indent == 0)


def paragraphs_of(lines: list[Line], blank_separated: bool) -> list[tuple[str, bool]]:
    """(text, single_line) for each paragraph: one per line, by blank lines, or rewrapped."""
    width = wrap_width(lines)
    indents = [line.indent > 0 for line in lines if not line.blank]
    mixed_indent = any(indents) and not all(indents)
    paragraphs: list[Wrapped] = []
    for block in blocks_of(lines):
        measured = Block(block)
        one_per_line = len(block) >= 3 and all(SENTENCE_END.search(line.clean) for line in block)
        previous: Line | None = None
        for line in block:
            if previous is not None and not one_per_line and continues(previous, line, width, mixed_indent, blank_separated, measured):
                paragraphs[-1].add(line.text)
            else:
                paragraphs.append(Wrapped(line.text))
            previous = line
    return [(paragraph.text(), len(paragraph.pieces) == 1) for paragraph in paragraphs]


def is_caption(text: str) -> bool:
    """Whether a clean one-line paragraph is a picture's caption: "▲…", "图为…", "Photo: …", "…（记者 张三 摄）"."""
    return len(text) <= CAPTION_LENGTH and CAPTION_HINT.search(text) is not None and (
        CAPTION_START.match(text) is not None or CAPTION_END.search(text, max(0, len(text) - CAPTION_TAIL)) is not None)


def is_prose(text: str) -> bool:
    """Whether a clean paragraph is running text: it ends like a sentence and is not short."""
    return len(text) >= 40 and SENTENCE_END.search(text) is not None


def paragraph_kinds(paragraphs: list[tuple[str, bool]], cleans: dict[str, str]) -> list[str]:
    """For each paragraph, 'heading', 'caption' or 'paragraph': what it is among its neighbours.
    cleans holds the clean text of the paragraphs that are one line (the rest are cleaned here)."""
    kinds = ["paragraph"] * len(paragraphs)
    for index, (text, single) in enumerate(paragraphs):
        if not single:
            continue
        if line_shape(cleans.get(text) or clean(text)).caption:
            kinds[index] = "caption"
        elif index == len(paragraphs) - 1 or text.endswith(NEVER_ENDS_HEADING):
            continue  # clean() never takes the last character off a text ending in a stop: ruled out uncleaned
        elif is_heading(clean(text)) or (
                index and is_loose_heading(clean(text)) and is_prose(clean(paragraphs[index - 1][0]))
                and is_prose(clean(paragraphs[index + 1][0]))):
            kinds[index] = "heading"
    # A run of short lines is a list, not headings over empty sections: "Class I Fleet Vehicles - Yes"
    neighbours = ["", *kinds, ""]
    return ["paragraph" if kind == "heading" and "heading" in (neighbours[index], neighbours[index + 2])
            and not NUMBERED_HEADING.match(clean(paragraphs[index][0])) else kind for index, kind in enumerate(kinds)]


def sections_of(paragraphs: list[tuple[str, bool]], cleans: dict[str, str] | None = None) -> list[Section]:
    """Group paragraphs under the subheadings found among them; captions stay paragraphs, marked as such.
    cleans: the clean text of one-line paragraphs, where the caller has it."""
    sections: list[Section] = []
    heading: str | None = None
    current: list[str] = []
    captions: list[int] = []
    for (text, _single), kind in zip(paragraphs, paragraph_kinds(paragraphs, cleans or {})):
        if kind == "heading":
            if current or heading is not None:
                sections.append(Section(heading, tuple(current), captions=tuple(captions)))
            heading, current, captions = text, [], []
        else:
            if kind == "caption":
                captions.append(len(current))
            current.append(text)
    if current or heading is not None:
        sections.append(Section(heading, tuple(current), captions=tuple(captions)))
    return sections


# ---------------------------------------------------------------------------
# Parsing text dumps: where the article is
# ---------------------------------------------------------------------------
# A page dump holds the article among menus, teasers, sidebars, comments and footers. Each block (a line, or a
# hard-wrapped paragraph) gets a few shallow features, boilerpipe's and jusText's carried over from HTML blocks
# to text: its length in words, sentence ends, commas, function words, link separators, chrome, a date, and how
# much prose stands before and after it. A logistic model (EXTRACTION_WEIGHTS) turns them into the chance that
# the block is article prose, and the article is the stretch of blocks with the largest sum of
# (chance - PROSE_THRESHOLD) x words (Finn et al.'s maximum-sum span): the short lines between paragraphs cost it
# little, runs of menus and teasers a lot. It does not cross walls (a comments or related-articles heading, a
# copyright notice). Then the headline is looked for above the first sentence, and the head (headline and
# metadata) and the text are read as a clean dump is (parse_text).

LINE_FEATURES = OWN_FEATURES + PLACE_FEATURES  # the names of EXTRACTION_WEIGHTS, in the order of the model's rows


def model_weights(table: dict[str, float]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A table of weights as the model reads it: the weights of OWN_FEATURES, and those of PLACE_FEATURES."""
    return tuple(table[name] for name in OWN_FEATURES), tuple(table[name] for name in PLACE_FEATURES)


OWN_WEIGHTS, PLACE_WEIGHTS = model_weights(EXTRACTION_WEIGHTS)  # bench/train_extraction.py sets both again with its own


class LineShape:
    """What one clean line (or block) is on its own: its words, its own features for the model, whether it is a wall
    or a caption."""

    __slots__ = ("units", "sentence_end", "colon_end", "prose", "chrome", "comment_section", "wall", "caption", "features", "weights",
                 "score")

    def __init__(self, text: str):
        wide = count_wide(text)
        if wide * 2 >= len(text):  # Chinese, Japanese or Korean: about a word per two characters
            units = wide / 2
            function = len(FUNCTION_HAN.findall(text))
        else:
            words = text.split()
            units = len(words) + wide / 2
            function = sum(map(FUNCTION_WORDS.__contains__, words))
        clauses = text.count(",") + text.count(";") if text.isascii() else len(CLAUSE_MARKS.findall(text))
        short = units <= SHORT_LINE
        # Chrome is told by its start or by words anywhere (a scan of the whole line): a long line is rarely chrome.
        kind = chrome_kind(text) if len(text) <= CHROME_FEATURE_LENGTH else None
        sentence_end = 1.0 if text.rstrip(MODEL_CLOSERS)[-1:] in MODEL_STOPS else 0.0
        self.units, self.sentence_end = units, sentence_end
        self.colon_end = 1.0 if text.endswith((":", "：")) else 0.0
        self.prose = sentence_end * (1.0 if units >= 15 else units / 15)  # a sentence of 15 words or more
        self.chrome = 0.0 if kind is None else 1.0
        self.comment_section = short and COMMENT_SECTION.match(text) is not None
        self.wall = self.comment_section or kind in WALL_KINDS or (
            kind in ("copyright", None) and COPYRIGHT_NOTICE.match(text) is not None)
        self.caption = is_caption(text)
        separators = len(LINK_SEPARATORS.findall(text)) + text.count(" > ")
        # The first features of LINE_FEATURES, in order: those of the line alone.
        self.features = (
            1.0, math.log2(1 + units), sentence_end, self.colon_end, min(1.0, 5 * clauses / (1 + units)),
            min(1.0, function / (1 + units)), self.chrome, min(1.0, separators / 2),
            1.0 if short and FOUR_DIGITS.search(text) is not None else 0.0)
        self.weights, self.score = OWN_WEIGHTS, sum(map(operator.mul, self.features, OWN_WEIGHTS))

    def own_score(self, weights: tuple[float, ...]) -> float:
        """The model's score of the line's own features, worked out once for a table of weights (OWN_WEIGHTS)."""
        if self.weights is not weights:
            self.weights, self.score = weights, sum(map(operator.mul, self.features, weights))
        return self.score


@functools.lru_cache(maxsize=4096)  # menus and footers recur from page to page
def line_shape(text: str) -> LineShape:
    """A clean line's LineShape, remembered."""
    return LineShape(text)


def page_blocks(lines: list[Line]) -> list[tuple[int, int, str]]:
    """The blocks of the page the dump was made from, as (first line, last line + 1, clean text):
    each non-blank line, or the lines of a hard-wrapped paragraph joined."""
    width = wrap_width(lines)
    if width is None:  # not hard-wrapped: a block a line
        return [(i, i + 1, line.clean) for i, line in enumerate(lines) if not line.blank]
    blocks: list[list] = []  # [first line, last line + 1, Wrapped]
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if blocks and blocks[-1][1] == i and display_width(lines[i - 1].text) >= width * 0.7:
            blocks[-1][1] = i + 1
            blocks[-1][2].add(line.clean)
        else:
            blocks.append([i, i + 1, Wrapped(line.clean)])
    return [(first, end, wrapped.text()) for first, end, wrapped in blocks]


def prose_and_comments(shapes: list[LineShape]) -> tuple[int, int]:
    """Where the first sentence of 15 words or more stands, and the first comments heading below it (len(shapes): none)."""
    n = len(shapes)
    first_prose = next((k for k, shape in enumerate(shapes) if shape.units >= 15 and shape.sentence_end), n)
    return first_prose, next((k for k in range(first_prose, n) if shapes[k].comment_section), n)


def place_features(shapes: list[LineShape]) -> list[list[float]]:
    """The PLACE_FEATURES of each block, by columns: where it stands in the page and what stands around it."""
    n = len(shapes)
    _first_prose, comments_at = prose_and_comments(shapes)
    step = 1 / max(1, n - 1)
    prose = [0.0, *itertools.accumulate([shape.prose for shape in shapes] + [0.0] * 3)]
    chrome = [0.0, *itertools.accumulate([0.0] * 2 + [shape.chrome for shape in shapes] + [0.0] * 2)]
    return [
        [k * step for k in range(n)], [0.0] * comments_at + [1.0] * (n - comments_at),
        [1.0 if high - low > shape.chrome else 0.0 for high, low, shape in zip(chrome[5:], chrome, shapes)],  # two either side
        [(high - low) / 3 for high, low in zip(prose[:n], [0.0, 0.0, 0.0] + prose)],  # the three before
        [(high - low) / 3 for high, low in zip(prose[4:], prose[1:])],  # the three after
    ]


def line_features(blocks: list[tuple[int, int, str]]) -> list[tuple[float, ...]]:
    """The LINE_FEATURES of each block, in order: its own, then those of its place among the others."""
    shapes = [line_shape(text) for _first, _end, text in blocks]
    return [shape.features + place for shape, place in zip(shapes, zip(*place_features(shapes)))]


def prose_chances(shapes: list[LineShape]) -> list[float]:
    """The model's chance that each block is article prose: the logistic of the weighted features."""
    own = OWN_WEIGHTS
    position, below_comments, chrome_near, prose_before, prose_after = PLACE_WEIGHTS
    return [1 / (1 + math.exp(-score)) if score > -30 else 0.0 for score in (
        (shape.score if shape.weights is own else shape.own_score(own)) + position * a + below_comments * b + chrome_near * c
        + prose_before * d + prose_after * e for shape, a, b, c, d, e in zip(shapes, *place_features(shapes)))]


def article_span(blocks: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """First and last-plus-one index of the blocks that make the article; None when none reads as prose."""
    shapes = [line_shape(text) for _first, _end, text in blocks]
    chances = prose_chances(shapes)
    first_prose, comments = prose_and_comments(shapes)
    best, best_first, best_last = 0.0, 0, len(blocks)
    total, first = 0.0, 0
    for k, (chance, shape) in enumerate(zip(chances, shapes)):
        if shape.wall and k > first_prose:
            total = 0.0  # the article does not run on into its comments or a list of related articles
            continue
        if total <= 0:
            total, first = 0.0, k
        value = (chance - PROSE_THRESHOLD) * (1 + (shape.units if shape.units < LONG_BLOCK else LONG_BLOCK))
        total += value * BELOW_COMMENTS_SHARE if k > comments and value > 0 else value
        if total > best:
            best, best_first, best_last = total, first, k + 1
    if best <= 0:
        return None
    # Like jusText's near-good blocks: a last paragraph that nearly reads as prose, or is a sentence of a few
    # words, still ends the article, also past an advert or two between them.
    while True:
        following = [k for k in range(best_last, min(len(blocks), best_last + 3)) if not shapes[k].chrome or shapes[k].wall]
        if not following or shapes[following[0]].wall:
            break
        shape = shapes[following[0]]
        if chances[following[0]] < EDGE_THRESHOLD and not (shape.sentence_end and shape.units >= 5):
            break
        best_last = following[0] + 1
    # Titles of other articles often follow the text with no heading: two or more short lines that end no sentence.
    teasers = best_last
    while teasers > best_first and is_teaser(blocks[teasers - 1][2], shapes[teasers - 1]):
        teasers -= 1
    if best_last - teasers >= 2 and teasers > best_first:
        best_last = teasers
    return best_first, best_last


def is_teaser(text: str, shape: LineShape) -> bool:
    """Whether a block reads like the title of another article in a list: short, and no full sentence."""
    return (shape.units <= 20 and not text.endswith(FULL_STOPS) and not shape.colon_end and not shape.chrome
            and CLOSING_MARK.search(text) is None and not is_caption(text))


def is_wall(text: str) -> bool:
    """Whether a clean line opens what follows an article: its comments or a list of related articles."""
    return line_shape(text).wall


@functools.lru_cache(maxsize=4096)  # the headline's neighbours are asked about several times
def holds_metadata(text: str) -> bool:
    """Whether a clean line holds the page's metadata (a date, a byline, a source), read as a header line.
    (Whether a date is Chinese changes only its offset, not whether the line is metadata.)"""
    return read_meta_line(text, MetaFields(), False, header=True)


def is_meta_line(line: Line) -> bool:
    """Whether a line holds the page's metadata (a date, a byline, a source), as a header line."""
    return not line.blank and holds_metadata(line.clean)


def words_of(text: str) -> set[str]:
    """The words of a clean text, lower-cased, and each of its Han characters."""
    return set(WORD.findall(text.lower())) | set(CJK_CHAR.findall(text))


def headline_score(lines: list[Line], i: int, distance: int, opening: set[str], repeated: bool) -> float | None:
    """How much line i reads as the headline of an article that opens with the words in opening (None: it cannot)."""
    line = lines[i]
    shape = line_shape(line.clean)
    if (not is_title_candidate(line) or shape.units < 1.5 or shape.units > 40 or shape.colon_end or line.clean[0].islower()
            or is_meta_line(line)):
        return None
    score = -0.3 * distance
    after = [j for j in range(i + 1, min(len(lines), i + 8)) if not lines[j].blank][:2]
    before = [j for j in range(i - 1, max(-1, i - 5), -1) if not lines[j].blank][:1]
    if after and is_meta_line(lines[after[0]]):
        score += 3.0  # a byline or date right below
    elif any(is_meta_line(lines[j]) for j in after + before):
        score += 1.0
    if repeated:
        score += 1.0
    words = words_of(line.clean) - FUNCTION_WORDS
    if words and opening:
        score += 2.0 * len(words & opening) / len(words)
    separators = len(LINK_SEPARATORS.findall(line.clean)) + line.clean.count(" > ")
    if separators >= 2 or (separators and not SITE_SUFFIX.match(line.clean)):
        score -= 1.0  # a menu, not "Headline | Site"
    return score


def opens_text(shape: LineShape) -> bool:
    """Whether a block can be the first of an article's text: a sentence, or a long block."""
    return (shape.sentence_end and shape.units >= 4) or shape.units >= 25


def headline_block(lines: list[Line], blocks: list[tuple[int, int, str]], first: int) -> int | None:
    """The block of the headline of the article whose text starts at block first: the likeliest short line above it."""
    seen = Counter(map(operator.itemgetter(2), blocks))
    above = list(range(first - 1, max(-1, first - 1 - HEADLINE_REACH), -1))
    below: list[int] = []
    opening: set[str] = set()
    for k in range(first, len(blocks)):
        if opens_text(line_shape(blocks[k][2])) or len(below) >= 3:
            opening = words_of(blocks[k][2])
            break
        below.append(k)
    best, best_score = None, -1.5
    for distance, k in list(enumerate(reversed(below))) + [(len(below) + d, k) for d, k in enumerate(above)]:
        if blocks[k][1] - blocks[k][0] > 1:
            continue  # a headline is one line
        score = headline_score(lines, blocks[k][0], distance, opening, seen[blocks[k][2]] > 1)
        if score is not None and score > best_score:
            best, best_score = k, score
    return best


class Located(typing.NamedTuple):
    """Where the article is: the lines it is read from, and the page's other lines."""

    lines: list[Line]  # its head (headline and metadata, when found) and its text
    outside: list[Line]  # the chrome above the head and between the head and the text
    below: list[Line]  # everything after the text
    headline: int | None = None  # the headline's index in lines
    head: int = 0  # how many of lines make the head


def article_lines(lines: list[Line]) -> Located:
    """Where the article is among a dump's lines."""
    blocks = page_blocks(lines)
    span = article_span(blocks) if blocks else None
    if span is None:
        return Located(lines, [], [])  # nothing reads as prose: the document is read as a whole
    first, last = span
    # The mark that closes a news text ends the article, a line or two below what reads as prose: "…。（完）"
    closing = next((k for k in range(last, min(len(blocks), last + END_MARK_REACH)) if CLOSING_MARK.search(blocks[k][2])), None)
    if closing is not None:
        last = closing + 1
    start, end = blocks[first][0], blocks[last - 1][1]
    headline_at = headline_block(lines, blocks, first)
    headline = None if headline_at is None else blocks[headline_at][0]
    head = head_end = start if headline is None else headline
    above = (i for i in range(head - 1, -1, -1) if not lines[i].blank)
    for i in itertools.islice(above, META_REACH):  # a date or labelled fields just above the headline (or the text) belong to it
        if is_meta_line(lines[i]):
            head = i
        elif chrome_kind(lines[i].clean) is None:
            break  # chrome between them ("CONTACT: …") is passed over
    if headline is None:
        return Located(lines[head:end], lines[:head], lines[end:], None, start - head)
    # Below the headline: its metadata, then the text from the first line that reads as a sentence.
    # What stands between (a dek, a stray number, a hashtag line, "View Photo") is chrome.
    text = max(start, headline + 1)
    for n, k in enumerate(range(headline_at + 1, min(len(blocks), headline_at + 1 + HEAD_REACH))):
        block_first = blocks[k][0]
        if is_meta_line(lines[block_first]) or (n == 0 and is_dateline(blocks[k][2])):
            head_end = blocks[k][1] - 1
            continue
        if opens_text(line_shape(blocks[k][2])):  # even above where the span starts: the lede may read weakly
            text = block_first
            break
    text = max(text, head_end + 1)
    return Located(lines[head:head_end + 1] + lines[text:end], lines[:head] + lines[head_end + 1:text], lines[end:],
                   headline - head, head_end + 1 - head)


# ---------------------------------------------------------------------------
# Parsing text dumps: the article
# ---------------------------------------------------------------------------

def strip_site_suffix(title: str, boilerplate: list[str]) -> tuple[str, str | None]:
    """The title without a trailing site name that also stands in the site chrome."""
    m = SITE_SUFFIX.match(title)
    if m and any(m["site"].strip() in clean(line) for line in boilerplate):
        return m["title"].strip(), m["site"].strip()
    return title, None


def parse_text(text: str, name: str, encoding: str = "utf-8") -> Article:
    """Parse a plain-text article dump into an Article."""
    lines = split_lines(text)
    located = article_lines(lines)
    # The language of the article, not of the menus around it (unless the article is too short to tell).
    sample = " ".join(line.clean for line in located.lines[:400])
    lang = detect_lang(sample if len(sample) >= LANGUAGE_SAMPLE else " ".join(line.clean for line in lines[:400]), encoding)
    china = lang.startswith(CHINESE_DATE_LANGS)
    meta = MetaFields()
    lines, below = located.lines, located.below
    boilerplate: list[str] = [line.text for line in located.outside if not line.blank]

    # Beside a headline found, the metadata is in the head; else it is looked for where the text starts.
    meta_block = find_meta_block(lines[:located.head] if located.headline is not None else lines, meta, china)
    in_meta = set(range(meta_block[0], meta_block[1] + 1)) if meta_block else set()
    for i in range(located.head):  # the head's metadata that is not next to the first block ("Posted by …" below the headline)
        if i not in in_meta and i != located.headline and not lines[i].blank and (
                read_meta_line(lines[i].clean, meta, china, True) or read_dateline(lines[i].clean, meta, china)):
            in_meta.add(i)
    meta_lines = [lines[i].text for i in sorted(in_meta) if not lines[i].blank]
    title_index = find_title(lines, meta_block, meta.title) if located.headline is None or meta.title else located.headline
    warnings: list[dict] = []
    if title_index is None:
        warnings.append({"kind": "title", "message": "no title found; using the file name"})
        head_end = max(in_meta, default=-1)
    else:
        head_end = max(title_index, max(in_meta, default=-1))
    # Everything above the headline and the metadata is header chrome; a long sentence between them is the lead.
    lead_between: list[Line] = []
    for i in range(head_end + 1):
        if i == title_index or i in in_meta or lines[i].blank:
            continue
        if title_index is not None and i > title_index and chrome_kind(lines[i].clean) is None and is_sentence(lines[i].clean):
            lead_between.append(lines[i])
        else:
            boilerplate.append(lines[i].text)

    title = lines[title_index].text if title_index is not None else name
    body = lines[head_end + 1:]
    # A headline repeated on the next line counts once.
    first = next((i for i, line in enumerate(body) if not line.blank), None)
    if title_index is not None and first is not None and body[first].clean == clean(title):
        boilerplate.append(body[first].text)
        body = body[first + 1:]
    elif meta.title and first is not None and body[first].clean == meta.title:
        boilerplate.append(body[first].text)
        body = body[first + 1:]

    blank_separated = len(blocks_of(body)) >= 2
    cut = related_list_start(body)
    footer_at = trailing_chrome_start(body[:cut])
    footer, body = body[footer_at:], body[:footer_at]

    kept: list[Line] = list(lead_between)
    for line in body:
        if line.blank:
            kept.append(line)
        elif len(line.clean) <= 80 and read_meta_line(line.clean, meta, china, header=False):
            meta_lines.append(line.text)  # metadata: taken into the fields, the line kept as it was
        elif chrome_kind(line.clean) is not None or is_wall(line.clean):
            boilerplate.append(line.text)
            kept.append(Line(line.number, "", "", 0))  # the chrome still ends the paragraph before it
        else:
            kept.append(line)
    for index, line in enumerate(footer, start=footer_at):
        if line.blank:
            continue
        in_related_list = index >= cut  # dates there belong to other articles
        if not in_related_list and len(line.clean) <= 80 and read_meta_line(line.clean, meta, china, header=False):
            meta_lines.append(line.text)
        else:
            boilerplate.append(line.text)
    edge = [line for line in below if not line.blank]
    near = next((k for k, line in enumerate(edge[:EDGE_REACH]) if is_wall(line.clean)), EDGE_REACH)  # up to a wall
    for k, line in enumerate(edge):
        if k < near and len(line.clean) <= 80 and read_meta_line(line.clean, meta, china, header=False):
            meta_lines.append(line.text)
        else:
            boilerplate.append(line.text)
    paragraphs = paragraphs_of(kept, blank_separated)
    if paragraphs:
        last_text, single = paragraphs[-1]
        source = TRAILING_SOURCE.search(last_text)
        if source and meta.source in (None, clean(source["source"]).strip()):
            meta.source = clean(source["source"]).strip()
            meta_lines.append(last_text[source.start():].strip())
            last_text = last_text[: source.start()].rstrip()
        paragraphs[-1] = (last_text, single)
        paragraphs = [(t, s) for t, s in paragraphs if t]
    if paragraphs:
        read_lead_credit(clean(paragraphs[0][0]), meta, china)

    if meta.title and (title_index is None or title_index in in_meta or not clean(title).strip()):
        if title_index is not None:
            meta_lines.append(lines[title_index].text)  # the line the labelled title came from
        title = meta.title
    headline = title
    title, site = strip_site_suffix(title, boilerplate)
    if site:
        boilerplate.append(site)
        meta_lines.append(headline)  # the headline with its site name, as it stood
    warnings = list(meta.warnings) + warnings
    if not meta.date and not any(w["kind"] == "date" for w in warnings):
        warnings.append({"kind": "date", "message": "no publication date found"})
    return Article(
        name=name, title=title, date=meta.date, source=meta.source, author=meta.author, views=meta.views,
        lang=lang, sections=tuple(sections_of(paragraphs, {line.text: line.clean for line in kept})), boilerplate=tuple(boilerplate),
        warnings=tuple(warnings),
        meta_lines=tuple(dict.fromkeys(meta_lines)),
    )


# ---------------------------------------------------------------------------
# Parsing Markdown documents
# ---------------------------------------------------------------------------

def front_matter(text: str) -> tuple[dict, str, list[dict]]:
    """YAML front matter as a dict, the rest of the text, and warnings."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, []
    depth = flow_depth(m["yaml"])
    if depth > FRONT_MATTER_DEPTH:  # PyYAML's time grows with the square of it, and it recurses once per level
        return {}, text[m.end():], [{"kind": "front-matter", "message": f"front matter is not read: [ and {{ nested "
                                     f"{depth} deep (at most {FRONT_MATTER_DEPTH})"}]
    import yaml  # only documents with front matter pay for it

    try:
        data = yaml.safe_load(m["yaml"]) or {}
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        first = (str(error).splitlines() or [type(error).__name__])[0]
        return {}, text[m.end():], [{"kind": "front-matter", "message": f"front matter is not valid YAML: {first}"}]
    if not isinstance(data, dict):
        return {}, text[m.end():], [{"kind": "front-matter", "message": "front matter is not a mapping"}]
    # Only plain values (and lists of them): nested or aliased structures could take forever to print.
    # YAML's escapes ("\ud800", "\ufdd0") can write what normalise_text took out of the text: taken out again.
    kept = {without_unwanted(key): unwanted_replaced(value) for key, value in data.items() if isinstance(key, str) and (
        is_plain_value(value) or isinstance(value, list) and len(value) <= 100 and all(map(is_plain_value, value)))}
    dropped = sorted(str(key)[:40] for key in data if key not in kept)
    warnings = [{"kind": "front-matter", "message": f"front matter values ignored (not plain text): {', '.join(dropped)}"}] if dropped else []
    return kept, text[m.end():], warnings


def flow_depth(yaml_text: str) -> int:
    """How deep YAML's flow collections ([ ] and { }) nest at most, quotes not told apart (enough for a budget)."""
    if yaml_text.count("[") + yaml_text.count("{") <= FRONT_MATTER_DEPTH:
        return 0  # cannot be deeper: spare the scan
    depth = deepest = 0
    for m in FLOW_BRACKET.finditer(yaml_text):
        depth = depth + 1 if m[0] in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def pelican_header(text: str) -> tuple[dict, str, tuple[str, ...]]:
    """Pelican's "Key: value" metadata lines at the top, the rest of the text, and the raw lines."""
    head, _, rest = text.partition("\n\n")
    lines = head.split("\n")
    fields = [PELICAN_FIELD.match(line) for line in lines]
    if not lines or not all(fields) or fields[0]["key"].lower() not in PELICAN_KEYS:
        return {}, text, ()
    data = {m["key"].lower(): m["value"].strip() for m in fields if m["key"].lower() in PELICAN_KEYS}
    if "authors" in data and "author" not in data:
        data["author"] = data.pop("authors")
    return data, rest, tuple(lines)


def setext_to_atx(lines: list[str]) -> list[str]:
    """Setext headings ("Title" over "=====") rewritten as ATX ("# Title") so sections see them."""
    out: list[str] = []
    fence = None
    for line in lines:
        m = FENCE.match(line)
        if fence or m:
            fence = None if fence and m and m["fence"][0] == fence[0] else (fence or (m["fence"] if m else None))
            out.append(line)
            continue
        underline = SETEXT_UNDERLINE.match(line)
        if (underline and out and out[-1].strip() and not ATX_HEADING.match(out[-1])
                and (len(out) == 1 or not out[-2].strip()) and not BULLET.match(out[-1].lstrip())):
            out[-1] = ("# " if underline["rule"][0] == "=" else "## ") + out[-1].strip()
            continue
        out.append(line)
    return out


def unwanted_replaced(value):
    """A plain front-matter value (or a list of them) with its texts passed through without_unwanted."""
    if isinstance(value, list):
        return [unwanted_replaced(item) for item in value]
    return without_unwanted(value) if isinstance(value, str) else value


def is_plain_value(value) -> bool:
    """A YAML scalar: text, number, true/false or a date."""
    import datetime

    return isinstance(value, (str, int, float, bool, datetime.date)) and not (isinstance(value, str) and len(value) > 10_000)


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


# A code fence as Python-Markdown's fenced_code reads one: ``` or ~~~ at a line's start, then maybe a language
# or {attributes}: "```python", "~~~ {.js}". It is a fence only when a line of the same fence closes it.
CODE_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}) *(?:\{.*\}|\.?[\w#.+-]*) *$")


def markdown_headings(lines: list[str]) -> dict[int, re.Match[str]]:
    """The ATX headings among lines, outside fenced code, by line number (an unclosed fence fences nothing)."""
    fenced = fenced_lines(lines)
    return {number: heading for number, line in enumerate(lines)
            if line.startswith("#") and not fenced[number] and (heading := ATX_HEADING.match(line))}


def fenced_lines(lines: list[str]) -> bytearray:
    """1 for each line of a fenced code block as Python-Markdown's fenced_code reads them (an unclosed fence fences nothing)."""
    fenced = bytearray(len(lines))
    closers: dict[str, list[int]] = {}  # each bare fence ("```"), the lines that hold it
    for number, line in enumerate(lines):
        if line.startswith(("```", "~~~")):
            closers.setdefault(line.rstrip(" "), []).append(number)
    if not closers:
        return fenced
    number = 0
    while number < len(lines):
        line = lines[number]
        fence = CODE_FENCE.match(line) if line.startswith(("```", "~~~")) else None
        if fence:
            same = closers.get(fence["fence"], [])
            close = bisect.bisect_right(same, number)
            if close < len(same):
                fenced[number:same[close] + 1] = b"\x01" * (same[close] + 1 - number)
                number = same[close] + 1
                continue
        number += 1
    return fenced


# What a heading and a title may differ by and still be the same: emphasis marks, case, spacing.
TITLE_MARKUP = str.maketrans("", "", "*_`")


def same_title(heading: str, title: str) -> bool:
    """Whether a heading repeats the title: "# *My* Post" and "my post"."""
    return " ".join(clean(heading).translate(TITLE_MARKUP).casefold().split()) == \
        " ".join(clean(title).translate(TITLE_MARKUP).casefold().split())


def markdown_sections(lines: list[str], headings: dict[int, re.Match[str]]) -> list[Section]:
    """The body split at every heading; levels shifted down by one when the body uses # (the page's h1 is the headline)."""
    shift = 1 if any(len(h["hashes"]) == 1 for h in headings.values()) else 0
    sections: list[tuple[str | None, int, list[str]]] = [(None, 2, [])]
    for number, line in enumerate(lines):
        heading = headings.get(number)
        if heading:
            sections.append((heading["text"], min(len(heading["hashes"]) + shift, 6), []))
        else:
            sections[-1][2].append(line)
    return [Section(heading, tuple(markdown_blocks(body)), level) for heading, level, body in sections]


def parse_markdown(text: str, name: str, encoding: str = "utf-8") -> Article:
    """Parse a Markdown document with optional front matter into an Article.

    The title is the front matter's, else the first # heading; that heading leaves the body when it repeats the title.
    """
    data, body, warnings = front_matter(text)
    block = FRONT_MATTER.match(text)
    meta_lines = tuple(line for line in block[0].split("\n") if line.strip()) if block else ()
    if not block:
        data, body, meta_lines = pelican_header(text)
    raw_text = raw_text_defused(body)[1]  # the HTML step escapes them again in the source it converts
    if raw_text:
        warnings.append({"kind": "html", "message": "shown as text, not as HTML (an element whose content the HTML "
                         "parser would not read as markup hides the rest of the page when left open): "
                         + ", ".join(f"<{name}>" for name in raw_text)})
    toneless_ok = toneless_readings_ok(body)
    lines = [mark_pinyin(line, toneless_ok) if "(" in line else line for line in setext_to_atx(body.split("\n"))]
    title = str(data["title"]).strip() if data.get("title") not in (None, "") else None
    headings = markdown_headings(lines)
    first = next((number for number, h in headings.items() if len(h["hashes"]) == 1), None)
    if first is not None and (title is None or same_title(headings[first]["text"], title)):
        heading = headings.pop(first)["text"]
        title = title or heading
        lines[first] = ""  # not deleted: the lines around it stay apart
    built = tuple(markdown_sections(lines, headings))
    built = tuple(s for i, s in enumerate(built) if s.paragraphs or s.heading is not None or i > 0)
    sample = clean(" ".join(p for s in built for p in s.paragraphs))[:20000]
    lang = str(data.get("lang") or data.get("language") or detect_lang(sample, encoding))
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
        meta=MetaValues({key: value for key, value in data.items() if key not in ARTICLE_FRONT_MATTER}),
        images=markdown_images([p for section in built for p in section.paragraphs]),
        name=name, title=title, date=date,
        source=str(data["source"]) if data.get("source") else None,
        author=", ".join(map(str, data["author"])) if isinstance(data.get("author"), list) else (str(data["author"]) if data.get("author") else None),
        views=views if isinstance(views, int) else None,
        lang=lang, sections=built, warnings=tuple(warnings), markdown=True, meta_lines=meta_lines,
    )


# Front-matter keys that become the Article's own fields; the others go to article.meta.
ARTICLE_FRONT_MATTER = frozenset({"title", "date", "source", "author", "lang", "language", "views"})
# The image patterns stop at the next "[" or "<" (alt texts and tags hold none), so that a text full of
# unclosed "![" or "<img" is scanned in linear time.
# An image in Markdown: ![alt](chart.png "title"), ![alt](<my chart.png>).
MARKDOWN_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(\s*(?:<(?P<angled>[^<>\n]*)>|(?P<plain>[^\s()<]+))")
# A reference image, ![alt][chart], ![chart][] or ![chart], whose URL a definition gives: [chart]: img/chart.png
REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\](?!\()(?:\[(?P<ref>[^\[\]\n]*)\])?")
LINK_DEFINITION = re.compile(r"^ {0,3}\[(?P<ref>[^\[\]\n]+)\]:[ \t]*<?(?P<url>[^\s<>]+)>?", re.M)
# The src of an HTML image: <img src="a.png">, <IMG alt=x src=a.png>.
HTML_IMAGE = re.compile(r"<img\b[^<>]*?\ssrc\s*=\s*(?:\"(?P<double>[^\"<>]*)\"|'(?P<single>[^'<>]*)'|(?P<bare>[^\s<>]+))", re.I)
BACKTICK_RUN = re.compile(r"`+")  # opens or closes a code span: `code`, ``co`de``
# Elements an HTML parser reads as raw text (style, script, xmp, iframe, noembed, noframes, noscript, plaintext),
# as escapable raw text (textarea, title) or into a fragment of their own (template), and select, which drops the
# markup of all it holds: one left open swallows the rest of a page or shows it as literal HTML.
RAW_TEXT_ELEMENTS = ("style", "script", "template", "textarea", "xmp", "title", "noembed", "iframe", "noframes",
                     "noscript", "plaintext", "select")
_RAW_TEXT_NAME = rf"(?:{'|'.join(RAW_TEXT_ELEMENTS)})(?![^\s/>])"
# The "<" of a raw-text element's start or end tag: <style>, </SCRIPT >, <textarea rows=3>, but not <styles>.
RAW_TEXT_TAG = re.compile(rf"<(?=/?{_RAW_TEXT_NAME})", re.I)
# The same tags not escaped by a backslash, or a whole math tag (group "math"): <style, </title, <math display=block>.
RAW_TEXT_OR_MATH_TAG = re.compile(rf"<(?<!\\<)(?:/?(?P<name>{_RAW_TEXT_NAME})|(?P<math>/?math\b[^<>]*>))", re.I)


def without_code_spans(text: str) -> str:
    """Text without its code spans, whose content shows as typed."""
    pieces, last = [], 0
    for start, end in code_spans(text):
        pieces.append(text[last:start])
        last = end
    return "".join(pieces) + text[last:]


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span of a Markdown paragraph, backticks included: each run of backticks closes at
    the next of its length, and a run that none closes is plain backticks."""
    runs = [m.span() for m in BACKTICK_RUN.finditer(text)]
    by_length: dict[int, list[int]] = {}  # run length: the runs of that length, by index
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        close = bisect.bisect_right(same, index)
        if close == len(same):  # never closed: plain backticks
            index += 1
            continue
        spans.append((start, runs[same[close]][1]))
        index = same[close] + 1
    return spans


def raw_text_defused(source: str) -> tuple[str, list[str]]:
    """Markdown source whose raw-text elements (RAW_TEXT_ELEMENTS) are text and whose math tags opening a line
    are gone, outside code; and the raw-text elements' names, in order, each once.

    A <style>, <textarea> or <math> left open would make Python-Markdown keep the rest of the document as
    one raw HTML block, and the HTML parser swallow it or show it as literal markup: written &lt;style>, the
    tag shows as typed and the rest stays Markdown (sanitize() drops math tags anyway). Code (fenced,
    indented, spans) shows its tags as typed already.
    """
    if RAW_TEXT_OR_MATH_TAG.search(source) is None:
        return source, []
    lines = source.split("\n")
    fenced = fenced_lines(lines)
    names: dict[str, None] = {}
    start = 0
    while start < len(lines):  # each run of lines outside fences and between blank lines: a paragraph's code spans stay in it
        if fenced[start] or not lines[start].strip():
            start += 1
            continue
        end = start
        while end < len(lines) and not fenced[end] and lines[end].strip():
            end += 1
        lines[start:end] = raw_text_escaped(lines[start:end], names)
        start = end
    return "\n".join(lines), list(names)


def raw_text_escaped(lines: list[str], names: dict[str, None]) -> list[str]:
    """The lines of one paragraph with raw-text tags escaped and math tags opening a line dropped, outside code
    spans and indented lines (code when they open a block; the HTML step catches any that are not); names gathers
    the raw-text elements' names."""
    text = "\n".join(lines)
    if RAW_TEXT_OR_MATH_TAG.search(text) is None:
        return lines
    spans = code_spans(text) if "`" in text else []
    span_starts = [start for start, _end in spans]
    line_starts = [0, *itertools.accumulate(len(line) + 1 for line in lines[:-1])]
    pieces, last = [], 0
    for m in RAW_TEXT_OR_MATH_TAG.finditer(text):
        line = bisect.bisect_right(line_starts, m.start()) - 1
        span = bisect.bisect_right(span_starts, m.start()) - 1
        if lines[line].startswith(("    ", "\t")) or (span >= 0 and m.start() < spans[span][1]) or (
                m["math"] and text[line_starts[line]:m.start()].strip(" ")):  # inline, Python-Markdown keeps it inline
            continue
        pieces.append(text[last:m.start()])
        if m["math"]:
            last = m.end()
        else:
            names.setdefault(m["name"].lower())
            pieces.append("&lt;")
            last = m.start() + 1
    return ("".join(pieces) + text[last:]).split("\n")


def markdown_images(blocks: list[str]) -> tuple[str, ...]:
    """The image URLs that Markdown blocks show, in order, each once (code blocks and spans left out)."""
    text = "\n\n".join(without_code_spans(block) if "`" in block else block for block in blocks
                        if not block.startswith(("```", "~~~", "    ", "\t")))
    if "![" not in text and "<img" not in text.lower():
        return ()
    import html

    found = [(m.start(), m["angled"] if m["angled"] is not None else m["plain"]) for m in MARKDOWN_IMAGE.finditer(text)]
    found += [(m.start(), html.unescape(next(v for v in m.group("double", "single", "bare") if v is not None)))
              for m in HTML_IMAGE.finditer(text)]
    definitions = {m["ref"].casefold(): m["url"] for m in LINK_DEFINITION.finditer(text)}
    found += [(m.start(), definitions[key]) for m in REFERENCE_IMAGE.finditer(text)
              if (key := (m["ref"] or m["alt"]).casefold()) in definitions]
    return tuple(dict.fromkeys(url for _start, url in sorted(found) if url))


# Why an image will not show, by image_kind(); "missing" is found at the edge (local_images).
IMAGE_WARNINGS = {
    "remote": "image {url} is remote: the page's Content-Security-Policy blocks it (--remote-images allows https: images)",
    "insecure": "image {url} is remote over http: the page blocks it even with --remote-images (only https: images load)",
    "scheme": "image {url} is removed from the page (not an http, https or relative URL)",
    "host": "image {url} is removed from the page (a protocol-relative URL names another host: write https: before it)",
    "absolute": "image {url} is an absolute path: not copied beside the page (give a path relative to the document)",
    "outside": "image {url} lies outside the document's folder: not copied beside the page",
    "missing": "image {url} is not found beside the document: the page shows it broken",
}


def image_kind(url: str, remote_images: bool) -> tuple[str, str]:
    """What a page does with an image URL: ("local", relative path to copy), ("shown", ""), ("none", "")
    for a bare #fragment, or an IMAGE_WARNINGS key and the URL."""
    from urllib.parse import unquote, urlsplit

    if is_protocol_relative(URL_NOISE.sub("", url)):
        return "host", url
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return ("shown", "") if remote_images and scheme == "https" else (
            "insecure" if remote_images else "remote", url)
    if len(scheme) > 1:  # one letter is a Windows drive: C:/charts/a.png
        return "scheme", url
    path = unquote(parts.path).replace("\\", "/")
    if not path:
        return "none", ""
    if scheme or path.startswith("/"):
        return "absolute", url
    import posixpath

    relative = posixpath.normpath(path)
    return ("outside", url) if relative == ".." or relative.startswith("../") else ("local", relative)


def image_warning(kind: str, url: str) -> dict:
    return {"kind": "image", "message": IMAGE_WARNINGS[kind].format(url=url), "image": url}


def with_image_warnings(article: Article, options: Options) -> Article:
    """The article with a warning for each image the page cannot show as it stands (remote, absolute, outside...)."""
    kinds = [(image_kind(url, options.remote_images)[0], url) for url in article.images]
    warnings = tuple(image_warning(kind, url) for kind, url in kinds if kind in IMAGE_WARNINGS)
    return dataclasses.replace(article, warnings=article.warnings + warnings) if warnings else article


def parse_document(text: str, name: str, markdown: bool = False, encoding: str = "utf-8") -> Article:
    """Parse decoded text into an Article; Markdown for .md files, the dump parser otherwise.

    The encoding the text was read with tells a Chinese text's script when its characters cannot (Big5: Traditional).
    """
    text, warnings = normalise_text(text)
    name = without_unwanted(name)  # a name may become the title
    if "+" in encoding:  # decode() read some lines in another encoding: mixed_reading()
        first, *others = encoding.split("+")
        warnings.append({"kind": "encoding", "message": f"the file mixes encodings: read as {first}, with lines in "
                         f"{' and '.join(others)} (their bytes make no sense in {first})"})
    article = parse_markdown(text, name, encoding) if markdown else parse_text(text, name, encoding)
    if warnings:
        article = dataclasses.replace(article, warnings=tuple(warnings) + article.warnings)
    if not any(s.paragraphs for s in article.sections) and not article.markdown:
        article = dataclasses.replace(article, warnings=article.warnings + ({"kind": "body", "message": "no body text found"},))
    return article


# ---------------------------------------------------------------------------
# Restoration: damage, script, punctuation
# ---------------------------------------------------------------------------
# restore() restores each text of an article: most need only their punctuation widened (simply_restored);
# the others are taken apart into a Marked (the clean text, the readings by character index and the
# damaged runs), which finds damage in the document's own script, converts the script, widens punctuation
# and puts the text back together (fully_restored). Damaged runs are kept in texts as
# DAMAGE_OPEN note DAMAGE_TEXT run DAMAGE_CLOSE; damage_element() turns them into <mark> elements.


@dataclass
class Damage:
    """One damaged run: why, the text the document has there, and the exact repair shown, if any."""

    cause: str  # garbled, lost, latin-1, gbk, big5
    text: str
    repair: str | None = None

    @property
    def note(self) -> str:
        return "repaired" if self.repair is not None else "unrepaired" if self.cause in ("latin-1", "gbk", "big5") else self.cause


@dataclass
class Marked:
    """A text as restore() works on it: the clean text, readings by character index, damaged runs."""

    text: str
    readings: dict[int, str] = field(default_factory=dict)
    runs: list[list] = field(default_factory=list)  # [start, end, Damage], in order, never overlapping

    @classmethod
    def of(cls, text: str) -> Marked:
        """A text with marked readings taken apart."""
        if RUBY_OPEN not in text:
            return cls(text)
        pieces = MARKED_READING_SPLIT.split(text)
        texts = pieces[0::2]
        # A reading belongs to the character before it: the last one of the texts so far ("國(guó)" -> {0: "guó"}).
        # The comprehension keeps the loop's order and lets a later reading of the same character win.
        readings = {at - 1: reading for at, reading in zip(itertools.accumulate(map(len, texts)), pieces[1::2]) if at}
        return cls("".join(texts), readings)

    def marked(self, lang: str) -> str:
        """The text again, with readings and damaged runs marked."""
        if not self.readings and not self.runs:
            return self.text
        # At each position: the reading of the character before it, a run closing, a run opening.
        inserts: dict[int, list[str]] = {k + 1: [f"{RUBY_OPEN}{reading}{RUBY_CLOSE}"] for k, reading in self.readings.items()}
        for _start, end, _damage in self.runs:
            inserts.setdefault(end, []).append(DAMAGE_CLOSE)
        for start, _end, damage in self.runs:
            inserts.setdefault(start, []).append(DAMAGE_OPEN + damage_note(damage, lang) + DAMAGE_TEXT)
        out, at = [], 0
        for k in sorted(inserts):
            out.append(self.text[at:k])
            out.extend(inserts[k])
            at = k
        out.append(self.text[at:])
        return "".join(out)

    def replace(self, start: int, end: int, new: str, damage: Damage) -> None:
        """Put an exact repair in place of a damaged run, and mark it."""
        delta = len(new) - (end - start)
        self.text = self.text[:start] + new + self.text[end:]
        self.readings = {k + (delta if k >= end else 0): r for k, r in self.readings.items() if not start <= k < end}
        self.runs = [[s + (delta if s >= end else 0), e + (delta if s >= end else 0), d] for s, e, d in self.runs]
        self.runs.append([start, start + len(new), damage])
        self.runs.sort(key=lambda run: run[0])

    def mark(self, start: int, end: int, damage: Damage) -> None:
        self.runs.append([start, end, damage])
        self.runs.sort(key=lambda run: run[0])


def damage_note(damage: Damage, lang: str) -> str:
    notes = DAMAGE_NOTES[damage.note]
    note = notes["zh-Hant" if TRADITIONAL_TAG.match(lang) else "zh-Hans" if lang.lower().startswith("zh") else "en"]
    return note.format(text=damage.text)


def protected_mask(text: str, markdown: bool) -> bytearray:
    """Which characters of a clean text restoration leaves alone (1): URLs, and code or link targets in Markdown."""
    if markdown and (FENCE.match(text) or all(line.startswith(("    ", "\t")) for line in text.split("\n") if line.strip())):
        return bytearray(b"\x01" * len(text))
    mask = bytearray(len(text))
    if not any(hint in text for hint in (MARKDOWN_PROTECTED_HINTS if markdown else URL_HINTS)):
        return mask  # nothing a protected span must hold: spare the scan (the e-mail branch tries every position)
    for m in (MARKDOWN_PROTECTED if markdown else URL).finditer(text):
        mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


@functools.lru_cache(maxsize=8192)
def is_foreign(ch: str, traditional: bool) -> bool:
    """A Han character foreign to the document's script: Simplified-only (in GB2312, not in Big5) or
    outside Big5-HKSCS in Traditional text, outside GB2312 in Simplified text."""
    if not CJK_CHAR.match(ch):
        return False
    if traditional:
        return (encodable(ch, "gb2312") and not encodable(ch, "cp950")) or not encodable(ch, "big5hkscs")
    return not encodable(ch, "gb2312")


@functools.lru_cache(maxsize=8192)
def script_form(ch: str) -> int:
    """1 for a Han character of Traditional text only (in Big5, not in GB2312: 測), -1 for one of Simplified text
    only (in GB2312, not in Big5: 测), 0 for the others."""
    return encodable(ch, "cp950") - encodable(ch, "gb2312")


def damage_codec(traditional: bool) -> str:
    """The codec that cannot encode the characters foreign to the document's script: Big5 (cp950) or GB2312."""
    return "cp950" if traditional else "gb2312"


def foreign_positions(text: str, traditional: bool) -> list[int]:
    """Indices of the characters foreign to the document's script; the codec finds the candidates at C speed."""
    codec = damage_codec(traditional)
    # The codec makes each character it cannot encode one b"?" (only "?" itself encodes to that byte) and
    # decodes each other character's bytes to one character: the round trip is the text with exactly the
    # candidates and the "?" turned "?", index for index, with no Python error handler called per character.
    round_trip = text.encode(codec, "replace").decode(codec)
    return [k for k in question_marks(round_trip) if text[k] != "?" and is_foreign(text[k], traditional)]


def exact_repair(text: str, codecs_tried: tuple[str, ...]) -> tuple[str, str] | None:
    """(codec, repair) when the text is UTF-8 that was read as one of the codecs: bytes back, strictly."""
    for codec in codecs_tried:
        try:
            repaired = (b"".join(ch.encode("cp1252") if ch in CP1252_HIGH else bytes([ord(ch)]) for ch in text)
                        if codec == "latin-1" else text.encode(codec)).decode("utf-8")
        except (UnicodeError, ValueError):
            continue
        if repaired != text and not any(unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\n\t" for ch in repaired):
            return codec, repaired
    return None


def find_mojibake(text: str, mask: bytearray) -> list[tuple[int, int, Damage]]:
    """Runs of UTF-8 read as Latin-1 (cafÃ©): repaired where ftfy agrees with the exact byte repair."""
    found = []
    lead = MOJIBAKE_LEAD.search(text)
    for m in LATIN1_MOJIBAKE.finditer(text, lead.start()) if lead else ():  # no match starts before a lead
        if any(mask[m.start():m.end()]):
            continue
        repair = exact_repair(m[0], ("latin-1",))
        if repair is None:
            continue
        repaired = repair[1]
        while LATIN1_MOJIBAKE.fullmatch(repaired) and exact_repair(repaired, ("latin-1",)):
            repaired = exact_repair(repaired, ("latin-1",))[1]  # mojibake of mojibake
        import ftfy  # only texts that look damaged pay for it

        exact = ftfy.fix_encoding(m[0]) == repaired
        found.append((m.start(), m.end(), Damage("latin-1", m[0], repaired if exact else None)))
    return found


def grow_over_lost(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown over '?' or U+FFFD marks at most two Han characters away on either side."""
    for step in (-1, 1):
        k = start - 1 if step < 0 else end
        for _ in range(3):
            if not 0 <= k < len(text) or not (CJK_CHAR.match(text[k]) or text[k] in LOST_MARKS):
                break
            if text[k] in LOST_MARKS:
                while 0 <= k + step < len(text) and text[k + step] in LOST_MARKS:
                    k += step
                after = text[k + 1] if k + 1 < len(text) else ""
                if step < 0 or CJK_CHAR.match(after) or after.isdigit():  # not a question mark ending a sentence
                    start, end = (k, end) if step < 0 else (start, k + 1)
                break
            k += step
    return start, end


def question_marks(text: str) -> list[int]:
    """Indices of the "?" in a text, found by str.find() at C speed."""
    found, k = [], text.find("?")
    while k >= 0:
        found.append(k)
        k = text.find("?", k + 1)
    return found


@functools.lru_cache(maxsize=1024)  # a pure function of a short reading; the same few come back in every document
def is_converter_reading(reading: str) -> bool:
    """Whether an ORPHAN_READING reading is a converter's: toned pinyin that mark_pinyin() would mark."""
    return any(ch in TONE_LETTERS for ch in reading) and mark_pinyin(f"中({reading})", False) != f"中({reading})"


def joinable(gap: str) -> bool:
    """Whether two damaged spans this far apart are one run: at most two Han characters or lost marks."""
    return len(gap) <= 2 and all(CJK_CHAR.match(ch) or ch in LOST_MARKS for ch in gap)


def lost_in_numbers(text: str) -> list[list[int]]:
    """Spans of LOST_IN_NUMBER matches, scanned from the digits before the first "?" that follows a digit."""
    first = DIGIT_THEN_LOST.search(text)
    if first is None:
        return []
    start = first.start()
    while start and text[start - 1].isdecimal():  # \d is a decimal digit (Nd) too
        start -= 1
    return [[m.start(), m.end()] for m in LOST_IN_NUMBER.finditer(text, start)]


def any_between(positions: list[int], start: int, end: int) -> bool:
    """Whether a sorted list of positions holds one in [start, end): foreign_positions() lists every foreign
    character (the codec encodes none of them), so this is any(is_foreign(...)) over the span, by bisection."""
    k = bisect.bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


def find_damage(text: str, readings: dict[int, str], mask: bytearray, traditional: bool) -> list[tuple[int, int, Damage]]:
    """Garbled runs and lost characters in a clean Chinese text, as (start, end, Damage)."""
    n = len(text)
    spans: list[list[int]] = [[m.start(), m.end()] for m in REPLACEMENT_RUN.finditer(text)] if "\ufffd" in text else []
    if "?" in text:
        # The order of spans does not matter (they are sorted below): look up the few "?", not every reading.
        spans += [[k, k + 1] for k in question_marks(text) if k in readings]
        spans += [[m.start(), m.end()] for m in ORPHAN_READING.finditer(text) if is_converter_reading(m["reading"])]
        spans += lost_in_numbers(text)
        spans += [[m.start(), m.end()] for m in LOST_AFTER_OPENING.finditer(text)]
    # Runs of characters foreign to the document's script, at most two characters apart.
    clusters: list[list[int]] = []
    foreign = foreign_positions(text, traditional)
    for k in foreign:
        if clusters and joinable(text[clusters[-1][1]:k]):
            clusters[-1][1], clusters[-1][2] = k + 1, clusters[-1][2] + 1
        else:
            clusters.append([k, k + 1, 1])
    repairs: dict[tuple[int, int], tuple[str, str]] = {}
    for start, end, count in clusters:
        if count < 3:
            continue
        repair = exact_repair(text[start:end], ("big5", "gbk") if traditional else ("gbk", "big5"))
        if repair and is_cjk_text(repair[1]):
            repairs[(start, end)] = repair
            spans.append([start, end])
            continue
        grown = grow_over_lost(text, start, end)
        if grown != (start, end):  # '?' beside the run: the bytes around it were lost too
            spans.append(list(grown))
    if not spans:
        return []
    runs: list[list[int]] = []
    for start, end in sorted(s for s in spans if not any(mask[s[0]:s[1]])):
        if runs and (start <= runs[-1][1] or joinable(text[runs[-1][1]:start])):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    found: list[tuple[int, int, Damage]] = []
    for index, (start, end) in enumerate(runs):
        if (start, end) in repairs:
            codec, repaired = repairs[(start, end)]
            found.append((start, end, Damage(codec, text[start:end], repaired)))
            continue
        low = found[-1][1] if found else 0
        high = runs[index + 1][0] if index + 1 < len(runs) else n
        garbled = any_between(foreign, start, end)
        if garbled:  # stray Latin letters glued to a garbled run belong to it: 赣H受
            while start > low and ASCII_LETTER.match(text[start - 1]) and (start < 2 or not ASCII_ALNUM.match(text[start - 2])):
                start -= 1
            while end < high and ASCII_LETTER.match(text[end]) and (end + 1 >= n or not ASCII_ALNUM.match(text[end + 1])):
                end += 1
        # A quotation mark whose partner was lost inside the run belongs to it too: ‘?dāng)场瘎
        opening = text[start - 1] if start > low else ""
        if opening in ("‘", "“") and {"‘": "’", "“": "”"}[opening] not in text[end:].split(opening)[0]:
            start -= 1
        closing = text[end] if end < high else ""
        if closing in ("’", "”") and {"’": "‘", "”": "“"}[closing] not in text[:start].split(closing)[-1]:
            end += 1
        found.append((start, end, Damage("garbled" if garbled else "lost", text[start:end])))
    return found


def lost_runs(text: str, mask: bytearray) -> list[tuple[int, int, Damage]]:
    """The runs of U+FFFD (a character lost before or while the document was decoded) in a text of any language."""
    return [(m.start(), m.end(), Damage("lost", m[0])) for m in REPLACEMENT_RUN.finditer(text) if not any(mask[m.start():m.end()])]


_CONVERTERS: dict = {}


def script_converter(script: str):
    """OpenCC's convert function for 'simplified' or 'traditional', one per process."""
    config = "t2s.json" if script == "simplified" else "s2t.json"
    if config not in _CONVERTERS:
        import opencc  # only --script simplified/traditional pays for it

        _CONVERTERS[config] = opencc.OpenCC(config).convert
    return _CONVERTERS[config]


def convert_marked(text: Marked, frozen: bytearray, convert) -> None:
    """The text converted by OpenCC in place, except frozen spans; readings stay on their converted characters."""
    n = len(text.text)
    cuts = {0, n} | {k for m in re.finditer(rb"\x01+", frozen) for k in m.span()}
    cuts |= {k for start, end, _damage in text.runs for k in (start, end)}
    cuts = sorted(cuts)
    pieces, readings, moved = [], {}, {0: 0}
    at = 0  # where the current segment starts in the converted text
    for a, b in zip(cuts, cuts[1:]):
        segment = text.text[a:b]
        own = {k - a: r for k, r in text.readings.items() if a <= k < b} if text.readings else {}
        converted = segment if frozen[a] else convert(segment)
        if len(converted) != len(segment):
            # The length changed: convert piece by piece, each piece ending at a reading, which stays on its last character.
            converted, shifted, start = "", {}, 0
            for k in sorted(own) + ([len(segment) - 1] if len(segment) - 1 not in own else []):
                converted += convert(segment[start:k + 1]) or segment[start:k + 1]
                if k in own:
                    shifted[len(converted) - 1] = own[k]
                start = k + 1
            own = shifted
        pieces.append(converted)
        readings.update({at + k: r for k, r in own.items()})
        at += len(converted)
        moved[b] = at
    text.text = "".join(pieces)
    text.readings = readings
    text.runs = [[moved[start], moved[end], damage] for start, end, damage in text.runs]


def widens(prev: str, run: str, nxt: str) -> bool:
    """Whether a run of ASCII marks between these characters ("" at an end of the text) becomes full-width."""
    if prev in ASCII_LETTERS or nxt in ASCII_LETTERS:
        return False
    left = CJK_CHAR.match(prev) is not None or (prev != "" and prev in CJK_PUNCT)
    right = CJK_CHAR.match(nxt) is not None or (nxt != "" and nxt in CJK_OPENING)
    plain = "?" not in run  # a question mark beside a digit may be a lost character: leave it
    return (left and (right or nxt == "" or nxt in CJK_CLOSING or (nxt.isdigit() and plain))) or \
        ((prev.isdigit() or prev == "%") and right and plain and ":" not in run)


def parentheses_to_widen(text: str, frozen: bytes | bytearray, readings: bool) -> list[int]:
    """Indices of the ( ) pairs around Chinese text, between no ASCII letters or digits, as widen_punctuation() sees them."""
    n = len(text)
    found, stack = [], []
    for m in PARENTHESIS.finditer(text):
        k = m.start()
        if m[0] == "(":
            stack.append(k)
        elif stack:
            start = stack.pop()
            prev, nxt = text[start - 1] if start else " ", text[k + 1] if k + 1 < n else " "
            if prev == RUBY_CLOSE and readings:
                prev = text[text.rindex(RUBY_OPEN, 0, start) - 1]
            if (not frozen[start] and not frozen[k] and CJK_CHAR.search(text, start + 1, k)
                    and not ASCII_ALNUM.match(prev) and not ASCII_ALNUM.match(nxt)):
                found += (start, k)
    return found


def widened_marks(text: str, frozen: bytes | bytearray, readings: bool) -> str:
    """The text with its runs of ASCII , : ; ! ? made full-width where widens() says, outside frozen spans."""
    pieces = MARK_RUN.split(text)  # text, run, text, run, ..., text
    end = 0  # where the run ends in the text
    for i in range(1, len(pieces), 2):
        before, run = pieces[i - 1], pieces[i]
        end += len(before) + len(run)
        if 1 in frozen[end - len(run):end]:
            continue
        prev = before[-1:]  # "" only at the start of the text: runs are never next to each other
        if prev == RUBY_CLOSE and readings:  # 國\ufdd0guó\ufdd1, : the run follows 國 (no reading is on a mark)
            prev = before[before.rindex(RUBY_OPEN) - 1]
        if widens(prev, run, pieces[i + 1][:1]):
            pieces[i] = run.translate(FULLWIDTH_TABLE)
    return "".join(pieces)


def widen_punctuation(text: str, frozen: bytes | bytearray, readings: bool = False) -> str:
    """ASCII , : ; ! ? ( ) between Chinese characters as full-width marks.

    With readings, the text may hold PLAIN_READING readings: a mark's neighbour is then the character a reading is on.
    """
    return widened_parentheses(text, widened_marks(text, frozen, readings), frozen, readings)


def widened_parentheses(text: str, widened: str, frozen: bytes | bytearray, readings: bool) -> str:
    """widened (the text after widened_marks()) with the text's ( ) pairs around Chinese text made full-width."""
    pairs = parentheses_to_widen(text, frozen, readings) if "(" in text else ()  # without "(" no pair can form
    if not pairs:
        return widened
    # Slices between the few widened parentheses: cheaper than a list of every character.
    out, at = [], 0
    for k in sorted(pairs):
        out.append(widened[at:k])
        out.append(FULLWIDTH[widened[k]])
        at = k + 1
    out.append(widened[at:])
    return "".join(out)


@dataclass(frozen=True)
class Restoration:
    """What restore() does to every text of one article."""

    lang: str  # the page's language after conversion: the language of the damage notes
    convert: object = None  # OpenCC's convert function, or None
    widen: bool = False  # full-width punctuation
    chinese: bool = False  # look for garbled Chinese and lost characters
    traditional: bool = False  # the document's own script, for foreign characters
    markdown: bool = False


def may_be_damaged(text: str, how: Restoration) -> bool:
    """Whether find_mojibake(), lost_runs() or, in Chinese, find_damage() could find anything in a clean text."""
    if MOJIBAKE_LEAD.search(text) or "\ufffd" in text:
        return True
    return how.chinese and may_be_lost_or_garbled(text, damage_codec(how.traditional))


def may_be_lost_or_garbled(text: str, codec: str) -> bool:
    """Whether find_damage() could find anything in a clean Chinese text: a lost mark, or three characters
    the codec cannot encode (each of which "replace" makes one b"?": no GB2312 or Big5 character's bytes hold "?")."""
    return "?" in text or "\ufffd" in text or text.encode(codec, "replace").count(b"?") >= 3


def has_protected_span(text: str, markdown: bool) -> bool:
    """Whether protected_mask() protects any of a clean text; outside Markdown, without building the mask."""
    if markdown:
        return 1 in protected_mask(text, True)
    return ("@" in text or "://" in text or "www." in text) and URL.search(text) is not None


def simply_restored(text: str, how: Restoration, detect: bool) -> str | None:
    """The restored text when restoring it needs no taking apart (only punctuation to widen), else None.

    None for conversion, possible damage, a protected span, or a reading not as the parser writes it:
    fully_restored() does those. Saves ~11% of a batch: most texts of a document need nothing else.
    """
    if how.convert is not None:
        return None
    clean, readings = PLAIN_READING.subn("", text) if RUBY_OPEN in text else (text, 0)
    if not readings == text.count(RUBY_OPEN) == text.count(RUBY_CLOSE):
        return None  # Marked.of() would drop a reading, or keep a stray marker in the clean text
    if clean.isascii():
        return text
    if (detect and may_be_damaged(clean, how)) or has_protected_span(clean, how.markdown):
        return None
    return widen_punctuation(text, bytes(len(text)), readings > 0) if how.widen else text


def restore_text(text: str, how: Restoration, detect: bool = True) -> tuple[str, list[Damage]]:
    """One text restored: damage marked (and repaired where exact), script converted, punctuation widened."""
    simple = simply_restored(text, how, detect)
    return (simple, []) if simple is not None else fully_restored(text, how, detect)


def fully_restored(text: str, how: Restoration, detect: bool = True) -> tuple[str, list[Damage]]:
    """restore_text() by taking the text apart into a Marked: damage, conversion, protected spans."""
    marked = Marked.of(text)
    if marked.text.isascii():  # no Chinese, nothing encoded wrongly: nothing to restore
        return text, []
    mask = protected_mask(marked.text, how.markdown)
    if detect and may_be_damaged(marked.text, how):
        for start, end, damage in reversed(find_mojibake(marked.text, mask)):
            shown = damage.repair if damage.repair is not None else damage.text
            marked.replace(start, end, shown, damage)
            mask[start:end] = bytes(len(shown))
        if how.chinese or "\ufffd" in marked.text:
            taken = bytearray(mask)
            for start, end, _damage in marked.runs:
                taken[start:end] = b"\x01" * (end - start)
            found = find_damage(marked.text, marked.readings, taken, how.traditional) if how.chinese else \
                lost_runs(marked.text, taken)
            for start, end, damage in reversed(found):
                if damage.repair is None:
                    marked.mark(start, end, damage)
                else:
                    marked.replace(start, end, damage.repair, damage)
                    mask[start:end] = bytes(len(damage.repair))
    if how.convert is not None or how.widen:
        # Protected spans and unrepaired damage stay exactly as the document has them.
        frozen = bytearray(mask)
        for start, end, damage in marked.runs:
            if damage.repair is None:
                frozen[start:end] = b"\x01" * (end - start)
        if how.convert is not None:
            before = len(marked.text)
            convert_marked(marked, frozen, how.convert)
            if len(marked.text) != before:
                frozen = protected_mask(marked.text, how.markdown)
                for start, end, damage in marked.runs:
                    if damage.repair is None:
                        frozen[start:end] = b"\x01" * (end - start)
        if how.widen:
            marked.text = widen_punctuation(marked.text, frozen)
    return marked.marked(how.lang), [damage for _start, _end, damage in marked.runs]


def damage_warning(damage: Damage, where: dict) -> dict:
    if where.get("paragraph") is not None:
        place = f"section {where['section']}, paragraph {where['paragraph']} (counted from 0)"
    elif where.get("section") is not None:
        place = f"heading of section {where['section']} (counted from 0)"
    else:
        place = where["field"]
    message = DAMAGE_MESSAGES[damage.note].format(text=repr(damage.text), repair=repr(damage.repair))
    warning = {"kind": "mojibake" if damage.repair is not None else "damage", "cause": damage.cause,
               "message": f"{place}: {message}", "text": damage.text}
    if damage.repair is not None:
        warning["repair"] = damage.repair
    return {**warning, **where}


def texts_of(article: Article) -> tuple[list[str], list[dict]]:
    """The title, headings and paragraphs of an article in order, and where each stands (for warnings)."""
    texts, places = [article.title], [{"field": "title", "section": None, "paragraph": None}]
    for i, s in enumerate(article.sections):
        if s.heading is not None:
            texts.append(s.heading)
            places.append({"field": "heading", "section": i, "paragraph": None})
        texts.extend(s.paragraphs)
        places.extend({"field": "paragraph", "section": i, "paragraph": j} for j in range(len(s.paragraphs)))
    return texts, places


def sections_with(sections: tuple[Section, ...], texts: list[str]) -> tuple[Section, ...]:
    """The sections with their headings and paragraphs replaced, in order, by texts (texts_of() without the title)."""
    out, at = [], 0
    for s in sections:
        heading = None
        if s.heading is not None:
            heading, at = texts[at], at + 1
        out.append(Section(heading, tuple(texts[at:at + len(s.paragraphs)]), s.level, s.captions))
        at += len(s.paragraphs)
    return tuple(out)


def restore(article: Article, options: Options) -> Article:
    """The article with damage marked, script converted and punctuation widened as the options ask."""
    lang = article.lang
    chinese = lang.lower().startswith("zh")
    convert = None
    if options.script != "original" and not lang.lower().startswith(("ja", "ko")):
        convert = script_converter(options.script)
        if chinese:
            lang = "zh-Hans" if options.script == "simplified" else "zh-Hant"
    how = Restoration(lang=lang, convert=convert, widen=chinese and not options.keep_punctuation, chinese=chinese,
                      traditional=bool(TRADITIONAL_TAG.match(article.lang)), markdown=article.markdown)
    texts, places = texts_of(article)
    restored, warnings = [], []
    for text, place in zip(texts, places):
        text, runs = restore_text(text, how)
        restored.append(text)
        warnings.extend(damage_warning(damage, place) for damage in runs)
    plain = dataclasses.replace(how, markdown=False)
    metadata = {name: restore_text(value, plain, detect=False)[0] if value else value
                for name, value in (("source", article.source), ("author", article.author))}
    as_is = dataclasses.replace(plain, widen=False)
    boilerplate = tuple(restore_text(line, as_is, detect=False)[0] for line in article.boilerplate)
    return dataclasses.replace(article, title=restored[0], sections=sections_with(article.sections, restored[1:]),
                               boilerplate=boilerplate, lang=lang, warnings=article.warnings + tuple(warnings), **metadata)


# ---------------------------------------------------------------------------
# HTML body: text sections directly, Markdown through Python-Markdown and nh3
# ---------------------------------------------------------------------------


def damage_element(match: re.Match[str]) -> str:
    """The mark element of one damaged run, explained on hover and to screen readers."""
    note = html.unescape(match["note"])
    spoken = f"（{note}）" if CJK_CHAR.search(note) else f" ({note})"
    return (f'<mark class="damaged" title="{html.escape(note)}">{match["run"]}'
            f'<span class="visually-hidden">{html.escape(spoken, quote=False)}</span></mark>')


def ruby_html(markup: str) -> str:
    """HTML with its marked readings as ruby elements and its marked damage as mark elements.

    Every reading stands right after its base character (the parser and Marked.marked() write them
    so), so each piece between two RUBY_OPEN ends with a base. Saves ~5% of a batch over a regex with a function per reading.
    """
    if RUBY_OPEN in markup:
        pieces = markup.split(RUBY_OPEN)  # "…全國", "guó\ufdd1平", "píng\ufdd1…"
        for i in range(len(pieces) - 1):
            before = pieces[i]
            pieces[i] = f'{before[:-1]}<ruby>{before[-1:]}<rp>(</rp><rt lang="zh-Latn-pinyin">'
        markup = "".join(pieces).replace(RUBY_CLOSE, "</rt><rp>)</rp></ruby>")
    if DAMAGE_OPEN in markup or DAMAGE_CLOSE in markup:
        markup = DAMAGE_MARKS.sub("", DAMAGE_RUN.sub(damage_element, markup))  # and any mark left outside a whole run
    return markup


def text_html(text: str) -> str:
    """A plain text as HTML: & < > escaped, readings as ruby, damage marked."""
    return ruby_html(html.escape(text, quote=False))


def inline_html(text: str) -> str:
    """A short plain text (the headline) as HTML for an element or an attribute."""
    from markupsafe import escape  # Jinja2's own escaping: the headline is escaped as templates escape

    return ruby_html(str(escape(text)))


CAPTION_OPEN = '<p class="caption">'  # a paragraph that is a picture's caption (Section.captions)


def text_sections_html(article: Article) -> list[dict]:
    """One dict per section of a text document: its id, clean heading and HTML (heading and paragraphs)."""
    taken: set[str] = set()
    rendered = []
    for section in article.sections:
        blocks, section_id = [], None
        if section.heading is not None:
            section_id = slug(section.heading, taken)
            blocks.append(f'<h{section.level} id="{section_id}">{text_html(section.heading.strip())}</h{section.level}>')
        blocks.extend(f"{CAPTION_OPEN if j in section.captions else '<p>'}{text_html(p.lstrip())}</p>"
                      for j, p in enumerate(section.paragraphs) if p.strip())
        rendered.append({"id": section_id, "heading": clean(section.heading) if section.heading is not None else None,
                         "level": section.level, "html": "\n".join(blocks)})
    return rendered


@functools.cache
def markdown_renderer():
    """The one Python-Markdown instance of the process (tables, fenced code, sane lists), reset between documents."""
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    # Instances, not names: names make Markdown scan every installed package's entry points (~25 ms).
    renderer = markdown.Markdown(extensions=[TableExtension(), FencedCodeExtension(), SaneListExtension()], output_format="html")
    parser = renderer.parser
    # Its block processors take blocks from the front of the list and put the rest of a block back there
    # (pop(0), insert(0, rest)): in a list each moves every block after it, quadratic in the blocks of a document.
    parser.parseChunk = lambda parent, text: parser.parseBlocks(parent, BlockQueue(text.split("\n\n")))
    return with_spaceless_links(renderer)


def with_spaceless_links(renderer):
    """A Python-Markdown instance whose link and image processors are SpacelessDestination ones."""
    from markdown.inlinepatterns import IMAGE_LINK_RE, LINK_RE, ImageInlineProcessor, LinkInlineProcessor

    for name, processor, pattern, priority in (("link", LinkInlineProcessor, LINK_RE, 160),
                                               ("image_link", ImageInlineProcessor, IMAGE_LINK_RE, 150)):
        spaceless = type(f"Spaceless{processor.__name__}", (SpacelessDestination, processor), {})
        renderer.inlinePatterns.register(spaceless(pattern, renderer), name, priority)  # in place of the stock one
    return renderer


class SpacelessDestination:
    """A Python-Markdown link or image processor that takes no destination holding white space outside <…>.

    Python-Markdown reads "[x]( more words 'and a quote) on" as a link whose URL is the words, which the
    page then hides; CommonMark makes such a destination no link, and the text stays text.
    """

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        href, title, end, handled = super().getLink(data, index)
        angled = self.RE_LINK.match(data, pos=index)
        if handled and WHITE_SPACE_IN.search(href) and not (angled and angled.group(1)):
            return href, title, index, False
        return href, title, end, handled


class BlockQueue(collections.deque):
    """Python-Markdown's blocks as a deque, which takes and gives back at its front in constant time."""

    def pop(self, index: int = -1) -> str:
        return self.popleft() if index == 0 else super().pop()


def defuse_markdown(source: str) -> str:
    """Markdown source whose parse stays near linear in its size.

    List items nested deeper than MARKDOWN_LIST_INDENT columns are items of that depth (Python-Markdown
    recurses once per level). A block too costly (literal_heavy_blocks) is shown as literal text. When the scans for "]" and ">" would cost more than a few times the text's
    length (Python-Markdown scans from each "[" to its "]", the HTML parser from each "<tag" to
    its ">"), every "[" is escaped and every "<" that another "<" follows before any ">" becomes
    &lt;. The text is all kept, shown as typed; only those links and tags no longer work.
    No real document comes near these budgets: it is returned unchanged.
    """
    source = literal_heavy_blocks(shallow_lists(source))
    budget = 8 * len(source) + 100_000
    if source.count("[") > 16:
        stack, cost = [], 0
        for m in BRACKET_OR_ESCAPE.finditer(source):
            if m[0] == "[":
                stack.append(m.start())
            elif m[0] == "]" and stack:
                cost += m.start() - stack.pop()
        if stack:  # unclosed: scanned to the end of its block
            ends = [m.start() for m in PARAGRAPH_BREAK.finditer(source)] + [len(source)]
            cost += sum(ends[bisect.bisect_left(ends, start)] - start for start in stack)
        if cost > budget:
            source = LIVE_BRACKET.sub(r"\1\\[", source)
    if source.count("<") > 16:
        openers, cost, doomed = [], 0, []
        for m in TAG_OPEN_OR_CLOSE.finditer(source):
            if m[0] != ">":
                openers.append(m.start())
            elif openers:  # every "<" since the last ">" is scanned up to here
                cost += sum(m.start() - start for start in openers)
                doomed.extend(openers[:-1])  # another tag opened before it closed
                openers = []
        cost += sum(len(source) - start for start in openers)
        doomed.extend(openers)  # never closed
        if cost > budget and doomed:
            pieces, last = [], 0
            for start in sorted(doomed):
                pieces.append(source[last:start])
                pieces.append("&lt;")
                last = start + 1
            source = "".join(pieces) + source[last:]
    return source


def literal_heavy_blocks(source: str) -> str:
    """Source with each block too costly for Python-Markdown turned into literal text (raw HTML, which it leaves alone).

    Too costly: a paragraph whose length times its inline marks exceeds MARKDOWN_BLOCK_BUDGET (each inline
    match rebuilds its text); a block of more than MARKDOWN_BLOCK_SPLITS lines at which Python-Markdown splits
    it and tests all the rest again (setext underlines, rules, headings, link definitions); a table whose cells
    would take the document's tables past MARKDOWN_TABLE_CELLS (each cell costs more than its text). A table
    is shown in a <pre>, row under row, the other blocks in a <p>.
    """
    if len(source) ** 2 <= MARKDOWN_BLOCK_BUDGET and source.count("|") <= MARKDOWN_TABLE_CELLS and \
            len(BLOCK_SPLIT_LINE.findall(source)) <= MARKDOWN_BLOCK_SPLITS:
        return source  # no block of a shorter text can be over budget
    blocks, in_fence, cells = source.split("\n\n"), False, 0
    for index, block in enumerate(blocks):
        fences = sum(1 for line in block.split("\n") if FENCE.match(line))
        table = "|" in block and MARKDOWN_TABLE.search(block) is not None
        cells += block.count("|") if table else 0
        if in_fence or fences:
            pass
        elif table and cells > MARKDOWN_TABLE_CELLS:
            blocks[index] = f"<pre>{literal_html(block)}</pre>"
        elif len(BLOCK_SPLIT_LINE.findall(block)) > MARKDOWN_BLOCK_SPLITS or (
                not table and not block.lstrip().startswith((">", "    ", "\t"))
                and len(block) * len(MARKDOWN_MATCH_CHARS.findall(block)) > MARKDOWN_BLOCK_BUDGET):
            blocks[index] = f"<p>{literal_html(block)}</p>"
        in_fence ^= fences % 2 == 1
    return "\n\n".join(blocks)


def literal_html(block: str) -> str:
    """A block of Markdown source as HTML text, shown as typed ("[" written as a character reference too)."""
    return block.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("[", "&#91;")


def shallow_lists(source: str) -> str:
    """Source whose list items are indented at most MARKDOWN_LIST_INDENT columns (deeper ones are moved up to that
    depth, their text kept); fenced code is left as it is."""
    if DEEP_LIST_ITEM.search(source) is None:
        return source
    lines = source.split("\n")
    fenced = fenced_lines(lines)
    for number, line in enumerate(lines):
        deep = DEEP_LIST_ITEM.match(line) if not fenced[number] else None
        if deep and len(deep[0].expandtabs(4)) > MARKDOWN_LIST_INDENT:
            lines[number] = " " * MARKDOWN_LIST_INDENT + line[deep.end():]
    return "\n".join(lines)


def safe_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: a second check of URLs after nh3's own (entities already decoded).

    Besides script URLs it drops protocol-relative ones (//host/x, \\\\host\\x, /\\host), which nh3 lets
    through as relative: a page opened from disk would reach file://host/x, a network share on Windows.
    """
    if attribute in URL_ATTRIBUTES:
        squeezed = URL_NOISE.sub("", value).lower()
        if DANGEROUS_URL.match(squeezed) or is_protocol_relative(squeezed):
            return None
    return value


def is_protocol_relative(url: str) -> bool:
    """Whether a URL names another host without a scheme: //host/x, or with backslashes, which browsers read as "/"."""
    return url[:2].replace("\\", "/") == "//"


def sanitize(markup: str) -> str:
    """HTML from a Markdown document, reduced to a safe allowlist by nh3.

    Kept: text, structure, tables, figures, ruby, time and links; URLs only http, https,
    mailto or relative. Dropped, text kept: every other element (iframe, object, embed, form, base,
    meta, svg, math, ...). Dropped: every attribute not listed (on* handlers, style, id, target, ...)
    and comments. Nothing is dropped with its content: see parseable().
    """
    import nh3

    return nh3.clean(parseable(markup), tags=SANITIZE_TAGS, attributes=SANITIZE_ATTRIBUTES, attribute_filter=safe_attribute,
                     url_schemes=SANITIZE_URL_SCHEMES, link_rel="noopener noreferrer nofollow", strip_comments=True)


def parseable(markup: str) -> str:
    """HTML in which the sanitizer's parser can drop no text: what would hide text is written as text or dropped.

    Comments left open, tags of raw-text elements (what raw_text_defused() could not see: a tag on an
    indented line) and every "<" that starts no well-formed tag are escaped; the tags of elements that are
    not HTML's are dropped, their content kept; XML-style empty elements are closed.
    """
    if "<" not in markup:
        return markup
    markup = NOT_A_TAG.sub("&lt;", RAW_TEXT_TAG.sub("&lt;", without_open_comments(markup)))
    markup = SELF_CLOSING.sub(r"<\1\2></\1>", NOT_HTML_TAG.sub("", markup))
    return LONG_TEXT_RUN.sub(short_text_nodes, markup) if len(markup) > TEXT_NODE_CHARACTERS else markup


def short_text_nodes(run: re.Match[str]) -> str:
    """A long run of text cut by <wbr> (which nh3 drops) before an "&" every TEXT_NODE_CHARACTERS: the sanitizer's
    parser takes time growing with the square of a text node's character references (2 s for a 1 MB one)."""
    text, pieces, at = run[0], [], 0
    while (cut := text.find("&", at + TEXT_NODE_CHARACTERS)) >= 0:
        pieces += (text[at:cut], "<wbr>")
        at = cut
    return "".join(pieces) + text[at:]


def without_open_comments(markup: str) -> str:
    """HTML whose comments that no "-->" closes are text: the parser would take the rest of the page into them."""
    closed_before = markup.rfind("-->") - 2  # "<!--" at or before this index is closed ("<!-->" closes itself)
    opener = markup.find("<!--", max(closed_before + 1, 0))
    if opener < 0:
        return markup
    return markup[:opener] + markup[opener:].replace("<!--", "&lt;!--")


def one_headline(markup: str) -> str:
    """A Markdown body's HTML with each h1 left in it (raw HTML, say) made an h2: the page's one h1 is the headline."""
    return H1_TAG.sub(r"<\1h2", markup) if "<h1" in markup else markup


def markdown_source(article: Article) -> str:
    """The body of a Markdown article as one source again: each section's heading at its level, then its blocks."""
    blocks: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append("#" * section.level + " " + section.heading)
        blocks.extend(section.paragraphs)
    return "\n\n".join(blocks)


def top_level_heading_starts(markup: str) -> list[int]:
    """Where each h2-h6 element that no other element holds starts in well-formed HTML (nh3's output)."""
    starts, depth = [], 0
    for m in HTML_TAG.finditer(markup):
        name = m["name"].lower()
        if name in VOID_ELEMENTS:
            continue
        if m["closing"]:
            depth -= 1
        else:
            if depth == 0 and name in SECTION_HEADINGS:
                starts.append(m.start())
            depth += 1
    return starts


def markdown_sections_html(article: Article) -> list[dict]:
    """One dict per section of a Markdown document, split at its top-level headings once converted.

    The body is converted whole, so that reference links may point from one section to another.
    """
    source = raw_text_defused(defuse_markdown(markdown_source(article)))[0]
    markup = marks_out_of_tags(one_headline(sanitize(markdown_renderer().reset().convert(source))))
    starts = top_level_heading_starts(markup)
    taken: set[str] = set()
    rendered = []
    for start, end in zip([0, *starts], [*starts, len(markup)]):
        chunk = markup[start:end].strip()
        heading = HEADING_ELEMENT.match(chunk) if start in starts else None
        if heading is None:
            if chunk:  # the lead, before the first heading
                rendered.append({"id": None, "heading": None, "level": 2, "html": ruby_html(chunk)})
            continue
        text = html.unescape(TAG.sub("", clean(heading["inner"]))).strip()
        section_id = slug(text, taken)
        level = int(heading["level"])
        chunk = f'<h{level} id="{section_id}"{heading["attributes"]}>' + chunk[heading.end("attributes") + 1:]
        rendered.append({"id": section_id, "heading": text, "level": level, "html": ruby_html(chunk)})
    return rendered


def marks_out_of_tags(markup: str) -> str:
    """Sanitized HTML whose tags hold no reading or damage marks: a reading in an attribute (title="國(guó)") is
    written back as the document had it, a damaged run's marks are dropped, so ruby never lands inside a tag."""
    if RUBY_OPEN not in markup and DAMAGE_OPEN not in markup and DAMAGE_CLOSE not in markup:
        return markup
    return MARKED_TAG.sub(lambda m: DAMAGE_MARKS.sub("", MARKED_READING_SPLIT.sub(r"(\1)", m[0])), markup)


def body_html(article: Article) -> list[dict]:
    """One dict per section: its id, clean heading and HTML."""
    return markdown_sections_html(article) if article.markdown else text_sections_html(article)


# ---------------------------------------------------------------------------
# Page: the Jinja2 environment and what the templates receive
# ---------------------------------------------------------------------------

def ui_text(lang: str) -> dict:
    """The page's own words (labels, counts) in the article's language."""
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
    return f"{MONTH_NAMES[month - 1]} {day}, {year}" + (f", {time}" if time else "")


def reading_minutes(article: Article) -> int:
    """Minutes to read: about 400 Chinese characters or 230 words a minute."""
    text = clean(" ".join(p for s in article.sections for p in s.paragraphs))
    han = count_han(text)
    words = len(WORD.findall(text))
    return max(1, round(han / 400 + words / 230))


def description_of(article: Article, limit: int = 120) -> str:
    """The opening of the first paragraph, for the page's description and its preview when shared."""
    first = next((clean(p) for s in article.sections for p in s.paragraphs), "")
    if article.markdown:
        first = MARKDOWN_MARKS.sub("", first)
    first = " ".join(first.split())
    return first if len(first) <= limit else first[: limit - 1] + "…"


def json_ld(article: Article) -> dict:
    """The article as schema.org NewsArticle data."""
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


def template_bytecode_cache(jinja2):
    """Compiled templates kept between runs (Jinja2 checks each against its source), or None.

    Compiling the templates costs ~11% of a one-page run; the cache lives in Jinja2's per-user temp
    folder, under a name tied to this environment's settings. RENDER_TEMPLATE_CACHE=0 turns it off.
    """
    if os.environ.get("RENDER_TEMPLATE_CACHE") == "0":
        return None

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass  # a read-only temp folder only costs speed

    try:
        return QuietCache(pattern="render-py-" + __version__ + "-autoescape-trim-lstrip-strict-%s.cache")
    except (OSError, RuntimeError):
        return None


@functools.cache
def template_environment(templates: Path | None):
    """The Jinja2 environment over the user's templates, falling back to the built-in ones."""
    import jinja2

    loaders = [jinja2.FileSystemLoader(str(templates))] if templates else []
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, bytecode_cache=template_bytecode_cache(jinja2),
        auto_reload=False,  # templates do not change during a run: no stat() of each one per page
    )
    environment.filters["csp_hash"] = csp_hash
    return environment


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style: 'sha256-…'."""
    return "sha256-" + base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode("ascii")


def title_html(title: str, title_text: str) -> str:
    """The headline as HTML; title_text is clean(title)."""
    # A Chinese headline's spaces separate phrases: it should break there, not inside "17年".
    phrases = title.split()
    if len(phrases) > 1 and is_cjk_text(title_text):
        return " ".join(f'<span class="phrase">{inline_html(part)}</span>' for part in phrases)
    return inline_html(title)


def page_context(article: Article, options: Options = Options()) -> dict:
    """Everything the page template shows, computed here so the template stays logic-free."""
    sections = body_html(article)
    ui = ui_text(article.lang)
    title_text = clean(article.title)  # computed once: the title HTML needs it too
    return {
        "article": article,
        "lang": article.lang,
        "ui": ui,
        "title_text": title_text,
        "title_html": title_html(article.title, title_text),
        "has_ruby": RUBY_OPEN in article.title or any("<ruby>" in s["html"] for s in sections),
        "date_display": display_date(article.date, article.lang),
        "views_display": ui["views"].format(n=article.views) if article.views is not None else None,
        "minutes_display": ui["minutes"].format(n=reading_minutes(article)),
        "description": description_of(article),
        "sections": sections,
        "toc": contents_of(sections),
        "boilerplate": [clean(line) for line in article.boilerplate],
        "removed_label": ui["removed"].format(n=len(article.boilerplate)),
        "json_ld": json_ld(article),
        "generator": f"render.py {__version__}",
        "build_date": build_date(),
        "remote_images": options.remote_images,  # the Content-Security-Policy lets https: images load
    }


def contents_of(sections: list[dict]) -> list[dict]:
    """The contents list: the headed sections at the top level in use, when there are two or more."""
    headed = [s for s in sections if s["id"]]
    top = min((s["level"] for s in headed), default=2)
    listed = [s for s in headed if s["level"] == top]
    return listed if len(listed) >= 2 else []


def build_date() -> str | None:
    """The build time from SOURCE_DATE_EPOCH, so pages stay reproducible without it; None when unset or unusable
    (the command line says so once: epoch_problem)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or epoch_problem(epoch):
        return None
    import datetime

    # Arithmetic rather than fromtimestamp(), which the platform's C library may limit to earlier years.
    stamp = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(epoch))
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_problem(epoch: str) -> str | None:
    """Why a SOURCE_DATE_EPOCH value cannot date a page, or None: ASCII digits, seconds up to the end of year 9999."""
    if not (epoch.isascii() and epoch.isdigit()):
        return "not a whole number of seconds since 1970-01-01 (ASCII digits only)"
    if len(epoch.lstrip("0")) > len(str(LAST_EPOCH)) or int(epoch) > LAST_EPOCH:  # int() refuses 4,300 digits and more
        return f"after the year 9999 (at most {LAST_EPOCH})"
    return None


def render_page(article: Article, templates: Path | None = None, options: Options = Options()) -> str:
    """The standalone HTML page of an article."""
    return template_environment(templates).get_template("page.html").render(page_context(article, options))


def template_problem(templates: Path) -> str | None:
    """The first problem in the templates a run over templates would use, as one line; None when there is none.

    page.html and the site's templates are compiled with all they extend and include, and every variable they
    read must be one their context gives (page_context, site_template_contexts), a Jinja2 global, or one they set.
    """
    import jinja2
    from jinja2 import meta, nodes

    try:
        for _ in template_files(templates):  # the fingerprint reads every file of the folder
            pass
    except OSError as error:
        return f"template folder {templates}: {error.filename} cannot be read ({error.strerror or error})"
    environment = template_environment(templates)
    contexts = {"page.html": set(page_context(Article(name="check", title="check"))), **site_template_contexts(templates)}
    for root, given in contexts.items():
        pending, seen, trees = [(root, "", False)], set(), []
        while pending:
            name, where, optional = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                source, filename, _ = environment.loader.get_source(environment, name)
                trees.append((filename, environment.parse(source, name, filename)))
            except jinja2.TemplateNotFound:
                if not optional:
                    return f"{where}template {name} is in neither {templates} nor the built-in templates"
                continue
            except jinja2.TemplateSyntaxError as error:
                return f"template {error.filename}, line {error.lineno}: {error.message}"
            except OSError as error:  # a template that became unreadable, or is a folder
                return f"{where}template {name} cannot be read ({error.strerror or error})"
            for node in trees[-1][1].find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
                if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                    pending.append((node.template.value, f"template {filename}, line {node.lineno}: ",
                                    getattr(node, "ignore_missing", False)))
        # Names a template of the chain sets (a block of a child may read what its parent sets, and back), and
        # names it only reads after asking "is defined" (base.html's site_css and script_hash, which site pages give).
        known = given | set(environment.globals) | {n.name for _, tree in trees for n in tree.find_all(nodes.Name)
                                                    if n.ctx != "load"}
        known |= {n.node.name for _, tree in trees for n in tree.find_all(nodes.Test)
                  if n.name in ("defined", "undefined") and isinstance(n.node, nodes.Name)}
        known |= {n.target for _, tree in trees for n in tree.find_all(nodes.Import)}  # {% import "site.html" as site %}
        known |= {name if isinstance(name, str) else name[1] for _, tree in trees for n in tree.find_all(nodes.FromImport)
                  for name in n.names}
        for filename, tree in trees:
            unknown = meta.find_undeclared_variables(tree) - known
            if unknown:
                line, name = min((n.lineno, n.name) for n in tree.find_all(nodes.Name) if n.name in unknown)
                return (f"template {filename}, line {line}: '{name}' is undefined ({root.split('.')[0]} templates get: "
                        f"{', '.join(sorted(given))})")
    return None


def template_error(error: Exception) -> str | None:
    """A Jinja2 error raised while rendering, as one line naming the template and its line; None for other errors."""
    if not type(error).__module__.startswith("jinja2"):
        return None
    import traceback

    message = getattr(error, "message", None) or str(error)
    missing = ATTRIBUTE_MISSING.match(message)
    if missing:
        message = f"{missing['type']} has no attribute '{missing['name']}'" + (
            f" (front-matter keys are in article.meta: article.meta.{missing['name']})" if missing["type"] == "Article" else "")
    # Jinja2 rewrites the traceback so that a template's frames carry its file name and line.
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.endswith(".py")]
    if getattr(error, "lineno", None) and getattr(error, "filename", None):  # a syntax error
        return f"template {error.filename}, line {error.lineno}: {message}"
    return f"template {frames[-1].filename}, line {frames[-1].lineno}: {message}" if frames else f"template error: {message}"


# ---------------------------------------------------------------------------
# Pipeline: one document, end to end, as pure functions
# ---------------------------------------------------------------------------


def read_article(text: str, name: str, markdown: bool = False, options: Options = Options(),
                 encoding: str = "utf-8") -> Article:
    """The restored Article of one decoded document."""
    article = restore(parse_document(text, name, markdown, encoding), options)
    article = with_image_warnings(article, options) if article.images else article
    return article if encoding == article.encoding else dataclasses.replace(article, encoding=encoding)


def render_document(text: str, name: str, markdown: bool = False, options: Options = Options(),
                    templates: Path | None = None, encoding: str = "utf-8") -> tuple[str, dict]:
    """Page HTML and --json metadata for one decoded document: text and name in, page out."""
    article = read_article(text, name, markdown, options, encoding)
    return render_page(article, templates, options), article.to_json()


def analyse_document(text: str, name: str, markdown: bool = False, options: Options = Options(),
                     encoding: str = "utf-8") -> dict:
    """The --json metadata of one decoded document."""
    return read_article(text, name, markdown, options, encoding).to_json()


def index_fields(article: Article) -> dict:
    """The INDEX_FIELDS of an article's --json metadata, without building the rest of it."""
    return {"title": clean(article.title), "date": article.date, "source": article.source, "lang": article.lang}


# ---------------------------------------------------------------------------
# Files and manifest: inputs, names, atomic writes, what is unchanged
# ---------------------------------------------------------------------------

def safe_stem(path: Path | str) -> str:
    """An output file stem from an input name: letters, digits, '.', '-' and '_' only (Han too).

    No path separators, no leading dot, no control or invisible characters, not a device name,
    at most MAX_STEM_BYTES of UTF-8. Standard input ("-") is STDIN_NAME.
    """
    path = os.fspath(path)
    if path == STDIO_NAME:
        return STDIN_NAME
    name = os.path.basename(path)
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # Path(path).stem, without making a Path
    stem = UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", stem)).strip("._-")
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1].rstrip("._-")
    stem = stem or "document"
    return f"{stem}_" if stem.partition(".")[0].lower() in RESERVED_NAMES else stem


def collect_inputs(paths: list[Path]) -> tuple[list[str], list[tuple[Path, str]]]:
    """Documents named or found in folders (sorted), and the paths that are errors.

    A document's path is a string, as str(Path) writes it: half the memory of a Path, for a
    hundred thousand of them. A folder named on the command line that holds no document is an
    error: a mistyped folder must not pass for a run with nothing to do.
    """
    found, errors = [], []
    for path in paths:
        if path.is_dir():
            documents = documents_below(path)
            if not documents:
                errors.append((path, f"no documents ({', '.join(DOCUMENT_SUFFIXES)}) in this folder"))
            found.extend(documents)
        elif path.exists() or path.is_symlink() or path == STDIO:
            found.append(str(path))
        else:
            errors.append((path, "no such file or folder"))
    if len(paths) == 1:
        return found, errors  # one folder holds each document once
    unique, seen = [], set()
    for path in found:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, errors


def documents_below(folder: Path) -> list[str]:
    """The documents in a folder and its subfolders, as str(folder / path inside it), in the order of their parts.

    Hidden files and folders are left out, and links to folders are not followed. Not only regular
    files: a broken link or a pipe named like a document is reported later, not skipped here.
    """
    found = []
    top = str(folder)
    folders = [top]
    while folders:
        # One scandir a folder: names and kinds come with the listing, paths are joined in C.
        with contextlib.suppress(OSError), os.scandir(folders.pop()) as entries:  # unreadable: left out, as by os.walk
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_folder = entry.is_dir()
                except OSError:  # a link that loops: no folder, and reported later if named like a document
                    is_folder = False
                if is_folder:  # a link to a folder is neither walked nor a document
                    if not entry.is_symlink():
                        folders.append(entry.path)
                elif entry.name.lower().endswith(DOCUMENT_SUFFIXES):
                    found.append(entry.path)
    if top == ".":
        found = [path[2:] for path in found]  # "sub/a.txt", as Path(".") / "sub/a.txt" writes it
    # Part by part, as Paths sort: with the separator made the smallest character, strings sort the same way.
    found.sort(key=lambda path: os.path.normcase(path).replace(os.sep, "\0"))
    return found


def page_names(inputs: list) -> list[str]:
    """A distinct, deterministic page name for each input (a Path or a string), in order; clashing stems get a path hash."""
    safe = [safe_stem(path) for path in inputs]
    counts: dict[str, int] = {}
    for stem in safe:
        lower = stem.lower()
        lower = stem if lower == stem else lower  # one string for both, as most names are lower case already
        counts[lower] = counts.get(lower, 0) + 1
    hashed: set[str] = set()  # the hashed stems given so far, in lower case
    names = []
    for path, stem in zip(inputs, safe):
        lower = stem.lower()
        if counts[lower] > 1 or lower == "index":
            digest = hashlib.sha1(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()
            length = 8
            # A hashed name that meets another input's own name, or a hashed name given already: longer.
            while (counts.get(f"{stem}-{digest[:length]}".lower()) == 1 or f"{stem}-{digest[:length]}".lower() in hashed) \
                    and length < len(digest):
                length += 4
            stem = f"{stem}-{digest[:length]}"
            hashed.add(stem.lower())
        names.append(stem + ".html")
    return names


def output_names(inputs: list) -> dict:
    """The page_names of the inputs, by input."""
    return dict(zip(inputs, page_names(inputs)))


def write_page(path: Path, page: str) -> str | None:
    """Write a page to its file (its file_identity back), or to standard output (as UTF-8, whatever the locale) for "-"."""
    if path != STDIO:
        return write_atomic(path, page)
    sys.stdout.flush()
    sys.stdout.buffer.write(page.encode("utf-8"))
    sys.stdout.buffer.flush()
    return None


def file_identity(info: os.stat_result) -> str:
    """What tells a file written by this program from anything put at its name since: inode, size, time."""
    return f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


def identity_of(path: Path | str) -> str | None:
    """The file_identity of what is at path now (a link itself, not its target), or None when nothing is."""
    try:
        return file_identity(os.lstat(path))
    except OSError:
        return None


@functools.cache
def process_umask() -> int:
    """The umask, read once: mkstemp makes files for its owner alone, pages get the modes any new file gets."""
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | bytes) -> str:
    """Write a text or bytes through a temporary file and a rename; the file_identity of the file written.

    The temporary file is made by mkstemp beside the target: a random name opened with O_EXCL, so a
    link planted there is never written through, and no reader ever sees half a page.
    """
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "wb") if isinstance(content, bytes) else open(fd, "w", encoding="utf-8", newline="\n") as file:
            if hasattr(os, "fchmod"):  # not on Windows, where mkstemp's file gets the folder's rights anyway
                os.fchmod(fd, 0o666 & ~process_umask())
            file.write(content)
            file.flush()
            identity = file_identity(os.fstat(fd))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return identity


def local_images(article: Article, folder: Path) -> tuple[list[tuple[Path, str]], list[dict]]:
    """The article's relative images found in folder, as (file, relative path), and a warning for each that is not."""
    found, warnings = [], []
    for url in article.images:
        kind, relative = image_kind(url, False)
        if kind != "local":
            continue
        source = folder / relative
        if not source.is_file():
            warnings.append(image_warning("missing", url))
        elif not inside(source, folder):  # a link that leads out of the document's folder
            warnings.append(image_warning("outside", url))
        else:
            found.append((source, relative))
    return found, warnings


def copy_images(images: list[tuple[Path, str]], out_dir: Path) -> list[str]:
    """Copy each (file, relative path) to the same relative path in out_dir; a message for each that fails."""
    problems = []
    for source, relative in images:
        target = out_dir / relative
        try:
            if same_file(source, target):  # the page is written beside its document
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not inside(target.parent, out_dir):  # a link in the output folder that leads out of it
                problems.append(f"image {relative}: {target.parent} leads outside {out_dir}: not copied")
                continue
            write_atomic(target, source.read_bytes())
        except OSError as error:
            problems.append(f"image {relative}: cannot copy it to {target}: {error.strerror or error}")
    return problems


def renderer_fingerprint(templates: Path | None, options: Options) -> str:
    """A hash of everything besides the input that shapes a page.

    The renderer's own source, the versions of the libraries it renders with, every file of the
    template folders (a template may include any of them, as page.html includes style.css) and the options.
    """
    digest = hashlib.sha256(__version__.encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(library_versions().encode())
    for folder in ([templates] if templates else []) + [BUILTIN_TEMPLATES]:
        for name, data in template_files(folder):
            digest.update(len(name).to_bytes(4, "big") + name.encode("utf-8", "surrogateescape"))
            digest.update(len(data).to_bytes(8, "big") + data)
    digest.update(repr(dataclasses.astuple(options)).encode())
    return digest.hexdigest()


def template_files(folder: Path):
    """(path relative to folder, bytes) of every file below a template folder, sorted; OSError when one cannot be read."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        yield path.relative_to(folder).as_posix(), path.read_bytes()


def library_versions() -> str:
    """"name==version" for each of PAGE_LIBRARIES, as installed ("name==" when it is not).

    Read from the names of the dist-info (or egg-info) folders on sys.path, the first of each as
    imports would find it: importing importlib.metadata alone costs more than a one-page run's rendering.
    """
    wanted = {project_key(name): name for name in PAGE_LIBRARIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a folder that is gone
            continue
        for name in names:
            stem, _, kind = name.rpartition(".")
            project, _, version = stem.partition("-")
            if kind in ("dist-info", "egg-info") and project_key(project) in wanted:
                found.setdefault(project_key(project), version.split("-")[0])  # an egg-info's "6.0-py3.11"
    return " ".join(f"{name}=={found.get(key, '')}" for key, name in wanted.items())


def project_key(name: str) -> str:
    """A distribution's name as packaging compares them: charset_normalizer, Charset.Normalizer -> charset-normalizer."""
    return PROJECT_NAME_SEPARATORS.sub("-", name).lower()


def input_stat(info: os.stat_result) -> str:
    """What the manifest keeps of an input's stat: device, inode, size, modification and change times (ns).

    The change time moves on every write and rename and cannot be set by a user; a copy or a checkout
    over a file changes it too. The same input_stat, taken when settled (settled_stat), stands for the same bytes.
    """
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def settled_stat(info: os.stat_result | None, clock_ns: int) -> str | None:
    """The input_stat of a file read at clock_ns (taken before its fstat), or None when a later write might not change it.

    A file changed within RACY_WINDOW_NS of the read may be written again within the same tick of its file
    system's clock; a file system without inodes or change times, and Windows, cannot say.
    """
    if info is None or not STAT_STANDS_FOR_BYTES or not (info.st_ino and info.st_ctime_ns) \
            or max(info.st_mtime_ns, info.st_ctime_ns) > clock_ns - RACY_WINDOW_NS:
        return None
    return input_stat(info)


def read_input_settled(path: Path, max_size: int) -> tuple[bytes, str | None]:
    """An input's bytes and its settled_stat as they were read."""
    clock = time.time_ns()  # before the fstat: a write after it is stamped later than RACY_WINDOW_NS before this
    data, info = read_input(path, max_size)
    return data, settled_stat(info, clock)


def hashed_input(path: str, fingerprint: str, max_size: int) -> tuple[str, str | None] | None:
    """The manifest's key for one input (its bytes under this renderer) and its settled_stat; None when it cannot be read."""
    try:
        data, seen = read_input_settled(Path(path), max_size)  # never blocks on a pipe put where a file was
    except DocumentError:
        return None
    return input_hash(data, fingerprint), seen


def input_hash(data: bytes, fingerprint: str) -> str:
    """The manifest's key for an input's bytes under this renderer."""
    return hashlib.sha256(fingerprint.encode() + data).hexdigest()


def own_site_files(out_dir: Path) -> set[tuple[int, int]]:
    """The (device, inode) of the site's own files in out_dir that exist: index pages, catalogue, manifest (links followed)."""
    own = [out_dir / "index.html", out_dir / MANIFEST_NAME, out_dir / LEGACY_MANIFEST_NAME]
    with contextlib.suppress(OSError):
        own += [Path(entry.path) for entry in os.scandir(out_dir / SITE_FOLDER)]
    found = set()
    for path in own:
        with contextlib.suppress(OSError):  # not there yet: no input can be it
            info = os.stat(path)
            found.add((info.st_dev, info.st_ino))
    return found


def run_database():
    """A connection to a private temporary database (on disk, not in memory) holding the run table (RUN_TABLE)."""
    import sqlite3

    connection = sqlite3.connect("", timeout=30)
    connection.execute(RUN_TABLE)
    return connection


def observe_run(connection, inputs: list[str], pages: list[str], out_dir: Path, stats: bool, identities: bool) -> str | None:
    """Fill the run table: each input's page, input_stat and the file_identity of its page, as they are now; the
    first input that is one of the site's own files (own_site_files), if any.

    One stat of each input and one lstat of each page, before the manifest is opened: a manifest that is an
    input is never opened. Without stats every input is hashed; without identities every page is rendered (--force).
    """
    own = own_site_files(out_dir)
    clash: list[str] = []
    folder = os.path.join(out_dir, "")

    def rows():
        for position, (path, page) in enumerate(zip(inputs, pages)):
            try:
                info = os.stat(path)
            except OSError:  # gone, or cannot be looked at: rendered, and reported then
                seen = None
            else:
                seen = input_stat(info) if stats else None
                if own and (info.st_dev, info.st_ino) in own and not clash:
                    clash.append(path)
            yield position, page, seen, identity_of(folder + page) if identities else None

    connection.executemany("INSERT INTO run VALUES (?, ?, ?, ?)", rows())
    connection.commit()
    return clash[0] if clash else None


class PageRecord(typing.NamedTuple):
    """What the site lists of one page: a few short strings, never the page."""

    href: str  # the page's file name; in a listing, the link to it from there
    title: str
    date: str | None
    source: str | None
    lang: str

    @property
    def date_display(self) -> str | None:
        return display_date(self.date, self.lang)


class ManifestError(Exception):
    """The manifest cannot be used (a link at its name)."""


class Manifest:
    """The output folder's record of its pages and site files, in SQLite (standard library).

    A page's row is written only after the page was renamed into place, with the file_identity it
    got; the page counts as unchanged only while its input is unchanged (plan_renders) and the file is still
    that one. A run that stops anywhere (killed, failed, out of disk) leaves no page counted as done
    that is not: at worst a page is rendered again. Rows are committed at least once a second.
    The manifest is attached to the run's own database (run_database): queries join it with the run table.
    """

    def __init__(self, connection, fingerprint: str):
        self.connection = connection
        self.broken = 0  # entries of the wrong types or shapes, treated as absent
        self.listing_changed = False  # whether a page came, went, or changed what the site shows of it
        connection.execute("INSERT OR IGNORE INTO renderers (fingerprint) VALUES (?)", (fingerprint,))
        self.renderer = connection.execute("SELECT id FROM renderers WHERE fingerprint = ?", (fingerprint,)).fetchone()[0]

    @classmethod
    def attach(cls, connection, path: str | Path, fingerprint: str) -> Manifest:
        """The manifest at path (made if need be; ":memory:" for one that lasts the run) attached to the run's database."""
        import sqlite3

        connection.execute("ATTACH DATABASE ? AS manifest", (os.fspath(path),))
        try:
            # No fsync (a commit would cost ~10 ms of a one-page run): a process killed at any point leaves the
            # database whole, as the operating system still writes what it was given. After a power cut it may
            # be lost or damaged; it is then replaced and the pages rendered again, like pages themselves not synced.
            connection.execute("PRAGMA manifest.synchronous=OFF")
            connection.execute("PRAGMA manifest.journal_mode=WAL")
            connection.executescript(MANIFEST_TABLES)
            columns = {row[1] for row in connection.execute("PRAGMA manifest.table_info(pages)")}
            for name, kind in MANIFEST_ADDED_COLUMNS.items():
                if name not in columns:
                    connection.execute(f"ALTER TABLE manifest.pages ADD COLUMN {name} {kind}")
            return cls(connection, fingerprint)
        except sqlite3.Error:
            connection.rollback()
            with contextlib.suppress(sqlite3.Error):
                connection.execute("DETACH DATABASE manifest")
            raise

    @classmethod
    def open(cls, out_dir: Path, connection, fingerprint: str) -> tuple[Manifest, str | None]:
        """The manifest of out_dir, made if need be, and a warning when a damaged one had to be replaced.

        A folder rendered by the previous version (LEGACY_MANIFEST_NAME) is taken over once, and its file removed.
        """
        import sqlite3

        path = out_dir / MANIFEST_NAME
        if path.is_symlink():
            raise ManifestError(f"{path}: is a link; the manifest is never written through one")
        warning = None
        try:
            manifest = cls.attach(connection, path, fingerprint)
        except sqlite3.OperationalError:
            raise  # locked by another run, or cannot be opened: never a reason to remove it
        except sqlite3.DatabaseError:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            manifest = cls.attach(connection, path, fingerprint)
            warning = f"{path}: not a manifest (damaged?); replaced, every page is rendered again"
        legacy = out_dir / LEGACY_MANIFEST_NAME
        if legacy.is_file() and not legacy.is_symlink():
            manifest.take_over(legacy)
            legacy.unlink()
        return manifest, warning

    def take_over(self, legacy: Path) -> None:
        """Convert a JSON manifest of the previous version (page name to entry).

        That version wrote it at the end of a run, after the pages: a page newer than it was written by
        a run that did not finish, and is left out (rendered again), as are entries of the wrong shape.
        """
        import stat

        try:
            data = json.loads(legacy.read_bytes())
            written_before = os.stat(legacy).st_mtime_ns
        except (OSError, ValueError):
            return
        rows = []
        for page, entry in (data.items() if isinstance(data, dict) else ()):
            if not (PAGE_NAME.fullmatch(page) and isinstance(entry, dict) and isinstance(entry.get("hash"), str)):
                continue
            fields = tuple(entry.get(key) for key in INDEX_FIELDS)
            try:
                info = os.lstat(legacy.parent / page)
            except OSError:
                continue
            if all(value is None or isinstance(value, str) for value in fields) and stat.S_ISREG(info.st_mode) \
                    and info.st_mtime_ns <= written_before:
                rows.append((page, entry["hash"], file_identity(info), *fields))
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO pages (page, input_hash, written, title, date, source, lang) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self.connection.execute(f"DELETE FROM pages WHERE NOT {SOUND_ENTRY}")  # this folder had no other entries

    def unsettled(self):
        """The run's inputs whose pages cannot be told unchanged by their stat alone, in input order: (position in the
        run, the input hash recorded when the entry is sound and the page is still the file recorded, whether the
        entry is broken), streamed."""
        return self.connection.execute(f"""
            SELECT run.position, CASE WHEN pages.written IS run.written AND {SOUND_ENTRY} THEN pages.input_hash END,
                   pages.page IS NOT NULL AND NOT {SOUND_ENTRY}
            FROM run LEFT JOIN pages USING (page)
            WHERE pages.page IS NULL OR NOT (run.seen IS NOT NULL AND pages.seen IS run.seen AND pages.renderer IS ?
                                             AND pages.written IS run.written AND {SOUND_ENTRY})
            ORDER BY run.position""", (self.renderer,))

    def settle(self, stats: list[tuple[str | None, str]]) -> None:
        """Record the settled_stat of inputs just hashed as recorded, (stat, page) each, under this renderer: the next
        run need not read them."""
        self.connection.executemany("UPDATE pages SET seen = ?, renderer = ? WHERE page = ?",
                                    ((seen, self.renderer, page) for seen, page in stats))

    def record(self, page: str, digest: str, written: str, seen: str | None, meta: dict) -> None:
        """Record a page just renamed into place: its input's hash and settled_stat, its file identity, its index fields."""
        fields = tuple(meta.get(key) for key in INDEX_FIELDS)
        listed = self.connection.execute("SELECT title, date, source, lang FROM pages WHERE page = ?", (page,)).fetchone()
        if listed != fields:
            self.listing_changes()
        self.connection.execute("INSERT OR REPLACE INTO pages (page, input_hash, written, title, date, source, lang, seen, renderer) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (page, digest, written, *fields, seen, self.renderer))

    def forget(self, page: str) -> None:
        """Drop a page's entry (its document failed): whatever file is there is not counted as done."""
        if self.connection.execute("DELETE FROM pages WHERE page = ?", (page,)).rowcount:
            self.listing_changes()

    def prune(self, entries: int) -> None:
        """Drop the entries of pages that are not this run's (the site lists this run's documents), given how many of
        this run's pages have one (unchanged and rendered): when the table holds no more, it is not searched."""
        if self.connection.execute("SELECT count(*) FROM pages").fetchone()[0] > entries \
                and self.connection.execute("DELETE FROM pages WHERE page NOT IN (SELECT page FROM run)").rowcount:
            self.listing_changes()

    def listing_changes(self) -> None:
        """Note that the site no longer shows the pages as they are, in the same commit as the change itself."""
        if not self.listing_changed:
            self.listing_changed = True
            self.connection.execute("DELETE FROM settings WHERE name = 'site'")

    def commit(self) -> None:
        self.connection.commit()

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()

    def ordered(self, group: str | None = None):
        """Every page's PageRecord, newest first, undated last; grouped by "source" or "lang" first when asked."""
        first = {None: "", "source": "source IS NULL, source, ", "lang": "lang, "}[group]
        rows = self.connection.execute(f"SELECT page, title, date, source, lang FROM pages ORDER BY {first}{NEWEST_FIRST}")
        return map(PageRecord._make, rows)

    def counts(self, expression: str) -> dict:
        """The number of pages for each value of a column expression ("source", "substr(date, 1, 7)")."""
        return dict(self.connection.execute(f"SELECT {expression}, count(*) FROM pages GROUP BY 1"))

    def site_entry(self, name: str) -> tuple[str, str] | None:
        """The recorded (key, file identity) of a site file."""
        return self.connection.execute("SELECT key, written FROM site WHERE name = ?", (name,)).fetchone()

    def record_site(self, name: str, key: str, written: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO site VALUES (?, ?, ?)", (name, key, written))

    def site_files(self) -> list[tuple[str, str]]:
        """(name, file identity) of every site file recorded."""
        return self.connection.execute("SELECT name, written FROM site").fetchall()

    def forget_site(self, name: str) -> None:
        self.connection.execute("DELETE FROM site WHERE name = ?", (name,))

    def site_is_current(self, out_dir: Path, fingerprint: str) -> bool:
        """Whether the site needs no work: no page listed differently, the same renderer, every site file as written."""
        made_with = self.connection.execute("SELECT value FROM settings WHERE name = 'site'").fetchone()
        return (not self.listing_changed and made_with == (fingerprint,)
                and all(identity_of(out_dir / name) == written for name, written in self.site_files()))

    def site_made(self, fingerprint: str) -> None:
        """Record that the site is whole, made with this renderer."""
        self.connection.execute("INSERT OR REPLACE INTO settings VALUES ('site', ?)", (fingerprint,))
        self.listing_changed = False


def plan_renders(inputs: list[str], pages: list[str], manifest: Manifest, fingerprint: str,
                 max_size: int) -> tuple[list[tuple[str, str]], int]:
    """The (input, page name) pairs to render, in input order, and the number of unchanged pages (observe_run first).

    A page is unchanged when its manifest entry is sound, the file at its name is still the one recorded,
    and its input either has the settled stat recorded under this renderer (it is not read) or hashes as
    recorded (its stat is recorded then). Settled before any worker starts: an unchanged input is never
    decoded or parsed, and a run with nothing to do starts no pool.
    """
    todo: list[tuple[str, str]] = []
    settled: list[tuple[str | None, str]] = []  # recorded once the query is done with the table
    for position, recorded, broken in manifest.unsettled():
        manifest.broken += broken
        hashed = recorded and hashed_input(inputs[position], fingerprint, max_size)
        if hashed and hashed[0] == recorded:
            settled.append((hashed[1], pages[position]))
        else:
            todo.append((inputs[position], pages[position]))
    manifest.settle(settled)
    return todo, len(inputs) - len(todo)


# ---------------------------------------------------------------------------
# Site: index pages, archive, sources, languages, search
# ---------------------------------------------------------------------------

class SiteError(Exception):
    """A page of the site cannot be made (its template breaks): the message names the page and the template."""


class SiteFacts(typing.NamedTuple):
    """What every page of the site shows or links to, counted once a run."""

    total: int
    lang: str
    ui: dict
    months: dict  # "2024-03" (None: undated) -> number of pages
    sources: dict  # source (None: none given) -> number of pages
    langs: dict  # language -> number of pages


class SitePage(typing.NamedTuple):
    """One file of the site: its name in the output folder, its template ("": a catalogue shard) and context."""

    name: str
    template: str
    context: dict


def site_facts(manifest: Manifest) -> SiteFacts:
    """The counts of the manifest's pages, and the site's language: the pages' own when they share one."""
    langs = manifest.counts("lang")
    lang = next(iter(langs)) if len(langs) == 1 else "und"
    ui = ui_text(lang)
    ui = {**ui, **SITE_TEXT[next(key for key, text in UI_TEXT.items() if text is ui)]}
    return SiteFacts(sum(langs.values()), lang, ui, manifest.counts("substr(date, 1, 7)"), manifest.counts("source"), langs)


def chunks(items, size: int):
    """Lists of up to size items of an iterable, in order."""
    iterator = iter(items)
    return iter(lambda: list(itertools.islice(iterator, size)), [])


def pages_needed(count: int, size: int) -> int:
    return max(1, -(-count // size))


def index_page_name(number: int) -> str:
    """The file of the newest-first index's page number: index.html, then index/2.html, ..."""
    return "index.html" if number == 1 else f"{SITE_FOLDER}/{number}.html"


def paged_name(base: str, number: int) -> str:
    """The file of a listing's page number: index/BASE.html, then index/BASE-2.html, ..."""
    return f"{SITE_FOLDER}/{base}.html" if number == 1 else f"{SITE_FOLDER}/{base}-{number}.html"


def group_base(kind: str, value: str) -> str:
    """The file name base of a source's or a language's pages: readable, and distinct even where case is not."""
    slug = UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", value)).strip("._-")[:40]
    return f"{kind}-{slug}-{hashlib.sha1(value.encode('utf-8')).hexdigest()[:8]}"


def link(here: str, target: str) -> str:
    """The relative URL from one file of the output folder to another (each at most one folder deep)."""
    if "/" not in here:
        return target
    folder = here[: here.index("/") + 1]
    return target[len(folder):] if target.startswith(folder) else "../" + target


def shortened(text: str, limit: int = LISTED_TITLE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def month_label(month: str, ui: dict) -> str:
    year, number = month[:4], int(month[5:7])
    return ui["month"].format(y=year, m=number, name=MONTH_NAMES[number - 1])


def listed(records: list[PageRecord], here: str) -> list[PageRecord]:
    """Records as a listing at `here` shows them: links relative to it, titles at most LISTED_TITLE_LIMIT long."""
    root = "../" if "/" in here else ""
    return [PageRecord(root + href, shortened(title), date, source, lang) for href, title, date, source, lang in records]


def site_nav(here: str, facts: SiteFacts) -> list[dict]:
    """The links along the top of every site page; none for a site of one article."""
    if facts.total < 2:
        return []
    targets = ["index.html", f"{SITE_FOLDER}/archive.html", f"{SITE_FOLDER}/sources.html"]
    targets += [f"{SITE_FOLDER}/languages.html"] if len(facts.langs) > 1 else []
    labels = [facts.ui["index"], facts.ui["archive"], facts.ui["sources"], facts.ui["languages"]][:len(targets)]
    targets.append(f"{SITE_FOLDER}/search.html")
    labels.append(facts.ui["search"])
    return [{"label": label, "href": link(here, target), "current": here == target} for label, target in zip(labels, targets)]


def pagination(number: int, count: int, name_of: Callable[[int], str], here: str, ui: dict) -> dict | None:
    """Links to a listing's other pages: newer, older, the first, the last and two either side; None for one page."""
    if count == 1:
        return None
    pages: list[dict | None] = []
    last = 0
    for n in sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)}):
        if n > last + 1:
            pages.append(None)  # a gap: "…"
        pages.append({"number": n, "href": link(here, name_of(n)), "current": n == number})
        last = n
    return {"number": number, "count": count, "label": ui["page"].format(n=number, m=count), "pages": pages,
            "newer": link(here, name_of(number - 1)) if number > 1 else None,
            "older": link(here, name_of(number + 1)) if number < count else None}


def site_context(here: str, facts: SiteFacts) -> dict:
    """What every template of the site gets."""
    return {"lang": facts.lang, "ui": facts.ui, "generator": f"render.py {__version__}", "total": facts.total,
            "nav": site_nav(here, facts), "site_css": True, "remote_images": False}


def index_pages(manifest: Manifest, facts: SiteFacts):
    """index.html and index/2.html, ...: every article, newest first, INDEX_PAGE_SIZE a page."""
    count = pages_needed(facts.total, INDEX_PAGE_SIZE)
    for number, records in enumerate(chunks(manifest.ordered(), INDEX_PAGE_SIZE), 1):
        here = index_page_name(number)
        yield SitePage(here, "index.html", {**site_context(here, facts), "heading": facts.ui["index"], "count": facts.total,
                                            "entries": listed(records, here),
                                            "pagination": pagination(number, count, index_page_name, here, facts.ui)})


def listing_pages(groups, counts: dict, base_of: Callable, label_of: Callable, facts: SiteFacts):
    """The pages of each group of articles (groups: (value, records) in order), LIST_PAGE_SIZE a page."""
    for value, records in groups:
        base = base_of(value)
        count = pages_needed(counts[value], LIST_PAGE_SIZE)
        for number, chunk in enumerate(chunks(records, LIST_PAGE_SIZE), 1):
            here = paged_name(base, number)
            yield SitePage(here, "list.html", {
                **site_context(here, facts), "heading": label_of(value), "count": counts[value],
                "entries": listed(chunk, here),
                "pagination": pagination(number, count, functools.partial(paged_name, base), here, facts.ui)})


def archive_pages(manifest: Manifest, facts: SiteFacts):
    """The archive: years and months with their counts, then one listing a month (and one of the undated)."""
    here = f"{SITE_FOLDER}/archive.html"
    years: dict[str, list[str]] = {}
    for month in sorted((m for m in facts.months if m), reverse=True):
        years.setdefault(month[:4], []).append(month)
    sections = [{"heading": facts.ui["year"].format(y=year), "id": f"y{year}", "count": sum(facts.months[m] for m in months),
                 "groups": [{"label": month_label(m, facts.ui), "href": link(here, paged_name(m, 1)), "count": facts.months[m]}
                            for m in months]} for year, months in years.items()]
    if None in facts.months:
        sections.append({"heading": None, "id": None, "count": None, "groups": [
            {"label": facts.ui["undated"], "href": link(here, paged_name("undated", 1)), "count": facts.months[None]}]})
    yield SitePage(here, "groups.html", {**site_context(here, facts), "heading": facts.ui["archive"], "count": facts.total,
                                         "sections": sections, "pagination": None})
    months = itertools.groupby(manifest.ordered(), key=lambda r: r.date[:7] if r.date else None)
    yield from listing_pages(months, facts.months, lambda m: m or "undated",
                             lambda m: month_label(m, facts.ui) if m else facts.ui["undated"], facts)


def source_pages(manifest: Manifest, facts: SiteFacts):
    """The list of sources with their counts (most articles first), then one listing a source."""
    ordered = sorted(facts.sources.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    count = pages_needed(len(ordered), GROUP_PAGE_SIZE)
    base_of = functools.partial(group_base, "source")
    for number, chunk in enumerate(chunks(ordered, GROUP_PAGE_SIZE), 1):
        here = paged_name("sources", number)
        groups = [{"label": facts.ui["no_source"] if source is None else source, "href": link(here, paged_name(
            "no-source" if source is None else base_of(source), 1)), "count": n} for source, n in chunk]
        yield SitePage(here, "groups.html", {**site_context(here, facts), "heading": facts.ui["sources"], "count": facts.total,
                                             "pagination":
                                             pagination(number, count, functools.partial(paged_name, "sources"), here, facts.ui),
                                             "sections": [{"heading": None, "id": None, "count": None, "groups": groups}]})
    groups = itertools.groupby(manifest.ordered("source"), key=operator.attrgetter("source"))
    yield from listing_pages(groups, facts.sources, lambda s: "no-source" if s is None else base_of(s),
                             lambda s: facts.ui["no_source"] if s is None else s, facts)


def language_pages(manifest: Manifest, facts: SiteFacts):
    """Where the articles are in several languages: the languages with their counts, then one listing each."""
    if len(facts.langs) < 2:
        return
    here = f"{SITE_FOLDER}/languages.html"
    base_of = functools.partial(group_base, "lang")
    groups = [{"label": LANGUAGE_NAMES.get(lang, lang), "href": link(here, paged_name(base_of(lang), 1)), "count": n}
              for lang, n in sorted(facts.langs.items(), key=lambda item: (-item[1], item[0]))]
    yield SitePage(here, "groups.html", {**site_context(here, facts), "heading": facts.ui["languages"], "count": facts.total,
                                         "pagination": None,
                                         "sections": [{"heading": None, "id": None, "count": None, "groups": groups}]})
    groups = itertools.groupby(manifest.ordered("lang"), key=operator.attrgetter("lang"))
    yield from listing_pages(groups, facts.langs, base_of, lambda lang: LANGUAGE_NAMES.get(lang, lang), facts)


def search_pages(manifest: Manifest, facts: SiteFacts, templates: Path | None):
    """The search page, and the catalogue it reads: CATALOGUE_SHARD_SIZE articles a script, newest first."""
    here = f"{SITE_FOLDER}/search.html"
    environment = template_environment(templates)
    script = environment.loader.get_source(environment, "search.js")[0]
    yield SitePage(here, "search.html", {**site_context(here, facts), "shards": pages_needed(facts.total, CATALOGUE_SHARD_SIZE),
                                         "script": script, "script_hash": csp_hash(script)})
    for number, records in enumerate(chunks(manifest.ordered(), CATALOGUE_SHARD_SIZE), 1):
        yield SitePage(f"{SITE_FOLDER}/catalogue-{number}.js", "", {"number": number, "records": records})


def site_pages(manifest: Manifest, facts: SiteFacts, templates: Path | None):
    """Every file of the site; beyond index.html only for a site of two articles or more."""
    yield from index_pages(manifest, facts)
    if facts.total > 1:
        yield from archive_pages(manifest, facts)
        yield from source_pages(manifest, facts)
        yield from language_pages(manifest, facts)
        yield from search_pages(manifest, facts, templates)


def site_template_contexts(templates: Path | None) -> dict[str, set]:
    """The variables each template of the site is given, by template (from a site of two articles in two languages)."""
    manifest = Manifest.attach(run_database(), ":memory:", "")
    for page, lang in (("a.html", "en"), ("b.html", "fr")):
        manifest.record(page, "", "", None, {"title": page, "date": "2024-03-03", "source": "A source", "lang": lang})
    contexts: dict[str, set] = {}
    for page in site_pages(manifest, site_facts(manifest), templates):
        if page.template:
            contexts.setdefault(page.template, set(page.context))
    manifest.close()
    return contexts


def catalogue_script(number: int, records: list[PageRecord]) -> str:
    """A shard of the search catalogue: catalogueShard(N, [sources, rows]), a row [title, page stem, day, source index]."""
    sources: dict[str, int] = {}
    rows = [[shortened(r.title), r.href[:-5], (r.date or "")[:10], -1 if r.source is None else sources.setdefault(r.source, len(sources))]
            for r in records]
    data = json.dumps([list(sources), rows], ensure_ascii=False, separators=(",", ":"))
    # JSON allows U+2028 and U+2029 in strings; scripts older than ES2019 do not.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"catalogueShard({number},{data});\n"


def site_page_key(page: SitePage, fingerprint: str) -> str:
    """A hash of everything a site file shows: it is written again only when this changes."""
    data = json.dumps([page.name, page.template, page.context], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256((fingerprint + data).encode("utf-8", "surrogatepass")).hexdigest()


def site_page_text(page: SitePage, templates: Path | None) -> str:
    if not page.template:
        return catalogue_script(page.context["number"], page.context["records"])
    context = page.context
    if "script" in context:  # the search page's own script, as it is: its hash is in the page's policy
        import markupsafe

        context = {**context, "script": markupsafe.Markup(context["script"])}
    return template_environment(templates).get_template(page.template).render(context)


def write_site(out_dir: Path, manifest: Manifest, templates: Path | None = None, fingerprint: str = "") -> int:
    """Write the site's files that changed since the last run and remove those no longer made; how many were written.

    A file is written again only when what it shows (its key) changed or it is not the file recorded.
    Removed: only files the manifest recorded, still as they were written. When no page changed what
    the site shows of it, nothing is worked out at all.
    """
    if manifest.site_is_current(out_dir, fingerprint):
        return 0
    facts = site_facts(manifest)
    if facts.total == 0:
        return 0
    folder = out_dir / SITE_FOLDER
    made: set[str] = set()
    written, folder_ready = 0, False
    for page in site_pages(manifest, facts, templates):
        made.add(page.name)
        key = site_page_key(page, fingerprint)
        path = out_dir / page.name
        if manifest.site_entry(page.name) == (key, identity_of(path)):
            continue
        if path.parent == folder and not folder_ready:
            if folder.is_symlink():
                raise OSError(errno.ELOOP, "is a link; the site is never written through one", str(folder))
            folder.mkdir(exist_ok=True)
            folder_ready = True
        try:
            text = site_page_text(page, templates)
        except Exception as error:  # a user's template that breaks while it renders: one line naming it
            problem = template_error(error)
            if problem is None:
                raise
            raise SiteError(f"{path}: {problem}") from None
        manifest.record_site(page.name, key, write_atomic(path, text))
        written += 1
    for name, recorded in manifest.site_files():
        if name not in made:
            if SITE_FILE.fullmatch(name) and identity_of(out_dir / name) == recorded:
                (out_dir / name).unlink()
            manifest.forget_site(name)
    manifest.site_made(fingerprint)
    return written


# ---------------------------------------------------------------------------
# Batch: the work of worker processes
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """One document to render or analyse, with everything a worker needs."""

    path: Path
    output: Path | None  # the page's file, or STDIO; None: analyse only (--json, --jsonl), the record sent back as JSON text
    options: Options
    templates: Path | None
    fingerprint: str = ""
    page: str = ""  # the page's file name, which an analysed document's record names
    indent: int | None = None  # --json's indent; None: one compact line (--jsonl)


def same_file(a: Path, b: Path) -> bool:
    """Whether both paths name one existing file (through links, hard links included)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (a new page), or cannot be looked at
        return False


def reads_as_markdown(path: Path, options: Options) -> bool:
    """Whether an input is Markdown: as --from says, else by its extension (standard input: text)."""
    if options.source_format is not None:
        return options.source_format == "markdown"
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def record_text(record: dict, indent: int | None) -> str:
    """A --jsonl line (compact, no newline) or a --json array element (indented as inside the array)."""
    if indent is None:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return " " * indent + json.dumps(record, ensure_ascii=False, indent=indent).replace("\n", "\n" + " " * indent)


def run_job(job: Job) -> dict:
    """Render or analyse one file; a dict with status 'ok' or 'error' (unchanged files never get here)."""
    try:
        if job.output not in (None, STDIO) and same_file(job.output, job.path):
            raise DocumentError("output would overwrite the input")
        data, seen = read_input_settled(job.path, job.options.max_size)  # read once: decoded and hashed
        text, encoding = decode_document(data)
        markdown = reads_as_markdown(job.path, job.options)
        name = safe_stem(job.path) if job.output in (None, STDIO) else job.output.stem
        article = read_article(text, name, markdown, job.options, encoding)
        images, missing = local_images(article, Path.cwd() if job.path == STDIO else job.path.parent) \
            if article.images else ([], [])
        if missing:
            article = dataclasses.replace(article, warnings=article.warnings + tuple(missing))
        notes = [f"{input_label(job.path)}: {w['message']}" for w in article.warnings if w["kind"] == "image"]
        if job.output is None:
            record = {"input": str(job.path), "page": job.page, **article.to_json()}
            return {"status": "ok", "text": record_text(record, job.indent), "warnings": notes}
        digest = input_hash(data, job.fingerprint)
        written = write_page(job.output, render_page(article, job.templates, job.options))
        if job.output == STDIO:
            notes += [f"{STDIN_NAME}: image {relative} is not copied: the page went to standard output" for _, relative in images]
        else:
            notes += [f"{input_label(job.path)}: {problem}" for problem in copy_images(images, job.output.parent)]
        # Only what the site and the manifest need goes back to the main process, never the page.
        return {"status": "ok", "meta": index_fields(article), "hash": digest, "seen": seen, "written": written, "warnings": notes}
    except DocumentError as error:
        return {"status": "error", "message": one_line(f"{input_label(job.path)}: {error}")}
    except OSError as error:
        if error.filename is not None and os.path.abspath(error.filename) == os.path.abspath(job.path):
            return {"status": "error", "message": one_line(f"{job.path}: cannot be read ({error.strerror or error})")}
        return {"status": "error", "message": one_line(f"{input_label(job.path)}: cannot write {job.output}: {error.strerror or error}")}
    except Exception as error:  # noqa: BLE001 - one bad document must never stop the batch
        problem = template_error(error) or f"internal error: {type(error).__name__}: {error}"
        return {"status": "error", "message": one_line(f"{input_label(job.path)}: {problem}")}


def run_chunk(jobs: list[Job]) -> list[dict]:
    return [run_job(job) for job in jobs]


def growing_chunks(jobs, size: int):
    """Lists of 1, 2, 4, ... jobs up to size each: the first result comes back after one document, not size."""
    step = 1
    while chunk := list(itertools.islice(jobs, step)):
        yield chunk
        step = min(2 * step, size)


def input_label(path: Path) -> str:
    """An input as messages name it: its path, or "stdin" for standard input."""
    return STDIN_NAME if path == STDIO else str(path)


def one_line(message: str) -> str:
    """A message as one printable line: control characters (newlines in a file name too) escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in message)


def run_jobs(jobs, workers: int, total: int | None = None):
    """Results in input order, from a process pool when the batch is worth one.

    jobs may be a list or, with total given, an iterator. A few chunks a worker are in flight at
    most: neither jobs nor results pile up in memory, however many there are and however slowly
    the results are read.
    """
    if total is None:
        jobs = list(jobs)
        total = len(jobs)
    if workers <= 1 or total < 4:
        yield from map(run_job, jobs)
        return
    import collections
    import multiprocessing

    jobs = iter(jobs)
    first = next(jobs)
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if context.get_start_method() == "fork" and first.output is not None:
        # Jinja2 and the compiled templates loaded once, here: every forked worker inherits them.
        try:
            template_environment(first.templates).get_template("page.html")
        except Exception:  # noqa: BLE001 - a broken template is reported by each job, as without the warm-up
            pass
    workers = min(workers, total)
    with context.Pool(workers) as pool:
        pending: collections.deque = collections.deque()
        for chunk in growing_chunks(itertools.chain([first], jobs), max(1, min(32, total // (workers * 8)))):
            pending.append(pool.apply_async(run_chunk, (chunk,)))
            if len(pending) > 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

# The first example only holds in a checkout: an installed command has no seeds/ (build_parser drops it).
DEFAULT_RUN_EXAMPLE = "  python render.py                       render every document in seeds/ into out/\n"
EPILOG = DEFAULT_RUN_EXAMPLE + """\
  python render.py articles/ -o site/    render a folder into site/ (with site/index.html)
  python render.py post.md -o post.html  render one document into exactly post.html (no index, no manifest)
  python render.py - < dump.txt > page.html             read standard input, write the page to standard output
  python render.py --from markdown - -o note.html < note   standard input read as Markdown
  python render.py --json a.txt b.md     print the parsed metadata and sections as JSON
  python render.py --jsonl corpus/ | jq -c '{page, title}'   one JSON object a line, as each document is done
  curl -s URL | python render.py --json -     the same for standard input
  python render.py --script simplified seeds/  convert Traditional text to Simplified
  python render.py --templates mytheme/  use mytheme/page.html (others from the built-in set)
  python render.py --remote-images post.md -o post.html   let the page show https:// images

installed with pip or pipx (pip install .), the command is article-pages: article-pages post.md -o post.html
exit status: 0 all rendered, 1 some input failed (the rest are still rendered), 2 usage error."""


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def program_name() -> str:
    """What messages and --help call this program: the console command's name when run as it, else render.py."""
    return COMMAND if Path(sys.argv[0]).name == COMMAND else "render.py"


def build_parser() -> argparse.ArgumentParser:
    name = program_name()
    parser = argparse.ArgumentParser(
        prog=name, description="Turn article documents (.txt dumps, .md) into standalone HTML pages.",
        epilog="examples:\n" + (EPILOG if name == "render.py" else EPILOG.replace(DEFAULT_RUN_EXAMPLE, "").replace("python render.py", name)),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or folders to render, or - to read one document from standard input "
                             "(default: seeds/ beside render.py, in a checkout)")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR|FILE.html|-",
                        help="folder for the pages, index.html and the manifest (default: out/), e.g. -o site; "
                             "or, for one input, FILE.html: exactly that file is written (no index, no manifest); "
                             "or - for standard output (the default for standard input)")
    parser.add_argument("--from", dest="source_format", choices=("text", "markdown"),
                        help="read every input as this format (default: .md and .markdown are Markdown, "
                             "the rest and standard input are text), e.g. --from markdown")
    parser.add_argument("--remote-images", action="store_true",
                        help="let pages load https:// images (the page's Content-Security-Policy blocks them otherwise)")
    records = parser.add_mutually_exclusive_group()
    records.add_argument("--json", action="store_true",
                         help="print a JSON array of parsed documents instead of writing pages")
    records.add_argument("--jsonl", action="store_true",
                         help="print one compact JSON object a line, as each document is parsed, instead of writing pages")
    parser.add_argument("--open", action="store_true", help="open the rendered page (or the index) in a browser")
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder of Jinja2 templates overriding the built-in page.html / index.html")
    parser.add_argument("--script", choices=("original", "simplified", "traditional"), default="original",
                        help="convert Chinese text with OpenCC, e.g. --script simplified (default: original)")
    parser.add_argument("--keep-punctuation", action="store_true",
                        help="leave ASCII punctuation between Chinese characters as it is")
    parser.add_argument("-j", "--jobs", type=int, default=available_cores(), metavar="N",
                        help="worker processes for a batch (default: number of cores), e.g. -j 1")
    parser.add_argument("--force", action="store_true", help="render even documents unchanged since the last run")
    parser.add_argument("--rehash", action="store_true",
                        help="read and hash every input rather than trust an unchanged size and times "
                             "(renders only those whose bytes changed)")
    parser.add_argument("--max-size", type=int, default=DEFAULT_MAX_SIZE, metavar="BYTES",
                        help=f"refuse documents larger than this (default: {DEFAULT_MAX_SIZE} bytes)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def inside(path: Path, folder: Path) -> bool:
    """Whether path is folder or lies inside it, symbolic links resolved."""
    path, folder = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return path == folder or folder in path.parents


def error_line(message: str) -> None:
    print(f"{program_name()}: error: {one_line(message)}", file=sys.stderr)


def warning_line(message: str) -> None:
    print(f"{program_name()}: warning: {one_line(message)}", file=sys.stderr)


def warning_lines(result: dict) -> None:
    """A job's warnings for the reader of the terminal (images the page cannot show), one line each."""
    for message in result.get("warnings", ()):
        warning_line(message)


def clock_text(seconds: int) -> str:
    """A duration as h:mm:ss or m:ss."""
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def rate_text(rate: float) -> str:
    """Documents a second, with a decimal below ten: "0.5 docs/s", "812 docs/s"."""
    return f"{rate:.1f} docs/s" if rate < 10 else f"{rate:.0f} docs/s"


class Progress:
    """A one-line progress report on an interactive stderr: documents done of those to render.

    The rate and the time left join it once SETTLED documents are done and a second has passed:
    earlier figures say more about start-up than about the run. Redrawn at most ten times a second;
    nothing at all when the stream is not a terminal or with -q.
    """

    SETTLED = 10

    def __init__(self, total: int, enabled: bool, stream=None, clock: Callable[[], float] | None = None):
        self.stream = stream or sys.stderr
        self.clock = clock or time.monotonic
        self.total, self.done = total, 0
        self.start = self.shown = self.clock()
        self.enabled = enabled and total > 1 and self.stream.isatty()

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = self.clock()
        if now - self.shown < 0.1 and self.done != self.total:
            return
        self.shown = now
        line = f"{self.done}/{self.total}"
        if self.done >= self.SETTLED and now - self.start >= 1:
            rate = self.done / (now - self.start)
            line += f"  {rate_text(rate)}  {clock_text(round((self.total - self.done) / rate))} left"
        self.stream.write(f"\r{line} \x1b[K" + ("\n" if self.done == self.total else ""))
        self.stream.flush()


def output_folder_problem(out_dir: Path) -> str | None:
    """Why pages cannot be written into out_dir (creating it if needed), or None."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        return "output folder is a file" if out_dir.exists() else "cannot create output folder: a parent is a file"
    except OSError as error:
        return f"cannot create output folder: {error.strerror or error}"
    return None if os.access(out_dir, os.W_OK) else "output folder is not writable"


def environment_problem() -> str | None:
    """Why the environment cannot shape the pages as asked (a SOURCE_DATE_EPOCH that is no usable time), or None.

    Reproducible builds' specification asks a tool to stop on a malformed value rather than ignore it.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    problem = epoch_problem(epoch) if epoch else None
    return f"SOURCE_DATE_EPOCH={epoch[:40]}: {problem}" if problem else None


def page_target(output: Path | None, stdin: bool) -> Path | None:
    """Where a one-page run writes (a file, or STDIO for standard output); None for a run into a folder."""
    if output is None:
        return STDIO if stdin else None
    if output == STDIO or (output.suffix.lower() in PAGE_SUFFIXES and not output.is_dir()):
        return output
    return output / f"{STDIN_NAME}.html" if stdin else None


def render_one_page(inputs: list[str], failed: int, target: Path, args: argparse.Namespace, options: Options) -> int:
    """Render the one input into target, a file or standard output: no index, no manifest."""
    if failed:  # the input named is missing, already reported
        return 1
    if len(inputs) != 1:
        build_parser().error(f"--output {target}: one page takes one input document ({len(inputs)} found)")
    if target != STDIO:
        if inside(target, DEFAULT_INPUT):
            build_parser().error(f"--output {target}: pages are never written into {DEFAULT_INPUT.name}/")
        problem = output_folder_problem(target.parent)
        if problem:
            error_line(f"{target.parent}: {problem}")
            return 1
    result = run_job(Job(Path(inputs[0]), target, options, args.templates))
    if result["status"] == "error":
        error_line(result["message"])
        return 1
    warning_lines(result)
    if not args.quiet and target != STDIO:
        print(f"rendered 1, failed 0 -> {target}", file=sys.stderr)
    if args.open:
        open_in_browser(target)
    return 0


def open_in_browser(page: Path) -> None:
    """Open a written page in the default browser, or say in one line which page to open."""
    if page == STDIO:
        warning_line("--open: the page went to standard output; there is no file to open")
        return
    import webbrowser

    try:
        opened = webbrowser.open(page.resolve().as_uri())
    except (webbrowser.Error, OSError):  # a BROWSER that names no runnable command, for one
        opened = False
    if not opened:
        warning_line(f"--open: no browser could be started; open {page.resolve()} yourself")


def print_records(inputs: list[str], failed: int, options: Options, args: argparse.Namespace) -> int:
    """--json and --jsonl: each document's record on stdout as it is done, in input order, by the workers of -j.

    Each record names its input (as given) and its page (the name a render gets). A document that
    fails is one line on stderr; the others are still printed. When the reader goes away, the run
    ends quietly.
    """
    pages = page_names(inputs)
    indent = 2 if args.json else None
    jobs = (Job(Path(path), None, options, args.templates, page=page, indent=indent) for path, page in zip(inputs, pages))
    results = run_jobs(jobs, args.jobs, total=len(pages))
    out = sys.stdout.buffer
    printed = 0
    try:
        if args.json:
            out.write(b"[")
        for result in results:
            if result["status"] == "error":
                error_line(result["message"])
                failed += 1
                continue
            warning_lines(result)
            separator = ("\n" if printed == 0 else ",\n") if args.json else ""
            out.write((separator + result["text"] + ("" if args.json else "\n")).encode("utf-8"))
            out.flush()
            printed += 1
        if args.json:
            out.write(b"\n]\n" if printed else b"]\n")
        out.flush()
    except BrokenPipeError:
        results.close()  # the workers stop here; command() ends the run quietly
        raise
    return 1 if failed else 0


def summary_line(rendered: int, failed: int, unchanged: int, out_dir: Path, seconds: float, written: int,
                 site_failed: bool = False) -> str:
    """The run's last line: what became of the documents (a failed site counts as a failure), how fast, and
    how many of the site's files were written."""
    documents = rendered + failed + unchanged
    return (f"rendered {rendered}, failed {failed + site_failed}, unchanged {unchanged} -> {out_dir} ({documents} document"
            f"{'' if documents == 1 else 's'} in {seconds:.1f} s, {rate_text(documents / max(seconds, 0.001))}; "
            f"{written} index file{'' if written == 1 else 's'} written)")


def render_to_folder(inputs: list[str], failed: int, out_dir: Path, options: Options, args: argparse.Namespace) -> int:
    """Render the documents into out_dir, record them in its manifest, bring its site up to date; the exit status."""
    import sqlite3

    started = time.monotonic()
    if not inputs:  # nothing to render: the folder's manifest and site stay as they are
        if not args.quiet:
            print(summary_line(0, failed, 0, out_dir, time.monotonic() - started, 0), file=sys.stderr)
        return 1
    pages = page_names(inputs)
    fingerprint = renderer_fingerprint(args.templates, options)
    try:
        connection = run_database()
        clash = observe_run(connection, inputs, pages, out_dir, stats=not args.rehash, identities=not args.force)
        # A manifest or index that is an input is never written: that run keeps its manifest in memory.
        manifest, warning = Manifest.open(out_dir, connection, fingerprint) if clash is None \
            else (Manifest.attach(connection, ":memory:", fingerprint), None)
    except (ManifestError, OSError, sqlite3.Error) as error:
        error_line(f"{error}" if isinstance(error, ManifestError) else f"{out_dir / MANIFEST_NAME}: {error}")
        return 1
    if warning:
        warning_line(warning)
    try:
        todo, unchanged = plan_renders(inputs, pages, manifest, fingerprint, options.max_size)
        if manifest.broken:
            warning_line(f"{out_dir / MANIFEST_NAME}: {manifest.broken} entries of the wrong shape ignored; rendered again")
        single = pages[0] if len(pages) == 1 else None
        del pages
        progress = Progress(len(todo), not args.quiet)
        jobs = (Job(Path(path), out_dir / page, options, args.templates, fingerprint) for path, page in todo)
        rendered, committed = 0, time.monotonic()
        for (_, page), result in zip(todo, run_jobs(jobs, args.jobs, total=len(todo))):
            progress.step()
            if result["status"] == "error":
                error_line(result["message"])
                manifest.forget(page)
                failed += 1
            else:
                warning_lines(result)
                manifest.record(page, result["hash"], result["written"], result["seen"], result["meta"])
                rendered += 1
            if time.monotonic() - committed >= 1:  # a killed run loses at most a second of records: those pages render again
                manifest.commit()
                committed = time.monotonic()
        written, site_failed = 0, False
        if rendered + unchanged == 0:
            pass  # nothing to list: the manifest and the site stay as the last run left them
        elif clash is not None:
            error_line(f"{clash}: is an input; the index and manifest of {out_dir} are not written")
            site_failed = True
        else:
            manifest.prune(rendered + unchanged)
            manifest.commit()
            try:
                written = write_site(out_dir, manifest, args.templates, fingerprint)
            except OSError as error:  # the file it was renamed to, rather than the temporary one
                error_line(f"{error.filename2 or error.filename or out_dir}: cannot write: {error.strerror or error}")
                site_failed = True
            except SiteError as error:  # the pages stay rendered
                error_line(str(error))
                site_failed = True
        manifest.close()
    except sqlite3.Error as error:
        error_line(f"{out_dir / MANIFEST_NAME}: {error}")
        return 1
    if not args.quiet:
        print(summary_line(rendered, failed, unchanged, out_dir, time.monotonic() - started, written, site_failed),
              file=sys.stderr)
    if args.open and rendered + unchanged:
        open_in_browser(out_dir / (single if single and rendered + unchanged == 1 else "index.html"))
    return 1 if failed or site_failed else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.jobs < 1 or args.max_size < 1:
        build_parser().error("--jobs and --max-size take a positive number")
    stdin = STDIO in args.paths
    if stdin and len(args.paths) > 1:
        build_parser().error("- (standard input) is one document: give it alone")
    if not args.paths and not DEFAULT_INPUT.is_dir():  # the installed command has no seeds/ to default to
        build_parser().error("no input: name the files or folders to render, or - to read standard input")
    paths = args.paths or [DEFAULT_INPUT]
    options = Options(script=args.script, keep_punctuation=args.keep_punctuation, max_size=args.max_size,
                      source_format=args.source_format, remote_images=args.remote_images)
    if args.templates and not args.templates.is_dir():
        build_parser().error(f"--templates {args.templates}: not a folder")
    if not (args.json or args.jsonl):  # checked before any document is read
        problem = (template_problem(args.templates) if args.templates else None) or environment_problem()
        if problem:
            error_line(problem)
            return 2
    inputs, errors = collect_inputs(paths)
    if len(inputs) > 1:
        gc.enable()  # off since start-up when run as a script (see the top of this file): a batch needs it
    for path, reason in errors:
        error_line(f"{path}: {reason}")

    if args.json or args.jsonl:
        return print_records(inputs, len(errors), options, args)

    target = page_target(args.output, stdin)
    if target is not None:
        return render_one_page(inputs, len(errors), target, args, options)
    out_dir = args.output or DEFAULT_OUTPUT
    if inside(out_dir, DEFAULT_INPUT):
        build_parser().error(f"--output {out_dir}: pages are never written into {DEFAULT_INPUT.name}/")
    problem = output_folder_problem(out_dir)
    if problem:
        error_line(f"{out_dir}: {problem}")
        if not args.quiet:
            print(summary_line(0, len(inputs) + len(errors), 0, out_dir, 0, 0), file=sys.stderr)
        return 1
    return render_to_folder(inputs, len(errors), out_dir, options, args)


def command() -> int:
    """The command line's exit status, as `python render.py` and the installed article-pages command run it."""
    try:
        status = main()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # what reads standard output stopped early (| head): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
        return 1
    # The collections the interpreter runs on exit would walk every object of the run (~15 ms),
    # for memory the process is about to give back anyway.
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(command())
