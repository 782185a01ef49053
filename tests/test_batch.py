"""Batch work: workers, the manifest's skip of unchanged inputs, --json's imports, progress, purity."""
from __future__ import annotations

import io
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED, manifest_rows, run_cli

import render

N = 12


def seed_variant(i: int) -> str:
    return SEED.read_text(encoding="utf-8").replace("人氣:244", f"人氣:{1000 + i}")


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(N):
        (folder / f"doc_{i:02d}.txt").write_text(seed_variant(i), encoding="utf-8")
    return folder


def pages(out):
    return sorted(p for p in out.glob("doc_*.html"))


def snapshot(out):
    """Each page's inode, modification time and bytes: a rewrite changes the inode (atomic rename)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in pages(out)}


def test_two_workers_render_every_document_and_the_index(corpus, tmp_path):
    out = tmp_path / "out"
    result = run_cli(corpus, "-o", out, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert f"rendered {N}, failed 0" in result.stderr
    assert [p.name for p in pages(out)] == [f"doc_{i:02d}.html" for i in range(N)]
    views = {p.name: p.read_text(encoding="utf-8") for p in pages(out)}
    for i in range(N):
        assert str(1000 + i) in views[f"doc_{i:02d}.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="doc_{i:02d}.html"' in index for i in range(N))
    manifest = manifest_rows(out)
    assert sorted(manifest) == [f"doc_{i:02d}.html" for i in range(N)]
    assert len({entry[0] for entry in manifest.values()}) == N


def test_workers_and_one_process_write_the_same_pages(corpus, tmp_path):
    assert run_cli(corpus, "-o", tmp_path / "j2", "-j", "2", "-q").returncode == 0
    assert run_cli(corpus, "-o", tmp_path / "j1", "-j", "1", "-q").returncode == 0
    for page in pages(tmp_path / "j2"):
        assert page.read_bytes() == (tmp_path / "j1" / page.name).read_bytes()


def test_rerun_skips_unchanged_inputs_and_force_renders_them(corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "-j", "2").returncode == 0
    before = snapshot(out)

    again = run_cli(corpus, "-o", out, "-j", "2")
    assert again.returncode == 0, again.stderr
    assert f"rendered 0, failed 0, unchanged {N}" in again.stderr
    assert snapshot(out) == before
    assert (out / "index.html").is_file()

    forced = run_cli(corpus, "-o", out, "-j", "2", "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"rendered {N}, failed 0, unchanged 0 ->" in forced.stderr
    after = snapshot(out)
    assert all(after[name][0] != before[name][0] for name in before)  # every page written anew
    assert all(after[name][2] == before[name][2] for name in before)  # to the same bytes


def test_changing_one_input_rerenders_only_that_one(corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out).returncode == 0
    before = snapshot(out)
    (corpus / "doc_03.txt").write_text(seed_variant(3).replace("1003", "4242"), encoding="utf-8")

    result = run_cli(corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"rendered 1, failed 0, unchanged {N - 1}" in result.stderr
    after = snapshot(out)
    assert after["doc_03.html"][0] != before["doc_03.html"][0]
    assert "4242" in after["doc_03.html"][2].decode("utf-8")
    assert {k: v for k, v in after.items() if k != "doc_03.html"} == {k: v for k, v in before.items() if k != "doc_03.html"}


def test_a_deleted_page_is_rendered_again(corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out).returncode == 0
    (out / "doc_05.html").unlink()
    result = run_cli(corpus, "-o", out)
    assert f"rendered 1, failed 0, unchanged {N - 1}" in result.stderr
    assert (out / "doc_05.html").is_file()


def test_any_template_file_change_rerenders_everything(corpus, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "templates", theme)
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out, "--templates", theme).returncode == 0
    # style.css is included by page.html, not a *.html template itself.
    (theme / "style.css").write_text((theme / "style.css").read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    result = run_cli(corpus, "-o", out, "--templates", theme)
    assert f"rendered {N}, failed 0, unchanged 0 ->" in result.stderr


def test_a_corrupt_manifest_only_costs_a_full_render(corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli(corpus, "-o", out).returncode == 0
    (out / render.MANIFEST_NAME).write_text('{"doc_00.html": 7, "doc_01.html": {"hash": null}}', encoding="utf-8")
    result = run_cli(corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"rendered {N}, failed 0, unchanged 0 ->" in result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warning == f"render.py: warning: {out / render.MANIFEST_NAME}: not a manifest (damaged?); replaced, every page is rendered again"
    again = run_cli(corpus, "-o", out)
    assert f"rendered 0, failed 0, unchanged {N} ->" in again.stderr and "warning" not in again.stderr


def test_json_imports_neither_jinja2_nor_markdown(tmp_path):
    result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "render.py"), "--json", str(SEED)],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "json" in imported  # the check itself works
    assert not imported & {"jinja2", "markdown", "markupsafe", "nh3"}
    assert json.loads(result.stdout)[0]["title"]


def test_progress_line_is_absent_when_stderr_is_not_a_terminal(corpus, tmp_path):
    result = run_cli(corpus, "-o", tmp_path / "out", "-j", "2")
    assert result.returncode == 0
    assert "\r" not in result.stderr
    [summary] = result.stderr.splitlines()
    assert summary.startswith(f"rendered {N}, failed 0, unchanged 0 -> {tmp_path / 'out'} ({N} documents in ")
    assert summary.endswith(" index files written)") and " docs/s; " in summary


def run_on_terminal(*args) -> str:
    """Run render.py with stderr on a pseudo-terminal; what it wrote there."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, str(ROOT / "render.py"), *map(str, args)],
                                   stdout=subprocess.DEVNULL, stderr=terminal, stdin=subprocess.DEVNULL)
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=300) == 0
    finally:
        os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_line_on_a_terminal_and_not_with_quiet(corpus, tmp_path):
    shown = run_on_terminal(corpus, "-o", tmp_path / "a", "-j", "2")
    assert f"\r{N}/{N} " in shown
    assert f"rendered {N}, failed 0, unchanged 0 -> " in shown
    assert run_on_terminal(corpus, "-o", tmp_path / "b", "-j", "2", "-q") == ""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_a_rate_only_once_a_few_documents_are_done():
    now = [100.0]
    terminal = FakeTerminal()
    progress = render.Progress(1000, True, terminal, lambda: now[0])
    for _ in range(9):  # nine documents in five seconds: no rate yet, however long it took
        now[0] += 5 / 9
        progress.step()
    assert "docs/s" not in terminal.getvalue() and "left" not in terminal.getvalue()
    assert terminal.getvalue().endswith("\r9/1000 \x1b[K")
    now[0] = 120.0
    progress.step()  # the tenth, twenty seconds in: half a document a second, 990 left
    assert terminal.getvalue().endswith("\r10/1000  0.5 docs/s  33:00 left \x1b[K")


def test_progress_shows_no_rate_in_the_first_second():
    now = [0.0]
    terminal = FakeTerminal()
    progress = render.Progress(100, True, terminal, lambda: now[0])
    for _ in range(50):
        now[0] += 0.019
        progress.step()
    assert "docs/s" not in terminal.getvalue() and "/100" in terminal.getvalue()


def test_progress_is_silent_off_a_terminal():
    stream = io.StringIO()
    progress = render.Progress(100, True, stream, lambda: 0.0)
    progress.step()
    assert stream.getvalue() == ''


def test_render_document_is_a_pure_function(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = SEED.read_text(encoding="utf-8")
    first_page, first_meta = render.render_document(text, "seed")
    other = seed_variant(7)
    render.render_document(other, "other")  # a different document in between leaves nothing behind
    render.render_document("# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "note", markdown=True)
    page, meta = render.render_document(text, "seed")
    assert page.encode("utf-8") == first_page.encode("utf-8")
    assert meta == first_meta
    assert render.render_document(other, "other")[0] != page


def test_text_documents_keep_code_fences_tables_and_lists_as_text():
    """A text document is not Markdown: fences, table rows and list marks stay text in paragraphs."""
    text = ("標題\n\n發布時間:2024-03-03\n\n  第一段文字。\n\n~~~\n\n  code?\n\n~~~\n\n  ```python\n\n"
            "  | a | b |\n\n  |---|---|\n\n  - 一項\n\n  1. 二項\n\n  ```\n\n  最後一段文字 `x` ~~y~~。\n")
    html = "\n".join(s["html"] for s in render.body_html(render.parse_document(text, "fences")))
    assert "<pre" not in html and "<table" not in html and "<li" not in html and "<code" not in html
    # (The short "- 一項" and "1. 二項" are text, not list items: one after the other, the first is a paragraph of the
    # list they make, the numbered one a subheading.)
    for shown in ("<p>~~~</p>", "<p>```python</p>", "<p>| a | b |</p>", "<p>|---|---|</p>", "<p>- 一項</p>", ">1. 二項</h2>",
                  "<p>最後一段文字 `x` ~~y~~。</p>"):
        assert shown in html


def test_a_long_text_document_keeps_every_paragraph():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    body = [line for line in lines if line.startswith(" ")]
    text = "\n".join(lines[:6] + body * 60 + lines[-17:])
    article = render.parse_document(text, "long")
    html = "\n".join(s["html"] for s in render.body_html(article))
    assert html.count("<p>") == sum(len(s.paragraphs) for s in article.sections) == 42 * 60  # the seed's 42 indented paragraphs, 60 times


def test_template_bytecode_cache_changes_no_byte(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    assert run_cli(SEED, "-o", tmp_path / "cached", "-q", env=env).returncode == 0
    assert run_cli(SEED, "-o", tmp_path / "cached", "-q", "--force", env=env).returncode == 0  # from the cache
    assert run_cli(SEED, "-o", tmp_path / "fresh", "-q", env={**env, "RENDER_TEMPLATE_CACHE": "0"}).returncode == 0
    for name in (f"{SEED.stem}.html", "index.html"):
        assert (tmp_path / "cached" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_index_fields_are_the_json_fields_a_batch_sends_back():
    """Workers send index_fields(article) instead of building the whole --json: same values."""
    fixtures = sorted((ROOT / "tests" / "fixtures" / "families").glob("*.*")) + [SEED]
    checked = 0
    for path in fixtures:
        if path.suffix not in (".txt", ".md"):
            continue
        text, encoding = render.decode_document(path.read_bytes())
        article = render.read_article(text, path.stem, path.suffix == ".md", render.Options(), encoding)
        full = article.to_json()
        assert render.index_fields(article) == {key: full[key] for key in render.INDEX_FIELDS}, path.name
        checked += 1
    assert checked > 40


def test_a_folder_gives_its_documents_in_the_order_of_their_parts(tmp_path, monkeypatch):
    """Hidden files and folders are left out, links to folders not followed; broken links and pipes kept (reported later)."""
    for relative in ["a/b.txt", "a-c.txt", "a.b/c.md", "Z.txt", "z.TXT", ".hidden/x.txt", "b/.x.md", "b/y.markdown",
                     "b/y.html", "c/d/e.md"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing")
    (tmp_path / "folder.txt").symlink_to(tmp_path / "c")
    (tmp_path / "linked").symlink_to(tmp_path / "c")
    os.mkfifo(tmp_path / "pipe.md")
    expected = ["Z.txt", "a/b.txt", "a-c.txt", "a.b/c.md", "b/y.markdown", "broken.txt", "c/d/e.md", "pipe.md", "z.TXT"]
    assert render.documents_below(tmp_path) == [str(tmp_path / name) for name in expected]
    monkeypatch.chdir(tmp_path)
    assert render.documents_below(Path(".")) == expected  # as Path(".") / name writes it: no "./"
    assert [str(p) for p in sorted(Path(".").rglob("*")) if str(p) in expected] == expected  # the order Paths sort in
