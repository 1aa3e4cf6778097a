"""Batch throughput: 1 worker against 2, per-article cost against a single render, peak memory per worker.

    .venv/bin/python benchmarks/batch.py [--articles 12]

The batch is the test articles plus variants (each article copied under a new name, so every one is rendered
from scratch); every run starts cold (fresh report and processed folders).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def make_batch(folder: Path, n: int) -> list[Path]:
    sources = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{src.stem}-{i:02d}.txt"
        shutil.copy(src, dst)
        out.append(dst)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "articles").mkdir()
        articles = make_batch(tmp / "articles", args.articles)
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "briefing"), "render", "--article", str(articles[0]), "--out", str(tmp / "single"),
                        "-q"], check=True)
        single = time.perf_counter() - t0
        results = {}
        for workers in (1, 2):
            code = ("import resource, sys, time; from briefing.batch import run_batch; t = time.perf_counter(); "
                    f"s = run_batch([{str(tmp / 'articles' / '*.txt')!r}], out={str(tmp / f'r{workers}')!r}, "
                    f"workers={workers}, processed_root={str(tmp / f'p{workers}')!r}, quiet=True); "
                    "print(time.perf_counter() - t, s['ok'], "
                    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            results[workers] = (float(out[0]), out[1] == "True", float(out[2]))
    n = args.articles
    t1, t2 = results[1][0], results[2][0]
    print(f"batch of {n} articles, cold")
    print(f"single render (briefing render, one article):  {single:6.1f} s")
    print(f"1 worker:  {t1:6.1f} s  {n / t1 * 60:5.1f} articles/min  {t1 / n:5.1f} s per article "
          f"({t1 / n / single:.2f}x a single render)  all ok: {results[1][1]}")
    print(f"2 workers: {t2:6.1f} s  {n / t2 * 60:5.1f} articles/min  {t2 / n:5.1f} s per article  all ok: {results[2][1]}")
    print(f"speed-up with 2 workers: {t1 / t2:.2f}x (target >= 1.7x on 2 cores)")
    print(f"peak memory of the largest single process (a worker or one of its kernels): "
          f"{max(r[2] for r in results.values()):.0f} MB")


if __name__ == "__main__":
    main()
