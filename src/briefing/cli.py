"""The ``briefing`` command line: render, extract, params.

Exit codes: 0 rendered, 1 a stage failed, 2 bad input or parameters, 75 locked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import EXIT_BAD_INPUT, BriefingError

EPILOG = """exit codes:
  0   rendered
  1   a stage failed (the last good briefing is kept; see reports/<slug>/failed/)
  2   bad input or parameters (nothing was run)
  75  locked: another render of the same article is running
"""


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(prog="briefing", description="Turn a news article into a sourced, analysed HTML and PDF briefing.",
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    p.add_argument("--version", action="version", version=f"briefing {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("render", help="execute the four notebooks and write briefing.html and briefing.pdf",
                       description="Execute notebooks 01-04 with papermill, render 04 to HTML with the project's nbconvert "
                                   "template and print it to PDF with WeasyPrint. Defaults render the seed article.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    r.add_argument("--article", metavar="PATH", help="plain-text article (default: the seed in data/raw/); its "
                   "ARTICLE.meta.yaml sidecar is read when present")
    r.add_argument("--out", metavar="DIR", help="reports folder (default: reports/); the briefing goes to DIR/<slug>/")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                   help="set a parameter (see 'briefing params'); repeatable")
    r.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="time limit per notebook cell (default 600)")
    r.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                   help="if another render of the same article is running, wait this long for it (default 0), then exit 75")
    r.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    x = sub.add_parser("extract", help="structure an article into tables (figures, quotes, people, ...)",
                       description="Write article.json, text.txt and paragraphs/figures/quotes/people/organisations/dates "
                                   "CSVs for one article into DIR.")
    x.add_argument("article", metavar="ARTICLE", help="plain-text article (UTF-8 or Windows-1252)")
    x.add_argument("--meta", metavar="META.yaml", help="metadata file (default: the article's .meta.yaml sidecar)")
    x.add_argument("--out", metavar="DIR", required=True, help="output folder (replaced atomically)")

    sub.add_parser("params", help="list render parameters with their defaults and help")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        if args.command == "render":
            from .render import render

            render(args.article, args.out, dict(args.parameter), quiet=args.quiet, timeout=args.timeout, wait=args.wait)
        elif args.command == "extract":
            from .extract import extract_article, write_tables

            ex = extract_article(args.article, args.meta)
            for w in ex.warnings:
                print(f"warning: {w}", file=sys.stderr)
            out = write_tables(ex, args.out)
            counts = {k: len(v) for k, v in ex.tables.items()}
            print(f"wrote {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        elif args.command == "params":
            from .render import PARAMETERS

            for name, (typ, default, help_) in PARAMETERS.items():
                shown = "(from the article's metadata)" if default is None else json.dumps(default)
                print(f"{name:<12} {typ.__name__:<4} default {shown}\n             {help_}")
    except BriefingError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
