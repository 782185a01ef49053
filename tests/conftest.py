"""Shared fixtures: the render module, the seed, and a runner for the CLI."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import typing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import render  # noqa: E402

SEED = ROOT / "seeds" / "000_39c074a8e03d8997.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; the browser tests are skipped without it
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]


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


def run_cli(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run render.py as a user would, capturing text output."""
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=300, **kwargs)


def manifest_rows(out: Path) -> dict[str, tuple]:
    """The manifest of an output folder: page name -> (input hash, file identity, title, date, source, lang)."""
    with sqlite3.connect(out / render.MANIFEST_NAME) as connection:
        return {row[0]: row[1:] for row in connection.execute("SELECT * FROM pages")}


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
