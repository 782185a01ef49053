"""Issue 14: pipes and single pages. "-" reads standard input, -o FILE.html writes exactly one file,
-o - writes to standard output, and --open says which page to open when no browser starts."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SEED, run_cli

import render

MARKDOWN_NOTE = "---\ntitle: A note\n---\nSome *stressed* words.\n"


def run_with_stdin(*args, stdin: bytes, cwd=None, env=None) -> subprocess.CompletedProcess:
    """render.py with bytes on standard input; stdout and stderr as bytes."""
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *map(str, args)], input=stdin, cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def test_stdin_page_goes_to_stdout_as_the_file_would_render(tmp_path):
    piped = run_with_stdin("-", stdin=SEED.read_bytes(), cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == b"" and list(tmp_path.iterdir()) == [], "nothing written, nothing said"
    assert run_cli(SEED, "-o", tmp_path / "page.html", "-q").returncode == 0
    assert piped.stdout == (tmp_path / "page.html").read_bytes()


def test_stdin_is_text_unless_from_markdown(tmp_path):
    as_text = run_with_stdin("-", stdin=MARKDOWN_NOTE.encode(), cwd=tmp_path)
    as_markdown = run_with_stdin("--from", "markdown", "-", stdin=MARKDOWN_NOTE.encode(), cwd=tmp_path)
    assert as_text.returncode == as_markdown.returncode == 0
    assert b"*stressed*" in as_text.stdout and b"<em>" not in as_text.stdout
    assert b"<em>stressed</em>" in as_markdown.stdout and b"<h1>A note</h1>" in as_markdown.stdout


def test_from_markdown_applies_to_files_too(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("# A note\n\nSome *stressed* words.\n", encoding="utf-8")
    [document] = json.loads(run_cli("--json", "--from", "markdown", note).stdout)
    assert document["title"] == "A note" and document["sections"][0]["paragraphs"] == ["Some *stressed* words."]
    [as_text] = json.loads(run_cli("--json", note).stdout)
    assert as_text["title"] == "# A note", "a .txt file is a text dump unless --from says otherwise"


def test_stdin_encoding_is_detected_as_for_files():
    text = "標題：測試文章\n\n　　這是一段用來測試編碼偵測的中文正文，內容足夠長，讓偵測有把握。\n"
    result = run_with_stdin("--json", "-", stdin=text.encode("big5"))
    assert result.returncode == 0, result.stderr
    [document] = json.loads(result.stdout)
    assert document["file"] == "stdin"
    assert document["encoding"] == "big5"
    assert document["title"] == "測試文章"
    assert document["sections"][0]["paragraphs"] == ["這是一段用來測試編碼偵測的中文正文，內容足夠長，讓偵測有把握。"]


def test_stdin_size_limit_and_empty_input_are_one_line():
    big = run_with_stdin("--max-size", "100", "-", stdin=b"x" * 101)
    assert big.returncode == 1 and big.stdout == b""
    assert big.stderr.decode() == "render.py: error: stdin: larger than --max-size (> 100 bytes)\n"
    assert run_with_stdin("--max-size", "100", "-", stdin=b"x" * 100).returncode == 0
    empty = run_with_stdin("-", stdin=b"")
    assert empty.returncode == 1 and empty.stderr.decode() == "render.py: error: stdin: empty file\n"


def test_stdin_stands_alone():
    result = run_with_stdin("-", SEED, stdin=b"text")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == "render.py: error: - (standard input) is one document: give it alone"


def test_output_file_writes_exactly_that_file(tmp_path):
    result = run_cli(SEED, "-o", tmp_path / "pages" / "seed.html")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.rglob("*")] == ["pages", "seed.html"], "no index, no manifest"
    assert "湖北連續17年獲評全國平安建設優秀省份" in (tmp_path / "pages" / "seed.html").read_text(encoding="utf-8")
    assert result.stderr == f"rendered 1, failed 0 -> {tmp_path / 'pages' / 'seed.html'}\n"


def test_stdin_into_a_file_or_a_folder(tmp_path):
    into_file = run_with_stdin("-", "-o", tmp_path / "a.html", stdin=SEED.read_bytes())
    assert into_file.returncode == 0 and (tmp_path / "a.html").is_file()
    (tmp_path / "site").mkdir()
    into_folder = run_with_stdin("-", "-o", tmp_path / "site", "-q", stdin=SEED.read_bytes())
    assert into_folder.returncode == 0, into_folder.stderr
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["stdin.html"]
    assert (tmp_path / "site" / "stdin.html").read_bytes() == (tmp_path / "a.html").read_bytes()


def test_output_dash_writes_one_file_input_to_stdout(tmp_path):
    result = run_cli(SEED, "-o", "-", cwd=tmp_path)
    assert result.returncode == 0 and list(tmp_path.iterdir()) == []
    assert result.stdout.startswith("<!DOCTYPE html>") and "信息主導" in result.stdout


def test_one_page_takes_one_input(tmp_path):
    folder = ROOT / "tests" / "fixtures" / "families"
    result = run_cli(folder, "-o", tmp_path / "all.html")
    assert result.returncode == 2 and not (tmp_path / "all.html").exists()
    assert "one page takes one input document" in result.stderr.splitlines()[-1]


def test_output_file_never_overwrites_its_input(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("An article kept as HTML text.\n", encoding="utf-8")
    result = run_cli(page, "-o", page)
    assert result.returncode == 1
    assert result.stderr == f"render.py: error: {page}: output would overwrite the input\n"
    assert page.read_text(encoding="utf-8") == "An article kept as HTML text.\n"


def test_help_shows_the_pipe_options_with_examples():
    help_text = run_cli("--help").stdout
    for text in ("--from {text,markdown}", "--remote-images", "FILE.html", "standard input", "no index, no manifest",
                 "python render.py - < dump.txt > page.html", "article-pages"):
        assert text in help_text, text


# ---------------------------------------------------------------------------
# --open without a browser
# ---------------------------------------------------------------------------


def test_open_without_a_browser_names_the_page(tmp_path):
    # BROWSER names a command that fails; PATH holds no other browser to fall back on.
    env = {"BROWSER": "/bin/false", "PATH": str(tmp_path)}
    result = run_cli(SEED, "-o", tmp_path / "seed.html", "--open", env=env)
    assert result.returncode == 0
    assert result.stderr.splitlines()[-1] == (
        f"render.py: warning: --open: no browser could be started; open {tmp_path / 'seed.html'} yourself")


def test_open_with_a_browser_says_nothing(tmp_path):
    result = run_cli(SEED, "-o", tmp_path / "seed.html", "--open", "-q", env={"BROWSER": "/bin/true", "PATH": str(tmp_path)})
    assert result.returncode == 0 and result.stderr == ""


def test_open_warns_when_the_browser_module_raises(tmp_path, monkeypatch, capsys):
    import webbrowser

    def refuse(url):
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "open", refuse)
    render.open_in_browser(tmp_path / "index.html")
    assert capsys.readouterr().err.endswith(f"--open: no browser could be started; open {tmp_path / 'index.html'} yourself\n")
