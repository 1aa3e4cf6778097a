"""reports/index.html: the page listing every briefing in a reports folder."""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from .. import slugs


INDEX_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;margin:0;background:#fff}
main{max-width:60rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:1.8rem;margin:0 0 .3rem} p.dek{color:#5a5a5a;margin:0 0 1.5rem}
ul.list{list-style:none;padding:0;margin:0} ul.list>li{border-top:1px solid #d9d9d9;padding:1rem 0}
ul.figs{margin:.3rem 0 .5rem;padding-left:1.2rem;font-size:.92rem} ul.figs li{padding:.1rem 0}
h2 a{color:#1a1a1a}
h2{font-size:1.15rem;margin:0 0 .2rem} .meta{color:#5a5a5a;font-size:.9rem;margin:0 0 .4rem}
.links a{margin-right:1rem;color:#0072B2}
"""


def index_link(folder: str) -> str:
    """A relative link to a briefing's folder, safe in an href whatever the folder is called: percent-encoded, so
    a name like ``javascript:alert(1)`` becomes the path ``javascript%3Aalert%281%29/``, never a scheme. (The index lists
    only folders named as slugs, letters, digits, '-' and '_'; this is a second guard.)"""
    return escape(quote(folder, safe="") + "/")


def write_index(reports: Path) -> Path:
    """reports/index.html: every briefing in the folder, newest article first; static, opens from disk."""
    items = []
    for summary_file in sorted(reports.glob("*/summary.json")):
        if not slugs.is_slug(summary_file.parent.name):
            continue  # a render's staging folder (hidden), or a folder a person made
        try:
            s = json.loads(summary_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(s, dict):
            continue
        items.append((s.get("published") or "", s, summary_file.parent.name))
    items.sort(key=lambda t: (t[0], t[2]), reverse=True)
    lis = []
    for _, s, folder in items:
        meta = " · ".join(str(x) for x in (s.get("outlet"), s.get("published")) if x)
        figs = "".join(f"<li>{escape(str(k))}</li>" for k in s.get("key_figures", [])[:4])
        link = index_link(folder)
        lis.append(
            f'<li><h2><a href="{link}briefing.html">{escape(str(s.get("title") or folder))}</a></h2>'
            f'<p class="meta">{escape(meta) or "outlet and date not given"}</p>'
            + (f'<ul class="figs">{figs}</ul>' if figs else "")
            + f'<p class="links"><a href="{link}briefing.html">HTML</a>'
              f'<a href="{link}briefing.pdf">PDF</a><a href="{link}manifest.json">manifest</a></p></li>')
    html = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Briefings</title>"
            f"<style>{INDEX_CSS}</style></head><body><main><h1>Briefings</h1>"
            f"<p class=\"dek\">{len(items)} briefing{'s' if len(items) != 1 else ''}</p><ul class=\"list\">{''.join(lis)}</ul>"
            "</main></body></html>\n")
    target = reports / "index.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target
