"""The manifest (issue 13, issue 15 items 2, 3 and 11): a page counts as done only when it is; SQLite; conversion."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEED, Doc, manifest_rows, run_cli, write_docs

import render


def docs(n: int, word: str = "first") -> list[Doc]:
    return [Doc(f"d{i:02d}", f"Title {i} {word}", f"2024-01-{i % 28 + 1:02d}", "Wire", "en") for i in range(n)]


# ---------------------------------------------------------------------------
# Stale pages (issue 15 item 2)
# ---------------------------------------------------------------------------


def test_a_page_written_by_a_failed_run_is_not_counted_as_unchanged(tmp_path):
    """Issue 15's deterministic form: the run that wrote version B of the page failed at the index."""
    doc = tmp_path / "a.txt"
    site = tmp_path / "site"
    version_a = "Version A headline\n\nThe first version of this article, long enough to be a paragraph.\n"
    version_b = "Version B headline\n\nThe second version of this article, long enough to be a paragraph.\n"
    doc.write_text(version_a, encoding="utf-8")
    assert run_cli(doc, "-o", site, "-q").returncode == 0

    doc.write_text(version_b, encoding="utf-8")
    (site / "index.html").unlink()
    (site / "index.html").mkdir()  # the page is written, then the index fails
    failed = run_cli(doc, "-o", site)
    assert failed.returncode == 1
    assert "Version B" in (site / "a.html").read_text(encoding="utf-8")

    (site / "index.html").rmdir()
    doc.write_text(version_a, encoding="utf-8")
    again = run_cli(doc, "-o", site)
    assert again.returncode == 0, again.stderr
    assert "rendered 1, failed 0, unchanged 0" in again.stderr
    assert "Version A" in (site / "a.html").read_text(encoding="utf-8")
    assert "Version A" in (site / "index.html").read_text(encoding="utf-8")


def test_a_page_changed_or_replaced_after_its_run_is_rendered_again(tmp_path):
    corpus = write_docs(tmp_path / "corpus", docs(3))
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    (out / "d00.html").write_text("edited by hand", encoding="utf-8")
    (out / "d01.html").unlink()
    (out / "d01.html").symlink_to(out / "d02.html")
    result = run_cli(corpus, "-o", out)
    assert "rendered 2, failed 0, unchanged 1" in result.stderr
    assert "Title 0 first" in (out / "d00.html").read_text(encoding="utf-8")
    assert not (out / "d01.html").is_symlink() and "Title 1 first" in (out / "d01.html").read_text(encoding="utf-8")


def test_a_failing_document_loses_its_entry(tmp_path):
    corpus = write_docs(tmp_path / "corpus", docs(3))
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    (corpus / "d01.md").write_bytes(b"")
    failed = run_cli(corpus, "-o", out)
    assert failed.returncode == 1 and "d01.md: empty file" in failed.stderr
    assert sorted(manifest_rows(out)) == ["d00.html", "d02.html"]
    assert "d01.html" not in (out / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# A batch killed midway (issue 15: kill -9)
# ---------------------------------------------------------------------------


def seed_version(i: int, version: int) -> str:
    """Seed document i in a version: its view count, shown on its page, says which."""
    return SEED.read_text(encoding="utf-8").replace("人氣:244", f"人氣:{version * 1000 + i}")


def pages_rewritten(out: Path, before: dict[str, int]) -> int:
    return sum(1 for entry in os.scandir(out) if entry.name in before and entry.inode() != before[entry.name])


def test_a_batch_killed_midway_leaves_no_page_counted_as_done(tmp_path):
    n = 400
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"doc_{i:03d}.txt").write_text(seed_version(i, 1), encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    before = {entry.name: entry.inode() for entry in os.scandir(out) if entry.name.startswith("doc_")}
    assert len(before) == n

    for i in range(n):
        (corpus / f"doc_{i:03d}.txt").write_text(seed_version(i, 2), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(ROOT / "render.py"), str(corpus), "-o", str(out), "-q", "-j", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    # No sleeping: wait for the condition, a third of the pages rewritten, then kill the run and its workers.
    while pages_rewritten(out, before) < n // 3 and process.poll() is None and time.monotonic() < deadline:
        os.sched_yield()
    killed_midway = process.poll() is None
    if killed_midway:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert killed_midway, "the run ended before a third of its pages were written: nothing was interrupted"
    rewritten = pages_rewritten(out, before)
    assert n // 3 <= rewritten < n

    for i in range(n):  # back to the first version: every page that shows the second must be rendered again
        (corpus / f"doc_{i:03d}.txt").write_text(seed_version(i, 1), encoding="utf-8")
    again = run_cli(corpus, "-o", out)
    assert again.returncode == 0, again.stderr
    rendered = int(again.stderr.split("rendered ")[1].split(",")[0])
    assert rendered >= rewritten
    assert f", unchanged {n - rendered} ->" in again.stderr
    for i in range(n):
        page = (out / f"doc_{i:03d}.html").read_text(encoding="utf-8")
        assert f"瀏覽 {1000 + i} 次" in page and f"瀏覽 {2000 + i} 次" not in page and page.endswith("</html>"), i
    rows = manifest_rows(out)
    assert len(rows) == n
    assert all(row[1] == render.identity_of(out / name) for name, row in rows.items())
    assert f"rendered 0, failed 0, unchanged {n}" in run_cli(corpus, "-o", out).stderr


# ---------------------------------------------------------------------------
# Options, conversion, broken entries (issue 15 item 11), links (item 3)
# ---------------------------------------------------------------------------


def test_two_runs_into_one_folder_with_different_options(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"doc_{i}.txt").write_text(seed_version(i, 1), encoding="utf-8")
    out = tmp_path / "out"
    first = run_cli(corpus, "-o", out)
    assert "rendered 3, failed 0, unchanged 0" in first.stderr
    assert "湖北連續17年獲評全國平安建設優秀省份" in (out / "index.html").read_text(encoding="utf-8")

    simplified = run_cli(corpus, "-o", out, "--script", "simplified")
    assert "rendered 3, failed 0, unchanged 0" in simplified.stderr
    assert "湖北连续17年获评全国平安建设优秀省份" in (out / "doc_0.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "湖北连续17年获评全国平安建设优秀省份" in index and "湖北連續" not in index
    assert 'lang="zh-Hans"' in index
    assert "unchanged 3" in run_cli(corpus, "-o", out, "--script", "simplified").stderr

    back = run_cli(corpus, "-o", out)
    assert "rendered 3, failed 0, unchanged 0" in back.stderr
    assert "湖北連續17年獲評全國平安建設優秀省份" in (out / "doc_0.html").read_text(encoding="utf-8")
    assert "湖北連續" in (out / "index.html").read_text(encoding="utf-8")


def legacy_manifest(out: Path, corpus: Path, pages: list[str]) -> dict:
    """The JSON manifest the previous version wrote for these pages (same renderer fingerprint)."""
    fingerprint = render.renderer_fingerprint(None, render.Options())
    entries = {}
    for name in pages:
        data = (corpus / (Path(name).stem + ".md")).read_bytes()
        meta = json.loads(run_cli("--jsonl", corpus / (Path(name).stem + ".md")).stdout)
        entries[name] = {"hash": render.input_hash(data, fingerprint), **{k: meta[k] for k in render.INDEX_FIELDS}}
    return entries


def test_a_folder_of_the_previous_version_is_converted_once(tmp_path):
    corpus = write_docs(tmp_path / "corpus", docs(4))
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    entries = legacy_manifest(out, corpus, ["d00.html", "d01.html", "d02.html", "d03.html"])
    entries["d03.html"]["date"] = 5  # hand-edited: left out, rendered again
    entries["../escape.html"] = dict(entries["d00.html"])  # not a page name: ignored
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out / render.MANIFEST_NAME}{suffix}").unlink(missing_ok=True)
    legacy = out / render.LEGACY_MANIFEST_NAME
    legacy.write_text(json.dumps(entries), encoding="utf-8")
    written = legacy.stat().st_mtime_ns
    os.utime(out / "d02.html", ns=(written + 10**9, written + 10**9))  # written after it: a run that did not finish

    result = run_cli(corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "rendered 2, failed 0, unchanged 2" in result.stderr
    assert not legacy.exists()
    assert sorted(manifest_rows(out)) == ["d00.html", "d01.html", "d02.html", "d03.html"]
    assert "rendered 0, failed 0, unchanged 4" in run_cli(corpus, "-o", out).stderr


def test_broken_manifest_entries_are_rendered_again_with_one_warning(tmp_path):
    corpus = write_docs(tmp_path / "corpus", docs(5))
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    with sqlite3.connect(out / render.MANIFEST_NAME) as connection:
        connection.execute("UPDATE pages SET date = 5 WHERE page = 'd00.html'")
        connection.execute("UPDATE pages SET lang = NULL WHERE page = 'd01.html'")
        connection.execute("UPDATE pages SET title = x'00ff' WHERE page = 'd02.html'")
        connection.execute("UPDATE pages SET date = '2024-13-45' WHERE page = 'd03.html'")
    result = run_cli(corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "rendered 4, failed 0, unchanged 1" in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("render.py: warning:")]
    assert warnings == [f"render.py: warning: {out / render.MANIFEST_NAME}: 4 entries of the wrong shape ignored; rendered again"]
    assert manifest_rows(out)["d00.html"][3] == "2024-01-01"
    assert "Traceback" not in result.stderr
    assert "rendered 0, failed 0, unchanged 5" in run_cli(corpus, "-o", out).stderr


def test_a_manifest_planted_as_a_link_is_refused(tmp_path):
    corpus = write_docs(tmp_path / "corpus", docs(2))
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "precious.db"
    target.write_bytes(b"precious")
    (out / render.MANIFEST_NAME).symlink_to(target)
    result = run_cli(corpus, "-o", out)
    assert result.returncode == 1
    assert f"render.py: error: {out / render.MANIFEST_NAME}: is a link; the manifest is never written through one" in result.stderr
    assert target.read_bytes() == b"precious"


def test_the_temporary_file_never_follows_a_link_planted_at_its_name(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    planted = out / ".page.html.planted.tmp"
    planted.symlink_to(victim)
    real_names = tempfile._get_candidate_names()

    def names_starting_with_the_planted_one():
        yield "planted"  # the name a predictable scheme would use, and an attacker guessed
        yield from real_names

    monkeypatch.setattr(tempfile, "_get_candidate_names", names_starting_with_the_planted_one)
    identity = render.write_atomic(out / "page.html", "the page")
    assert victim.read_text(encoding="utf-8") == "do not touch"
    assert planted.is_symlink()
    assert (out / "page.html").read_text(encoding="utf-8") == "the page" and not (out / "page.html").is_symlink()
    assert identity == render.identity_of(out / "page.html")
    assert sorted(p.name for p in out.iterdir()) == [".page.html.planted.tmp", "page.html"]


def test_the_manifest_is_one_row_a_page(tmp_path):
    corpus = write_docs(tmp_path / "corpus", docs(3))
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    rows = manifest_rows(out)
    assert sorted(rows) == ["d00.html", "d01.html", "d02.html"]
    digest, identity, title, date, source, lang = rows["d01.html"]
    assert (title, date, source, lang) == ("Title 1 first", "2024-01-02", "Wire", "en")
    info = os.lstat(out / "d01.html")
    assert identity == f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}" and len(digest) == 64


@pytest.mark.parametrize("damage", [b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_database_is_replaced(tmp_path, damage):
    corpus = write_docs(tmp_path / "corpus", docs(2))
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-q").returncode == 0
    (out / render.MANIFEST_NAME).write_bytes(damage)
    result = run_cli(corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "rendered 2, failed 0, unchanged 0" in result.stderr and "not a manifest (damaged?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_fixture_gives_a_sound_manifest_entry():
    """What a render records must pass the check a re-run makes, or the page would be rendered on every run."""
    paths = [p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".md")] + [SEED]
    checked = 0
    for path in paths:
        try:
            text, encoding = render.read_document(path)
        except render.DocumentError:
            continue
        article = render.read_article(text, path.stem, path.suffix == ".md", render.Options(), encoding)
        fields = render.index_fields(article)
        assert render.sound_fields(tuple(fields[key] for key in render.INDEX_FIELDS)), (path.name, fields)
        checked += 1
    assert checked > 50
