"""Issue 13: the site of a corpus: paginated index, archive, sources, languages, search, written incrementally."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import Doc, run_cli, write_docs

import render

SOURCES = ["Reuters", "新華社", "Straits Wire", None]


def corpus_docs() -> list[Doc]:
    """110 dated documents over three years, four sources (one 'none given'), two languages; 10 undated."""
    docs = []
    for i in range(110):
        date = f"{2022 + i % 3}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        title = f"Harbour report number {i:03d}" if i % 2 else f"第{i:03d}號 平安建設公告"
        docs.append(Doc(f"doc_{i:03d}", title, date, SOURCES[i % 4], "en" if i % 2 else "zh-Hant"))
    docs += [Doc(f"undated_{i}", f"Undated note {i}", None, "Reuters", "en") for i in range(10)]
    return docs


def newest_first(docs: list[Doc]) -> list[str]:
    """The order every listing promises: date descending, undated last, then title descending."""
    return [d.name + ".html" for d in sorted(docs, key=lambda d: (d.date or "", d.title), reverse=True)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    docs = corpus_docs()
    write_docs(root / "corpus", docs)
    result = run_cli(root / "corpus", "-o", root / "out", "-j", "2")
    assert result.returncode == 0, result.stderr
    return root / "out", docs, result


INDEX_ENTRY = re.compile(r'<li lang="[^"]*">\n<a href="([^"]+)">([^<]*)</a>')
ROW = re.compile(r'<li lang="[^"]*">(?:<time datetime="([^"]+)">[^<]*</time>|<span class="no-date"></span>)<a href="([^"]+)">([^<]*)</a>')
HREF = re.compile(r'\shref="([^"]*)"')


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def index_hrefs(out: Path, name: str) -> list[str]:
    return [href for href, _ in INDEX_ENTRY.findall(read(out / name))]


def row_pages(path: Path) -> list[str]:
    """The article pages a one-line listing links to, in order, as names in the output folder."""
    return [Path(href).name for _, href, _ in ROW.findall(read(path))]


def site_files(out: Path) -> list[Path]:
    return [out / "index.html"] + sorted((out / "index").iterdir())


def test_index_is_paginated_newest_first_with_undated_last(site):
    out, docs, _ = site
    first, second, third = index_hrefs(out, "index.html"), index_hrefs(out, "index/2.html"), index_hrefs(out, "index/3.html")
    assert (len(first), len(second), len(third)) == (50, 50, 20)
    assert not (out / "index" / "4.html").exists()
    assert first + [Path(h).name for h in second + third] == newest_first(docs)
    assert all(h.startswith("../") for h in second + third)  # pages inside index/ link up to the articles
    assert third[-10:] == [f"../undated_{i}.html" for i in range(9, -1, -1)]
    assert "120 articles" in read(out / "index.html") and "Page 1 of 3" in read(out / "index.html")


def test_every_link_of_the_site_leads_to_a_file_and_every_page_leads_home(site):
    out, _, _ = site
    for path in site_files(out):
        if path.suffix != ".html":
            continue
        hrefs = HREF.findall(read(path))
        assert hrefs, path
        for href in hrefs:
            assert not href.startswith(("http:", "https:", "//", "/")), (path.name, href)
            assert (path.parent / unescape(href)).is_file(), f"{path.relative_to(out)} links to a missing {href}"
        home = "index.html" if path.parent == out else "../index.html"
        assert home in hrefs, f"{path.name} does not link back to the index"


def test_pagination_links_newer_older_first_and_last(site):
    out, _, _ = site
    middle = read(out / "index" / "2.html")
    nav = middle[middle.index('<nav class="pagination"'):]
    assert '<a href="../index.html" rel="prev">' in nav and '<a href="3.html" rel="next">' in nav
    assert '<a href="2.html" aria-current="page">2</a>' in nav
    first = read(out / "index.html")
    assert '<a href="index/2.html" rel="next">' in first and 'rel="prev"' not in first


def test_archive_counts_months_and_lists_each_month(site):
    out, docs, _ = site
    archive = read(out / "index" / "archive.html")
    months: dict[str, list[Doc]] = {}
    for doc in docs:
        months.setdefault(doc.date[:7] if doc.date else "undated", []).append(doc)
    for month, members in months.items():
        label = "Undated" if month == "undated" else f"{render.MONTH_NAMES[int(month[5:]) - 1]} {month[:4]}"
        assert f'<a href="{month}.html">{label}</a> <span class="count">{len(members)}</span>' in archive
        assert row_pages(out / "index" / f"{month}.html") == newest_first(members)
    for year in ("2022", "2023", "2024"):
        count = sum(1 for d in docs if d.date and d.date.startswith(year))
        assert f'<h2 id="y{year}">{year} <span class="count">{count} articles</span></h2>' in archive
    assert archive.index("2024") < archive.index("2023") < archive.index("2022") < archive.index("Undated")


def test_one_listing_per_source_and_a_list_of_sources(site):
    out, docs, _ = site
    sources = read(out / "index" / "sources.html")
    for source in SOURCES:
        members = [d for d in docs if d.source == source]
        name = "no-source.html" if source is None else render.group_base("source", source) + ".html"
        assert row_pages(out / "index" / name) == newest_first(members)
        assert f'>{source or "No source given"}</a> <span class="count">{len(members)}</span>' in sources
    assert sources.index("Reuters") < sources.index("新華社")  # 40 articles before 30


def test_one_listing_per_language_when_there_are_several(site):
    out, docs, _ = site
    languages = read(out / "index" / "languages.html")
    assert '>English</a> <span class="count">65</span>' in languages and '>繁體中文</a> <span class="count">55</span>' in languages
    zh = render.group_base("lang", "zh-Hant") + ".html"
    assert row_pages(out / "index" / zh) == newest_first([d for d in docs if d.lang == "zh-Hant"])
    assert 'href="index/languages.html"' in read(out / "index.html")


def test_site_pages_are_self_contained_and_only_search_runs_a_script(site):
    out, _, _ = site
    for path in site_files(out):
        if path.suffix != ".html":
            continue
        html = read(path)
        head = html[: html.index("</head>")]
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head)[1]
        assert head.index("<meta charset") < head.index("Content-Security-Policy") < head.index("<title>")
        assert policy.startswith("default-src 'none'; style-src 'sha256-") and "base-uri 'none'; form-action 'none'" in policy
        style = re.search(r"<style>(.*?)</style>", html, re.S)[1]
        assert f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'" in policy
        assert " src=" not in html and "url(" not in style and "@import" not in style
        if path.name == "search.html":
            script = re.search(r"<script>(.*?)</script>", html, re.S)[1]
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"script-src 'sha256-{digest}' 'strict-dynamic';" in policy
            assert html.count("<script") == 1
        else:
            assert "<script" not in html and "script-src" not in policy


def test_search_page_without_scripts_says_where_else_to_look(site):
    out, _, _ = site
    html = read(out / "index" / "search.html")
    assert '<noscript><p class="search-status">Searching needs JavaScript; the archive and the sources list every article too.</p></noscript>' in html


def test_catalogue_lists_every_article_newest_first(site):
    out, docs, _ = site
    text = read(out / "index" / "catalogue-1.js")
    assert text.startswith("catalogueShard(1,") and text.endswith(");\n")
    sources, rows = json.loads(text[len("catalogueShard(1,"): -3])
    assert [row[1] + ".html" for row in rows] == newest_first(docs)
    by_name = {d.name: d for d in docs}
    for title, page, day, source in rows:
        doc = by_name[page]
        assert (title, day, None if source < 0 else sources[source]) == (doc.title, doc.date or "", doc.source)
    assert 'data-shards="1"' in read(out / "index" / "search.html")


def test_an_unchanged_rerun_writes_no_site_file(site, tmp_path):
    out, _, first = site
    assert first.stderr.rstrip().endswith("index files written)")
    again = run_cli(out.parent / "corpus", "-o", out)
    assert again.returncode == 0, again.stderr
    assert "rendered 0, failed 0, unchanged 120" in again.stderr and "; 0 index files written)" in again.stderr


def snapshot(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_ino for p in [out / "index.html", *(out / "index").iterdir()]}


def test_a_changed_title_rewrites_only_the_site_files_that_list_it(tmp_path):
    docs = corpus_docs()
    corpus = write_docs(tmp_path / "corpus", docs)
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    before = snapshot(out)

    (corpus / "doc_007.md").write_text(docs[7].text().replace("The body", "A new body"), encoding="utf-8")
    body_only = run_cli(corpus, "-o", out)
    assert "rendered 1, failed 0, unchanged 119" in body_only.stderr and "; 0 index files written)" in body_only.stderr
    assert snapshot(out) == before

    (corpus / "doc_007.md").write_text(docs[7].text().replace("Harbour report number 007", "Harbour report renamed"),
                                       encoding="utf-8")
    retitled = run_cli(corpus, "-o", out)
    assert "rendered 1, failed 0, unchanged 119" in retitled.stderr
    after = snapshot(out)
    changed = sorted(name for name in before if after.get(name) != before[name])
    # doc_007 (2023-08-08, no source, en) sits on the second index page, which shows the title (the
    # page of its month, of articles without a source, of its language and the catalogue show it too):
    # only those are written.
    position = newest_first(docs).index("doc_007.html")
    assert position // 50 == 1
    assert changed == sorted(["index/2.html", "index/2023-08.html", "index/catalogue-1.js", "index/no-source.html",
                              f"index/{render.group_base('lang', 'en')}.html"])
    assert "; 5 index files written)" in retitled.stderr
    assert "Harbour report renamed" in read(out / "index" / "2.html")


def test_files_of_a_listing_that_is_gone_are_removed_and_others_left_alone(tmp_path):
    docs = corpus_docs()
    corpus = write_docs(tmp_path / "corpus", docs)
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    assert (out / "index" / "undated.html").is_file() and (out / "index" / "3.html").is_file()
    mine = out / "index" / "notes.html"
    mine.write_text("my own file", encoding="utf-8")
    for i in range(10):
        (corpus / f"undated_{i}.md").unlink()
        (corpus / f"doc_{100 + i}.md").unlink()
    result = run_cli(corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert not (out / "index" / "undated.html").exists()
    assert not (out / "index" / "3.html").exists()  # 100 articles: two index pages
    assert mine.read_text(encoding="utf-8") == "my own file"
    assert "Undated" not in read(out / "index" / "archive.html")


def test_listings_shorten_long_titles_and_keep_pages_light(tmp_path):
    title = "長" * 1000
    corpus = write_docs(tmp_path / "corpus", [Doc("long", title, "2024-01-02", "Somewhere", "zh-Hant"),
                                              Doc("short", "Short one", "2024-01-01", None, "en")])
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    listed = "長" * (render.LISTED_TITLE_LIMIT - 1) + "…"
    assert f">{listed}</a>" in read(out / "index.html")
    assert f">{listed}</a>" in read(out / "index" / "2024-01.html")
    assert title in read(out / "long.html")
    assert all(path.stat().st_size < 300_000 for path in site_files(out))


def test_a_site_of_one_article_is_its_index_alone(tmp_path):
    corpus = write_docs(tmp_path / "corpus", [Doc("only", "The only one", "2024-01-02", "Somewhere", "en")])
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["index.html", "only.html"]
    html = read(out / "index.html")
    assert 'class="site-nav"' not in html and 'class="pagination"' not in html and "1 article<" in html


def test_one_language_gives_no_language_pages(tmp_path):
    corpus = write_docs(tmp_path / "corpus", [Doc(f"d{i}", f"Title {i}", f"2024-01-0{i + 1}", None, "en") for i in range(3)])
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    assert not (out / "index" / "languages.html").exists()
    assert "languages.html" not in read(out / "index.html")
    assert not list((out / "index").glob("lang-*"))


def test_site_folder_planted_as_a_link_is_not_written_through(tmp_path):
    corpus = write_docs(tmp_path / "corpus", [Doc(f"d{i}", f"Title {i}", f"2024-01-0{i + 1}", None, "en") for i in range(3)])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "index").symlink_to(elsewhere)
    result = run_cli(corpus, "-o", out)
    assert result.returncode == 1
    assert f"render.py: error: {out / 'index'}: cannot write: is a link; the site is never written through one" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert (out / "d0.html").is_file()


def test_site_files_get_the_modes_of_any_new_file(site):
    out, _, _ = site
    mask = os.umask(0o022)
    os.umask(mask)
    for path in (out / "index.html", out / "index" / "archive.html", out / "doc_000.html"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_an_unchanged_rerun_writes_again_a_site_file_that_was_deleted_or_edited(tmp_path):
    corpus = write_docs(tmp_path / "corpus", corpus_docs()[:60])
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    archive = read(out / "index" / "archive.html")
    (out / "index.html").unlink()
    (out / "index" / "archive.html").write_text("edited", encoding="utf-8")
    result = run_cli(corpus, "-o", out)
    assert "rendered 0, failed 0, unchanged 60" in result.stderr and "; 2 index files written)" in result.stderr
    assert read(out / "index" / "archive.html") == archive and 'class="index-list"' in read(out / "index.html")


def test_a_site_left_half_written_is_finished_by_the_next_run(tmp_path):
    docs = corpus_docs()
    corpus = write_docs(tmp_path / "corpus", docs)
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    (corpus / "doc_007.md").write_text(docs[7].text().replace("Harbour report number 007", "Harbour report renamed"),
                                       encoding="utf-8")
    month = out / "index" / "2023-08.html"  # doc_007's month, written after the index pages
    month.unlink()
    month.mkdir()
    failed = run_cli(corpus, "-o", out)
    assert failed.returncode == 1 and f"render.py: error: {month}: cannot write: Is a directory" in failed.stderr
    assert "rendered 1, failed 1, unchanged 119 " in failed.stderr and "(120 documents in " in failed.stderr
    assert "Harbour report renamed" in read(out / "index" / "2.html")
    month.rmdir()
    again = run_cli(corpus, "-o", out)
    assert again.returncode == 0, again.stderr
    assert "rendered 0, failed 0, unchanged 120" in again.stderr and "; 0 index files written)" not in again.stderr
    for name in ("2023-08.html", "catalogue-1.js", "no-source.html", f"{render.group_base('lang', 'en')}.html"):
        assert "Harbour report renamed" in read(out / "index" / name), name
