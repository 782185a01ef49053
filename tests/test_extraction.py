"""Finding the article in a page dump (issue 12): where the article is, its headline, headings, captions,
metadata, and what stays chrome.

The fixtures in tests/fixtures/extraction/ are pages of our own making, each laid out the way real dumps are
(navigation first, comments and related lists after); every expected value below is written from the page.
The corpus tests score the development sets in ../shared/corpus with their own scorers, and are skipped
when that folder is absent (its licences keep it out of this repository).
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

import render

EXTRACTION = FIXTURES / "extraction"
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "bench" / "gold.json").is_file(), reason="../shared/corpus is absent")


def parsed(name: str) -> dict:
    text = (EXTRACTION / name).read_text(encoding="utf-8")
    return render.parse_document(text, Path(name).stem).to_json()


def body(doc: dict) -> list[str]:
    return [p for s in doc["sections"] for p in s["paragraphs"]]


def headings(doc: dict) -> list[str]:
    return [s["heading"] for s in doc["sections"] if s["heading"]]


# ---------------------------------------------------------------------------
# Headline and header chrome
# ---------------------------------------------------------------------------


def test_menu_and_cookie_lines_are_not_the_title():
    doc = parsed("en_menu_then_article.txt")
    assert doc["title"] == "Harbour Ferry Returns After Two-Year Repair"
    for chrome in ("I Accept", "Skip to main content", "Accessibility links", "Home", "Sign in", "Local News"):
        assert chrome in doc["boilerplate"]
        assert chrome not in body(doc)
    assert body(doc)[0].startswith("The harbour ferry that links the old town")


def test_keyword_spam_line_above_the_headline_is_not_the_title():
    doc = parsed("zh_keyword_spam_above.txt")
    assert doc["title"] == "湖畔小镇举办首届读书节"
    assert doc["boilerplate"][0].startswith("北欧广播, 本地新闻")


def test_navigation_tools_and_sidebar_labels_stay_out_of_a_chinese_article():
    doc = parsed("zh_nav_tools_captions.txt")
    assert doc["title"] == "新建城市绿道全线贯通 市民周末骑行赏景"
    assert headings(doc) == []
    for chrome in ("登录/注册", "学术期刊 切换导航", "博客书架", "个人信息", "打印 关闭 收藏", "I Accept"):
        assert chrome in doc["boilerplate"]
    assert body(doc)[0].startswith("本报讯 经过一年半的施工")


# ---------------------------------------------------------------------------
# Headings and captions
# ---------------------------------------------------------------------------


def test_sentence_case_subheading_between_paragraphs():
    doc = parsed("en_menu_then_article.txt")
    assert headings(doc) == ["Funding and timeline"]
    assert [len(s["paragraphs"]) for s in doc["sections"]] == [3, 2]


def test_captions_are_kept_and_marked_not_made_headings():
    doc = parsed("zh_nav_tools_captions.txt")
    [section] = doc["sections"]
    assert section["paragraphs"][1] == "▲市民在滨江绿道上骑行"
    assert section["paragraphs"][3] == "图为绿道驿站效果图"
    assert section["captions"] == [1, 3]


def test_captions_are_shown_as_captions_on_the_page():
    text = (EXTRACTION / "zh_nav_tools_captions.txt").read_text(encoding="utf-8")
    page, _meta = render.render_document(text, "captions")
    assert page.count('<p class="caption">') == 2
    assert '<p class="caption">▲市民在滨江绿道上骑行</p>' in page
    assert ".article-body p.caption" in page  # styled in templates/style.css


@pytest.mark.parametrize("text", ["▲市民在绿道上骑行", "图为发布会现场", "圖：市民在河濱散步", "Photo: Harbour Gazette",
                                  "The quay at dawn (AP Photo/Jane Doe)", "酒店外观效果图", "前任秘书在发布会上。图片来自文学院。",
                                  "（记者 张三 摄）"])
def test_caption_forms(text):
    assert render.is_caption(text)


@pytest.mark.parametrize("text", ["图书馆今年新增藏书两万册，读者可凭证借阅。", "Photographers gathered outside the court.",
                                  "娱乐圈受黑社会控制？ 明星挨打事件回顾（图）"])
def test_not_captions(text):
    assert not render.is_caption(text)


# ---------------------------------------------------------------------------
# What follows the article
# ---------------------------------------------------------------------------


def test_related_list_and_comment_thread_after_the_article_are_chrome():
    doc = parsed("en_menu_then_article.txt")
    text = " ".join(body(doc))
    for chrome in ("Bridge closure extended until spring", "Island school wins national prize", "12 comments",
                   "About time too, the island has waited far too long for this and the buses were always late.", "Reply"):
        assert chrome not in text
        assert chrome in doc["boilerplate"]
    assert body(doc)[-1].startswith("Engineers say the vessel should now run")


def test_related_list_without_a_heading_after_a_chinese_article_is_chrome():
    text = ("居民议事会今年起每月召开一次\n"
            "社区今年起每月召开一次居民议事会，由居民代表、物业和社区工作人员共同商议小区的公共事务。\n"
            "首次议事会讨论了停车位划线和垃圾分类投放点的位置，参会居民提出了二十多条建议。\n"
            "社区负责人表示，议事会的决定将在公告栏和业主群同步公布，接受居民监督。\n"
            "老旧小区加装电梯工作启动\n"
            "社区食堂推出老年人优惠套餐\n"
            "街道开展夏季消防安全检查\n")
    doc = render.parse_document(text, "related").to_json()
    assert body(doc)[-1].startswith("社区负责人表示")
    assert doc["boilerplate"] == ["老旧小区加装电梯工作启动", "社区食堂推出老年人优惠套餐", "街道开展夏季消防安全检查"]


def test_chinese_prev_next_links_and_lead_credit():
    doc = parsed("zh_keyword_spam_above.txt")
    assert "上一篇：小镇集市恢复周末开放" in doc["boilerplate"]
    assert (doc["source"], doc["author"]) == ("江城新闻网", "李明远")
    assert body(doc)[0].startswith("江城新闻网报道（记者李明远）")  # the credit stays in the text


# ---------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------


def test_published_label_with_time():
    doc = parsed("en_menu_then_article.txt")
    assert (doc["date"], doc["author"]) == ("2019-11-19T20:59", "Tom Ellery")


def test_wire_dateline_below_the_headline():
    doc = parsed("en_wire_dateline.txt")
    assert (doc["title"], doc["date"], doc["source"]) == ("Coastal Towns Brace for Record Tide", "2013-04-19T08:16:13", "AFP")
    assert body(doc)[0].startswith("Officials in several coastal towns")


def test_posted_with_a_slashed_american_date():
    doc = parsed("en_posted_slashed.txt")
    assert doc["date"] == "2012-05-11"
    assert body(doc)[0] == "It is the season for garden fairs again."


@pytest.mark.parametrize("text, date", [
    ("PUBLISHED: November 19, 2019 at 8:59 pm", "2019-11-19T20:59"),
    ("ST JOHN'S, Antigua (AFP), 2013/04/19 08:16", "2013-04-19T08:16"),
    ("Posted 05/11/2012", "2012-05-11"),
    ("25/12/2023", "2023-12-25"),  # the day first when the first number cannot be a month
    ("3:01pm Tuesday 3rd September 2013 in National News", "2013-09-03T15:01"),  # the time before the date
])
def test_english_date_forms(text, date):
    assert render.parse_date(text, china=False) == (date, None)


def test_a_writer_beside_a_date_is_the_author_an_outlet_the_source():
    for line, field, value in (("Jay Cochran - November 11, 2011", "author", "Jay Cochran"),
                               ("Reuters | April 11, 2019", "source", "Reuters"),
                               ("The Daily Star | April 11, 2019", "source", "The Daily Star")):
        meta = render.MetaFields()
        assert render.read_meta_line(line, meta, False, header=True)
        assert getattr(meta, field) == value


def test_as_of_stamp_is_not_the_publication_date():
    text = ("As of Tuesday, June 4, 2013\n"
            "The river reopened to boats on Monday after the flood barriers were lifted and the last of the debris was cleared.\n"
            "Boat owners said the three weeks of closure had cost them most of the spring trade, and asked for help.\n")
    doc = render.parse_document(text, "as-of").to_json()
    assert doc["date"] is None and doc["source"] is None


# ---------------------------------------------------------------------------
# One-line pages, and nothing lost
# ---------------------------------------------------------------------------


def test_a_whole_page_on_one_line_gives_paragraphs():
    text = (EXTRACTION / "en_one_line_page.txt").read_text(encoding="utf-8")
    doc = parsed("en_one_line_page.txt")
    paragraphs = body(doc)
    assert len(paragraphs) >= 5
    assert all(p.endswith(".") for p in paragraphs)  # cut after sentences
    assert " ".join(paragraphs) == text.strip()


@pytest.mark.parametrize("name", sorted(p.name for p in EXTRACTION.glob("*.txt")))
def test_every_line_is_kept_somewhere(name):
    doc = parsed(name)
    kept = " ".join(body(doc) + headings(doc) + doc["boilerplate"] + doc["metadata_lines"] + [doc["title"]])
    for line in (EXTRACTION / name).read_text(encoding="utf-8").splitlines():
        for sentence in line.strip().split(". "):
            assert sentence in kept, f"{name}: {sentence!r} lost"


# ---------------------------------------------------------------------------
# The development corpora, with their own scorers
# ---------------------------------------------------------------------------


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extraction():
    return bench_module("extraction")


@needs_corpus
def test_body_f1_on_the_extraction_benchmark(extraction):
    scores, _pages = extraction.bench_scores(CORPUS, extraction.render_document)
    floors = {"en": 0.91, "dragnet": 0.88, "cleaneval": 0.94, "zh": 0.95}  # reached: 0.920, 0.899, 0.952, 0.964
    low = {key: round(scores[key]["F1"], 3) for key, floor in floors.items() if scores[key]["F1"] < floor}
    assert not low


@needs_corpus
def test_labelled_fields_on_the_real_pages(extraction):
    fields = extraction.real_scores(CORPUS, extraction.render_document)
    right, total = fields.pop("all fields")
    assert right / total >= 0.89  # reached: 216/236 = 91.5%
    low = {name: (r, t) for name, (r, t) in fields.items() if r / t < 0.78}  # reached: every field at 81% or more
    assert not low


@needs_corpus
def test_the_weights_table_is_what_the_training_script_fits():
    trainer = bench_module("train_extraction")
    pages, _bench, _real = trainer.load_pages(CORPUS)
    fitted = dict(zip(render.LINE_FEATURES, trainer.fit(pages)))
    assert set(fitted) == set(render.EXTRACTION_WEIGHTS)
    for name, weight in fitted.items():
        assert abs(render.EXTRACTION_WEIGHTS[name] - weight) < 0.01, name


def test_weights_table_names_the_model_features():
    assert tuple(render.EXTRACTION_WEIGHTS) == render.LINE_FEATURES
    shape = render.line_shape("A line of prose, which ends like a sentence.")
    assert len(shape.features) == len(render.OWN_FEATURES)
    assert len(render.place_features([shape])) == len(render.PLACE_FEATURES)
