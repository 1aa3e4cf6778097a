"""The ``briefing`` command line: render, extract, params.

Exit codes: 0 rendered, 1 a stage failed, 2 bad input or parameters, 75 locked.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import EXIT_BAD_INPUT, BriefingError, InputError

EPILOG = """exit codes:
  0   rendered, or already up to date
  1   a stage failed (the last good briefing is kept; see reports/<slug>/failed/)
  2   bad input or parameters (nothing was run)
  75  locked: another render of the same article is running

environment:
  BRIEFING_FORK_KERNELS=0  start each kernel the usual way instead of forking it from a warm template
  BRIEFING_DEBUG=1         show the traceback of an internal error
  BRIEFING_KEEP_FAILED=N   keep the notebooks of an article's N newest failed runs (default 5)
"""


def _parameter_options(parser: argparse.ArgumentParser, scope: str) -> None:
    parser.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                        help=f"set a parameter{scope} (see 'briefing params'); repeatable")
    parser.add_argument("--params", metavar="FILE", help=f"YAML file of parameters{scope} (NAME: VALUE); -p overrides it")


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
    _parameter_options(r, "")
    r.add_argument("--timeout", type=int, metavar="SECONDS", help="time limit per notebook cell (default 600; "
                   "same as -p timeout SECONDS)")
    r.add_argument("--force", action="store_true", help="re-run every stage even if its inputs are unchanged")
    r.add_argument("--log-json", action="store_true", help="progress as JSON lines on stderr, for machines")
    r.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                   help="if another render of the same article is running, wait this long for it (default 0), then exit 75")
    r.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    x = sub.add_parser("extract", help="structure an article into tables (figures, quotes, people, ...)",
                       description="Write article.json, text.txt and paragraphs/figures/quotes/people/organisations/dates "
                                   "CSVs for one article into DIR.")
    x.add_argument("article", metavar="ARTICLE", help="plain-text article (UTF-8 or Windows-1252)")
    x.add_argument("--meta", metavar="META.yaml", help="metadata file (default: the article's .meta.yaml sidecar)")
    x.add_argument("--out", metavar="DIR", required=True, help="output folder (replaced atomically)")
    x.add_argument("--timeout", type=int, metavar="SECONDS", help="time limit for the extraction (default 600, as "
                   "for a render's notebook cell); exit 1 past it, with nothing written")

    d = sub.add_parser("case-draft", help="draft a case file from a court story, for a reporter to correct",
                       description="Write the court record the article itself gives (defendants, sentences, totals, "
                                   "court and judge) in the case-file format, each fact with 'source: article' and "
                                   "'confidence: article'. Correct it, then render with -p case FILE.")
    d.add_argument("article", metavar="ARTICLE", help="plain-text article (UTF-8 or Windows-1252)")
    d.add_argument("--meta", metavar="META.yaml", help="metadata file (default: the article's .meta.yaml sidecar)")
    d.add_argument("-o", "--out", metavar="case.yaml", help="file to write (default: print to standard output); "
                   "an existing file is not replaced")

    sub.add_parser("params", help="list render parameters with their defaults and help")

    b = sub.add_parser("batch", help="render many articles in parallel (locally or on a Dask cluster)",
                       description="Render every article matching the patterns (files, folders or globs such as "
                                   "'articles/*.txt'), each with its .meta.yaml sidecar and case file when present. "
                                   "Writes reports/batch-<run-id>.json and reports/index.html.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="exit codes:\n  0   every article rendered or up to date\n  1   at least one article "
                              "failed or had bad input (the others are rendered)\n  2   bad arguments")
    b.add_argument("patterns", nargs="+", metavar="PATTERN", help="article files, folders or glob patterns")
    b.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: the number of cores)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786; "
                   "workers need this project installed and the same paths (a shared file system)")
    _parameter_options(b, " for every article")
    b.add_argument("--out", metavar="DIR", help="reports folder (default: reports/)")
    b.add_argument("-q", "--quiet", action="store_true", help="print only the summary table")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        if args.command == "render":
            from .render import check_wait, render

            check_wait(args.wait)

            render(args.article, args.out, dict(args.parameter), quiet=args.quiet, timeout=args.timeout, wait=args.wait,
                   force=args.force, params_file=args.params, log_json=args.log_json)
        elif args.command == "extract":
            _extract(args)
        elif args.command == "case-draft":
            _case_draft(args)
        elif args.command == "batch":
            from .batch import format_table, run_batch

            if args.workers is not None and args.workers < 1:
                raise InputError("--workers: must be 1 or more")
            summary = run_batch(args.patterns, args.out, args.workers, args.scheduler, args.params,
                                dict(args.parameter), quiet=args.quiet)
            print(format_table(summary))
            return 0 if summary["ok"] else 1
        elif args.command == "params":
            from .params import describe

            print(describe())
    except BriefingError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not the user's input: one line, the traceback only on request
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        print(f"briefing: internal error: {type(exc).__name__}: {exc} (set BRIEFING_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 1
    return 0


def _extract(args) -> None:
    """``briefing extract``: the tables alone, under the render's time limit, holding the lock a render of the same
    folder holds (``data/processed/.<name>.lock``), so that neither replaces the other's tables midway."""
    from .extract import extract_article, write_tables
    from .locks import SlugLock
    from .errors import StageError
    from .params import MAX_TIMEOUT, RENDER_PARAMETERS
    from .paths import check_name
    from .publish import writable_folder
    from .timelimit import StageTimeout, time_limit

    for what, value in (("ARTICLE", args.article), ("--meta", args.meta), ("--out", args.out)):
        check_name(value, what)
    out = Path(os.path.abspath(args.out))
    parent = writable_folder(out.parent, "--out")
    limit = RENDER_PARAMETERS["timeout"].default if args.timeout is None else args.timeout
    if not 1 <= limit <= MAX_TIMEOUT:
        raise InputError(f"--timeout: must be a whole number of seconds from 1 to {MAX_TIMEOUT:,}, not {limit}")
    with SlugLock(parent, out.name):
        try:
            with time_limit(limit, "the extraction"):
                ex = extract_article(args.article, args.meta)
        except StageTimeout as exc:
            raise StageError(f"{exc}; nothing was written") from None
        for w in ex.warnings:
            print(f"warning: {w}", file=sys.stderr)
        written = write_tables(ex, out)
    counts = {k: len(v) for k, v in ex.tables.items()}
    print(f"wrote {written}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def _case_draft(args) -> None:
    from .court_record import draft_case, write_draft
    from .extract import court_json, extract_article

    out = Path(args.out) if args.out else None
    if out is not None and (out.exists() or out.is_symlink()):
        raise InputError(f"{out}: exists; name a new file (a draft never replaces a case file)")
    if out is not None and not out.parent.is_dir():
        raise InputError(f"{out.parent}: no such folder")
    ex = extract_article(args.article, args.meta)
    record = court_json(ex.tables["court"])
    if not record and ex.tables["defendants"].empty:
        raise InputError(f"{args.article}: not a court story, as far as the extractor can tell: no defendant, "
                         "verdict or sentence found")
    draft = draft_case(ex.article, ex.tables["defendants"], record)
    try:
        text = write_draft(draft, out)
    except OSError as exc:
        raise InputError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    if out is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {out}: {len(draft['defendants'])} defendants with a custodial term, "
              f"{len(draft.get('other_outcomes', []))} other outcomes", file=sys.stderr)
    if not draft["defendants"]:
        print("briefing: note: the article gives no custodial term for any one defendant; add the defendants "
              "before rendering with this file", file=sys.stderr)


def run() -> None:
    """The console script: ``main``, then exit without the interpreter's teardown.

    A render or batch imports some two thousand modules (papermill, nbconvert, WeasyPrint, ...); tearing them
    down takes about half a second after the work is done and every file is closed. Nothing is left to flush
    but the standard streams.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
