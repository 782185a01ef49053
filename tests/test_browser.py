"""Issue 4: the seed's page, measured in a real browser (Debian's Chromium, driven by Playwright).

Every figure the issue names is read from the rendered page: text size, line height and line
length on a desktop, sideways scrolling on a phone, pinyin hidden and shown by its control, no
network request, axe-core, the contents list, print and dark schemes, landmarks and headings.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, SEED, axe_source, run_cli, unavailable

if not CHROMIUM.exists():
    unavailable(f"{CHROMIUM} is missing (CI installs Debian's chromium package)", module_level=True)


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PINYIN = re.compile("拼音")
SECTION_HEADINGS = ["信息主導", "整合資源", "源頭治理"]


# ---------------------------------------------------------------------------
# Fixtures: one rendered seed and one browser for the module
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-out")
    result = run_cli(SEED, "-o", out, "-q")
    assert result.returncode == 0, result.stderr
    return out / f"{SEED.stem}.html"


class Opened:
    """A page in its own context, with every request it made."""

    def __init__(self, context, page, requests):
        self.context, self.page, self.requests = context, page, requests


@pytest.fixture
def open_page(chromium, seed_html):
    """open_page(path=None, **context_options) -> Opened; contexts are closed after the test."""
    contexts = []

    def opener(path: Path | None = None, **options) -> Opened:
        options.setdefault("viewport", DESKTOP)
        context = chromium.new_context(**options)
        context.set_default_timeout(5_000)  # a missing element fails fast instead of after 30 s
        contexts.append(context)
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto((path or seed_html).resolve().as_uri(), wait_until="load")
        return Opened(context, page, requests)

    yield opener
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------------
# Measuring helpers (run in the page)
# ---------------------------------------------------------------------------

# The body paragraphs: computed size, line height, width, and the advance of one Han character
# in the paragraph's own font, so "characters a line" is measured, not assumed to be 1em.
MEASURE_BODY = """() => {
  const ps = [...document.querySelectorAll('article .article-body p')];
  const p = ps.reduce((a, b) => (b.textContent.length > a.textContent.length ? b : a));
  const cs = getComputedStyle(p);
  const probe = document.createElement('span');
  probe.textContent = '國'.repeat(20);
  probe.style.position = 'absolute';  // off the line: it must not wrap or move the text (CSSOM, which the CSP allows)
  probe.style.whiteSpace = 'nowrap';
  p.append(probe);
  const han = probe.getBoundingClientRect().width / 20;
  probe.remove();
  return {count: ps.length, fontSize: parseFloat(cs.fontSize), lineHeight: parseFloat(cs.lineHeight),
          width: p.clientWidth, han, textAlign: cs.textAlign, height: p.getBoundingClientRect().height,
          rootFontSize: parseFloat(getComputedStyle(document.documentElement).fontSize)};
}"""

RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def rgb(css_colour: str) -> tuple[float, float, float]:
    match = RGB.match(css_colour)
    assert match, f"not an rgb() colour: {css_colour}"
    assert match.group(4) in (None, "1"), f"translucent colour: {css_colour}"
    return tuple(float(match.group(i)) for i in (1, 2, 3))


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG relative luminance."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colours(page, selector: str) -> tuple[tuple, tuple]:
    """(text colour of the element, background colour of the page canvas)."""
    fg = page.eval_on_selector(selector, "e => getComputedStyle(e).color")
    bg = page.evaluate(r"""() => {
      for (const e of [document.body, document.documentElement]) {
        const c = getComputedStyle(e).backgroundColor;
        if (!/^rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    }""")
    return rgb(fg), rgb(bg)


def rt_state(page) -> dict:
    return page.evaluate("""() => {
      const rts = [...document.querySelectorAll('article rt')];
      return {count: rts.length,
              shown: rts.filter(rt => getComputedStyle(rt).display !== 'none' && rt.getBoundingClientRect().height > 0).length,
              rpShown: [...document.querySelectorAll('article rp')].filter(rp => getComputedStyle(rp).display !== 'none').length};
    }""")


def pinyin_control(page):
    return page.get_by_role("checkbox", name=PINYIN)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def test_desktop_text_size_line_height_and_measure(open_page):
    page = open_page(viewport=DESKTOP).page
    body = page.evaluate(MEASURE_BODY)
    assert body["count"] == 42
    assert body["rootFontSize"] == 16, "the root font size stays at the browser's setting"
    assert body["fontSize"] >= 16
    assert 1.6 <= body["lineHeight"] / body["fontSize"] <= 2.2, body
    assert abs(body["han"] - body["fontSize"]) < 0.5, "Han characters are set on a full-width em square"
    characters_a_line = body["width"] / body["han"]
    assert 28 <= characters_a_line <= 42, body
    assert body["textAlign"] == "justify"


def test_line_length_is_a_whole_number_of_characters(open_page):
    """Justified Chinese is never stretched: the column is an exact number of characters wide."""
    for viewport in (DESKTOP, PHONE, {"width": 1000, "height": 700}):
        body = open_page(viewport=viewport, is_mobile=viewport is PHONE).page.evaluate(MEASURE_BODY)
        ratio = body["width"] / body["han"]
        assert abs(ratio - round(ratio)) < 0.05, (viewport, body)


def test_reader_font_size_setting_counts(open_page):
    """The root stays at the reader's size (100%) and the text scales with it: nothing is set in px."""
    page = open_page(viewport=DESKTOP).page
    assert page.evaluate(MEASURE_BODY)["fontSize"] == 18
    # A reader whose browser is set to 20px: the root's initial size changes, as that setting does.
    page.evaluate("document.documentElement.style.fontSize = '20px'")
    body = page.evaluate(MEASURE_BODY)
    assert body["rootFontSize"] == 20 and body["fontSize"] == 22.5
    assert 28 <= body["width"] / body["han"] <= 42, "the column scales with the text"


def test_phone_no_sideways_scrolling(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3).page
    size = page.evaluate("() => ({sw: document.scrollingElement.scrollWidth, cw: document.scrollingElement.clientWidth,"
                         " iw: window.innerWidth})")
    assert size["iw"] == 390, "the viewport meta makes the layout viewport the device width"
    assert size["sw"] <= size["cw"], size
    body = page.evaluate(MEASURE_BODY)
    assert body["fontSize"] >= 16
    assert 1.6 <= body["lineHeight"] / body["fontSize"] <= 2.2
    overflowing = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map(e => e.tagName + '.' + e.className)""")
    assert overflowing == []


# Characters on the last line of each paragraph, readings and punctuation left out.
LAST_LINES = r"""() => [...document.querySelectorAll('article .article-body p')].map(p => {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest('rt, rp') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const tops = [];
  for (let n; (n = walker.nextNode());) {
    for (let i = 0; i < n.length; i++) {
      if (/[\s\p{P}]/u.test(n.data[i])) continue;
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
      tops.push(Math.round(r.getBoundingClientRect().top));
    }
  }
  const lines = new Set(tops).size;
  return lines > 1 ? tops.filter(t => t === Math.max(...tops)).length : null;
})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_lone_character_on_a_last_line(open_page, viewport):
    """A paragraph never ends on a line holding one character and its full stop (a 孤字)."""
    last_lines = open_page(viewport=viewport, is_mobile=viewport is PHONE).page.evaluate(LAST_LINES)
    assert len(last_lines) == 42
    assert [n for n in last_lines if n is not None and n < 2] == [], last_lines


def test_fonts_per_script_latin_first_generic_last(open_page):
    page = open_page().page
    family = page.eval_on_selector("article .article-body p", "e => getComputedStyle(e).fontFamily")
    names = [name.strip().strip('"') for name in family.split(",")]
    assert names[-1] in ("sans-serif", "serif")
    assert "Noto Sans CJK TC" in names and "Noto Sans CJK SC" not in names, "zh-Hant gets the Traditional fonts"
    latin = next(i for i, n in enumerate(names) if n in ("Helvetica Neue", "Helvetica", "Arial"))
    assert latin < names.index("Noto Sans CJK TC")
    styles = page.evaluate("() => [...document.querySelectorAll('article *')].map(e => getComputedStyle(e).fontStyle)")
    assert set(styles) == {"normal"}, "no italics in Chinese text"
    assert page.eval_on_selector("body", "e => getComputedStyle(e).fontSynthesisStyle") == "none"


def test_simplified_page_gets_simplified_fonts(open_page, tmp_path):
    source = tmp_path / "jian.md"
    source.write_text("# 简体标题\n\n这是一段简体中文的正文，用来检查字体。\n", encoding="utf-8")
    result = run_cli(source, "-o", tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    page = open_page(tmp_path / "out" / "jian.html").page
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    family = page.eval_on_selector("article .article-body p", "e => getComputedStyle(e).fontFamily")
    assert "Noto Sans CJK SC" in family and "Noto Sans CJK TC" not in family


def test_paragraph_spacing_or_indent_not_both(open_page):
    page = open_page().page
    spacing = page.evaluate("""() => [...document.querySelectorAll('article .article-body p')].slice(0, 5).map(p => {
        const cs = getComputedStyle(p); return [parseFloat(cs.marginBottom) + parseFloat(cs.marginTop), parseFloat(cs.textIndent)];
    })""")
    for gap, indent in spacing:
        assert (gap > 0) != (indent > 0), spacing


def test_header_reads_like_a_newspaper(open_page):
    page = open_page().page
    header = page.locator("article header")
    assert header.locator("h1").inner_text().replace("\n", " ").startswith("信息主導")
    byline = header.locator(".byline").inner_text()
    order = [byline.index(part) for part in ("中國安全防范產品行業協會", "2022年2月16日", "244", "分鐘")]
    assert order == sorted(order), byline
    assert header.locator("time").get_attribute("datetime") == "2022-02-16T08:57:00+08:00"
    # The headline breaks between its phrases, never inside "17年".
    lines = page.eval_on_selector("h1", "h => h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)")
    assert round(lines) == 2, lines
    phrases = page.eval_on_selector_all("h1 .phrase", "ps => ps.map(p => p.innerText)")  # readings hidden
    assert phrases == ["信息主導", "資源整合", "湖北連續17年獲評全國平安建設優秀省份"]


def test_contents_list_links_every_section(open_page):
    page = open_page().page
    nav = page.get_by_role("navigation")
    assert nav.count() == 1
    links = nav.get_by_role("link")
    hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    h2_ids = page.eval_on_selector_all("article .article-body section h2", "hs => hs.map(h => h.id)")
    assert len(h2_ids) == 3
    assert hrefs == [f"#{i}" for i in h2_ids]
    assert links.all_inner_texts() == SECTION_HEADINGS
    # Following a link brings its heading to the top of the window.
    links.nth(2).click()
    top = page.evaluate(f"document.getElementById({h2_ids[2]!r}).getBoundingClientRect().top")
    assert 0 <= top < 80


def test_phone_first_screen_holds_article_text_and_the_contents_open_on_a_click(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True).page
    contents = page.get_by_role("navigation").get_by_role("link")
    assert not contents.first.is_visible(), "on a phone the contents list starts closed"
    first = page.evaluate("""() => { const p = document.querySelector('article .article-body p');
        const r = p.getBoundingClientRect(); return {top: r.top, line: parseFloat(getComputedStyle(p).lineHeight),
        screen: window.innerHeight}; }""")
    assert first["top"] + 3 * first["line"] <= first["screen"], f"three lines of text on the first screen: {first}"
    page.locator(".toc summary").click()
    assert contents.all_inner_texts() == SECTION_HEADINGS and contents.first.is_visible()
    contents.nth(1).click()
    assert page.evaluate("decodeURIComponent(location.hash)") == contents.nth(1).get_attribute("href")


def test_contents_are_open_on_a_wide_screen_without_a_click(open_page):
    page = open_page(viewport={"width": 700, "height": 800}).page
    links = page.get_by_role("navigation").get_by_role("link")
    assert links.count() == 3 and all(links.nth(i).is_visible() for i in range(3))
    assert page.locator(".toc details").get_attribute("open") is None, "CSS alone shows it: no script, no attribute"


def test_copied_image_shows_and_remote_ones_are_not_fetched(open_page, tmp_path):
    report = Path(__file__).resolve().parent / "fixtures" / "markdown" / "images" / "report.md"
    result = run_cli(report, "-o", tmp_path / "site", "-q")
    assert result.returncode == 0, result.stderr
    opened = open_page(tmp_path / "site" / "report.html")
    width = opened.page.eval_on_selector('img[src="img/chart.png"]', "img => img.complete && img.naturalWidth")
    assert width == 4, "the copied image loads under the page's img-src 'self'"
    failed: list[tuple[str, str]] = []
    opened.page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
    opened.page.reload()
    assert ("https://images.example.org/harbour.jpg", "csp") in failed, "the remote image is blocked by the policy"
    assert opened.page.eval_on_selector('img[src^="https:"]', "img => img.naturalWidth") == 0


# ---------------------------------------------------------------------------
# Pinyin
# ---------------------------------------------------------------------------


def test_pinyin_hidden_then_shown_then_hidden(open_page):
    page = open_page().page
    before = rt_state(page)
    assert before["count"] > 100 and before["shown"] == 0 and before["rpShown"] == 0
    line_before = page.evaluate(MEASURE_BODY)["lineHeight"]
    control = pinyin_control(page)
    assert control.count() == 1 and control.is_visible() and not control.is_checked()

    page.get_by_text(PINYIN).click()  # the visible label, as a reader clicks it
    assert control.is_checked()
    shown = rt_state(page)
    assert shown["shown"] == shown["count"] and shown["rpShown"] == 0
    assert page.evaluate(MEASURE_BODY)["lineHeight"] > line_before, "lines gain height while readings show"
    # The reading sits above its character.
    above = page.evaluate("""() => { const rt = document.querySelector('article .article-body rt');
        const base = rt.parentElement.firstChild; const r = document.createRange(); r.selectNodeContents(base);
        return rt.getBoundingClientRect().bottom <= r.getBoundingClientRect().top + 2; }""")
    assert above

    control.click()
    assert not control.is_checked()
    assert rt_state(page)["shown"] == 0
    assert page.evaluate(MEASURE_BODY)["lineHeight"] == line_before


def test_pinyin_works_without_scripts(open_page):
    page = open_page(java_script_enabled=False).page
    assert rt_state(page)["shown"] == 0
    pinyin_control(page).check()
    assert rt_state(page)["shown"] == rt_state(page)["count"] > 0
    scripts = page.eval_on_selector_all("script", "ss => ss.map(s => s.type)")
    assert scripts == ["application/ld+json"], "the page runs no script"


def test_pinyin_control_by_keyboard_with_focus_ring(open_page):
    page = open_page().page
    control = pinyin_control(page)
    for _ in range(3):
        page.keyboard.press("Tab")
        if control.evaluate("e => e === document.activeElement"):
            break
    assert control.evaluate("e => e.matches(':focus-visible')")
    ring = control.evaluate("""e => { for (const el of [e, e.closest('label')]) { const cs = getComputedStyle(el);
        if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) return cs.outlineColor; } return null; }""")
    assert ring, "a visible focus ring on the control or its label"
    page.keyboard.press("Space")
    assert control.is_checked() and rt_state(page)["shown"] > 0


# ---------------------------------------------------------------------------
# Schemes and print
# ---------------------------------------------------------------------------


def test_light_scheme_contrast(open_page):
    page = open_page(color_scheme="light").page
    fg, bg = colours(page, "article .article-body p")
    assert luminance(bg) > 0.8
    assert contrast(fg, bg) >= 7
    muted, _ = colours(page, ".byline")
    assert contrast(muted, bg) >= 4.5


def test_dark_scheme(open_page):
    page = open_page(color_scheme="dark").page
    fg, bg = colours(page, "article .article-body p")
    assert luminance(bg) < 0.05, bg
    assert luminance(fg) > 0.6, fg
    assert contrast(fg, bg) >= 7
    for selector in (".byline", ".toc a", "h1"):
        text, _ = colours(page, selector)
        assert contrast(text, bg) >= 4.5, selector
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "light dark"


def test_print(open_page):
    opened = open_page(color_scheme="dark")
    page = opened.page
    page.emulate_media(media="print")
    assert not pinyin_control(page).is_visible()
    assert not page.locator("label", has_text=PINYIN).is_visible()
    byline = page.locator("article header .byline")
    assert byline.locator(".source").is_visible() and byline.locator("time").is_visible()
    assert "中國安全防范產品行業協會" in byline.inner_text() and "2022年2月16日" in byline.inner_text()
    fg, bg = colours(page, "article .article-body p")
    assert fg == (0, 0, 0) and bg == (255, 255, 255)
    for selector in ("h1", ".byline time", "article h2"):
        assert colours(page, selector)[0] == (0, 0, 0), selector
    keeps = page.eval_on_selector_all("article h1, article h2", "hs => hs.map(h => getComputedStyle(h).breakAfter)")
    assert set(keeps) == {"avoid"}, "headings are kept with their text"
    assert page.evaluate("getComputedStyle(document.querySelector('article .article-body p')).widows") != "1"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert opened.requests == [page.url]


def test_forced_colors(open_page):
    page = open_page(forced_colors="active").page
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    fg, bg = colours(page, "article .article-body p")
    assert contrast(fg, bg) >= 7
    assert pinyin_control(page).is_visible()
    pinyin_control(page).check()
    assert rt_state(page)["shown"] > 0


# ---------------------------------------------------------------------------
# Accessibility and self-containment
# ---------------------------------------------------------------------------


def test_no_network_request_at_all(open_page, chromium, seed_html):
    opened = open_page()
    page = opened.page
    pinyin_control(page).check()  # showing readings loads nothing either
    page.emulate_media(color_scheme="dark")
    page.emulate_media(media="print")
    assert opened.requests == [seed_html.resolve().as_uri()]
    resources = page.evaluate("performance.getEntriesByType('resource').length")
    assert resources == 0
    assert len(seed_html.read_bytes()) < 60_000


def test_index_page_on_a_phone(open_page, seed_html):
    opened = open_page(seed_html.parent / "index.html", viewport=PHONE, is_mobile=True)
    page = opened.page
    assert opened.requests == [page.url]
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert page.get_by_role("link").get_attribute("href") == seed_html.name
    assert page.get_by_role("main").count() == 1 and page.locator("h1").count() == 1


def test_csp_allows_the_inline_style_and_nothing_else(open_page, seed_html):
    html = seed_html.read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in html
    assert html.index('http-equiv="Content-Security-Policy"') < html.index("<title>")
    messages: list[str] = []
    opened = open_page()
    opened.page.on("console", lambda m: messages.append(m.text))
    opened.page.reload()
    assert not [m for m in messages if "Content Security Policy" in m]
    # The style applied (a blocked style would leave the browser's 16px default).
    assert opened.page.evaluate(MEASURE_BODY)["fontSize"] == 18


@pytest.mark.parametrize("scheme,pinyin", [("light", False), ("dark", False), ("light", True)])
def test_axe_core_finds_no_serious_violation(open_page, scheme, pinyin):
    # The page's CSP rightly blocks scripts; axe is injected around it.
    page = open_page(color_scheme=scheme, bypass_csp=True).page
    if pinyin:
        pinyin_control(page).check()
    page.add_script_tag(content=axe_source())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    passed = {rule["id"] for rule in results["passes"]}  # axe ran its rules on this page, and these held
    assert {"html-has-lang", "document-title", "landmark-one-main", "page-has-heading-one", "color-contrast"} <= passed


def test_landmarks_and_heading_order(open_page):
    page = open_page().page
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("article").count() == 1
    assert page.locator("main article").count() == 1
    assert page.get_by_role("navigation").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    for previous, level in zip(levels, levels[1:]):
        assert level <= previous + 1, levels
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.title().startswith("信息主導 資源整合")


# ---------------------------------------------------------------------------
# Customising: --templates DIR, falling back to the built-in files
# ---------------------------------------------------------------------------


def render_with(tmp_path: Path, files: dict[str, str]) -> Path:
    theme = tmp_path / "theme"
    theme.mkdir()
    for name, text in files.items():
        (theme / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(SEED, "-o", out, "-q", "--templates", theme)
    assert result.returncode == 0, result.stderr
    return out


def test_custom_css_overrides_properties(open_page, tmp_path):
    out = render_with(tmp_path, {"custom.css": ":root { --bg: #fdf6e3; --fg: #073642; --measure: 30em; }\n"})
    page = open_page(out / f"{SEED.stem}.html").page
    fg, bg = colours(page, "article .article-body p")
    assert bg == (253, 246, 227) and fg == (7, 54, 66)
    body = page.evaluate(MEASURE_BODY)
    assert round(body["width"] / body["han"]) == 30
    assert pinyin_control(page).is_visible(), "everything else still comes from the built-in theme"
    assert (out / "index.html").read_text(encoding="utf-8").count("--fg: #073642") == 1


def test_page_template_override_falls_back_for_the_rest(open_page, tmp_path):
    page_html = ('{% set css %}{% include "style.css" %}{% endset %}<!DOCTYPE html>\n'
                 '<html lang="{{ lang }}"><head><meta charset="utf-8">'
                 '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'{{ css | csp_hash }}\'">'
                 '<title>{{ title_text }}</title><style>{{ css }}</style></head>'
                 '<body><main><article><h1 class="mine">{{ title_html | safe }}</h1></article></main></body></html>\n')
    out = render_with(tmp_path, {"page.html": page_html})
    page = open_page(out / f"{SEED.stem}.html").page
    assert page.locator("h1.mine").count() == 1
    assert page.eval_on_selector("h1", "h => parseFloat(getComputedStyle(h).fontSize)") > 28, "built-in style.css"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="index-list"' in index, "index.html falls back to the built-in one"


def test_style_override_replaces_the_theme(open_page, tmp_path):
    out = render_with(tmp_path, {"style.css": "body { font-size: 20px; color: rgb(1, 2, 3); }\n"})
    page = open_page(out / f"{SEED.stem}.html").page
    assert page.evaluate(MEASURE_BODY)["fontSize"] == 20
    assert colours(page, "article .article-body p")[0] == (1, 2, 3)
    assert page.locator("article h1").count() == 1, "page.html is still the built-in one"
