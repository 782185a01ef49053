#!/usr/bin/env python3
"""Baseline: the whole dump is the article. A drop-in for render.py's --json: python bench/baseline_keep_all.py --json FILE...
Scored by python ../shared/corpus/score.py --render bench/baseline_keep_all.py, and on the benchmark by bench/extraction.py."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import render  # noqa: E402  (only to decode files as render.py does)


def document(text: str, name: str) -> dict:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {"file": name, "title": None, "sections": [{"heading": None, "paragraphs": lines}]}


if __name__ == "__main__":
    print(json.dumps([document(render.read_document(Path(p))[0], Path(p).name) for p in sys.argv[1:] if p != "--json"], ensure_ascii=False))
