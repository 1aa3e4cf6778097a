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
