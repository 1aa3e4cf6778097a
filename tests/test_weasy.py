"""WeasyPrint loads its C libraries without the compiler runs of ctypes.util.find_library."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def compiler_runs(tmp_path, code: str) -> int:
    """How often a Python snippet runs gcc or ld (stand-ins first on PATH, which count their calls)."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in ("gcc", "cc", "ld"):
        (bin_dir / tool).write_text(f"#!/bin/sh\necho {tool} >> {log}\nexit 1\n")
        (bin_dir / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_weasyprint_loads_without_running_the_compiler(tmp_path):
    code = ("from briefing.weasy import weasyprint\n"
            f"weasyprint.HTML(string='<p>Budget: £48m</p>').write_pdf({str(tmp_path / 'out.pdf')!r})")
    assert compiler_runs(tmp_path, code) == 0
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_a_plain_import_of_weasyprint_runs_the_compiler(tmp_path):
    """What briefing.weasy avoids (if this ever fails, WeasyPrint or cffi have stopped doing it)."""
    assert compiler_runs(tmp_path, "import weasyprint") > 0


def _print_in_a_new_process(tmp_path, name, html, env=None, fonttools=False):
    """Print ``html`` in a fresh interpreter; ``fonttools``: as on a machine without libharfbuzz-subset."""
    target = tmp_path / name
    code = ("import sys\nfrom briefing.weasy import weasyprint, write_pdf\n"
            + ("import weasyprint.pdf.fonts\nweasyprint.pdf.fonts.harfbuzz_subset = None\n" if fonttools else "")
            + "print(write_pdf(sys.argv[1], sys.argv[2], '.'))")
    r = subprocess.run([sys.executable, "-c", code, html, str(target)], env={**os.environ, **(env or {})},
                       capture_output=True, text=True, timeout=120, check=True)
    return target.read_bytes(), r.stdout


HTML = "<html lang=\"en\"><title>t</title><h1>Budget</h1><p>Spending rose from <b>£24m</b> to <i>£48m</i> – “up 100%”, café.</p>"


def test_fonttools_subsets_print_the_same_bytes_at_any_time(tmp_path):
    """fontTools stamps a subset font with the time it is written (SOURCE_DATE_EPOCH stands in for two moments
    far apart); briefing.weasy keeps the font's own stamp, so PDFs made without HarfBuzz are reproducible too."""
    first, _ = _print_in_a_new_process(tmp_path, "a.pdf", HTML, {"SOURCE_DATE_EPOCH": "1", "PYTHONHASHSEED": "1"},
                                       fonttools=True)
    again, _ = _print_in_a_new_process(tmp_path, "b.pdf", HTML,
                                       {"SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": "2"}, fonttools=True)
    assert first == again


def test_fonttools_timestamps_do_change_without_the_fix(tmp_path):
    """What the test above guards against (if this fails, fontTools no longer stamps subsets with the time)."""
    code = ("import io, sys\nfrom fontTools.ttLib import TTFont\nfrom briefing.weasy import weasyprint\n"
            "from weasyprint.pdf.fonts import TTFont as Patched\n"
            "path = sys.argv[1]\nfor cls in (TTFont, Patched):\n"
            "    out = io.BytesIO(); cls(path).save(out); print(TTFont(io.BytesIO(out.getvalue()))['head'].modified)\n")
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not os.path.exists(font):
        pytest.skip("DejaVu Sans is not installed")
    out = subprocess.run([sys.executable, "-c", code, font], env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
                         capture_output=True, text=True, check=True).stdout.split()
    stamped, kept = int(out[0]), int(out[1])
    assert stamped == 1700000000 + 2082844800  # fontTools counts from 1904
    assert kept != stamped


def test_subsetter_probe_agrees_with_weasyprint():
    from briefing.subsetter import font_subsetter
    from briefing.weasy import weasyprint  # noqa: F401
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    expected = "harfbuzz" if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0) else "fonttools"
    assert font_subsetter() == expected


def test_write_pdf_returns_weasyprint_warnings(tmp_path):
    """WeasyPrint ignores media features; rules a browser needs for phones go in <style media="screen">."""
    rule = "@media screen and (max-width: 600px) { p { color: red } }"
    _, warned = _print_in_a_new_process(tmp_path, "a.pdf", f"<style>{rule}</style>{HTML}")
    assert "Invalid media type" in warned
    _, quiet = _print_in_a_new_process(tmp_path, "b.pdf", f'<style media="screen">{rule}</style>{HTML}')
    assert quiet.strip() == "[]"
