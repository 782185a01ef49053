"""Scale-out: the Dask example renders the same pages as the command line, locally."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SEED, run_cli

EXAMPLE = ROOT / "examples" / "dask_render.py"


def write_corpus(folder, n=5):
    folder.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"doc_{i}.txt").write_text(seed.replace("人氣:244", f"人氣:{500 + i}"), encoding="utf-8")
    (folder / "note.md").write_text("---\ntitle: A note\ndate: 2024-03-03\n---\n\nSome *Markdown* text.\n", encoding="utf-8")
    return folder


def test_dask_bag_renders_the_pages_the_cli_renders(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([sys.executable, str(EXAMPLE), str(corpus), str(tmp_path / "dask")],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "rendered 6, failed 0" in result.stderr
    cli = run_cli(corpus, "-o", tmp_path / "cli", "-q", env=env)
    assert cli.returncode == 0, cli.stderr

    dask_pages = site_files(tmp_path / "dask")
    cli_pages = site_files(tmp_path / "cli")
    assert dask_pages == cli_pages
    assert len([name for name in dask_pages if "/" not in name]) == 7  # six documents and the index
    assert "index/search.html" in dask_pages and "index/archive.html" in dask_pages
    for name in dask_pages:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def site_files(out) -> list[str]:
    """Every file the run wrote but the manifest, by its path in the output folder."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not p.name.startswith(".render-manifest"))


def test_dask_example_reports_a_bad_document_and_renders_the_rest(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", n=2)
    (corpus / "empty.txt").write_text("  \n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(EXAMPLE), str(corpus), str(tmp_path / "out"), "--scheduler", "sync"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "empty.txt" in result.stderr and "rendered 3, failed 1" in result.stderr
    assert (tmp_path / "out" / "doc_0.html").is_file() and (tmp_path / "out" / "index.html").is_file()
