"""The whole pipeline, for real: papermill kernels, the nbconvert template, WeasyPrint."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import pypdf
import pytest

from briefing import kernels
from briefing.render import render
from conftest import ARTICLES, CASES, SEED

pytestmark = pytest.mark.slow


def pdf_text(path):
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))


def test_seed_outputs_exist(seed_render):
    d = seed_render.out_dir
    for name in ("briefing.html", "briefing.pdf", "manifest.json", "01-structure-article.ipynb", "02-funding.ipynb",
                 "03-sentencing.ipynb", "04-briefing.ipynb"):
        assert (d / name).is_file(), name
    assert not list(d.parent.glob(".staging-*"))


def test_seed_pdf_contents(seed_render):
    reader = pypdf.PdfReader(str(seed_render.pdf))
    assert 3 <= len(reader.pages) <= 7  # fewer, fuller pages (9 before charts, tables and notes could share pages)
    for page in reader.pages:  # the footer says whose briefing it is
        assert "Briefing on Oxford Times · 13 January 2014" in page.extract_text()
    text = pdf_text(seed_render.pdf)
    for needle in ("95", "£48m", "Key figures", "Sentencing", "Funding", "Voices", "Timeline", "Claim checks",
                   "Method and sources", "page 1 of", "+73%", "£7m", "£1.75m a home", "consistent within tolerance"):
        assert needle in text, needle
    meta = reader.metadata
    assert meta.title == "MP urges vigilance a year after child grooming trial"
    assert meta.subject and "Oxford Times" in meta.subject


def test_seed_html_has_no_code_prompts_or_parameters(seed_render):
    html = seed_render.html.read_text(encoding="utf-8")
    for bad in ("In&nbsp;[", "In [", "jp-InputArea", "input_prompt", "processed_dir =", "render_params",
                "injected-parameters", "import json", "report.load", "<script"):
        assert bad not in html, bad
    assert "<figure" in html and "<figcaption>" in html and "<caption>" in html and re.search(r'<th [^>]*scope="col"', html)
    assert re.search(r'<td [^>]*data-label="Verdict"', html)  # cells name their column, for the phone layout
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 3
    for img in imgs:
        assert re.search(r'src="data:image/svg\+xml;base64,[^"]+"', img) and re.search(r'alt="[^"]{40,}"', img)
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing to fetch: the page works offline
    # the method section describes the charts with the words the charts are drawn with (briefing.chart)
    from briefing import chart

    assert f"drawn as {chart.HATCHED}" in html and "open circles" not in html


def test_key_figure_cards_trace_to_figures_or_reference(seed_render):
    """Every number in a card is a figures row (linked to its sentence) or names a reference source."""
    html = seed_render.html.read_text(encoding="utf-8")
    cards = re.findall(r'<div class="card">(.*?)</div>', html, re.S)
    assert len(cards) >= 5
    for card in cards:
        value = re.search(r'<p class="value">(.*?)</p>', card, re.S).group(1)
        source = re.search(r'<p class="card-source">Source: (.*?)</p>', card, re.S).group(1)
        if source == "the article":
            assert re.search(r'<a [^>]*href="#note-\d+"', value), card
        else:
            assert "case file" in source or "deflator" in source or "CPI" in source, card
    notes = dict(re.findall(r'<li id="(note-\d+)">(.*?)</li>', html, re.S))
    for nid in re.findall(r'href="#(note-\d+)"', html):
        assert nid in notes


def test_manifest(seed_render):
    m = seed_render.manifest
    assert m["parameters"]["deflator"] == "gdp" and m["parameters"]["base_year"] == "2024-25"
    assert m["parameters"]["case"] == "data/reference/bullfinch_case.yaml"
    assert len(m["inputs"]["article"]["sha256"]) == 64 and "hmt_gdp_deflator_fy_2026-03.csv" in m["reference"]
    assert m["outputs"]["briefing.pdf"] == hashlib.sha256(seed_render.pdf.read_bytes()).hexdigest()


def test_byte_reproducible(seed_render, tmp_path, monkeypatch):
    """Same inputs, same bytes: also between kernels forked from the template and kernels started the usual way."""
    monkeypatch.setattr(kernels, "ENABLED", False)
    again = render(SEED, out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True)
    assert "kernel template" not in (again.out_dir / "render.log").read_text(encoding="utf-8")
    for name in ("briefing.html", "briefing.pdf"):
        assert (again.out_dir / name).read_bytes() == (seed_render.out_dir / name).read_bytes(), name


def test_byte_reproducible_across_processes_hash_seeds_and_folders(seed_render, tmp_path):
    """Two fresh interpreters with different hash seeds, rendering into different folders, print the bytes of the
    session's render; WeasyPrint has nothing to warn about, and the manifest names the font subsetter."""
    code = ("import sys\nfrom briefing.render import render\n"
            "render(sys.argv[1], out=sys.argv[2], processed_root=sys.argv[3], quiet=True)")
    outs = []
    for seed in ("1", "4242"):
        base = tmp_path / f"run-{seed}" / "nested"
        subprocess.run([sys.executable, "-c", code, str(SEED), str(base / "reports"), str(base / "processed")],
                       env={**os.environ, "PYTHONHASHSEED": seed}, check=True, timeout=300)
        outs.append(base / "reports" / SEED.stem)
    for name in ("briefing.html", "briefing.pdf"):
        assert {(d / name).read_bytes() for d in outs + [seed_render.out_dir]} == {
            (outs[0] / name).read_bytes()}, name
    for d in outs:
        assert "[WeasyPrint]" not in (d / "render.log").read_text(encoding="utf-8")
    assert seed_render.manifest["pdf_font_subsetter"] in ("harfbuzz", "fonttools")


def test_cpi_base_year_changes_the_funding_section(tmp_path):
    r = render(SEED, out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True,
               overrides={"deflator": "cpi", "base_year": "2013-14"})
    text = pdf_text(r.pdf)
    assert "2013-14 prices" in text and "ONS CPI" in text
    assert r.manifest["parameters"]["deflator"] == "cpi"


def test_untrusted_article_text_stays_text(tmp_path):
    art = tmp_path / "evil.txt"
    art.write_text('Mr Jay Evil, a spokesman, said: "<script>alert(1)</script> and <img src=x onerror=alert(2)> '
                   'cost {{ 7*7 }} and {% raw %} £5m."\n\nThe council spent £3m in 2019/20 and £4m in 2020/21.\n',
                   encoding="utf-8")
    r = render(art, out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True)
    html = r.html.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html and "{% raw %}" in html
    assert "49" not in re.sub(r"[0-9a-f]{12,}|base64,[^\"]+", "", html.split("<main")[1].split('id="method"')[0])


def test_article_without_money_or_case_renders_cleanly(tmp_path, monkeypatch):
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # the user's, as far as the kernels know
    r = render(ARTICLES / "no-numbers.txt", out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True)
    text = pdf_text(r.pdf)
    # empty sections collapse into one line, not a heading each
    assert "Not in this article: sums of money, dates, a court record to check its figures against, figures that " \
           "can be checked against each other." in text
    assert "Funding" not in text and "Claim checks" not in text and "Voices" in text
    assert "It quotes Rosa Linden." in text and "1 quotation;" in text  # the summary names who speaks when there is nothing else to say
    assert "page 1 of 1" in text and len(pypdf.PdfReader(str(r.pdf)).pages) == 1
    # its four kernels kept their cells out of the user's IPython history
    assert (tmp_path / "ipython" / "profile_default").is_dir()
    assert not (tmp_path / "ipython" / "profile_default" / "history.sqlite").exists()


def test_determinate_case_from_metadata_flags_inconsistency(tmp_path):
    r = render(CASES / "harbourside-fraud.txt", out=tmp_path / "reports", processed_root=tmp_path / "processed",
               quiet=True)
    assert r.manifest["parameters"]["case"].endswith("harbourside-case.yaml")
    assert "inconsistent" in pdf_text(r.pdf)


def test_failed_run_keeps_the_last_good_briefing(tmp_path, monkeypatch):
    from briefing import paths

    out = tmp_path / "reports"
    good = render(SEED, out=out, processed_root=tmp_path / "processed", quiet=True)
    before = good.pdf.read_bytes()
    broken = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, broken)
    nb = (broken / "03-sentencing.ipynb").read_text(encoding="utf-8")
    (broken / "03-sentencing.ipynb").write_text(nb.replace('"frames.claims(res.claims)"', '"1 / 0"'), encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", broken)
    from briefing.errors import StageError

    with pytest.raises(StageError, match="03-sentencing.ipynb failed in cell .*ZeroDivisionError"):
        render(SEED, out=out, processed_root=tmp_path / "processed", quiet=True)
    assert good.pdf.read_bytes() == before
    failed = list((good.out_dir / "failed").iterdir())
    assert len(failed) == 1 and (failed[0] / "03-sentencing.ipynb").exists()
    # executed up to the failing cell and saved with its error (papermill writes it once, on the error)
    kept = json.loads((failed[0] / "03-sentencing.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in kept["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert [e["ename"] for e in errors] == ["ZeroDivisionError"]


def test_second_concurrent_render_exits_75(tmp_path):
    import subprocess
    import sys

    from briefing.locks import SlugLock

    reports = tmp_path / "reports"
    reports.mkdir()
    with SlugLock(reports, SEED.stem):
        r = subprocess.run([sys.executable, "-m", "briefing.cli", "render", "--out", str(reports), "--wait", "0.5"],
                           capture_output=True, text=True)
    assert r.returncode == 75, r.stderr
    assert "being rendered" in r.stderr and "Traceback" not in r.stderr
    assert not (reports / SEED.stem).exists()


def test_lock_of_a_killed_process_is_released(tmp_path):
    import subprocess
    import sys

    from briefing.locks import SlugLock

    reports = tmp_path / "reports"
    reports.mkdir()
    code = f"from briefing.locks import SlugLock; from pathlib import Path; import os; l = SlugLock(Path({str(reports)!r}), 'x'); l.__enter__(); os.kill(os.getpid(), 9)"
    subprocess.run([sys.executable, "-c", code])
    assert (reports / ".x.lock").exists()
    with SlugLock(reports, "x", wait=0):
        pass
