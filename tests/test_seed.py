"""Issue 2: the seed becomes a correct, standalone article page."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from conftest import SEED, run_cli

# Independent of render.py: a reading is Latin letters in parentheses after a character.
READING = re.compile(r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")
HEADINGS = ("信息主導", "整合資源", "源頭治理")


def seed_lines_plain() -> list[str]:
    """Body lines of the seed (lines 7-51) without readings, as the reader should get them."""
    lines = SEED.read_text(encoding="utf-8").split("\n")[6:51]
    return [READING.sub("", line).strip() for line in lines]


@pytest.fixture(scope="module")
def seed_json() -> dict:
    result = run_cli("--json", "--keep-punctuation", SEED)
    assert result.returncode == 0, result.stderr
    [document] = json.loads(result.stdout)
    return document


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("out")
    result = run_cli(SEED, "-o", out)
    assert result.returncode == 0, result.stderr
    return (out / f"{SEED.stem}.html").read_text(encoding="utf-8")


def test_metadata(seed_json):
    assert seed_json["title"] == "信息主導 資源整合 湖北連續17年獲評全國平安建設優秀省份"
    assert seed_json["date"] == "2022-02-16T08:57:00+08:00"
    assert seed_json["views"] == 244
    assert seed_json["source"] == "中國安全防范產品行業協會"
    assert seed_json["author"] is None
    assert seed_json["lang"] == "zh-Hant"


def test_sections_and_paragraph_counts(seed_json):
    sections = seed_json["sections"]
    assert [s["heading"] for s in sections] == [None, *HEADINGS]
    assert [len(s["paragraphs"]) for s in sections] == [7, 11, 14, 10]


def test_every_paragraph_character_for_character(seed_json):
    expected = [line for line in seed_lines_plain() if line not in HEADINGS]
    got = [p for s in seed_json["sections"] for p in s["paragraphs"]]
    assert len(got) == 42
    assert got == expected


def test_chrome_is_boilerplate_not_body(seed_json):
    boilerplate = seed_json["boilerplate"]
    assert boilerplate[0] == "全國咨詢熱線:010-67877741/42/43"
    assert "聯系我們" in boilerplate and "二維碼" in boilerplate and "13910555092" in boilerplate
    body = "".join(p for s in seed_json["sections"] for p in s["paragraphs"])
    for chrome in ("熱線", "010-67877741", "13910555092", "二維碼", "聯系我們", "上班時間"):
        assert chrome not in body


def test_json_texts_are_clean(seed_json):
    texts = [seed_json["title"], *seed_json["boilerplate"]]
    texts += [t for s in seed_json["sections"] for t in [s["heading"] or "", *s["paragraphs"]]]
    for text in texts:
        assert not READING.search(text), text
        assert text == text.strip()
    # Real parentheses are text, not readings.
    body = "".join(p for s in seed_json["sections"] for p in s["paragraphs"])
    assert "所(隊)" in body and "一居(村)一警(輔警)" in body


class Outline(HTMLParser):
    """Collects the page structure the tests check."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict, tuple[str, ...]]] = []
        self.text_in: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in ("meta", "link", "br", "hr", "img", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        for tag in set(self.stack):
            self.text_in.setdefault(tag, []).append(data)


@pytest.fixture(scope="module")
def outline(seed_page) -> Outline:
    parser = Outline()
    parser.feed(seed_page)
    return parser


def test_page_structure(seed_page, outline):
    assert '<html lang="zh-Hant">' in seed_page
    tags = outline.tags
    assert sum(1 for t, _a, _s in tags if t == "article") == 1
    header_tags = [(t, a) for t, a, s in tags if "header" in s and "article" in s]
    assert any(t == "h1" for t, _a in header_tags)
    assert ("time", {"datetime": "2022-02-16T08:57:00+08:00"}) in header_tags
    assert sum(1 for t, _a, s in tags if t == "section" and "article" in s) == 4
    h2_ids = [a.get("id") for t, a, s in tags if t == "h2" and "section" in s]
    assert len(h2_ids) == 3 and all(h2_ids)
    assert sum(1 for t, _a, s in tags if t == "p" and "section" in s) == 42
    header_text = "".join(outline.text_in["header"])
    assert "中國安全防范產品行業協會" in header_text and "244" in header_text


def test_every_reading_is_ruby_in_the_article(seed_page, outline):
    article = seed_page[seed_page.index("<article"): seed_page.index("</article>")]
    readings_in_seed_body = READING.findall("\n".join(SEED.read_text(encoding="utf-8").split("\n")[2:51]))
    rts = re.findall(r"<rt[^>]*>([^<]*)</rt>", article)
    meta_line = SEED.read_text(encoding="utf-8").split("\n")[4]
    assert len(rts) == len(readings_in_seed_body) - len(READING.findall(meta_line))
    assert '<ruby>國<rp>(</rp><rt lang="zh-Latn-pinyin">guó</rt><rp>)</rp></ruby>' in article
    # No reading is left visible as "(guó)" text.
    visible = re.sub(r"<rp>\(</rp><rt[^>]*>[^<]*</rt><rp>\)</rp>", "", article)
    assert not READING.search(re.sub(r"<[^>]+>", "", visible))
    h1 = article[article.index("<h1"): article.index("</h1>")]
    assert "<rt" in h1
    first_heading = next(h for h in re.findall(r"<h2 id=[^>]*>.*?</h2>", article) if "信息主" in h)
    assert "<rt" in first_heading


def test_chrome_outside_article_in_details(seed_page):
    article = seed_page[seed_page.index("<article"): seed_page.index("</article>")]
    for chrome in ("13910555092", "二維碼", "咨詢熱線", "聯系我們"):
        assert chrome not in article
    tail = seed_page[seed_page.index("</article>"):]
    assert "<details" in tail and "13910555092" in tail and "二維碼" in tail


def test_metadata_tags(seed_page):
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', seed_page, re.S)
    data = json.loads(ld.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "信息主導 資源整合 湖北連續17年獲評全國平安建設優秀省份"
    assert data["datePublished"] == "2022-02-16T08:57:00+08:00"
    assert data["inLanguage"] == "zh-Hant"
    assert data["sourceOrganization"]["name"] == "中國安全防范產品行業協會"
    assert "<title>信息主導 資源整合" in seed_page
    for prop in ("og:title", "og:type", "og:description", "article:published_time"):
        assert f'property="{prop}"' in seed_page
    assert '<meta name="description"' in seed_page


def test_self_contained_and_small(seed_page):
    assert len(seed_page.encode("utf-8")) < 60_000
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", seed_page)
    assert not re.search(r"<script(?![^>]*application/ld\+json)", seed_page)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", seed_page)
    assert "@import" not in seed_page and "url(" not in seed_page
