#!/usr/bin/env python3
"""Regenerate the README's screenshots: docs/desktop.png, phone.png, dark.png, pinyin.png, index.png, search.png.

    python docs/screenshots.py            # needs Debian's chromium (/usr/bin/chromium) and fonts-noto-cjk

Renders seeds/000_39c074a8e03d8997.txt (the article) and tests/fixtures/families/ (the site: its
index and its search page with a query typed) with render.py into a temporary folder and
photographs them in headless Chromium, driven by Playwright for Python; no browser is downloaded.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_39c074a8e03d8997.txt"
FAMILIES = ROOT / "tests" / "fixtures" / "families"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]

# name: context options, whether the pinyin control is switched on
SHOTS = {
    "desktop": ({"viewport": {"width": 1280, "height": 800}}, False),
    "phone": ({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}, False),
    "dark": ({"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"}, False),
    "pinyin": ({"viewport": {"width": 1280, "height": 800}}, True),
}
# name: page of the site, query typed into it
SITE_SHOTS = {"index": ("index.html", None), "search": ("index/search.html", "城市")}


def shoot(page, target: Path) -> None:
    page.screenshot(path=str(target))  # the viewport: what a reader sees on opening the page
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {target.stat().st_size // 1024} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="browser executable (default: %(default)s)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs", help="folder for the PNGs (default: docs/)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([sys.executable, str(ROOT / "render.py"), str(SEED), "-o", str(out), "-q", "--force"], check=True)
        page_uri = (out / f"{SEED.stem}.html").as_uri()
        site = out / "site"
        subprocess.run([sys.executable, str(ROOT / "render.py"), str(FAMILIES), "-o", str(site), "-q"], check=True)
        args.output.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=LAUNCH_ARGS)
            for name, (options, pinyin) in SHOTS.items():
                context = browser.new_context(**options)
                page = context.new_page()
                page.goto(page_uri, wait_until="load")
                if pinyin:
                    page.get_by_role("checkbox", name="拼音").check()
                shoot(page, args.output / f"{name}.png")
                context.close()
            for name, (path, query) in SITE_SHOTS.items():
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto((site / path).as_uri(), wait_until="load")
                if query:
                    page.fill("#q", query)
                    page.locator("#search-results li").first.wait_for()
                shoot(page, args.output / f"{name}.png")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
