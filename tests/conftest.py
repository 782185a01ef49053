"""Shared fixtures: the render module, the seed, a runner for the CLI, and what CI insists on.

Under CI=true nothing a test needs may be missing: a test that would skip for want of Chromium,
OpenCC or an unprivileged user fails instead. Hypothesis runs the "ci" profile there (examples
derived from each test, so a failure reproduces) and the "dev" profile elsewhere (more examples,
a new draw each run); HYPOTHESIS_PROFILE or --hypothesis-profile picks another ("mutation": few).
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import render  # noqa: E402

SEED = ROOT / "seeds" / "000_39c074a8e03d8997.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; the browser tests skip without it (fail under CI=true)
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None, max_examples=200,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", print_blob=True, deadline=None, max_examples=500, suppress_health_check=[HealthCheck.too_slow])
# Mutation testing runs each test once per mutant: few examples, always the same ones (pyproject.toml, [tool.mutmut]).
settings.register_profile("mutation", derandomize=True, database=None, deadline=None, max_examples=20,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if CI else "dev"))


def unavailable(reason: str, module_level: bool = False) -> None:
    """Skip for want of something the test needs; under CI=true, fail: CI installs everything."""
    if CI:
        pytest.fail(f"{reason} (CI=true: no test may skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=module_level)


def need_module(name: str):
    """The module, imported; unavailable() when it cannot be."""
    try:
        return __import__(name)
    except ImportError as error:
        unavailable(f"{name} cannot be imported: {error}")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_article(seed_text):
    return render.parse_document(seed_text, SEED.stem)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for a module of browser tests, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def axe_source() -> str:
    """axe-core, as axe-playwright-python ships it."""
    from importlib import util

    spec = util.find_spec("axe_playwright_python")
    assert spec and spec.origin, "axe-playwright-python (requirements-dev.txt) ships axe-core"
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


def run_cli(*args: str, cwd: Path | None = None, user: list[str] = (), **kwargs) -> subprocess.CompletedProcess:
    """Run render.py as a user would, capturing text output; user is a command prefix such as unprivileged()."""
    return subprocess.run([*user, sys.executable, str(ROOT / "render.py"), *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=300, **kwargs)


def run_main(*args) -> subprocess.CompletedProcess:
    """render.main(args) in this process, as run_cli() runs it in another: exit status, stdout and stderr.

    For tests of what the command line computes rather than of the process around it: they are faster,
    and mutation testing (README, Development) sees only the functions a test runs in its own process.
    """
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)  # a .buffer, as sys.stdout has
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = render.main([str(arg) for arg in args])
    return subprocess.CompletedProcess(["render.py", *map(str, args)], status, out.buffer.getvalue().decode("utf-8"),
                                       err.getvalue())


# The user permission tests run as when the tests run as root: nobody, on every Linux.
NOBODY = 65534


def unprivileged() -> list[str]:
    """The command prefix that runs a program without root's power over file modes ([] when not root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")  # util-linux, on every Debian
    if setpriv is None:
        unavailable("running as root without setpriv: no unprivileged user to test file modes with")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def open_tmp():
    """A fresh folder in /tmp that an unprivileged() user may enter and write in (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="render-tests-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)  # a folder a test made read-only, emptied and removed all the same
    shutil.rmtree(folder)


def manifest_rows(out: Path) -> dict[str, tuple]:
    """The manifest of an output folder: page name -> (input hash, file identity, title, date, source, lang)."""
    with sqlite3.connect(out / render.MANIFEST_NAME) as connection:
        rows = connection.execute("SELECT page, input_hash, written, title, date, source, lang FROM pages")
        return {row[0]: row[1:] for row in rows}


class Doc(typing.NamedTuple):
    """A small Markdown document whose fields the site lists, known before it is parsed."""

    name: str
    title: str
    date: str | None
    source: str | None
    lang: str

    def text(self) -> str:
        fields = [f"title: {self.title}", f"lang: {self.lang}"]
        fields += [f"date: {self.date}"] if self.date else []
        fields += [f"source: {self.source}"] if self.source else []
        return "---\n" + "\n".join(fields) + "\n---\n\nThe body of " + self.name + ".\n"


def write_docs(folder: Path, docs) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{doc.name}.md").write_text(doc.text(), encoding="utf-8")
    return folder
