"""Ingest rate for web pages: main-text extraction in the cleaning workers against extraction where the pages
are read.

    python bench/page_ingest.py [--data ../shared/data] [--repeat 2] [--dask local]

The pages are the HTML of the L3S-GN1 dev pages (298 news pages of 2007), written as ``.html`` files, each
``--repeat`` times under another name (the copies are found as exact duplicates, as a re-crawl's would be).
Extracting a page's main text (trafilatura) costs about ten times the cleaning of its article, so where it
runs decides the rate:

* **workers** (newsfold now): the reader hands each page on unextracted and the worker processes that clean
  extract it too (``read_inputs(defer_pages=True)``, as ``newsfold ingest`` reads);
* **reading process** (the baseline, newsfold before 2026-11-25): every page extracted as it is read, in the
  one process that also detects copies, clusters and stores.

Both ingest the same files into fresh stores in the same run, with a worker per CPU. ``--dask local`` adds a
third row: extraction and cleaning on a local Dask cluster of a worker process per CPU. Exits 0 without data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PAGES = "l3s-gn1-dev.jsonl"


def write_pages(data: Path, folder: Path, repeat: int) -> int:
    count = 0
    with open(data / PAGES, encoding="utf-8") as handle:
        for number, raw in enumerate(handle):
            html = json.loads(raw).get("html")
            if not html:
                continue
            for copy in range(repeat):
                (folder / f"page-{number:04d}-{copy}.html").write_text(html, encoding="utf-8")
                count += 1
    return count


def rate(folder: Path, store_path: Path, *, defer: bool, engine=None) -> tuple[float, int]:
    import newsfold
    from newsfold.pipeline import Pipeline
    from newsfold.readers import read_inputs

    with newsfold.open_store(store_path) as store:
        start = time.perf_counter()
        report = Pipeline(store).run(read_inputs([folder], defer_pages=defer), engine=engine)
        elapsed = time.perf_counter() - start
    done = report.ingested + report.skipped + len(report.errors)
    return done / elapsed, report.ingested


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--repeat", type=int, default=2, help="times each page is written (under other names)"
    )
    parser.add_argument(
        "--dask", default=None, help="also extract and clean on a Dask cluster: local or ADDRESS"
    )
    args = parser.parse_args(argv)
    if not (args.data / PAGES).exists():
        print(f"No dev data at {args.data}; nothing to measure.")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        count = write_pages(args.data, folder, args.repeat)
        # Warm up: imports and models load once, outside the timings.
        rate(folder, Path(tmp) / "warm.db", defer=True)
        here, stored = rate(folder, Path(tmp) / "here.db", defer=False)
        workers, stored_workers = rate(folder, Path(tmp) / "workers.db", defer=True)
        assert stored == stored_workers
        rows = [
            ("extraction where pages are read (baseline)", here),
            ("extraction in the cleaning workers", workers),
        ]
        if args.dask:
            from newsfold.dask_engine import dask_engine

            with dask_engine(args.dask) as engine:
                on_cluster = rate(folder, Path(tmp) / "dask.db", defer=True, engine=engine)[0]
            rows.append(("extraction and cleaning on the Dask cluster", on_cluster))
    print(
        f"{count} HTML pages ({args.repeat} files each of the L3S-GN1 dev pages), {os.cpu_count()} CPUs, {stored} stored"
    )
    print(f"{'where the main text is extracted':46} {'pages/s':>8} {'ratio':>7}")
    for name, value in rows:
        print(f"{name:46} {value:8.1f} {value / here:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
