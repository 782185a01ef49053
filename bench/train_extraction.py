#!/usr/bin/env python3
"""Fit render.py's line model (EXTRACTION_WEIGHTS) on the development corpora and measure it, in-sample and cross-validated.

    python bench/train_extraction.py ../shared/corpus             # fit on every page, print the weights table
    python bench/train_extraction.py ../shared/corpus --cv        # and score it: in-sample, 5-fold by page, leave-one-source-out

The corpora stay where they are (their licences keep them out of this repository): the script reads
CORPUS/bench (dumps + gold.json, scored with CORPUS/bench/score.py) and CORPUS/real (dumps + expected.json,
scored with CORPUS/score.py). Each block of a dump (render.page_blocks) is labelled article or not:

- bench: a block of four or more tokens is article when at least half of its 4-token shingles are in the
  gold body; a shorter one when all its tokens are in the gold and it lies inside the stretch of the page
  that best matches the gold (the same maximum-sum span the parser looks for);
- real: the blocks from the labelled first paragraph to the labelled last one, but the boilerplate samples.

The model is a logistic regression over render.line_features(), fitted by Newton's method with a small L2
penalty, each block weighted by 1 + log2(1 + its words), so that long paragraphs count more than menu items.
Everything is deterministic (sorted files, a seeded shuffle for the folds): the same corpora give the same table.
Cross-validated figures run the whole parser (render.parse_document) with the weights fitted without the pages
scored, and score them with the corpora's own scorers. Standard library only.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import render  # noqa: E402

L2 = 1.0
NEWTON_STEPS = 10
FOLDS = 5
SEED = 12


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Page:
    """One dump: its text, blocks, features, block labels, and how it is scored."""

    def __init__(self, path: Path, source: str, gold: dict, labeller):
        self.path, self.source, self.gold = path, source, gold
        text, _encoding = render.read_document(path)
        self.text = text
        lines = render.split_lines(render.normalise_text(text)[0])
        self.blocks = render.page_blocks(lines)
        self.rows = render.line_features(self.blocks)
        self.labels = labeller(self.blocks, gold)
        self.sizes = [render.line_shape(text).units for _first, _end, text in self.blocks]


def bench_labeller(scorer):
    def labels(blocks, gold):
        body = gold["body"]
        shingles = scorer.shingles(body, 4)
        vocabulary = set(scorer.tokens(body))
        tokens = [scorer.tokens(text) for _first, _end, text in blocks]
        share = []
        for toks in tokens:
            if len(toks) >= 4:
                grams = [tuple(toks[i:i + 4]) for i in range(len(toks) - 3)]
                share.append(sum(gram in shingles for gram in grams) / len(grams))
            else:
                share.append(1.0 if toks and all(t in vocabulary for t in toks) else 0.0)
        # The stretch of blocks that best matches the gold, for the short blocks.
        best, best_first, best_last, total, first = 0.0, 0, 0, 0.0, 0
        for k, (toks, s) in enumerate(zip(tokens, share)):
            if total <= 0:
                total, first = 0.0, k
            total += len(toks) * (1 if s >= 0.5 else -1)
            if total > best:
                best, best_first, best_last = total, first, k + 1
        return [1 if s >= 0.5 and (len(toks) >= 4 or best_first <= k < best_last) else 0
                for k, (toks, s) in enumerate(zip(tokens, share))]
    return labels


def real_labeller(scorer):
    def labels(blocks, expected):
        texts = [scorer.norm(text) for _first, _end, text in blocks]
        first = next((k for k, t in enumerate(texts) if t.startswith(scorer.norm(expected["first_paragraph_starts"]))), None)
        ends = scorer.norm(expected.get("last_paragraph_ends") or "")
        last = next((k for k in range(len(texts) - 1, -1, -1) if ends and texts[k].endswith(ends)), None)
        chrome = {scorer.norm(b) for b in expected.get("boilerplate_samples", [])}
        if first is None or last is None or last < first:
            return [0] * len(blocks)
        return [1 if first <= k <= last and texts[k] not in chrome else 0 for k in range(len(blocks))]
    return labels


def load_pages(corpus: Path) -> tuple[list[Page], object, object]:
    bench_scorer = load_module("bench_score", corpus / "bench" / "score.py")
    real_scorer = load_module("real_score", corpus / "score.py")
    pages = []
    for gold in sorted(json.loads((corpus / "bench" / "gold.json").read_text(encoding="utf-8")), key=lambda g: g["file"]):
        stem = Path(gold["file"]).stem
        source = stem.split("-")[0] if gold["lang"] == "en" else "zh"
        pages.append(Page(corpus / "bench" / gold["file"], source, gold, bench_labeller(bench_scorer)))
    for expected in sorted(json.loads((corpus / "real" / "expected.json").read_text(encoding="utf-8")), key=lambda e: e["file"]):
        pages.append(Page(corpus / "real" / expected["file"], "real", expected, real_labeller(real_scorer)))
    return pages, bench_scorer, real_scorer


# ---------------------------------------------------------------- logistic regression

def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix x = vector (Gauss-Jordan with partial pivoting)."""
    n = len(vector)
    m = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[pivot] = m[pivot], m[c]
        if m[c][c] == 0:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                if f:
                    m[r] = [a - f * b for a, b in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(pages: list[Page]) -> list[float]:
    """Weights of the logistic model over the pages' blocks (Newton's method, L2 on all but the bias)."""
    rows = [row for page in pages for row in page.rows]
    labels = [y for page in pages for y in page.labels]
    sample = [1 + math.log2(1 + max(size, 0)) for page in pages for size in page.sizes]
    d = len(rows[0])
    columns = [[row[a] for row in rows] for a in range(d)]
    w = [0.0] * d
    for _ in range(NEWTON_STEPS):
        z = [sum(map(float.__mul__, row, w)) for row in rows]
        p = [1 / (1 + math.exp(-max(-30.0, min(30.0, v)))) for v in z]
        err = [(pi - y) * s for pi, y, s in zip(p, labels, sample)]
        curv = [pi * (1 - pi) * s for pi, s in zip(p, sample)]
        grad = [sum(map(float.__mul__, err, col)) + (L2 * w[a] if a else 0.0) for a, col in enumerate(columns)]
        weighted = [[c * x for c, x in zip(curv, col)] for col in columns]
        hess = [[sum(map(float.__mul__, weighted[a], columns[b])) + (L2 if a == b and a else 0.0) for b in range(d)] for a in range(d)]
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
    return w


# ---------------------------------------------------------------- scoring through the whole parser

def with_weights(weights: list[float]):
    render.EXTRACTION_WEIGHTS = dict(zip(render.LINE_FEATURES, weights))
    render.OWN_WEIGHTS, render.PLACE_WEIGHTS = render.model_weights(render.EXTRACTION_WEIGHTS)


def bench_counts(pages: list[Page], scorer) -> dict[str, list]:
    counts: dict[str, list] = {}
    for page in pages:
        doc = render.parse_document(page.text, page.path.stem).to_json()
        c = scorer.tp_fp_fn(page.gold["body"], scorer.tool_body(doc))
        counts.setdefault(page.source, []).append(c)
        if page.source != "zh":
            counts.setdefault("en", []).append(c)
    return counts


def real_fields(pages: list[Page], scorer) -> tuple[int, int]:
    right = total = 0
    for page in pages:
        doc = render.parse_document(page.text, page.path.stem).to_json()
        for ok, _found in scorer.fields(doc, page.gold).values():
            right += bool(ok)
            total += 1
    return right, total


def report(label: str, counts: dict[str, list], real: tuple[int, int], scorer) -> None:
    f1 = {name: scorer.aggregate(c)["F1"] for name, c in sorted(counts.items())}
    shown = ", ".join(f"{name} {value:.3f}" for name, value in f1.items())
    print(f"{label:28s} body F1: {shown}; real fields {real[0]}/{real[1]} = {100 * real[0] / max(1, real[1]):.1f}%")


def evaluate(pages, groups, bench_scorer, real_scorer):
    """Fit without each group, score the group; the counts of all groups together."""
    counts: dict[str, list] = {}
    right = total = 0
    for test in groups:
        train = [p for p in pages if p not in test]
        with_weights(fit(train))
        for name, c in bench_counts([p for p in test if p.source != "real"], bench_scorer).items():
            counts.setdefault(name, []).extend(c)
        r, t = real_fields([p for p in test if p.source == "real"], real_scorer)
        right, total = right + r, total + t
    return counts, (right, total)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="the folder holding bench/ and real/ (../shared/corpus)")
    ap.add_argument("--cv", action="store_true", help="also score in-sample, k-fold by page and leave-one-source-out")
    args = ap.parse_args()
    pages, bench_scorer, real_scorer = load_pages(args.corpus)
    original = dict(render.EXTRACTION_WEIGHTS)
    weights = fit(pages)
    print("EXTRACTION_WEIGHTS: dict[str, float] = {")
    items = [f'"{name}": {value:.2f}' for name, value in zip(render.LINE_FEATURES, weights)]
    for i in range(0, len(items), 6):
        print("    " + ", ".join(items[i:i + 6]) + ",")
    print("}")
    if args.cv:
        bench = [p for p in pages if p.source != "real"]
        real = [p for p in pages if p.source == "real"]
        with_weights(list(original.values()))
        report("render.py's table", bench_counts(bench, bench_scorer), real_fields(real, real_scorer), bench_scorer)
        with_weights(weights)
        report("in-sample", bench_counts(bench, bench_scorer), real_fields(real, real_scorer), bench_scorer)
        order = list(pages)
        random.Random(SEED).shuffle(order)
        folds = [order[i::FOLDS] for i in range(FOLDS)]
        report(f"{FOLDS}-fold by page", *evaluate(pages, folds, bench_scorer, real_scorer), bench_scorer)
        sources = sorted({p.source for p in pages})
        for source in sources:
            counts, fields = evaluate(pages, [[p for p in pages if p.source == source]], bench_scorer, real_scorer)
            report(f"leave out {source}", counts, fields, bench_scorer)
        with_weights(list(original.values()))
        # The spread of the fold figures, so that a difference can be read against it.
        spread = []
        for fold in folds:
            counts, _ = evaluate(pages, [fold], bench_scorer, real_scorer)
            spread.append(bench_scorer.aggregate(counts.get("en", []) or [(0, 0, 0)])["F1"])
        print(f"English body F1 per fold: {', '.join(f'{s:.3f}' for s in spread)} (sd {statistics.pstdev(spread):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
