#!/usr/bin/env python3
"""Find-the-article figures for BENCHMARKS.md: render.py against keeping the whole dump and against C4's line filter.

    python bench/extraction.py ../shared/corpus [--worst 10]

One run over both development sets, with their own scorers: CORPUS/bench (body F1 by the scrapinghub method,
per source: Dragnet, CleanEval, Chinese) and CORPUS/real (the share of labelled fields right, per field). Every
system reads the files as render.py does and runs in this process; the corpora stay where they are (their
licences keep them out of this repository). Prints Markdown.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
import baseline_c4  # noqa: E402
import baseline_keep_all  # noqa: E402

import render  # noqa: E402


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_document(text: str, name: str) -> dict:
    return render.parse_document(text, name).to_json()


SYSTEMS = {"render.py": render_document, "keep the whole dump": baseline_keep_all.document, "C4 line filter": baseline_c4.document}


def source_of(gold: dict) -> str:
    return Path(gold["file"]).stem.split("-")[0] if gold["lang"] == "en" else "zh"


def bench_scores(corpus: Path, system) -> tuple[dict[str, dict], list]:
    """Aggregate scores per source (and 'en' for all English) and (F1, P, R, file, title) per page."""
    scorer = load_module("bench_score", corpus / "bench" / "score.py")
    counts: dict[str, list] = {}
    pages = []
    for gold in json.loads((corpus / "bench" / "gold.json").read_text(encoding="utf-8")):
        text, _encoding = render.read_document(corpus / "bench" / gold["file"])
        doc = system(text, Path(gold["file"]).stem)
        c = scorer.tp_fp_fn(gold["body"], scorer.tool_body(doc))
        for key in {source_of(gold), gold["lang"]}:
            counts.setdefault(key, []).append(c)
        pages.append((scorer.page_f1(c), scorer.precision(*c), scorer.recall(*c), gold["file"], doc.get("title")))
    return {key: scorer.aggregate(c) for key, c in counts.items()}, sorted(pages)


def real_scores(corpus: Path, system) -> dict[str, tuple[int, int]]:
    """(right, total) per labelled field, and 'all fields'."""
    scorer = load_module("real_score", corpus / "score.py")
    fields: dict[str, tuple[int, int]] = {}
    for expected in json.loads((corpus / "real" / "expected.json").read_text(encoding="utf-8")):
        text, _encoding = render.read_document(corpus / "real" / expected["file"])
        for name, (ok, _found) in scorer.fields(system(text, Path(expected["file"]).stem), expected).items():
            right, total = fields.get(name, (0, 0))
            fields[name] = (right + bool(ok), total + 1)
    fields["all fields"] = (sum(r for r, _t in fields.values()), sum(t for _r, t in fields.values()))
    return fields


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="the folder holding bench/ and real/ (../shared/corpus)")
    ap.add_argument("--worst", type=int, default=10, help="list render.py's N worst bench pages (default 10)")
    args = ap.parse_args()
    bench = {name: bench_scores(args.corpus, system) for name, system in SYSTEMS.items()}
    real = {name: real_scores(args.corpus, system) for name, system in SYSTEMS.items()}
    print("Body F1 on the extraction benchmark (P / R / F1; Chinese scored on characters):\n")
    print("| system | English (100) | Dragnet (60) | CleanEval (40) | Chinese (23) |")
    print("|---|---|---|---|---|")
    for name, (scores, _pages) in bench.items():
        cells = [scores[key] for key in ("en", "dragnet", "cleaneval", "zh")]
        print(f"| {name} | " + " | ".join(f"{s['P']:.3f} / {s['R']:.3f} / **{s['F1']:.3f}**" for s in cells) + " |")
    print("\nLabelled fields right on the real-page corpus:\n")
    names = list(real["render.py"])
    print("| system | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for name, fields in real.items():
        print(f"| {name} | " + " | ".join(f"{fields[f][0]}/{fields[f][1]}" for f in names) + " |")
    right, total = real["render.py"]["all fields"]
    print(f"\nrender.py: {right}/{total} = {100 * right / total:.1f}% of the labelled fields.")
    print(f"\nrender.py's {args.worst} worst bench pages:\n")
    for f1, p, r, file, title in bench["render.py"][1][:args.worst]:
        print(f"- {file}: F1 {f1:.3f} (P {p:.2f}, R {r:.2f}), title {str(title)[:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
