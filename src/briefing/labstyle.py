"""The briefing's stylesheet for notebook 04 in JupyterLab, scoped to rendered HTML outputs.

Notebook 04 shows the briefing's sections one output at a time; without the stylesheet the key-figure cards
collapsed into a stack of lines and timeline entries ran together. The same ``briefing.css`` the HTML and PDF use
is shown in a cell tagged ``lab-only`` (the briefing template leaves such cells out), every selector prefixed
with JupyterLab's class for rendered HTML, so Lab's own interface is untouched; print-only and page rules are
dropped. tinycss2 (WeasyPrint's CSS parser) splits the rules.
"""

from __future__ import annotations

import tinycss2

from . import paths

SCOPE = ".jp-OutputArea-output.jp-RenderedHTMLCommon"  # outputs only: markdown cells keep Lab's look


def _scoped_selectors(prelude) -> str:
    selectors = tinycss2.serialize(prelude).strip()
    out = []
    for sel in selectors.split(","):
        sel = sel.strip()
        if sel in ("html", "body", ":root", "*"):
            out.append(SCOPE if sel != "*" else f"{SCOPE} *")
        elif sel.startswith(("html ", "body ")):
            out.append(f"{SCOPE} {sel.split(' ', 1)[1]}")
        else:
            out.append(f"{SCOPE} {sel}")
    return ", ".join(out)


def _rules(css: str) -> list[str]:
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            out.append(f"{_scoped_selectors(rule.prelude)} {{{tinycss2.serialize(rule.content)}}}")
        # at-rules (@page, @media print) describe paper, not a notebook
    return out


def lab_stylesheet() -> str:
    """A ``<style>`` element: briefing.css scoped to JupyterLab's rendered HTML outputs."""
    css = (paths.TEMPLATES_DIR / "briefing" / "briefing.css").read_text(encoding="utf-8")
    return "<style>\n" + "\n".join(_rules(css)) + "\n</style>"
