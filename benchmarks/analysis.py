"""Hostile articles through the extraction and notebook 02's analysis: prints seconds and MB/s.

    .venv/bin/python benchmarks/analysis.py [--sizes 1 4] [--shapes unbalanced unclosed sums] [--displays]

Three shapes from issue 25 (items 6 and 7), each at the issue's own size and at about 1 MB and 4 MB:

- ``unbalanced``: N opening quotation marks, a few words, N straight marks (N = 200,000 is the issue's 800 kB
  article, which took 58 s in ``briefing extract``; target under 10 s);
- ``unclosed``: lines that open a quotation and never close it, in one paragraph (the issue's "realistic unclosed
  runs", 11/25/67 s at 0.42/0.84/1.7 MB);
- ``sums``: paragraphs of two sums and their difference, in three wordings ("spent £4.2m in 2019, up from £3.1m,
  an increase of £1.1m"; a spend against a budget and the overspend; a sum at two financial years). 2,000 of
  them took 57 s in notebook 02 (target under 10 s).

Extraction is ``briefing.extract.extract_text``; notebook 02 is ``briefing.stages.run_funding`` on the tables
written for it (what the notebook calls; no kernel). ``--displays`` also times the tables notebook 02 shows
(``briefing.frames``, made into HTML as Jupyter does). Linear passes show as a flat MB/s from 1 MB to 4 MB.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from briefing.extract import Extraction, extract_text, write_tables
from briefing.stages import run_funding
from briefing.text import normalise

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def unbalanced(n: int) -> str:
    return "“" * n + " then some text, said Mr Smith. " + '"' * n


def unclosed(mb: float) -> str:
    lines, size, i = [], 0, 0
    while size < mb * MB:
        line = f"“We have been let down again by the council and nobody listens, said Jane Smith, line {i}."
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
        i += 1
    return "Residents said:\n\n" + "\n".join(lines)


def sums(n: int) -> str:
    out = []
    for i in range(n):
        y, a, b = 2000 + i % 20, 40 + i % 7, 30 + i % 9
        fy, fy3 = f"{y}/{(y + 1) % 100:02d}", f"{y + 3}/{(y + 4) % 100:02d}"
        out.append((
            f"The council spent £{a / 10:.1f}m in {y}, up from £{b / 10:.1f}m, an increase of £{(a - b) / 10:.1f}m.",
            f"The trust spent £{a / 10:.1f}m in {fy} against a budget of £{b / 10:.1f}m, an overspend of "
            f"£{(a - b) / 10:.1f}m.",
            f"The budget for roads rose from £{b / 10:.1f}m in {fy} to £{a / 10:.1f}m in {fy3}, an increase of "
            f"£{(a - b) / 10:.1f}m.")[i % 3])
    return "\n\n".join(out)


def sums_of_size(mb: float) -> str:
    per = len(sums(300).encode("utf-8")) / 300
    return sums(int(mb * MB / per))


def time_extraction(text: str) -> tuple[float, dict]:
    t0 = time.perf_counter()
    tables = extract_text(text)
    return time.perf_counter() - t0, tables


def time_funding(text: str, tables: dict, displays: bool) -> tuple[float, float | None, object]:
    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        folder = write_tables(Extraction({"slug": "bench"}, text, tables, []), tmp / "bench")
        t0 = time.perf_counter()
        res = run_funding(folder, ROOT / "data" / "reference")
        dt = time.perf_counter() - t0
        shown = None
        if displays:
            from briefing import frames

            t1 = time.perf_counter()
            frames.links(res.links)._repr_html_()
            for s, table, g in res.tables:
                frames.series(table, s.label, res.base_year, s.unit)._repr_html_()
                frames.growth(g, s.unit)._repr_html_()
            if not res.comparisons.empty:
                frames.budget(res.comparisons)._repr_html_()
            frames.sums(res.sums, res.base_year)._repr_html_()
            frames.per_unit(res.per_unit)._repr_html_()
            shown = time.perf_counter() - t1
        return dt, shown, res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 4], help="article sizes in MB (besides the issue's)")
    ap.add_argument("--shapes", nargs="+", default=["unbalanced", "unclosed", "sums"],
                    choices=["unbalanced", "unclosed", "sums"])
    ap.add_argument("--displays", action="store_true", help="also time the tables notebook 02 shows")
    args = ap.parse_args()
    extract_text(normalise(sums(3) + "\n\n" + unclosed(0.001)))  # warm up imports and regex caches

    cases = []
    if "unbalanced" in args.shapes:
        cases.append(("unbalanced, N=200,000", unbalanced(200_000)))
        cases += [(f"unbalanced, {mb:g} MB", unbalanced(int(mb * MB / 4))) for mb in args.sizes]
    if "unclosed" in args.shapes:
        cases += [(f"unclosed, {mb:g} MB", unclosed(mb)) for mb in [0.42] + args.sizes]
    if "sums" in args.shapes:
        cases.append(("sums, N=2,000", sums(2000)))
        cases += [(f"sums, {mb:g} MB", sums_of_size(mb)) for mb in args.sizes]

    head = f"{'article':<24} {'MB':>6} {'extract s':>10} {'MB/s':>7} {'02 s':>8} {'MB/s':>7}"
    print(head + (f" {'02 shown s':>10}" if args.displays else "") + f"  {'quotes':>7} {'sums':>7} {'series':>7} {'pairs':>6}")
    for name, text in cases:
        text = normalise(text)
        mb = len(text.encode("utf-8")) / MB
        dt, tables = time_extraction(text)
        line = f"{name:<24} {mb:6.2f} {dt:10.2f} {mb / dt:7.3f}"
        money = int((tables["figures"]["kind"] == "money").sum())
        if money:
            df, shown, res = time_funding(text, tables, args.displays)
            line += f" {df:8.2f} {mb / df:7.3f}" + (f" {shown:10.2f}" if args.displays else "")
            counts = f"  {len(tables['quotes']):7d} {money:7d} {len(res.series):7d} {len(res.comparisons):6d}"
        else:
            line += f" {'–':>8} {'–':>7}" + (f" {'–':>10}" if args.displays else "")
            counts = f"  {len(tables['quotes']):7d} {money:7d} {'–':>7} {'–':>6}"
        print(line + counts, flush=True)


if __name__ == "__main__":
    main()
