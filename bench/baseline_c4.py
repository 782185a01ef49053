#!/usr/bin/env python3
"""Baseline: C4's line filter, the lines that end like a sentence (. ! ? 。！？, with 3 words or 5 Han characters at least).
A drop-in for render.py's --json: python bench/baseline_c4.py --json FILE...
Scored by python ../shared/corpus/score.py --render bench/baseline_c4.py, and on the benchmark by bench/extraction.py."""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import render  # noqa: E402  (only to decode files as render.py does)

SENTENCE_END = re.compile(r"[.!?。！？][\"'”’」』)）]*$")  # "… done." "…完成。」"
HAN = re.compile(r"[\u3400-\u9fff]")


def document(text: str, name: str) -> dict:
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if SENTENCE_END.search(line) and (len(line.split()) >= 3 or len(HAN.findall(line)) >= 5)]
    return {"file": name, "title": None, "sections": [{"heading": None, "paragraphs": kept}]}


if __name__ == "__main__":
    print(json.dumps([document(render.read_document(Path(p))[0], Path(p).name) for p in sys.argv[1:] if p != "--json"], ensure_ascii=False))
