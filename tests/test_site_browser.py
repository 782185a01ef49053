"""Issue 13: the site's pages and its offline search in a real browser (Debian's Chromium, from file://)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import CHROMIUM, FIXTURES, SEED, axe_source, run_cli, unavailable

import render

if not CHROMIUM.exists():
    unavailable(f"{CHROMIUM} is missing (CI installs Debian's chromium package)", module_level=True)

from playwright.sync_api import expect  # noqa: E402

FAMILIES = FIXTURES / "families"
TITLES = {name: entry["title"] for name, entry in json.loads((FAMILIES / "expected.json").read_text(encoding="utf-8")).items()}
SEED_TITLE = "信息主導 資源整合 湖北連續17年獲評全國平安建設優秀省份"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The family fixtures and the seed, rendered: 48 articles in five languages, dated and undated."""
    corpus = tmp_path_factory.mktemp("site-corpus")
    for path in FAMILIES.iterdir():
        if path.suffix in (".txt", ".md"):
            shutil.copy(path, corpus / path.name)
    shutil.copy(SEED, corpus / SEED.name)
    out = tmp_path_factory.mktemp("site-browser") / "out"
    result = run_cli(corpus, "-o", out, "-q")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def visit(chromium):
    """visit(path, **context_options) -> (page, requested URLs); contexts are closed after the test."""
    contexts = []

    def opener(path: Path, query: str = "", **options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto(path.resolve().as_uri() + query, wait_until="load")
        return page, requests

    yield opener
    for context in contexts:
        context.close()


def results(page) -> list[str]:
    return page.locator("#search-results li a").all_inner_texts()


DONE = re.compile("found|No article|shown")  # the status once a search has finished


def search(page, query: str) -> list[str]:
    """The titles found for a query typed into the search page (after the previous search is cleared away)."""
    status = page.locator("#search-status")
    # Waiting in Playwright's own world: the page's policy rightly refuses the eval() of wait_for_function.
    page.fill("#q", "")
    expect(status).to_have_text("")
    page.fill("#q", query)
    expect(status).to_have_text(DONE)
    return results(page)


def only_local_files(requests: list[str], out: Path) -> bool:
    return all(url.startswith(out.resolve().as_uri() + "/") for url in requests)


def test_search_finds_a_title_by_two_chinese_characters(visit, site):
    page, requests = visit(site / "index" / "search.html")
    found = search(page, "平安")
    expected = [title for title in list(TITLES.values()) + [SEED_TITLE] if "平安" in title]
    assert SEED_TITLE in found
    assert sorted(found) == sorted(expected)
    assert page.locator("#search-status").inner_text() == f"{len(expected)} found"
    assert page.locator("#search-results a", has_text="湖北連續17年").get_attribute("href") == f"../{SEED.stem}.html"
    assert only_local_files(requests, site)
    assert any(url.endswith("/index/catalogue-1.js") for url in requests)


def test_search_finds_a_title_by_an_english_word_in_any_case(visit, site):
    page, requests = visit(site / "index" / "search.html")
    found = search(page, "FLOODS")
    assert "Floods Force Thousands From Homes in Northern Vietnam" in found
    assert found and all("floods" in title.lower() for title in found)
    assert search(page, "floods northern") == ["Floods Force Thousands From Homes in Northern Vietnam"]
    assert search(page, "zzyzx") == [] and page.locator("#search-status").inner_text() == "No article found"
    assert only_local_files(requests, site)


def test_search_reads_its_query_from_the_address_and_results_lead_to_pages(visit, site):
    page, requests = visit(site / "index" / "search.html", "?q=%E5%B9%B3%E5%AE%89")
    expect(page.locator("#search-status")).to_have_text(DONE)
    assert page.input_value("#q") == "平安"
    page.locator("#search-results a", has_text="湖北連續17年").click()
    page.wait_for_load_state("load")
    assert page.url == (site / f"{SEED.stem}.html").resolve().as_uri()
    assert only_local_files(requests, site)


def test_search_across_catalogue_shards_loads_them_as_far_as_needed(visit, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(render, "CATALOGUE_SHARD_SIZE", 5)
    assert render.main([str(FAMILIES), "-o", str(out), "-q", "-j", "1"]) == 0
    shards = sorted(p.name for p in (out / "index").glob("catalogue-*.js"))
    assert len(shards) == 10  # 48 articles, 5 a shard
    page, requests = visit(out / "index" / "search.html")
    oldest = "Growing Heirloom Tomatoes in a Cold Spring"  # 2010: in the last dated shard
    assert search(page, "heirloom") == [oldest]
    assert only_local_files(requests, out)
    assert sum(url.endswith(".js") for url in requests) == 10
    requested = len(requests)
    found = search(page, "a")  # many matches: shards already loaded are not loaded again
    assert len(found) > 5 and len(requests) == requested


@pytest.mark.parametrize("name", ["index.html", "index/archive.html", "index/sources.html", "index/search.html",
                                  "index/2024-03.html"])
def test_site_pages_load_nothing_and_fit_a_phone(visit, site, name):
    page, requests = visit(site / name, viewport={"width": 390, "height": 844}, is_mobile=True)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.reload()
    assert only_local_files(requests, site) and (name.endswith("search.html") or len(set(requests)) == 1)
    assert not [m for m in messages if "Content Security Policy" in m]
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert page.get_by_role("main").count() == 1 and page.locator("h1").count() == 1
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 18  # the style applied


@pytest.mark.parametrize("name,scheme", [("index.html", "light"), ("index.html", "dark"), ("index/archive.html", "dark"),
                                         ("index/2024-03.html", "light"), ("index/search.html", "dark")])
def test_axe_core_finds_no_serious_violation_on_site_pages(visit, site, name, scheme):
    page, _ = visit(site / name, color_scheme=scheme, bypass_csp=True)
    if name.endswith("search.html"):
        search(page, "城市")
    page.add_script_tag(content=axe_source())
    found = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_printing_a_listing_leaves_out_the_navigation(visit, site):
    page, _ = visit(site / "index" / "2024-03.html")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => [...document.querySelectorAll('.site-nav, .pagination, .search-form')]
                                      .every(e => getComputedStyle(e).display === 'none')""")
    assert hidden and page.locator(".compact-list li").first.is_visible()
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
