"""Issue 14: installable with pip or pipx as the article-pages command, which behaves as `python render.py`.

.ci/run installs the package into a fresh venv and runs the command on the seed; these tests
check the wheel itself (its files and its entry point) and the installed layout, without a venv.
"""
from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED, run_cli

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

COMMAND = "article-pages"
# What the console script does (pip writes the same two lines into bin/article-pages).
AS_COMMAND = f"import sys; sys.argv[0] = {COMMAND!r}; from article_pages.render import command; sys.exit(command())"


def requirement_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def test_package_dependencies_are_requirements_txt():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == requirement_lines(ROOT / "requirements.txt")
    assert project["scripts"] == {COMMAND: "article_pages.render:command"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode and "No matching distribution found for hatchling" in result.stderr:
        pytest.skip("the build backend (hatchling) cannot be fetched here")
    assert result.returncode == 0, result.stderr
    [built] = out.glob("*.whl")
    return built


def test_wheel_holds_the_script_its_templates_and_the_command(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    templates = {f"article_pages/templates/{p.name}" for p in (ROOT / "templates").iterdir()}
    assert {"article_pages/render.py"} | templates <= names
    assert not [n for n in names if n.startswith(("seeds/", "tests/", "bench/", "out/", "render.py"))]
    scripts = configparser.ConfigParser()
    scripts.read_string(entry_points)
    assert dict(scripts["console_scripts"]) == {COMMAND: "article_pages.render:command"}


@pytest.fixture
def site(wheel, tmp_path) -> Path:
    """The wheel unpacked as pip lays it out in site-packages."""
    folder = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(folder)
    return folder


def test_installed_command_renders_as_the_script_does(site, tmp_path):
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000"}
    installed = subprocess.run([sys.executable, "-c", AS_COMMAND, str(SEED), "-o", "installed", "-q"],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    checkout = run_cli(SEED, "-o", tmp_path / "checkout", "-q", env=env)
    assert checkout.returncode == 0, checkout.stderr
    for name in (f"{SEED.stem}.html", "index.html"):
        assert (tmp_path / "installed" / name).read_bytes() == (tmp_path / "checkout" / name).read_bytes(), name


def test_installed_command_without_arguments_says_what_to_give(site, tmp_path):
    result = subprocess.run([sys.executable, "-c", AS_COMMAND], cwd=tmp_path, env={"PYTHONPATH": str(site)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"{COMMAND}: error: no input: name the files or folders to render, or - to read standard input")
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in result.stderr


def test_checkout_script_still_renders_its_seeds_by_default(tmp_path):
    result = run_cli("-q", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / f"{SEED.stem}.html").is_file()
