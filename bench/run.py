#!/usr/bin/env python3
"""Benchmark render.py against its own libraries and against pandoc, in one run.

    python bench/run.py            # the full run (a few minutes on 2 cores), writes BENCHMARKS.md
    python bench/run.py --quick    # smaller corpora, for a quick look; writes nothing
    python bench/run.py --worst    # only the worst cases (issue 15's pathological inputs); writes nothing
    python bench/run.py --site     # the site of 10,000 and 100,000 documents (about 15 minutes on 2 cores),
                                   # writes its own section of BENCHMARKS.md; --site-sizes 10000 for one size

Every figure is a ratio measured in this run on this machine; absolute times are context only.
Corpora are generated into bench/work/ (git-ignored) from the seed document.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_39c074a8e03d8997.txt"
WORK = ROOT / "bench" / "work"
# The renderer under test is a copy taken at the start, so that edits made during the run change nothing.
SNAPSHOT = WORK / "snapshot"
RENDER = [sys.executable, str(SNAPSHOT / "render.py")]
FLOOR = [sys.executable, "-c", "import markdown, jinja2"]
NUMBER = re.compile(r"\d+")

# The seed's body as Markdown: each subheading as "## heading", each paragraph a block (clean text).
BODY_MARKDOWN = """
def body_markdown(article):
    blocks = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append("## " + render.clean(section.heading))
        blocks.extend(render.clean(p) for p in section.paragraphs)
    return "\\n\\n".join(blocks)
"""

# The bare Python-Markdown loop: one stock instance (tables, fenced code, sane lists, as render.py uses
# for Markdown documents), reset() between documents, converting the seed's body Markdown.
BARE_LOOP = """
import sys, time
sys.path.insert(0, {root!r})
import markdown
import render
""" + BODY_MARKDOWN + """
text = open({seed!r}, encoding="utf-8").read()
body = body_markdown(render.parse_document(text, "seed"))
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
md = markdown.Markdown(extensions=[TableExtension(), FencedCodeExtension(), SaneListExtension()], output_format="html")
for _ in range(20):
    md.reset().convert(body)
n = {n}
start = time.perf_counter()
for _ in range(n):
    md.reset().convert(body)
print(n / (time.perf_counter() - start))
"""

# One document in a warm process: the time and memory the document itself costs.
ONE_DOCUMENT = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
import render
seed = Path({seed!r}).read_text(encoding="utf-8")
render.render_document(seed, "warm-up")  # Markdown, Jinja2 and the templates loaded
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path = Path({path!r})
start = time.perf_counter()
text, encoding = render.read_document(path)
page, meta = render.render_document(text, path.stem, encoding=encoding)
render.write_atomic(Path({out!r}), page)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "rss_kb": after, "growth_kb": after - before, "page_bytes": len(page.encode())}}))
"""

# Where a document's time goes, in one warm process: each step over the same distinct documents,
# best of several rounds, milliseconds per document. "body" is the body's HTML alone (part of "page");
# "stock markdown" the bare loop's instance on the same bodies written as Markdown.
PHASES = """
import json, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
import markdown
import render
from run import distinct_seed
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
""" + BODY_MARKDOWN + """
texts = [distinct_seed(i) for i in range({n})]
options = render.Options()
parsed = [render.parse_document(text, "doc") for text in texts]
restored = [render.restore(article, options) for article in parsed]
bodies = [body_markdown(article) for article in parsed]
stock = markdown.Markdown(extensions=[TableExtension(), FencedCodeExtension(), SaneListExtension()], output_format="html")
steps = {{
    "parse": lambda i: render.parse_document(texts[i], "doc"),
    "restore": lambda i: render.restore(parsed[i], options),
    "page": lambda i: render.render_page(restored[i]),
    "body": lambda i: render.body_html(restored[i]),
    "stock markdown": lambda i: stock.reset().convert(bodies[i]),
}}
for step in steps.values():
    step(0)
best = {{name: float("inf") for name in steps}}
for _ in range({rounds}):
    for name, step in steps.items():
        start = time.perf_counter()
        for i in range(len(texts)):
            step(i)
        best[name] = min(best[name], (time.perf_counter() - start) / len(texts) * 1000)
print(json.dumps(best))
"""


# The pathological inputs of issue 15 in one warm process: the seed's time per MB first (best of 20), then each
# input at each size (best of 3 below 100 KB, else one run), seconds per MB. Each input is made by worst_case().
WORST = """
import json, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
import render
from run import WORST_CASES, worst_case
seed = open({seed!r}, encoding="utf-8").read()
for _ in range(3):
    render.render_document(seed, "warm-up")
def seconds_per_mb(text, markdown, runs):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        render.render_document(text, "worst", markdown=markdown)
        best = min(best, time.perf_counter() - start)
    return best / (len(text.encode("utf-8")) / 1e6)
rows = {{"seed": seconds_per_mb(seed, False, 20)}}
for name, markdown, _what in WORST_CASES:
    for size in {sizes}:
        key = f"{{name}}|{{'markdown' if markdown else 'text'}}|{{size}}"
        rows[key] = seconds_per_mb(worst_case(name, size), markdown, 3 if size < 100_000 else 1)
        print(key, round(rows[key], 3), file=sys.stderr, flush=True)
print(json.dumps(rows))
"""
WORST_SIZES = (64 * 1024, 1024 * 1024)
# (name, Markdown or text, what it is): the inputs the hostile-input campaign found slow (issue 15, items 5-7).
WORST_CASES = (
    ("setext", True, "`a` over `=`, line after line: `'a\\n=\\n' * n`"),
    ("rules", True, "rule lines without blank lines: `'---\\n' * n`"),
    ("list-4", True, "a list nested one level deeper each line, 4 spaces a level"),
    ("list-2", True, "the same, 2 spaces a level"),
    ("paragraphs", True, "one-character paragraphs: `'a\\n\\n' * n`"),
    ("front-matter", True, "front matter of nested `[`: `'title: ' + '[' * n`"),
    ("table", True, "one table: `'| x | y |\\n' * n`"),
    ("entities", True, "`'&amp;' * n` on one line"),
    ("setext", False, "`'a\\n=\\n' * n`"),
    ("rules", False, "`'---\\n' * n`"),
    ("paragraphs-zh", False, "one-character Chinese paragraphs (each could be a subheading): `'中\\n\\n' * n`"),
    ("table", False, "`'| x | y |\\n' * n`"),
    ("entities", False, "`'&amp;' * n` on one line"),
)


def worst_case(name: str, size: int) -> str:
    """The pathological input called name, of about size bytes of UTF-8."""
    def repeat(unit: str, head: str = "# Title\n\n") -> str:
        return head + unit * ((size - len(head)) // len(unit.encode("utf-8")))

    if name.startswith("list-"):
        step, lines, total = int(name[-1]), ["# Title", ""], 0
        while total < size:
            lines.append(" " * (step * (len(lines) - 2)) + "- x")
            total += len(lines[-1]) + 1
        return "\n".join(lines) + "\n"
    units = {"setext": "a\n=\n", "rules": "---\n", "paragraphs": "a\n\n", "paragraphs-zh": "中\n\n",
             "table": "| x | y |\n", "entities": "&amp;"}
    if name == "front-matter":
        return "---\ntitle: " + "[" * (size - 40) + "\n---\n\n# Title\n\nbody\n"
    if name == "table":
        return repeat(units[name], "# Title\n\n| a | b |\n|---|---|\n")
    return repeat(units[name])


def take_snapshot():
    """Copy render.py and its templates into bench/work/snapshot/ and import that copy."""
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    SNAPSHOT.mkdir(parents=True)
    shutil.copy2(ROOT / "render.py", SNAPSHOT / "render.py")
    shutil.copytree(ROOT / "templates", SNAPSHOT / "templates")
    sys.path.insert(0, str(SNAPSHOT))
    import render

    return render


def run_child(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of a child process and its result; a failure stops the benchmark."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kwargs)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-2000:]}")
    return seconds, result


# A child forked from this (large) benchmark process would report this process's size as its peak
# RSS: Linux counts the memory a child had before exec. So a small Python in between starts the
# command, times it and reads its wait4() figures (the command and every worker it reaped).
USAGE_OF = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL if os.environ.get("BENCH_DISCARD_STDOUT") else None)
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    json.dump({"status": os.waitstatus_to_exitcode(status), "seconds": seconds, "rss_kb": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime}, report)
"""


def peak_rss(command: list[str], discard_stdout: bool = False) -> tuple[float, int, str, str, float]:
    """Wall time, peak RSS in KB, stdout, stderr and CPU seconds of a command and its reaped workers (wait4)."""
    report = WORK / "usage.json"
    env = {**os.environ, "BENCH_DISCARD_STDOUT": "1"} if discard_stdout else None
    result = subprocess.run([sys.executable, "-c", USAGE_OF, str(report), *map(str, command)],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)
    usage = json.loads(report.read_text(encoding="utf-8"))
    if result.returncode != 0 or usage["status"] != 0:
        raise SystemExit(f"failed ({usage['status']}): {' '.join(map(str, command))}\n{result.stderr[-2000:]}")
    return usage["seconds"], usage["rss_kb"], result.stdout, result.stderr, usage["cpu"]


# ---------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------


def seed_parts() -> tuple[list[str], list[str], list[str]]:
    """The seed as header lines, body lines (the indented ones) and footer lines."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    indented = [i for i, line in enumerate(lines) if line[:1] in (" ", "\u3000", "\t")]
    first, last = indented[0], indented[-1]
    return lines[:first], lines[first:last + 1], lines[last + 1:]


def vary(line: str, k: int) -> str:
    """The line with every number shifted by k: same shape and size, different bytes."""
    if k == 0:
        return line
    return NUMBER.sub(lambda m: str(int(m[0]) + k).zfill(len(m[0]))[-max(len(m[0]), 1):] if len(m[0]) > 3
                      else str(int(m[0]) + k % 7), line)


def distinct_line(line: str, i: int, j: int) -> str:
    """Line j of copy i: numbers shifted by i and a Han character, particular to (i, j), in front."""
    line = vary(line, i)
    start = len(line) - len(line.lstrip(" \u3000\t"))
    return line[:start] + chr(0x4E00 + (i * 61 + j * 7919) % 20000) + line[start:]


def distinct_seed(i: int) -> str:
    """Seed-sized document number i: no line of its headline or body is in another document.

    The seed with its body lines rotated, and each of those lines and the headline made particular
    to the document (distinct_line): per-line caches in the renderer get no help from the corpus.
    Site chrome, in the header and the footer, stays shared, as it is on a real site.
    """
    header, body, footer = seed_parts()
    shift = i % len(body)
    body = body[shift:] + body[:shift]
    varied = [distinct_line(line, i, j) for j, line in enumerate([header[2]] + body)]
    return "\n".join(header[:2] + varied[:1] + header[3:] + varied[1:] + footer)


def make_batch(folder: Path, n: int) -> Path:
    last = folder / f"doc_{n - 1:05d}.txt"
    if (folder.is_dir() and len(list(folder.glob("*.txt"))) == n and last.is_file()
            and last.read_text(encoding="utf-8") == distinct_seed(n - 1)):
        return folder  # made by this generator already
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"doc_{i:05d}.txt").write_text(distinct_seed(i), encoding="utf-8")
    return folder


def make_big(folder: Path, times: int) -> Path:
    """One document of `times` seed bodies under one header, every copy's lines made particular (distinct_line)."""
    header, body, footer = seed_parts()
    lines = list(header)
    for copy in range(times):
        lines.extend(distinct_line(line, copy, j) if copy else line for j, line in enumerate(body))
    path = folder / f"big_{times:04d}x.txt"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines + footer), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


def measure_startup(runs: int) -> dict:
    """One seed, whole process, interleaved with the import floor; medians."""
    out = WORK / "one"
    commands = {
        "floor": FLOOR,
        "python": [sys.executable, "-c", "pass"],
        "render": [*RENDER, "-q", "--force", "-o", str(out), str(SEED)],
        "json": [*RENDER, "--json", str(SEED)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache and the template cache
        run_child(command)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run_child(command)[0])
    cold = run_child(commands["render"], env={**os.environ, "RENDER_TEMPLATE_CACHE": "0"})[0]
    imports = subprocess.run([sys.executable, "-X", "importtime", *RENDER[1:], "--json", str(SEED)],
                             capture_output=True, text=True).stderr
    leaked = sorted({m[1] for m in re.finditer(r"\|\s+(jinja2|markdown)(?:\.\w+)*\s*$", imports, re.M)})
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {"median": medians, "runs": runs, "cold_no_template_cache": cold, "json_imports": leaked}


def measure_bare_loop(n: int) -> float:
    code = BARE_LOOP.format(root=str(SNAPSHOT), seed=str(SEED), n=n)
    return float(run_child([sys.executable, "-c", code])[1].stdout)


def measure_worst(sizes=WORST_SIZES) -> dict:
    """Seconds per MB of each pathological input and of the seed, in one warm process (see WORST)."""
    code = WORST.format(root=str(SNAPSHOT), bench=str(ROOT / "bench"), seed=str(SEED), sizes=tuple(sizes))
    return json.loads(run_child([sys.executable, "-c", code])[1].stdout)


def worst_table(worst: dict, sizes=WORST_SIZES) -> tuple[str, list[bool]]:
    """The worst-case table: each input's seconds per MB at each size against the seed's, within 5×."""
    seed = worst["seed"]
    head = " | ".join(f"{size // 1024} KB: s/MB (× seed)" if size < 1 << 20 else f"{size >> 20} MB: s/MB (× seed)" for size in sizes)
    lines = [f"| Input | As | {head} | Holds (≤ 5×) |", "|---|---|" + "---|" * len(sizes) + "---|"]
    holds = []
    for name, markdown, what in WORST_CASES:
        keys = [f"{name}|{'markdown' if markdown else 'text'}|{size}" for size in sizes]
        ratios = [worst[key] / seed for key in keys]
        holds.append(max(ratios) <= 5)
        cells = " | ".join(f"{worst[key]:.2f} ({ratio:.1f}×)" for key, ratio in zip(keys, ratios))
        lines.append(f"| {what} | {'Markdown' if markdown else 'text'} | {cells} | {verdict(holds[-1])} |")
    lines.append(f"\nThe seed: {seed:.3f} s/MB ({len(SEED.read_bytes()) / 1024:.1f} KB, in the same warm process, best of 20).")
    return "\n".join(lines), holds


def measure_phases(n: int, rounds: int) -> dict:
    code = PHASES.format(root=str(SNAPSHOT), bench=str(ROOT / "bench"), n=n, rounds=rounds)
    return json.loads(run_child([sys.executable, "-c", code])[1].stdout)


def measure_batch(folder: Path, out: Path, jobs: int | None = None, force: bool = True) -> dict:
    shutil.rmtree(out, ignore_errors=True) if force else None
    command = [*RENDER, "-q", "-o", str(out), str(folder)]
    if jobs:
        command[2:2] = ["-j", str(jobs)]
    if force:
        command.insert(2, "--force")
    seconds, rss, _, stderr, cpu = peak_rss(command)
    n = len(list(folder.glob("*.txt")))
    return {"n": n, "seconds": seconds, "docs_per_s": n / seconds, "rss_kb": rss, "cpu_ms_per_doc": cpu / n * 1000}


def measure_rerun(folder: Path, out: Path) -> dict:
    """First run into an empty folder, then a re-run with nothing changed."""
    first = measure_batch(folder, out)
    command = [*RENDER, "-o", str(out), str(folder)]  # not quiet: we read the summary
    seconds, rss, _, stderr, _ = peak_rss(command)
    summary = stderr.strip().splitlines()[-1].split(" -> ")[0]  # without the output folder: no machine paths in the report
    return {"first": first, "rerun_seconds": seconds, "rerun_rss_kb": rss, "summary": summary}


def pandoc_path() -> str | None:
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def measure_pandoc(folder: Path, out: Path, files: int) -> dict | None:
    pandoc = pandoc_path()
    if not pandoc:
        return None
    out.mkdir(parents=True, exist_ok=True)
    inputs = sorted(folder.glob("*.txt"))[:files]
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    start = time.perf_counter()
    for path in inputs:  # once per file, as a user's shell loop or Makefile would run it
        subprocess.run([pandoc, "-f", "markdown", "-t", "html5", "-s", "--quiet", "--metadata", f"title={path.stem}",
                        "-o", str(out / (path.stem + ".html")), str(path)], check=True)
    seconds = time.perf_counter() - start
    return {"files": len(inputs), "seconds": seconds, "docs_per_s": len(inputs) / seconds, "version": version}


def measure_sizes(multiples: list[int]) -> list[dict]:
    rows = []
    for times in multiples:
        path = make_big(WORK / "sizes", times)
        code = ONE_DOCUMENT.format(root=str(SNAPSHOT), seed=str(SEED), path=str(path), out=str(WORK / "sizes" / "out.html"))
        wall, rss, stdout, _, _ = peak_rss([sys.executable, "-c", code])
        row = json.loads(stdout)
        row.update(times=times, bytes=path.stat().st_size, wall=wall)
        rows.append(row)
    return rows


def burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_capacity(workers: int) -> float:
    """How many cores' worth of CPU the machine gives right now: serial time of `workers` equal
    CPU-bound tasks over their time on a pool of `workers` (other sessions' load shows here)."""
    import multiprocessing

    n = 3_000_000
    start = time.perf_counter()
    for _ in range(workers):
        burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(burn, [1000] * workers)  # started
        start = time.perf_counter()
        pool.map(burn, [n] * workers)
        parallel = time.perf_counter() - start
    return serial / parallel


def machine(render) -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import jinja2
    import markdown

    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform(),
            "markdown": markdown.__version__, "jinja2": jinja2.__version__, "render": render.__version__}


# ---------------------------------------------------------------------------
# The site of a large corpus (issue 13): python bench/run.py --site
# ---------------------------------------------------------------------------

SITE_SOURCES = ["新華網", "人民網", "中央社", "Reuters", "Straits Wire", "湖北日報", "城市晚報", "Westbridge Council"]
SITE_PLACES = ["湖北", "武漢", "宜昌", "荊州", "襄陽", "黃石", "十堰", "孝感", "恩施", "咸寧"]
SITE_TOPICS = ["平安建設", "交通運輸", "醫療衛生", "教育招生", "城市更新", "農業生產", "文化旅遊", "生態環保"]
SITE_WORDS = ["harbour", "council", "rail", "schools", "housing", "flood", "budget", "museum", "bridge", "market"]
# The titles the search page is asked for: one two-character Chinese word and one English word that no
# other title holds, in the oldest dated documents (the search reads the catalogue newest first: the
# worst case).
SITE_RARE = ("鷺鷥", "quokka")


def site_document(i: int, n: int) -> tuple[str, str]:
    """Document i of n for the site measurement: (file name, text), a distinct title, a date over six years, one of eight sources.

    Two in three are Chinese dumps (.txt, the seed's body lines made particular to the document), one
    in three English Markdown with front matter; one in fifty has no date.
    """
    day = (n - 1 - i) * 6 * 365 // max(n, 1)  # the higher i, the older
    year, rest = 2019 + day // 365, day % 365
    date = f"{year}-{rest // 31 % 12 + 1:02d}-{rest % 28 + 1:02d}" if i % 50 != 49 else None
    source = SITE_SOURCES[i % len(SITE_SOURCES)]
    rare = i in rare_documents(n)
    if i % 3 != 2:
        title = f"{SITE_PLACES[i % 10]}{SITE_TOPICS[i // 10 % 8]}第{i}期" + (f" {SITE_RARE[0]}" if rare else "")
        _, body, _ = seed_parts()
        lines = [distinct_line(line, i, j) for j, line in enumerate(body[:4])]
        label = f"發布時間:{date} 09:30:00 " if date else ""
        return f"site_{i:06d}.txt", "\n".join([title, "", f"{label}來源:{source}", ""] + lines) + "\n"
    words = [SITE_WORDS[(i + k) % 10] for k in range(3)]
    title = f"Report {i}: the {words[0]} and the {words[1]}" + (f" of the {SITE_RARE[1]}" if rare else "")
    front = [f'title: "{title}"', f"source: {source}", "lang: en"] + ([f"date: {date}"] if date else [])
    body = " ".join(f"The {w} story number {i} goes on for a while, as reports do." for w in words * 4)
    return f"site_{i:06d}.md", "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n\n" + body[::-1] + "\n"


@functools.cache
def rare_documents(n: int) -> tuple[int, int]:
    """The oldest dated Chinese and English documents of n: the ones whose titles hold SITE_RARE."""
    dated = [i for i in range(n - 1, max(n - 200, -1), -1) if i % 50 != 49]
    return next(i for i in dated if i % 3 != 2), next(i for i in dated if i % 3 == 2)


def make_site_corpus(folder: Path, n: int) -> Path:
    name, text = site_document(n - 1, n)
    if folder.is_dir() and (folder / name).is_file() and (folder / name).read_text(encoding="utf-8") == text \
            and len(os.listdir(folder)) == n:
        return folder  # made by this generator already
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        name, text = site_document(i, n)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def largest(paths, out: Path) -> tuple[int, str]:
    """(bytes, name in the output folder) of the largest file."""
    return max((path.stat().st_size, str(path.relative_to(out))) for path in paths)


def bare_links_page(folder: Path, site: Path) -> Path:
    """A bare list of 100 links to the site's pages: the yardstick for the browser's load times."""
    names = sorted(p.name for p in site.glob("site_*.html"))[:100]
    items = "".join(f'<li><a href="../{site.name}/{name}">{name}</a></li>\n' for name in names)
    path = folder / "bare-100-links.html"
    path.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>links</title></head>'
                    f"<body><ul>\n{items}</ul></body></html>\n", encoding="utf-8")
    return path


LOAD_TIME = "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }"


def browser_figures(pages: dict[str, Path], search: Path, rounds: int = 7) -> dict | None:
    """Median load time (ms, navigation start to the end of load) of each page in headless Chromium, and the
    time the search page takes to show each rare title after it is typed (cold: the catalogue is read then)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    figures: dict = {"load_ms": {}, "search_ms": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for name, path in pages.items():
            times = []
            for _ in range(rounds + 1):
                page = browser.new_page()
                page.goto(path.resolve().as_uri(), wait_until="load")
                times.append(page.evaluate(LOAD_TIME))
                page.close()
            figures["load_ms"][name] = statistics.median(times[1:])
        for query in SITE_RARE:
            page = browser.new_page()
            page.goto(search.resolve().as_uri(), wait_until="load")
            start = time.perf_counter()
            page.fill("#q", query)
            page.locator("#search-results a", has_text=query).first.wait_for(timeout=120_000)
            figures["search_ms"][query] = (time.perf_counter() - start) * 1000
            page.close()
        browser.close()
    return figures


def first_line_seconds(command: list[str]) -> float:
    """Seconds from starting a command to its first line on stdout (then the command is stopped)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    process.stdout.readline()
    seconds = time.perf_counter() - start
    process.stdout.close()  # the reader goes away, as with | head -1: the run ends quietly
    process.wait()
    return seconds


def summary_of(stderr: str) -> str:
    """The run's last line without the output folder (no machine paths in the report)."""
    line = stderr.strip().splitlines()[-1]
    counts, _, rest = line.partition(" -> ")
    return counts + " " + rest[rest.index("("):]


def measure_site(n: int, step) -> dict:
    """Everything issue 13 asks of a site of n generated documents."""
    corpus = make_site_corpus(WORK / f"site_corpus_{n}", n)
    small = make_site_corpus(WORK / "site_corpus_1000", 1000)
    out = WORK / f"site_{n}"
    shutil.rmtree(out, ignore_errors=True)
    step(f"site of {n}: first run")
    seconds, rss, _, stderr, cpu = peak_rss([*RENDER, "-o", str(out), str(corpus)])
    result: dict = {"n": n, "first_run": {"seconds": seconds, "rss_kb": rss, "summary": summary_of(stderr)}}
    index_pages = [out / "index.html", *(p for p in (out / "index").glob("*.html") if p.stem.isdigit())]
    archive_pages = [p for p in (out / "index").glob("*.html") if p.stem[:1].isdigit() and not p.stem.isdigit()]
    archive_pages += [out / "index" / "archive.html", *(out / "index").glob("undated*.html")]
    source_pages = [*(out / "index").glob("source*.html"), *(out / "index").glob("no-source*.html")]
    result["largest"] = {"index": largest(index_pages, out), "archive": largest(archive_pages, out),
                         "source": largest(source_pages, out)}
    catalogue = sorted((out / "index").glob("catalogue-*.js"))
    result["catalogue"] = {"files": len(catalogue), "bytes": sum(p.stat().st_size for p in catalogue)}
    result["site_files"] = len(list((out / "index").iterdir())) + 1

    step(f"site of {n}: Chromium")
    bare = bare_links_page(WORK, out)
    pages = {kind: out / name for kind, (_, name) in result["largest"].items()}
    result["browser"] = browser_figures({**pages, "bare 100 links": bare}, out / "index" / "search.html")

    step(f"site of {n}: a run after one document changes")
    name, text = site_document(n // 2, n)
    changed = corpus / name
    try:
        changed.write_text(text.rstrip("\n") + " (revised)\n", encoding="utf-8")  # the last paragraph, not the title
        body_seconds, _, _, body_stderr, body_cpu = peak_rss([*RENDER, "-o", str(out), str(corpus)])
        alone = WORK / "site_one"
        shutil.rmtree(alone, ignore_errors=True)
        (WORK / "site_one_input").mkdir(exist_ok=True)
        shutil.copy(changed, WORK / "site_one_input" / name)
        alone_runs = [peak_rss([*RENDER, "-q", "--force", "-o", str(alone), str(WORK / "site_one_input" / name)]) for _ in range(3)]
        alone_seconds, _, _, _, alone_cpu = min(alone_runs)  # the fastest of three
        retitled = text.replace("期", "期（更正）", 1) if name.endswith(".txt") else text.replace("Report", "Revised report", 1)
        changed.write_text(retitled, encoding="utf-8")
        title_seconds, _, _, title_stderr, _ = peak_rss([*RENDER, "-o", str(out), str(corpus)])
    finally:
        changed.write_text(text, encoding="utf-8")
    run_child([*RENDER, "-q", "-o", str(out), str(corpus)])
    result["one_change"] = {"body_seconds": body_seconds, "body_cpu": body_cpu, "body_summary": summary_of(body_stderr),
                            "title_seconds": title_seconds, "title_summary": summary_of(title_stderr),
                            "one_document_alone_seconds": alone_seconds, "one_document_alone_cpu": alone_cpu}
    unchanged_seconds, unchanged_rss, _, unchanged_stderr, unchanged_cpu = peak_rss([*RENDER, "-o", str(out), str(corpus)])
    result["unchanged_rerun"] = {"seconds": unchanged_seconds, "cpu": unchanged_cpu, "rss_kb": unchanged_rss,
                                 "summary": summary_of(unchanged_stderr)}

    step(f"site of {n}: --jsonl")
    result["jsonl_first_line"] = min(first_line_seconds([*RENDER, "--jsonl", str(corpus)]) for _ in range(3))
    jsonl_seconds, jsonl_rss, _, _, _ = peak_rss([*RENDER, "--jsonl", str(corpus)], discard_stdout=True)
    _, small_rss, _, _, _ = peak_rss([*RENDER, "--jsonl", str(small)], discard_stdout=True)
    shutil.rmtree(WORK / f"site_pages_{n}", ignore_errors=True)
    pages_seconds, _, _, _, _ = peak_rss([*RENDER, "-q", "-o", str(WORK / f"site_pages_{n}"), str(corpus)])
    result["jsonl"] = {"seconds": jsonl_seconds, "rss_kb": jsonl_rss, "rss_kb_1000": small_rss, "pages_seconds": pages_seconds}
    return result


def site_report(results: list[dict]) -> str:
    """The site table: one row per figure, one column per corpus size."""
    sizes = [f"{r['n']:,} documents" for r in results]
    rows: list[tuple[str, list[str], str]] = []

    def row(name: str, cells: list[str], target: str = "") -> None:
        rows.append((name, cells, target))

    kb = "{:.0f} KB ({})".format
    row("Largest index page", [kb(r["largest"]["index"][0] / 1024, r["largest"]["index"][1]) for r in results], "< 300 KB")
    row("Largest archive page", [kb(r["largest"]["archive"][0] / 1024, r["largest"]["archive"][1]) for r in results], "< 300 KB")
    row("Largest source page", [kb(r["largest"]["source"][0] / 1024, r["largest"]["source"][1]) for r in results], "< 300 KB")
    row("Site files (pages and catalogue)", [f"{r['site_files']:,}; catalogue {r['catalogue']['files']} files, "
                                             f"{r['catalogue']['bytes'] / 1e6:.1f} MB" for r in results])
    if all(r["browser"] for r in results):
        for kind in ("index", "archive", "source"):
            row(f"Chromium load, largest {kind} page / bare list of 100 links",
                [f"{r['browser']['load_ms'][kind] / r['browser']['load_ms']['bare 100 links']:.1f}× "
                 f"({r['browser']['load_ms'][kind]:.0f} vs {r['browser']['load_ms']['bare 100 links']:.0f} ms)" for r in results])
        for query in SITE_RARE:
            row(f"Search finds the oldest title holding “{query}” (typed to shown, cold)",
                [f"{r['browser']['search_ms'][query]:.0f} ms" for r in results])
    row("Run after one document's text changes / that document rendered alone",
        [f"{r['one_change']['body_seconds'] / r['one_change']['one_document_alone_seconds']:.1f}× "
         f"({r['one_change']['body_seconds']:.2f} vs {r['one_change']['one_document_alone_seconds']:.2f} s; CPU "
         f"{r['one_change']['body_cpu']:.2f} vs {r['one_change']['one_document_alone_cpu']:.2f} s; "
         f"\"{r['one_change']['body_summary']}\")" for r in results], "≤ 2×")
    row("Run after one document's title changes", [f"{r['one_change']['title_seconds']:.2f} s (\"{r['one_change']['title_summary']}\")"
                                                    for r in results])
    row("Unchanged re-run", [f"{r['unchanged_rerun']['seconds']:.2f} s (CPU {r['unchanged_rerun']['cpu']:.2f} s, peak "
                             f"{r['unchanged_rerun']['rss_kb'] / 1024:.0f} MB; \"{r['unchanged_rerun']['summary']}\")" for r in results])
    row("`--jsonl` first line", [f"{r['jsonl_first_line']:.2f} s" for r in results], "< 1 s")
    row("`--jsonl` peak memory / 1,000 documents", [f"{r['jsonl']['rss_kb'] / r['jsonl']['rss_kb_1000']:.2f}× "
                                                   f"({r['jsonl']['rss_kb'] / 1024:.0f} vs {r['jsonl']['rss_kb_1000'] / 1024:.0f} MB)"
                                                   for r in results], "≤ 1.2×")
    row("`--jsonl` total / rendering to pages", [f"{r['jsonl']['seconds'] / r['jsonl']['pages_seconds']:.2f}× "
                                                 f"({r['jsonl']['seconds']:.1f} vs {r['jsonl']['pages_seconds']:.1f} s)" for r in results], "≤ 1.1×")
    row("First run (pages and site)", [f"{r['first_run']['seconds']:.1f} s, peak {r['first_run']['rss_kb'] / 1024:.0f} MB"
                                       for r in results])
    lines = ["| Measure | " + " | ".join(sizes) + " | Target |", "|---|" + "---|" * len(sizes) + "---|"]
    lines += [f"| {name} | " + " | ".join(cells) + f" | {target} |" for name, cells, target in rows]
    return "\n".join(lines)


SITE_METHOD = """\
Corpora of generated documents (`site_document` in bench/run.py): two in three Chinese dumps with the
seed's body lines made particular to each, one in three English Markdown documents with front
matter; distinct titles, dates spread over six years (one in fifty undated), eight sources. Every
command is the whole process (`python render.py ...`, default `--jobs`), timed from outside, with peak
memory from `wait4`. Load times are Chromium's navigation timing (navigation start to the end of
`load`), median of 7 loads after one, from `file://`, against a bare page of 100 links made in the
same run. The search is timed from typing to the title shown, in a fresh page (the catalogue is read
as the query needs it). "After one change": one document's text, then its title, changed and the
folder rendered again; against the changed document rendered alone into an empty folder (best of 3).
CPU is user and system time of the process and its workers (`wait4`): on a busy machine it says more
than the wall time. The unchanged re-run follows them, nothing changed since the run before.
"""

SITE_START, SITE_END = "<!-- site: python bench/run.py --site -->", "<!-- /site -->"


def with_site_section(document: str, section: str) -> str:
    """BENCHMARKS.md with its site section replaced (or added at the end)."""
    block = f"{SITE_START}\n{section}\n{SITE_END}"
    if SITE_START in document and SITE_END in document:
        return document[: document.index(SITE_START)] + block + document[document.index(SITE_END) + len(SITE_END):]
    return document.rstrip("\n") + "\n\n" + block + "\n"


def site_section(document: str) -> str:
    """The site section of BENCHMARKS.md, markers included, or ''."""
    if SITE_START in document and SITE_END in document:
        return document[document.index(SITE_START): document.index(SITE_END) + len(SITE_END)]
    return ""


def run_site(sizes: list[int], output: Path | None, step) -> int:
    take_snapshot()
    WORK.mkdir(parents=True, exist_ok=True)
    load = [round(x, 2) for x in os.getloadavg()]
    results = [measure_site(n, step) for n in sizes]
    table = site_report(results)
    print(table)
    if output is not None:
        section = textwrap.dedent(f"""\
            ## The site of a large corpus

            Produced by `python bench/run.py --site` ({time.strftime('%Y-%m-%d', time.gmtime())}; load average at start {load},
            at end {[round(x, 2) for x in os.getloadavg()]}).

            """) + table + "\n\n" + SITE_METHOD + "\n```json\n" + json.dumps(results, indent=1, ensure_ascii=False) + "\n```"
        document = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
        output.write_text(with_site_section(document, section), encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report(r: dict) -> tuple[str, list[bool]]:
    s, m = r["startup"], r["startup"]["median"]
    one_ratio = m["render"] / m["floor"]
    batch, bare = r["batch"], r["bare_docs_per_s"]
    batch_ratio = batch["docs_per_s"] / bare
    cores = r["machine"]["cores"]
    capacity = min(r["capacity_before_batch"], r["capacity_after_batch"])
    pandoc = r["pandoc"]
    per_doc = batch["seconds"] / batch["n"]
    mb = next(row for row in r["sizes"] if row["times"] == 100)
    piece = mb["seconds"] / mb["times"]
    sizes = r["sizes"]
    largest, middle = sizes[-1], sizes[-2]
    time_linear = (largest["seconds"] / largest["times"]) / (sizes[1]["seconds"] / sizes[1]["times"])
    # Memory: growth of peak RSS per piece, the largest document against the one before it
    # (below ~100× the growth is lost in the allocator's slack).
    memory_linear = (largest["growth_kb"] / largest["times"]) / max(middle["growth_kb"] / middle["times"], 1)
    mem_small, mem_large = r["memory"]["small"], r["memory"]["large"]
    mem_ratio = mem_large["rss_kb"] / mem_small["rss_kb"]
    per_doc_kb = (mem_large["rss_kb"] - mem_small["rss_kb"]) / (mem_large["n"] - mem_small["n"])
    page_kb = sizes[0]["page_bytes"] / 1024
    rerun = r["rerun"]
    rerun_ratio = rerun["rerun_seconds"] / rerun["first"]["seconds"]

    rows = [
        ("One seed, whole process / import floor", f"{one_ratio:.2f}×", "≤ 1.25×", one_ratio <= 1.25,
         f"{m['render'] * 1000:.0f} ms vs {m['floor'] * 1000:.0f} ms (bare `python -c pass`: {m['python'] * 1000:.0f} ms)"),
        ("`--json` imports Jinja2 or Markdown", ", ".join(s["json_imports"]) or "neither", "neither",
         not s["json_imports"], f"--json one seed: {m['json'] * 1000:.0f} ms"),
        (f"Batch of {batch['n']} (-j {r['machine']['cores']}) / bare Python-Markdown loop", f"{batch_ratio:.2f}×", "≥ 1.5×",
         batch_ratio >= 1.5, f"{batch['docs_per_s']:.0f} docs/s vs {bare:.0f} docs/s (one core); -j 1: {r['batch_j1']['docs_per_s']:.0f} docs/s; "
         f"CPU {batch['cpu_ms_per_doc']:.2f} ms/doc vs Markdown alone {1000 / bare:.2f} ms; the machine gave "
         f"{capacity:.2f} cores' worth around the batch, and {cores} free cores at that CPU would give "
         f"{cores * 1000 / batch['cpu_ms_per_doc']:.0f} docs/s ({cores * 1000 / batch['cpu_ms_per_doc'] / bare:.2f}×)"),
    ]
    if pandoc:
        pandoc_ratio = batch["docs_per_s"] / pandoc["docs_per_s"]
        rows.append(("Batch / pandoc once per file", f"{pandoc_ratio:.1f}×", "≥ 40×", pandoc_ratio >= 40,
                     f"pandoc {pandoc['docs_per_s']:.1f} docs/s over {pandoc['files']} files ({pandoc['version']})"))
    else:
        rows.append(("Batch / pandoc once per file", "n/a", "≥ 40×", True, "pandoc not found (pip install -r requirements-bench.txt)"))
    rows += [
        ("1 MB document: cost per seed-sized piece / batch cost per document", f"{piece / per_doc:.2f}×", "≤ 2×",
         piece / per_doc <= 2, f"{mb['seconds']:.2f} s for {mb['bytes'] / 1e6:.2f} MB = {piece * 1000:.2f} ms/piece; batch {per_doc * 1000:.2f} ms/doc"),
        (f"Time per piece, {largest['times']}× / {sizes[1]['times']}× the seed", f"{time_linear:.2f}×", "≈ 1 (linear)",
         time_linear <= 1.5, ", ".join(f"{row['times']}×: {row['seconds'] * 1000:.0f} ms" for row in sizes)),
        (f"Memory growth per piece, {largest['times']}× / {middle['times']}×", f"{memory_linear:.2f}×", "≈ 1 (linear)",
         memory_linear <= 1.5, ", ".join(f"{row['times']}×: +{row['growth_kb'] / 1024:.0f} MB" for row in sizes)),
        (f"Peak memory, batch of {mem_large['n']} / batch of {mem_small['n']}", f"{mem_ratio:.2f}×", "flat (≤ 1.25×)",
         mem_ratio <= 1.25, f"{mem_small['rss_kb'] / 1024:.0f} MB vs {mem_large['rss_kb'] / 1024:.0f} MB peak RSS: "
         f"{per_doc_kb:.1f} KB more per document (the input list and one index record each; a page is {page_kb:.0f} KB "
         "and none is kept)"),
        (f"Re-run over {rerun['first']['n']} unchanged / first run", f"{rerun_ratio:.3f}×", "≤ 0.1×", rerun_ratio <= 0.1,
         f"{rerun['rerun_seconds']:.2f} s vs {rerun['first']['seconds']:.2f} s; \"{rerun['summary']}\""),
    ]
    lines = ["| Measure | Result | Target | Holds | Context |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {value} | {target} | {verdict(ok)} | {context} |" for name, value, target, ok, context in rows]
    return "\n".join(lines), [ok for *_, ok, _ in rows]


def phases_table(r: dict) -> str:
    """Milliseconds per seed-sized document for each step, in one warm process on one core."""
    p = r["phases"]
    rows = [("parse the dump (`parse_document`)", p["parse"]), ("restore the text (`restore`)", p["restore"]),
            ("the page (`render_page`)", p["page"]), ("… of which the body's HTML (`body_html`)", p["body"]),
            ("the bare loop's stock Python-Markdown on the same bodies", p["stock markdown"])]
    total = p["parse"] + p["restore"] + p["page"]
    lines = ["| Step | ms per document |", "|---|---|"] + [f"| {name} | {ms:.2f} |" for name, ms in rows]
    lines.append(f"| parse + restore + page | {total:.2f} ({total / p['stock markdown']:.2f}× stock Markdown) |")
    return "\n".join(lines)


EXTRACTION_HEADING = "## Finding the article"


def extraction_section(report: Path) -> str:
    """The report's section on finding the article, as it stands: bench/extraction.py measures that, not this run."""
    old = report.read_text(encoding="utf-8") if report.is_file() else ""
    start = old.find("\n" + EXTRACTION_HEADING)
    if start < 0:
        return ""
    end = old.find("\n## ", start + 1)
    return old[start + 1: end + 1 if end >= 0 else len(old)]


METHOD = """\
## Method

The renderer measured is a copy of render.py and templates/ taken when the run starts (bench/work/snapshot/).
Times are wall-clock; "CPU" is user + system time of the process and its workers (`wait4`).

- **One seed**: `python render.py -q --force -o DIR seed.txt` against the import floor
  `python -c "import markdown, jinja2"` (and `python -c pass`), {runs} interleaved runs each after one warm-up,
  medians of wall time. The Jinja2 bytecode cache is warm (it is after any first run); with it off
  (`RENDER_TEMPLATE_CACHE=0`) one run took {cold_ms:.0f} ms. `--json` imports are read from `python -X importtime`.
- **Batch**: {n} distinct seed-sized documents (the seed with its numbers shifted, its body lines rotated and a
  character particular to the document put in front of each headline and body line, so that no line recurs),
  `python render.py -q --force -o DIR FOLDER` with the default `--jobs` (number of cores), whole process
  including start-up, against a bare loop in one process: one
  `markdown.Markdown(extensions=[tables, fenced_code, sane_lists])` (render.py's instance for Markdown
  documents) with `reset()` converting the seed's body written as Markdown {n} times after 20 warm-ups. pandoc: `pandoc -f markdown -t html5 -s` once per file over the first {pandoc_files} files.
- **Where the time goes**: 200 of the batch's documents in one warm process, each step over all of them,
  best of several rounds (single core, no writing). Text documents never go through Python-Markdown: "body"
  is the direct HTML of their sections; "stock" is the bare loop's instance on the same bodies as Markdown.
- **Sizes**: one document of 1×, 10×, 100×, 1000× the seed's body (each copy's lines made particular), rendered and
  written in a process that has already rendered the seed once; time of `read_document` + `render_document` +
  `write_atomic`, memory as the growth of peak RSS (`ru_maxrss`) over that warm process.
  "Cost per piece" of the 1 MB (100×) document is its time / 100.
- **Memory in N**: peak RSS (`wait4` `ru_maxrss`: the largest process of the run) of batches of
  {small} and {large} documents.
- **Worst cases**: each pathological input of issue 15 (`worst_case()` in bench/run.py) at 64 KB and 1 MB,
  `render_document` in one warm process (best of 3 at 64 KB, one run at 1 MB), in seconds per MB, against the
  seed's seconds per MB in the same process (best of 20). The target: within 5× the seed.
- **Re-run**: `python render.py` over the {large}-document folder, once into an empty output folder, then again
  with nothing changed (the manifest's content hashes skip every page).
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small corpora; print the table, write nothing")
    parser.add_argument("--worst", action="store_true", help="only the worst-case table (issue 15's pathological inputs "
                        "at 64 KB and 1 MB against the seed, per MB); print it, write nothing")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help="where to write the report")
    parser.add_argument("--site", action="store_true", help="measure the site of large corpora instead (issue 13)")
    parser.add_argument("--site-sizes", default="10000,100000", help="corpus sizes for --site (default: %(default)s)")
    args = parser.parse_args()
    n, large, runs, pandoc_files = (200, 1000, 5, 20) if args.quick else (1000, 10000, 15, 100)
    multiples = [1, 10, 100] if args.quick else [1, 10, 100, 1000]
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def step(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    if args.site:
        return run_site([int(n) for n in args.site_sizes.split(",")], None if args.quick else args.output, step)

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    render = take_snapshot()
    if args.worst:
        step("worst cases")
        table, holds = worst_table(measure_worst())
        print(table)
        print(f"Load average at start {load_at_start}, at end {[round(x, 2) for x in os.getloadavg()]}.")
        return 0 if all(holds) else 1
    results: dict = {"machine": machine(render)}
    step("one seed vs the import floor")
    results["startup"] = measure_startup(runs)
    step(f"corpora: {n} and {large} documents")
    batch_dir = make_batch(WORK / f"batch_{n}", n)
    large_dir = make_batch(WORK / f"batch_{large}", large)
    step("bare Python-Markdown loop")
    results["bare_docs_per_s"] = measure_bare_loop(n)
    step("where a document's time goes")
    results["phases"] = measure_phases(200, 3 if args.quick else 7)
    step(f"batch of {n}")
    results["capacity_before_batch"] = parallel_capacity(os.cpu_count() or 1)
    results["batch"] = measure_batch(batch_dir, WORK / "out_batch")
    results["capacity_after_batch"] = parallel_capacity(os.cpu_count() or 1)
    results["batch_j1"] = measure_batch(batch_dir, WORK / "out_batch_j1", jobs=1)
    step("pandoc once per file")
    results["pandoc"] = measure_pandoc(batch_dir, WORK / "out_pandoc", pandoc_files)
    step("sizes " + ", ".join(f"{k}×" for k in multiples))
    results["sizes"] = measure_sizes(multiples)
    step("worst cases")
    results["worst"] = measure_worst()
    step(f"batch of {large}, then a re-run")
    results["rerun"] = measure_rerun(large_dir, WORK / "out_large")
    results["memory"] = {"small": results["batch"], "large": results["rerun"]["first"]}
    step("done")
    results["machine"]["load_average"] = {"start": load_at_start, "end": [round(x, 2) for x in os.getloadavg()]}

    table, holds = report(results)
    worst, worst_holds = worst_table(results["worst"])
    holds += worst_holds
    mach = results["machine"]
    header = (f"Machine: {mach['cpu']}, {mach['cores']} cores, Python {mach['python']}, {mach['os']}; "
              f"Markdown {mach['markdown']}, Jinja2 {mach['jinja2']}, render.py {mach['render']}. "
              f"Load average (1, 5, 15 min) at start {mach['load_average']['start']}, at end {mach['load_average']['end']}.")
    method = METHOD.format(runs=runs, cold_ms=results["startup"]["cold_no_template_cache"] * 1000, n=n,
                           pandoc_files=results["pandoc"]["files"] if results["pandoc"] else 0, small=n, large=large)
    print(table)
    print(phases_table(results))
    print(worst)
    print(header)
    if not args.quick:
        document = textwrap.dedent(f"""\
            # Benchmarks

            Produced by `python bench/run.py` ({time.strftime('%Y-%m-%d', time.gmtime())}, {time.perf_counter() - started:.0f} s).
            Ratios are what count; absolute times are context for this machine only.

            {header}

            """) + table + "\n\n## Where a document's time goes\n\n" + phases_table(results) + "\n\n## Worst cases\n\n" + \
            worst + "\n\n" + extraction_section(args.output) + method + "\n## Raw figures\n\n```json\n" + \
            json.dumps(results, indent=1, ensure_ascii=False) + "\n```\n"
        site = site_section(args.output.read_text(encoding="utf-8")) if args.output.exists() else ""
        args.output.write_text(document + ("\n" + site + "\n" if site else ""), encoding="utf-8")  # the --site figures stay
        print(f"wrote {args.output}", file=sys.stderr)
    return 0 if all(holds) else 1


if __name__ == "__main__":
    sys.exit(main())
