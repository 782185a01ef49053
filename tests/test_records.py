"""--json and --jsonl (issue 13, issue 15 item 8): records that name their input and page, streamed, piped."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED, Doc, run_cli, write_docs


def seed_copies(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    seed = SEED.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"doc_{i:03d}.txt").write_text(seed.replace("人氣:244", f"人氣:{1000 + i}"), encoding="utf-8")
    return folder


def jsonl(stdout: str) -> list[dict]:
    assert stdout.endswith("\n")
    return [json.loads(line) for line in stdout.split("\n")[:-1]]


def test_jsonl_prints_one_compact_object_a_line_naming_input_and_page(tmp_path):
    corpus = write_docs(tmp_path / "corpus", [Doc(f"d{i}", f"Title {i}", "2024-01-02", "Wire", "en") for i in range(5)])
    result = run_cli("--jsonl", corpus, "-j", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert len(lines) == 6 and lines[-1] == ""
    assert all(line.startswith('{"input":') and ": " not in line[:40] for line in lines[:-1])  # compact
    records = jsonl(result.stdout)
    assert [(r["input"], r["page"], r["file"], r["title"]) for r in records] == [
        (str(corpus / f"d{i}.md"), f"d{i}.html", f"d{i}", f"Title {i}") for i in range(5)]
    assert list(tmp_path.iterdir()) == [corpus]  # nothing written
    if shutil.which("jq"):
        parsed = subprocess.run(["jq", "-c", "{page, title}"], input=result.stdout, capture_output=True, text=True)
        assert parsed.returncode == 0 and len(parsed.stdout.splitlines()) == 5


def test_json_array_records_name_input_and_page_too(tmp_path):
    result = run_cli("--json", SEED)
    assert result.returncode == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert (record["input"], record["page"], record["file"]) == (str(SEED), f"{SEED.stem}.html", SEED.stem)
    assert result.stdout.startswith('[\n  {\n    "input": ')


def test_same_named_inputs_in_different_folders_join_back_to_their_pages(tmp_path):
    for folder, title in (("a", "The A post"), ("b", "The B post")):
        write_docs(tmp_path / folder, [Doc("post", title, "2024-01-02", None, "en")])
    inputs = [tmp_path / "a" / "post.md", tmp_path / "b" / "post.md"]
    records = jsonl(run_cli("--jsonl", *inputs).stdout)
    assert [r["input"] for r in records] == [str(p) for p in inputs]
    assert [r["file"] for r in records] == ["post", "post"]  # the file stem, as before
    assert len({r["page"] for r in records}) == 2 and all(r["page"].startswith("post-") for r in records)
    out = tmp_path / "out"
    assert run_cli(*inputs, "-o", out, "-q").returncode == 0
    for record in records:
        assert f"<h1>{record['title']}</h1>" in (out / record["page"]).read_text(encoding="utf-8")
    as_json = json.loads(run_cli("--json", *inputs).stdout)
    assert [(r["input"], r["page"]) for r in as_json] == [(r["input"], r["page"]) for r in records]


@pytest.mark.parametrize("option", ["--jsonl", "--json"])
def test_a_failing_document_is_one_error_line_and_the_others_are_printed(tmp_path, option):
    corpus = write_docs(tmp_path / "corpus", [Doc(f"d{i}", f"Title {i}", None, None, "en") for i in range(6)])
    (corpus / "d3.md").write_bytes(b"")
    result = run_cli(option, corpus, "-j", "2")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"render.py: error: {corpus / 'd3.md'}: empty file"]
    records = jsonl(result.stdout) if option == "--jsonl" else json.loads(result.stdout)
    assert [r["page"] for r in records] == ["d0.html", "d1.html", "d2.html", "d4.html", "d5.html"]


def test_jsonl_streams_records_in_input_order_from_the_workers(tmp_path):
    corpus = seed_copies(tmp_path / "corpus", 200)
    process = subprocess.Popen([sys.executable, str(ROOT / "render.py"), "--jsonl", "-j", "2", str(corpus)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    first = json.loads(process.stdout.readline())
    # A record is some 15 KB, a pipe holds 64 KB: the run cannot have finished unread, so the first line streamed.
    still_running = process.poll() is None
    rest = process.stdout.read()
    assert process.wait(timeout=300) == 0
    assert still_running
    records = [first] + jsonl(rest.decode("utf-8"))
    assert [r["page"] for r in records] == [f"doc_{i:03d}.html" for i in range(200)]
    assert {r["views"] for r in records} == set(range(1000, 1200))


@pytest.mark.parametrize("option", ["--jsonl", "--json"])
def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path, option):
    corpus = seed_copies(tmp_path / "corpus", 40)
    process = subprocess.Popen([sys.executable, str(ROOT / "render.py"), option, "-j", "2", str(corpus)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()  # as `| head -1` does
    process.stdout.close()
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=300) == 1
    assert errors == ""


def test_json_and_jsonl_together_are_a_usage_error():
    result = run_cli("--json", "--jsonl", SEED)
    assert result.returncode == 2 and "not allowed with argument" in result.stderr


@pytest.mark.parametrize("option", [[], ["--jsonl"]])
def test_a_named_folder_without_documents_says_so(tmp_path, option):
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "notes.html").write_text("not a document", encoding="utf-8")
    result = run_cli(*option, empty, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"render.py: error: {empty}: no documents (.txt, .md, .markdown) in this folder"
    assert "Traceback" not in result.stderr
    if not option:
        assert not (tmp_path / "out" / "index.html").exists()


def test_input_is_the_path_as_given_joined_with_the_path_inside_a_folder(tmp_path):
    write_docs(tmp_path / "sub" / "deeper", [Doc("note", "A note", None, None, "en")])
    from_here = jsonl(run_cli("--jsonl", ".", cwd=tmp_path).stdout)
    assert [r["input"] for r in from_here] == [os.path.join("sub", "deeper", "note.md")]
    given = jsonl(run_cli("--jsonl", "sub/", "./sub/deeper/note.md", cwd=tmp_path).stdout)
    assert [r["input"] for r in given] == [os.path.join("sub", "deeper", "note.md")]  # one document, named once
