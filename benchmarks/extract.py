"""Extraction throughput and memory: prints MB/s on 1 MB and 10 MB corpora built from the test articles.

    .venv/bin/python benchmarks/extract.py [--sizes 1 10] [--one-paragraph]

Linear scaling shows as a flat MB/s from 1 MB to 10 MB (no quadratic regex backtracking). ``--one-paragraph``
joins the articles with spaces instead of blank lines, as text pasted from a web page or a PDF often comes:
every pass must stay linear in a paragraph's length too (quote attribution once was not).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from pathlib import Path

from briefing.extract import extract_text
from briefing.text import normalise

ROOT = Path(__file__).resolve().parent.parent


def corpus(mb: float, one_paragraph: bool = False) -> str:
    files = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")) + [
        ROOT / "data" / "raw" / "oxford-times-2014-01-13-mp-urges-vigilance.txt"]
    parts = [normalise(f.read_bytes().decode("utf-8-sig")) for f in files]
    out, size, i = [], 0, 0
    target = int(mb * 1024 * 1024)
    while size < target:
        p = parts[i % len(parts)]
        out.append(p)
        size += len(p.encode("utf-8")) + 2
        i += 1
    return (" " if one_paragraph else "\n\n").join(p.replace("\n", " ") if one_paragraph else p for p in out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10], help="corpus sizes in MB")
    ap.add_argument("--one-paragraph", action="store_true", help="no paragraph breaks at all")
    args = ap.parse_args()
    extract_text(corpus(0.01))  # warm up imports and regex caches
    print(f"{'corpus':>8} {'seconds':>8} {'MB/s':>7} {'peak MB (tracemalloc)':>22} {'figures':>8} {'quotes':>7}")
    for mb in args.sizes:
        text = corpus(mb, args.one_paragraph)
        real_mb = len(text.encode("utf-8")) / 1024 / 1024
        t0 = time.perf_counter()
        tables = extract_text(text)
        dt = time.perf_counter() - t0
        # memory in a second pass: tracing slows Python down several times, so it is not timed
        tracemalloc.start()
        extract_text(text)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{real_mb:7.1f}M {dt:8.2f} {real_mb / dt:7.3f} {peak / 1024 / 1024:22.1f} {len(tables['figures']):8d} "
              f"{len(tables['quotes']):7d}")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
