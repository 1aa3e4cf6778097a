"""Render timings on this machine, as ratios so that machine noise cancels.

    .venv/bin/python benchmarks/render.py [--repeat 3]

Prints:
- the floor: papermill executing one empty notebook, plus `python -c "import pandas, matplotlib"`; and a stricter
  floor without the rfc3987-syntax import that papermill's command pays and briefing skips;
- a cold render of the seed (HTML + PDF, --force) and its ratio to the floor (target: at most 2x);
- a warm re-render with nothing changed and its speed-up over cold (target: at least 20x, under a second);
- the naive route: `jupyter nbconvert --execute --to html` on each notebook in turn, then WeasyPrint on the
  last one, and how much faster `briefing render` is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "JUPYTER_PREFER_ENV_PATH": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, empty)
        reports = tmp / "reports"
        render = [str(BIN / "briefing"), "render", "--out", str(reports), "-q"]

        def median(f):
            return statistics.median(f() for _ in range(args.repeat))

        pandas = [sys.executable, "-c", "import pandas, matplotlib"]
        floor = median(lambda: timed([str(BIN / "papermill"), str(empty), str(tmp / "out.ipynb"), "--no-progress-bar"])
                       + timed(pandas))
        # the same, without the 2 s rfc3987-syntax import that briefing skips and the papermill command pays
        lean = median(lambda: timed([sys.executable, "-c", "import sys; sys.modules['rfc3987_syntax'] = None; "
                                     "from papermill.cli import papermill; papermill()", str(empty),
                                     str(tmp / "out.ipynb"), "--no-progress-bar"]) + timed(pandas))
        cold = median(lambda: timed(render + ["--force"]))
        warm = median(lambda: timed(render))

        def naive() -> float:
            t = 0.0
            for name in ("01-structure-article", "02-funding", "03-sentencing", "04-briefing"):
                t += timed([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", "--output-dir", str(tmp / "naive"),
                            str(ROOT / "notebooks" / f"{name}.ipynb")], cwd=ROOT / "notebooks")
            t += timed([sys.executable, "-c", f"import weasyprint; weasyprint.HTML({str(tmp / 'naive' / '04-briefing.html')!r})"
                        f".write_pdf({str(tmp / 'naive' / 'out.pdf')!r})"])
            return t

        slow = median(naive)
    print(f"floor (empty notebook via papermill + import pandas, matplotlib): {floor:6.2f} s")
    print(f"the floor without jsonschema's rfc3987-syntax import:            {lean:6.2f} s")
    print(f"cold render, HTML + PDF (--force):                               {cold:6.2f} s   {cold / floor:4.1f}x the floor (target <= 2x), "
          f"{cold / lean:3.1f}x the lean floor")
    print(f"warm re-render, nothing changed:                                 {warm:6.2f} s   {cold / warm:4.0f}x faster than cold (target >= 20x, < 1 s)")
    print(f"naive route (nbconvert --execute x4, then WeasyPrint):           {slow:6.2f} s   briefing render is {slow / cold:3.1f}x faster")
    print(f"(median of {args.repeat} runs each, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
