#!/usr/bin/env python3
"""Render a corpus with a Dask bag: render.render_document mapped over the files.

The pages are the ones `python render.py FOLDER -o OUT` writes (same names, same bytes); only the
scheduling differs. Locally the bag runs on a process pool:

    python examples/dask_render.py seeds/ out-dask/

On a cluster, start a dask.distributed scheduler and workers that can import render.py and read the
input paths (shared storage), then pass its address:

    python examples/dask_render.py /shared/corpus/ /shared/site/ --scheduler tcp://scheduler:8786

Only file names travel to the workers; each worker reads, renders and writes its pages and sends
back the few fields the index needs; the site's index pages are then written from them. Every worker keeps one Markdown instance and one Jinja2
environment for all its documents.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dask.bag as db

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import render  # noqa: E402


def render_file(item: tuple[str, str], out_dir: str) -> dict:
    """Read, render and write one document; the index entry or the error, never the page."""
    source, page_name = item
    path = Path(source)
    try:
        text, encoding = render.read_document(path)
        markdown = path.suffix.lower() in render.MARKDOWN_SUFFIXES
        page, meta = render.render_document(text, Path(page_name).stem, markdown, encoding=encoding)
        written = render.write_atomic(Path(out_dir) / page_name, page)
    except (render.DocumentError, OSError) as error:
        return {"error": f"{source}: {error}"}
    return {"href": page_name, "written": written, **{key: meta[key] for key in render.INDEX_FIELDS}}


def render_corpus(inputs: list[Path], out_dir: Path, scheduler: str = "processes", partitions: int | None = None) -> list[dict]:
    """Render every input into out_dir with Dask, write index.html, and return the index entries and errors."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = render.output_names(inputs)  # the CLI's names, clashes resolved the same way
    items = [(str(path), names[path]) for path in inputs]
    bag = db.from_sequence(items, npartitions=partitions or max(1, min(len(items), 64)))
    if scheduler.startswith(("tcp://", "tls://")):
        from dask.distributed import Client  # pip install "dask[distributed]"

        with Client(scheduler):
            results = bag.map(render_file, str(out_dir)).compute()
    else:
        results = bag.map(render_file, str(out_dir)).compute(scheduler=scheduler)
    entries = [r for r in results if "error" not in r]
    if entries:
        # The pages go into the folder's manifest (without an input hash: a later render.py run renders them
        # again), and the site (index, archive, sources, search) is written from it, as the command line does.
        manifest, _ = render.Manifest.open(out_dir)
        for entry in entries:
            manifest.record(entry["href"], "", entry["written"], entry)
        manifest.prune()
        render.write_site(out_dir, manifest)
        manifest.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", type=Path, help="files or folders, as for render.py")
    parser.add_argument("output", type=Path, help="folder for the pages and index.html")
    parser.add_argument("--scheduler", default="processes",
                        help="processes, threads, sync, or a dask.distributed address such as tcp://host:8786")
    parser.add_argument("--partitions", type=int, help="number of bag partitions (default: up to 64)")
    args = parser.parse_args(argv)
    inputs, missing = render.collect_inputs(args.inputs)
    results = render_corpus(inputs, args.output, args.scheduler, args.partitions)
    errors = [r["error"] for r in results if "error" in r] + [f"{path}: {reason}" for path, reason in missing]
    for error in errors:
        print(f"dask_render.py: error: {error}", file=sys.stderr)
    print(f"rendered {len(results) - len(errors) + len(missing)}, failed {len(errors)} -> {args.output}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
