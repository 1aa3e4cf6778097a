"""JupyterLab as a person uses it, on a fresh copy of the repository: started the way ``make lab`` starts it,
driven in Debian's Chromium through Playwright. Notebook 02 opened first runs all its cells without an error,
notebook 04 then shows the key-figure cards laid out as cards, and after saving, git shows no notebook modified."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's 'chromium' package)")
    base = tmp_path_factory.mktemp("lab")
    root = base / "clone"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("processed"))
    (root / "data" / "processed").mkdir()
    shutil.copy(ROOT / ".gitattributes", root / ".gitattributes")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    subprocess.run(GIT + ["init", "-q"], cwd=root, check=True)
    subprocess.run(GIT + ["add", "notebooks", ".gitattributes", ".gitignore"], cwd=root, check=True)
    subprocess.run(GIT + ["commit", "-qm", "fresh"], cwd=root, check=True)
    port = free_port()
    # a clean user profile: every cell in the page (no windowing, so each prompt can be read), no news prompt
    settings = base / "settings" / "@jupyterlab"
    for plugin, values in (("notebook-extension/tracker", {"windowingMode": "none"}),
                           ("apputils-extension/notification", {"fetchNews": "false"})):
        (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
        (settings / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values))
    env = {**os.environ, "BRIEFING_ROOT": str(root), "JUPYTER_PREFER_ENV_PATH": "1",
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"), "JUPYTER_CONFIG_DIR": str(base / "config")}
    # the arguments of `make lab`, and what a test needs: a port, a token, no browser of its own
    cmd = [str(ROOT / ".venv" / "bin" / "jupyter") if (ROOT / ".venv").is_dir() else "jupyter", "lab",
           f"--notebook-dir={root / 'notebooks'}", "--ContentsManager.pre_save_hook=briefing.lab.strip_outputs",
           "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=tok",
           "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(base / "lab.log", "w")
    server = subprocess.Popen(cmd, cwd=root / "notebooks", env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield {"root": root, "url": url, "browser": browser, "log": base / "lab.log"}
        finally:
            browser.close()
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


PROMPTS = ("() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]"
           ".map(p => p.textContent.trim())")


def run_all(page, name: str, url: str) -> None:
    # a workspace of its own, so that JupyterLab does not bring back (and run) the notebook opened before
    page.goto(f"{url}/lab/workspaces/{name.split('.')[0]}/tree/{name}?token=tok&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    # the kernel connected and idle (the status bar says so), or "Run All Cells" is not yet enabled
    page.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=120_000)
    for attempt in range(3):
        page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:  # the run has started when a prompt shows [*] or a number
            page.wait_for_function(f"() => ({PROMPTS})().some(t => /\\[(\\*|\\d+)\\]/.test(t))", timeout=20_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    # every code cell numbered, none still running
    page.wait_for_function(f"() => {{ const p = ({PROMPTS})(); return p.length > 0 && p.every(t => /\\[\\d+\\]/.test(t)); }}",
                           timeout=240_000)
    page.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=60_000)


def errors_shown(page) -> list[str]:
    return page.eval_on_selector_all(
        ".jp-NotebookPanel:not(.lm-mod-hidden) [data-mime-type='application/vnd.jupyter.error']",
        "els => els.map(e => e.textContent)")


def test_jupyterlab_runs_02_first_then_04_and_leaves_git_clean(lab):
    page = lab["browser"].new_page(viewport={"width": 1440, "height": 1000})
    run_all(page, "02-funding.ipynb", lab["url"])
    assert errors_shown(page) == [], lab["log"].read_text()[-2000:]
    assert page.get_by_text("tables were missing: made them from").count() >= 1
    page.keyboard.press("Control+s")
    time.sleep(1)
    page.close()
    page = lab["browser"].new_page(viewport={"width": 1440, "height": 1000})
    run_all(page, "04-briefing.ipynb", lab["url"])
    assert errors_shown(page) == []
    card = page.locator(".jp-OutputArea-output .card").first
    style = card.evaluate("e => { const s = getComputedStyle(e), p = getComputedStyle(e.parentElement); "
                          "return [s.backgroundColor, s.borderTopWidth, p.display]; }")
    assert style == ["rgb(244, 246, 248)", "4px", "grid"]  # a card, not a stack of lines
    page.keyboard.press("Control+s")
    time.sleep(2)
    status = subprocess.run(GIT + ["status", "--porcelain", "notebooks"], cwd=lab["root"], capture_output=True,
                            text=True, check=True).stdout
    assert status == "", status
