"""The command-line contract: defaults, options, exit codes, --json."""
from __future__ import annotations

import json
import shutil

from conftest import ROOT, SEED, run_cli


def test_default_run_renders_seeds_and_index(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "render.py", tmp_path / "render.py")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "render.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / f"{SEED.stem}.html").is_file()
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f'href="{SEED.stem}.html"' in index
    assert "湖北連續17年獲評全國平安建設優秀省份" in index and "中國安全防范產品行業協會" in index


def test_output_folder_option(tmp_path):
    result = run_cli(SEED, "-o", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "site").glob("*.html")) == [f"{SEED.stem}.html", "index.html"]


def test_json_writes_nothing_and_has_every_field(tmp_path):
    result = run_cli("--json", SEED, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
    [document] = json.loads(result.stdout)
    for key in ("title", "date", "source", "author", "views", "lang", "sections", "boilerplate", "warnings"):
        assert key in document
    assert isinstance(document["warnings"], list)


def test_help_explains_every_option_with_examples():
    result = run_cli("--help")
    assert result.returncode == 0
    for option in ("-o", "--json", "--jsonl", "--open", "--templates", "--script", "--keep-punctuation", "--jobs", "--force", "--max-size"):
        assert option in result.stdout
    assert "examples:" in result.stdout


def test_usage_error_exits_2():
    result = run_cli("--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_missing_input_exits_1_and_renders_the_rest(tmp_path):
    result = run_cli(SEED, tmp_path / "missing.txt", "-o", tmp_path / "out")
    assert result.returncode == 1
    assert f"render.py: error: {tmp_path / 'missing.txt'}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / f"{SEED.stem}.html").is_file()
