"""The briefing's two documents: HTML from the executed notebook 04 (nbconvert, the project's template) and the PDF
printed from it (WeasyPrint, through ``briefing.weasy``)."""

from __future__ import annotations

from pathlib import Path

from . import __version__, paths
from .subsetter import font_subsetter


def preload_libraries() -> None:
    """nbconvert and WeasyPrint imported in a thread while the notebooks run: the HTML and PDF stages then start warm."""
    try:
        import nbconvert  # noqa: F401
        from nbconvert import HTMLExporter  # noqa: F401

        from . import weasy  # noqa: F401
    except Exception:  # the stage itself will report it
        pass


def versions() -> dict:
    from importlib.metadata import version

    out = {}
    for pkg in ("papermill", "nbconvert", "nbformat", "ipykernel", "pandas", "matplotlib", "weasyprint", "pandera", "pyyaml"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = None
    return out


def to_html(executed: Path, meta, slug: str) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    resources = {"briefing": {
        "title": meta.title or slug, "subject": f"Briefing on {meta.outlet + ': ' if meta.outlet else ''}{meta.title or slug}",
        "date": meta.published.isoformat() if meta.published else "", "version": __version__,
        "keywords": meta.topic,
    }}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html


def to_pdf(html: str, target: Path, base_url: str) -> list[str]:
    """Print the briefing; returns WeasyPrint's warnings (none for a briefing made by this package's template)."""
    from .weasy import write_pdf

    return write_pdf(html, target, base_url)


_SUBSETTER_NOTICE_GIVEN = False


def font_subsetter_notice(reporter) -> None:
    """Without HarfBuzz's subsetter, say once per process what that means for the PDF's bytes."""
    global _SUBSETTER_NOTICE_GIVEN
    from .subsetter import HARFBUZZ

    name = font_subsetter()
    if name != HARFBUZZ and not _SUBSETTER_NOTICE_GIVEN:
        _SUBSETTER_NOTICE_GIVEN = True
        reporter.event("notice", subsetter=name, message=(
            "note: this machine lacks libharfbuzz-subset0, so WeasyPrint subsets the PDF's fonts with fontTools: "
            "its PDFs are reproducible here, but not byte-identical to those of a machine that meets the README "
            "(install it: apt-get install libharfbuzz-subset0)"))
