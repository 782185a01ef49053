"""Chinese text restoration (issue 7): script conversion, full-width punctuation, damage report.

The seed passed through a Simplified-to-Traditional converter that added pinyin, and three runs of
it were garbled by an encoding accident. Restoration converts the script with OpenCC keeping every
reading on its character, shows ASCII punctuation between Chinese characters full-width, and marks
and reports damaged runs without ever changing them silently. Clean documents get no damage report.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED, run_main
from hypothesis import given
from hypothesis import strategies as st

import render

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "restore"
CLEAN_FIXTURES = sorted(FIXTURES.glob("clean_*"))
SEED_TITLE_SIMPLIFIED = "信息主导 资源整合 湖北连续17年获评全国平安建设优秀省份"
# The seed's damaged runs: (text, section, paragraph), counted from 0.
SEED_DAMAGE = [
    ("7?25", 1, 6),
    ("‘?dāng)场瘎?dòng)", 1, 7),
    ("??吹浇幼约夯丶业母赣H", 2, 0),
]
MARK = re.compile(r'<mark class="damaged" title="(?P<title>[^"]+)">(?P<run>.*?)'
                  r'<span class="visually-hidden">(?P<note>[^<]+)</span></mark>', re.S)


def analyse(*args: str) -> list[dict]:
    """The --json output of the command line for these arguments (run in this process)."""
    result = run_main("--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def page(path: Path, options: render.Options | None = None) -> str:
    text, encoding = render.read_document(path)
    return render.render_document(text, path.stem, path.suffix == ".md", options or render.Options(), encoding=encoding)[0]


def visible(html: str) -> str:
    """The text of a page's body as a reader sees it: no tags, no ruby readings, no screen-reader notes."""
    body = html.split('<div class="article-body">', 1)[1].split("</article>", 1)[0]
    body = re.sub(r"<rp>.*?</rp>|<rt[^>]*>.*?</rt>|<span class=\"visually-hidden\">.*?</span>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", "", body)


def damage_warnings(doc: dict) -> list[dict]:
    return [w for w in doc["warnings"] if w["kind"] in ("damage", "mojibake")]


def texts(doc: dict) -> list[str]:
    return [doc["title"]] + [t for s in doc["sections"] for t in ([s["heading"]] if s["heading"] else []) + s["paragraphs"]]


def restore_text(text: str, lang: str = "zh-Hant", **how) -> str:
    """One text restored on its own, the marked internal form."""
    defaults = {"widen": lang.startswith("zh"), "chinese": lang.startswith("zh"), "traditional": lang == "zh-Hant"}
    return render.restore_text(text, render.Restoration(lang=lang, **{**defaults, **how}))[0]


@pytest.fixture
def seed_json() -> dict:
    return analyse(str(SEED))[0]


@pytest.fixture
def seed_page() -> str:
    """Rendered anew for each test (30 ms): mutation testing ties each test to the code it runs."""
    return page(SEED)


# ---------------------------------------------------------------------------
# Script conversion
# ---------------------------------------------------------------------------


def test_seed_simplified_title_and_lang():
    doc = analyse("--script", "simplified", str(SEED))[0]
    assert doc["title"] == SEED_TITLE_SIMPLIFIED
    assert doc["lang"] == "zh-Hans"
    assert doc["source"] == "中国安全防范产品行业协会"
    assert "全国咨询热线:010-67877741/42/43" in doc["boilerplate"]
    assert doc["sections"][1]["heading"] == "信息主导"


def test_seed_simplified_page_keeps_every_reading_on_its_converted_character(seed_page):
    simplified = page(SEED, render.Options(script="simplified"))
    assert simplified.count("<rt") == seed_page.count("<rt") > 300
    assert '<html lang="zh-Hans"' in simplified
    # 導(dǎo) became 导(dǎo); 國(guó) became 国(guó)
    assert '<ruby>导<rp>(</rp><rt lang="zh-Latn-pinyin">dǎo</rt>' in simplified
    assert '<ruby>国<rp>(</rp><rt lang="zh-Latn-pinyin">guó</rt>' in simplified
    assert "<ruby>國" not in simplified
    assert SEED_TITLE_SIMPLIFIED in visible(simplified) or SEED_TITLE_SIMPLIFIED in re.sub(
        r"<rp>.*?</rp>|<rt[^>]*>.*?</rt>|<[^>]+>", "", simplified.split("<h1>", 1)[1].split("</h1>", 1)[0])


def test_seed_traditional_converts_what_the_converter_missed(seed_page):
    traditional = page(SEED, render.Options(script="traditional"))
    assert traditional.count("<rt") == seed_page.count("<rt")
    doc = analyse("--script", "traditional", str(SEED))[0]
    assert doc["lang"] == "zh-Hant"
    assert doc["sections"][0]["paragraphs"][6].startswith("成績背後，")  # the seed has 背后


def test_original_script_is_the_default(seed_json):
    assert seed_json["lang"] == "zh-Hant"
    assert seed_json["title"] == "信息主導 資源整合 湖北連續17年獲評全國平安建設優秀省份"


def test_readings_reattach_when_a_conversion_changes_the_length():
    def lengthening(text: str) -> str:  # a converter that turns one character into two
        return text.replace("國", "国家")

    marked = f"全國{render.RUBY_OPEN}guó{render.RUBY_CLOSE}平安"
    converted = render.restore_text(marked, render.Restoration(lang="zh-Hans", convert=lengthening))[0]
    assert converted == f"全国家{render.RUBY_OPEN}guó{render.RUBY_CLOSE}平安"


def test_script_conversion_leaves_code_and_links_alone():
    text = "---\ntitle: 測試\n---\n\n開發`國家 = 1`見[說明](https://例子.tw/國家)。\n\n```\n國家\n```\n"
    article = render.restore(render.parse_document(text, "doc", markdown=True), render.Options(script="simplified"))
    paragraphs = article.to_json()["sections"][0]["paragraphs"]
    assert paragraphs[0] == "开发`國家 = 1`见[说明](https://例子.tw/國家)。"
    assert paragraphs[1] == "```\n國家\n```"


# ---------------------------------------------------------------------------
# Punctuation
# ---------------------------------------------------------------------------


def test_seed_commas_full_width_on_the_page(seed_page, seed_json):
    shown = visible(seed_page)
    assert "1分鐘內，特警" in shown
    assert "電臺指令下達，1分鐘內，特警、武警" in seed_json["sections"][0]["paragraphs"][0]
    assert "內,特警" not in shown
    assert "98.64%" in shown
    assert "08:57" in seed_page
    assert "010-67877741/42/43" in seed_page


def test_seed_leaves_no_ascii_punctuation_between_chinese_characters_outside_damage(seed_json):
    for text in texts(seed_json):
        for run, *_ in SEED_DAMAGE:
            text = text.replace(run, "")
        assert not re.search(r"[\u4e00-\u9fff][,:;!?()]|[,:;!?()][\u4e00-\u9fff]", text), text


def test_seed_real_parentheses_become_full_width(seed_json):
    paragraphs = [p for s in seed_json["sections"] for p in s["paragraphs"]]
    assert any("所（隊）四級" in p for p in paragraphs)
    assert any("一居（村）一警（輔警）" in p for p in paragraphs)


def test_keep_punctuation_turns_widening_off():
    doc = analyse("--keep-punctuation", str(SEED))[0]
    assert doc["sections"][0]["paragraphs"][0].startswith("電臺指令下達,1分鐘內,特警")
    assert [w["text"] for w in damage_warnings(doc)] == [text for text, *_ in SEED_DAMAGE]


@pytest.mark.parametrize("before, after", [
    ("1分鐘內,特警", "1分鐘內，特警"),
    ("他說:你好;再見!", "他說：你好；再見！"),
    ("你好吗?我很好", "你好吗？我很好"),
    ("真的嗎?!", "真的嗎？！"),
    ("所(隊)四級", "所（隊）四級"),
    ("一居(村)一警(輔警)、一村", "一居（村）一警（輔警）、一村"),
    ("達20%,警情量", "達20%，警情量"),
    ("“好!”他說", "“好！”他說"),
    ("上午08:57出發", "上午08:57出發"),
    ("達98.64%。", "達98.64%。"),
    ("熱線010-67877741/42/43", "熱線010-67877741/42/43"),
    ("比分3:2,中國隊勝", "比分3:2，中國隊勝"),
    ("使用iPhone,很好", "使用iPhone,很好"),
    ("Hello, world: fine (really)!", "Hello, world: fine (really)!"),
    ("執行官(CEO)表示", "執行官(CEO)表示"),
    ("專線(02)4066-3000", "專線(02)4066-3000"),
    ("見 https://a.tw/?x=1,2(中) 網站", "見 https://a.tw/?x=1,2(中) 網站"),
    ("第7?25號", "第7?25號"),
])
def test_widening_rules(before, after):
    assert render.clean(restore_text(before, chinese=False)) == after


def test_widening_sees_through_readings():
    marked = f"全國{render.RUBY_OPEN}guó{render.RUBY_CLOSE},平安"
    assert restore_text(marked) == f"全國{render.RUBY_OPEN}guó{render.RUBY_CLOSE}，平安"


def test_no_widening_outside_chinese_documents():
    doc = render.restore(render.parse_document("Title Here\n\nHe wrote 你好,世界 on the board, twice.\n", "en"),
                         render.Options())
    assert doc.lang == "en"
    assert "你好,世界" in doc.to_json()["sections"][0]["paragraphs"][0]


def test_markdown_code_keeps_its_punctuation():
    doc = analyse(str(FIXTURES / "clean_markdown_zh.md"))[0]
    paragraphs = [p for s in doc["sections"] for p in s["paragraphs"]]
    assert "本文介绍如何用Python读取文件，并统计字符（包括标点）。你准备好了吗？" in paragraphs
    assert any('print("%d,%d" % (len(text), text.count("?")))' in p for p in paragraphs)
    assert any('`s = "中,文"`' in p for p in paragraphs)
    assert any("(https://docs.python.org/3/?lang=zh(cn))" in p for p in paragraphs)
    assert any(p.startswith("    缩进代码:中文,中文?") for p in paragraphs)


def test_json_shows_the_text_as_the_page_does(seed_json, seed_page):
    shown = visible(seed_page)
    for paragraph in seed_json["sections"][0]["paragraphs"]:
        assert paragraph in shown


# ---------------------------------------------------------------------------
# Damage report
# ---------------------------------------------------------------------------


def test_seed_reports_its_three_damaged_runs(seed_json):
    found = [(w["text"], w["section"], w["paragraph"]) for w in damage_warnings(seed_json)]
    assert found == SEED_DAMAGE
    for warning in damage_warnings(seed_json):
        assert warning["kind"] == "damage"
        assert warning["field"] == "paragraph"
        assert warning["text"] in warning["message"]
        assert "counted from 0" in warning["message"]
    causes = [w["cause"] for w in damage_warnings(seed_json)]
    assert causes == ["lost", "garbled", "garbled"]


def test_seed_damage_is_never_changed(seed_json):
    for text, section, paragraph in SEED_DAMAGE:
        assert text in seed_json["sections"][section]["paragraphs"][paragraph]


def test_seed_damage_is_marked_on_the_page(seed_page):
    marks = MARK.findall(seed_page)
    assert [run for _title, run, _note in marks] == [text for text, *_ in SEED_DAMAGE]
    for title, _run, note in marks:
        assert title and note.startswith("（") and title in note
    assert "亂碼" in marks[2][0] and "缺字" in marks[0][0]
    assert not re.search("[\ufdd0-\ufdef]", seed_page)


def test_damage_marks_follow_the_page_language():
    simplified = page(SEED, render.Options(script="simplified"))
    titles = [title for title, _run, _note in MARK.findall(simplified)]
    assert len(titles) == 3 and "乱码" in titles[2]
    doc = analyse("--script", "simplified", str(SEED))[0]
    assert [(w["text"], w["section"], w["paragraph"]) for w in damage_warnings(doc)] == SEED_DAMAGE


def test_damage_shows_in_the_page_notes(seed_page):
    notes = seed_page.split("</article>", 1)[1]
    assert "7?25" in notes and "??吹浇幼约夯丶业母赣H" in notes


@pytest.mark.parametrize("path", CLEAN_FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("script", ["original", "simplified"])
def test_clean_documents_get_no_damage_warnings(path, script):
    doc = analyse("--script", script, str(path))[0]
    assert damage_warnings(doc) == []
    assert "<mark" not in page(path, render.Options(script=script))


def test_clean_fixtures_cover_legitimate_question_marks():
    joined = "".join(path.read_text(encoding="utf-8") for path in CLEAN_FIXTURES)
    for legit in ("你好吗?", "What?", "這麼多?", "咁貴?", "怎么样?」", "café", "naïve", "São Paulo", "朱镕基", "《紅樓夢》"):
        assert legit in joined


@pytest.mark.parametrize("text, run", [
    ("中國\ufffd\ufffd人民", "\ufffd\ufffd"),
    ("會議於2021?7?22召開", "2021?7?22"),
    ("他說“?dāng)場”很好", "?dāng)"),
    (f"不?{render.RUBY_OPEN}dāng{render.RUBY_CLOSE}之處", "?"),
])
def test_lost_characters_are_marked(text, run):
    restored = restore_text(text)
    assert render.clean(restored) == render.clean(text).replace(",", "，")
    found = render.DAMAGE_RUN.search(restored)
    assert found and render.clean(found["run"]) == run


@pytest.mark.parametrize("text", [
    "你好吗?我很好。", "他打了一個“?”號。", "What? Really?", "問題(?)待查", "點解咁貴?」", "這是國產的手機",
    "大陸網友留言:「这个国产手机怎么样?」", "有乘客帶著《红楼梦》在車上閱讀?",
])
def test_legitimate_text_is_not_damage(text):
    assert render.DAMAGE_OPEN not in restore_text(text)
    assert render.DAMAGE_OPEN not in restore_text(text, lang="zh-Hans", traditional=False)


def test_damage_marks_survive_markdown_and_stay_out_of_code():
    text = "---\ntitle: 测试\nlang: zh-Hans\n---\n\n## 第7?25号\n\n专项“7?25”行动。\n\n内联 `b = 7?25` 代码。\n"
    article = render.restore(render.parse_document(text, "doc", markdown=True), render.Options())
    assert [(w["field"], w["section"], w["paragraph"]) for w in article.warnings if w["kind"] == "damage"] == [
        ("heading", 0, None), ("paragraph", 0, 0)]
    html = render.render_page(article)
    assert len(MARK.findall(html)) == 2
    assert "<code>b = 7?25</code>" in html


def test_marked_text_round_trips():
    marked = f"全國{render.RUBY_OPEN}guó{render.RUBY_CLOSE}平安?{render.RUBY_OPEN}dāng{render.RUBY_CLOSE}"
    assert render.Marked.of(marked).marked("zh-Hant") == marked


def test_damage_closes_after_the_reading_of_its_last_character():
    restored = restore_text(f"甲“?{render.RUBY_OPEN}dāng{render.RUBY_CLOSE}”乙")
    assert f"?{render.RUBY_OPEN}dāng{render.RUBY_CLOSE}{render.DAMAGE_CLOSE}" in restored
    html = render.ruby_html(restored)
    assert re.fullmatch(r'甲“<mark class="damaged" title="[^"]+"><ruby>\?<rp>\(</rp><rt lang="zh-Latn-pinyin">dāng</rt>'
                        r'<rp>\)</rp></ruby><span class="visually-hidden">（[^<]+）</span></mark>”乙', html), html


READING = f"{render.RUBY_OPEN}guó{render.RUBY_CLOSE}"
# Characters as the parser leaves them: a reading only ever follows a Han character or a lost '?'.
PIECES = st.sampled_from(["中", "國", "业", "约", "浇", "赣", "场", "瘎", "?", "\ufffd", ",", ":", "(", ")", "!", "7", "25",
                          "a", "H", " ", "“", "”", "‘", "’", "。", "國" + READING, "业" + READING, "?" + READING])


# The full-width marks widening writes, back to the ASCII ones they stand for (the README's list).
NARROW = str.maketrans("，：；！？（）", ",:;!?()")


@given(st.lists(PIECES, max_size=40), st.booleans(), st.booleans())
def test_restoration_only_marks_and_widens(pieces, traditional, convert):
    text = "".join(pieces)
    how = render.Restoration(lang="zh-Hant", widen=True, chinese=True, traditional=traditional,
                             convert=render.script_converter("simplified") if convert else None)
    restored, runs = render.restore_text(text, how)
    narrow = render.clean(restored).translate(NARROW)
    if not convert:
        assert narrow == render.clean(text).translate(NARROW)
    assert len(narrow) == len(render.clean(text))
    assert restored.count(render.RUBY_OPEN) == text.count(render.RUBY_OPEN)
    assert restored.count(render.DAMAGE_OPEN) == restored.count(render.DAMAGE_CLOSE) == len(runs)
    for run in runs:
        assert run.text in render.clean(text)
    html = render.ruby_html(restored)
    assert not re.search("[\ufdd0-\ufdef]", html)


def test_clean_strips_damage_marks():
    restored = restore_text("中國\ufffd人民")
    assert render.DAMAGE_OPEN in restored
    assert render.clean(restored) == "中國\ufffd人民"


# ---------------------------------------------------------------------------
# Mojibake
# ---------------------------------------------------------------------------


def test_latin1_mojibake_is_repaired_exactly_and_marked():
    doc = analyse(str(FIXTURES / "mojibake_english.txt"))[0]
    repairs = [(w["kind"], w["text"], w["repair"]) for w in damage_warnings(doc)]
    assert repairs == [("mojibake", "â€™", "’"), ("mojibake", "Ã¨", "è"), ("mojibake", "Ã®", "î"), ("mojibake", "Ã©", "é"),
                       ("mojibake", "â‚¬", "€"), ("mojibake", "Ã£", "ã")]
    body = " ".join(p for s in doc["sections"] for p in s["paragraphs"])
    assert "don’t" in body and "crème fraîche at the café" in body and "São Paulo" in body and "Ã" not in body
    html = page(FIXTURES / "mojibake_english.txt")
    marks = MARK.findall(html)
    assert len(marks) == 6
    assert marks[0][1] == "’" and "â€™" in marks[0][0]


def test_cafe_mojibake_in_markdown():
    text = "---\ntitle: Notes\n---\n\nWe met at the cafÃ© on Friday.\n"
    article = render.restore(render.parse_document(text, "notes", markdown=True), render.Options())
    assert article.to_json()["sections"][0]["paragraphs"] == ["We met at the café on Friday."]
    assert [(w["kind"], w["text"], w["repair"]) for w in article.warnings] == [("mojibake", "Ã©", "é")]
    assert '<mark class="damaged" title="Repaired encoding damage; the document had “Ã©”">é' in render.render_page(article)


def test_cafe_mojibake_in_a_text_dump_stays_in_the_body():  # the © in 'Ã©' is no copyright line
    doc = render.restore(render.parse_document("A Visit\n\nWe met at the cafÃ© on Friday, and talked for hours.\n", "a"),
                         render.Options())
    assert doc.to_json()["sections"][0]["paragraphs"] == ["We met at the café on Friday, and talked for hours."]


def test_gbk_mojibake_in_simplified_text_is_repaired_exactly():
    doc = analyse(str(FIXTURES / "gbk_mojibake_simplified.txt"))[0]
    assert [(w["kind"], w["cause"], w["text"], w["repair"]) for w in damage_warnings(doc)] == [
        ("mojibake", "gbk", "鍙戝竷鏃堕棿", "发布时间")]
    assert "延长运营时间，发布时间另行通知。" in doc["sections"][0]["paragraphs"][0]


def test_json_imports_no_page_machinery():
    code = ("import sys, render; render.main(['--json', sys.argv[1]]); "
            "bad = [m for m in ('jinja2', 'markdown', 'opencc', 'ftfy') if m in sys.modules]; "
            "sys.exit(f'imported {bad}' if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code, str(SEED)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
