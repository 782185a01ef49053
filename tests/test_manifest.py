"""The manifest (issue 13, issue 15 items 2, 3 and 11): a page counts as done only when it is; SQLite; conversion; the stat shortcut."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEED, Doc, manifest_rows, run_cli, run_main, unavailable, unprivileged, write_docs

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


def sound_entries(rows: list[tuple]) -> list[bool]:
    """Whether each (title, date, source, lang) passes the check a re-run makes of an entry (SOUND_ENTRY)."""
    manifest = render.Manifest.attach(render.run_database(), ":memory:", "fingerprint")
    for i, fields in enumerate(rows):
        manifest.record(f"{i}.html", "hash", "identity", None, dict(zip(render.INDEX_FIELDS, fields)))
    return [bool(sound) for sound, in manifest.connection.execute(f"SELECT {render.SOUND_ENTRY} FROM pages ORDER BY CAST(page AS INTEGER)")]


def test_every_fixture_gives_a_sound_manifest_entry():
    """What a render records must pass the check a re-run makes, or the page would be rendered on every run."""
    paths = [p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".md")] + [SEED]
    rows = []
    for path in paths:
        try:
            text, encoding = render.read_document(path)
        except render.DocumentError:
            continue
        article = render.read_article(text, path.stem, path.suffix == ".md", render.Options(), encoding)
        fields = render.index_fields(article)
        rows.append(tuple(fields[key] for key in render.INDEX_FIELDS))
    assert len(rows) > 50
    assert all(sound_entries(rows)), [row for row, sound in zip(rows, sound_entries(rows)) if not sound]


@pytest.mark.parametrize("date, sound", [
    (None, True), ("2024-03-03", True), ("2024-12-31T10:00+08:00", True), ("1999-01-01T00:00:00Z", True),
    ("2024-00-01", False), ("2024-13-01", False), ("2024-01-00", False), ("2024-01-32", False), ("2024-1-01", False),
    ("2024-01-01 10:00", False), ("24-01-01", False), ("２０２４-01-01", False), ("", False), ("yesterday", False),
])
def test_an_entry_date_is_sound_only_as_the_parser_writes_it(date, sound):
    assert sound_entries([("Title", date, None, "en")]) == [sound]


def test_an_entry_without_a_title_or_language_is_not_sound():
    assert sound_entries([(None, None, None, "en"), ("Title", None, None, None), ("Title", None, "Wire", "en")]) == [False, False, True]


# ---------------------------------------------------------------------------
# The stat shortcut: an input whose stat is as recorded is not read (issue 13)
# ---------------------------------------------------------------------------
# In-process runs, so that the clock can be moved on (files written by a test are always "just changed")
# and the reading of inputs observed.


def move_clock_on(monkeypatch, seconds: int = 10) -> int:
    """From now on the clock reads `seconds` later: files written so far are past the racy window. The new now (ns)."""
    now = time.time_ns() + seconds * 10**9
    monkeypatch.setattr(render.time, "time_ns", lambda: now)
    return now


def count_reads(monkeypatch) -> list[str]:
    """The names of the inputs read from now on, in order."""
    read: list[str] = []
    real = render.read_file_safely

    def reading(path, max_size):
        read.append(Path(path).name)
        return real(path, max_size)

    monkeypatch.setattr(render, "read_file_safely", reading)
    return read


def summary(*args) -> str:
    """The last line of render.py run in this process, with one worker."""
    return run_main(*args, "-j", "1").stderr.strip().splitlines()[-1]


def recorded_stats(out: Path) -> dict[str, str | None]:
    with sqlite3.connect(out / render.MANIFEST_NAME) as connection:
        return dict(connection.execute("SELECT page, seen FROM pages"))


def stat_text(path: Path) -> str:
    info = os.stat(path)
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


@pytest.fixture()
def settled(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Three documents rendered once with the clock moved on past the racy window: (corpus, output folder)."""
    corpus = write_docs(tmp_path / "corpus", docs(3))
    out = tmp_path / "out"
    move_clock_on(monkeypatch)
    assert summary(corpus, "-o", out).startswith("rendered 3, failed 0, unchanged 0")
    return corpus, out


def test_an_unchanged_rerun_reads_no_input(settled, monkeypatch):
    corpus, out = settled
    assert recorded_stats(out) == {f"d0{i}.html": stat_text(corpus / f"d0{i}.md") for i in range(3)}
    read = count_reads(monkeypatch)
    assert summary(corpus, "-o", out).startswith("rendered 0, failed 0, unchanged 3")
    assert read == []


def test_an_unchanged_rerun_by_a_user_who_cannot_read_the_inputs_says_unchanged(open_tmp, monkeypatch):
    """The inputs are root's and unreadable to others (mode 0600, set before the first run: chmod changes the
    change time); the re-run, as nobody, finds every page unchanged without reading them."""
    if os.geteuid() != 0:
        unavailable("the re-run must be another user's than the first run's: the tests must run as root")
    corpus = write_docs(open_tmp / "corpus", docs(3))
    for doc in corpus.iterdir():
        doc.chmod(0o600)
    out = open_tmp / "out"
    move_clock_on(monkeypatch)
    assert summary(corpus, "-o", out).startswith("rendered 3, failed 0, unchanged 0")
    out.chmod(0o777)  # the re-run may write the manifest: nothing else changes
    (out / render.MANIFEST_NAME).chmod(0o666)
    assert "cannot be read (Permission denied)" in run_cli("--json", corpus / "d00.md", user=unprivileged()).stderr
    again = run_cli(corpus, "-o", out, user=unprivileged())
    assert again.returncode == 0, again.stderr
    assert "rendered 0, failed 0, unchanged 3" in again.stderr


def test_an_input_hashed_within_the_racy_window_is_hashed_again(tmp_path, monkeypatch):
    corpus = write_docs(tmp_path / "corpus", docs(3))
    out = tmp_path / "out"
    # The inputs changed less than two seconds ago: a write within the same tick could leave their stat as it is.
    assert summary(corpus, "-o", out).startswith("rendered 3, failed 0, unchanged 0")
    assert recorded_stats(out) == {"d00.html": None, "d01.html": None, "d02.html": None}

    now = move_clock_on(monkeypatch)
    read = count_reads(monkeypatch)
    assert summary(corpus, "-o", out).startswith("rendered 0, failed 0, unchanged 3")
    assert read == ["d00.md", "d01.md", "d02.md"]  # hashed, though their stat has not changed
    assert recorded_stats(out)["d01.html"] == stat_text(corpus / "d01.md")  # settled now

    os.utime(corpus / "d01.md", ns=(now, now))  # modified "now" by its modification time
    read.clear()
    assert summary(corpus, "-o", out).startswith("rendered 0, failed 0, unchanged 3")
    assert read == ["d01.md"] and recorded_stats(out)["d01.html"] is None
    read.clear()
    assert summary(corpus, "-o", out).startswith("rendered 0, failed 0, unchanged 3")
    assert read == ["d01.md"]  # still within the window of this clock: hashed again


@pytest.mark.parametrize("how", ["rewritten", "copied over"])
def test_an_input_changed_with_its_size_and_times_kept_is_rendered_again(settled, tmp_path, how):
    corpus, out = settled
    doc = corpus / "d01.md"
    before = os.stat(doc)
    text = doc.read_text(encoding="utf-8").replace("Title 1 first", "Title 1 FIRST")
    if how == "rewritten":  # in place, its modification time put back
        doc.write_text(text, encoding="utf-8")
        os.utime(doc, ns=(before.st_atime_ns, before.st_mtime_ns))
    else:  # a file of the same size and times, copied over it with shutil.copy2
        elsewhere = tmp_path / "d01.md"
        elsewhere.write_text(text, encoding="utf-8")
        os.utime(elsewhere, ns=(before.st_atime_ns, before.st_mtime_ns))
        shutil.copy2(elsewhere, doc)
    after = os.stat(doc)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert summary(corpus, "-o", out).startswith("rendered 1, failed 0, unchanged 2")
    assert "Title 1 FIRST" in (out / "d01.html").read_text(encoding="utf-8")


def test_a_run_with_other_options_renders_again_though_no_stat_changed(settled):
    corpus, out = settled
    assert summary(corpus, "-o", out, "--keep-punctuation").startswith("rendered 3, failed 0, unchanged 0")
    assert summary(corpus, "-o", out, "--keep-punctuation").startswith("rendered 0, failed 0, unchanged 3")
    assert summary(corpus, "-o", out).startswith("rendered 3, failed 0, unchanged 0")


def test_rehash_reads_every_input_and_renders_only_what_changed(settled, monkeypatch):
    corpus, out = settled
    read = count_reads(monkeypatch)
    assert summary(corpus, "-o", out, "--rehash").startswith("rendered 0, failed 0, unchanged 3")
    assert read == ["d00.md", "d01.md", "d02.md"]


def test_a_manifest_of_the_first_sqlite_version_gains_the_stats(settled, monkeypatch):
    corpus, out = settled
    with sqlite3.connect(out / render.MANIFEST_NAME) as connection:
        connection.execute("ALTER TABLE pages DROP COLUMN seen")
        connection.execute("ALTER TABLE pages DROP COLUMN renderer")
        connection.execute("DROP TABLE renderers")
    read = count_reads(monkeypatch)
    assert summary(corpus, "-o", out).startswith("rendered 0, failed 0, unchanged 3")
    assert read == ["d00.md", "d01.md", "d02.md"]
    assert recorded_stats(out)["d00.html"] == stat_text(corpus / "d00.md")
    read.clear()
    assert summary(corpus, "-o", out).startswith("rendered 0, failed 0, unchanged 3")
    assert read == []


def stat_result(mtime_ns: int, ctime_ns: int, ino: int = 7) -> os.stat_result:
    # mode, inode, device, links, uid, gid, size, the times in whole seconds, as floats, in nanoseconds.
    seconds = (0, mtime_ns // 10**9, ctime_ns // 10**9)
    return os.stat_result((0o100644, ino, 3, 1, 0, 0, 5, *seconds, *map(float, seconds), 0, mtime_ns, ctime_ns))


@pytest.mark.parametrize("mtime, ctime, settled", [
    (97_999_999_999, 97_999_999_999, True),    # changed more than two seconds before the clock
    (98_000_000_000, 97_000_000_000, True),    # exactly two seconds
    (98_000_000_001, 97_000_000_000, False),   # the modification time within the window
    (90_000_000_000, 98_000_000_001, False),   # the change time within the window (an mtime set back by hand)
    (200_000_000_000, 90_000_000_000, False),  # a modification time in the future
])
def test_a_stat_is_recorded_only_outside_the_racy_window(mtime, ctime, settled):
    clock = 100_000_000_000
    seen = render.settled_stat(stat_result(mtime, ctime), clock)
    assert seen == (f"3:7:5:{mtime}:{ctime}" if settled else None)


def test_no_stat_is_recorded_without_an_inode_or_a_change_time():
    assert render.settled_stat(stat_result(1, 1, ino=0), 100 * 10**9) is None
    assert render.settled_stat(stat_result(1, 0), 100 * 10**9) is None
