"""The HTML briefing in a real browser (Debian's Chromium, driven by Playwright): no console errors, no failed
or network requests, no horizontal overflow at desktop and phone widths."""

import shutil

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's 'chromium' package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_briefing_in_chromium(browser, seed_render, tmp_path, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors, failed, requests = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(seed_render.html.as_uri())
    page.wait_for_load_state("load")
    assert errors == [] and failed == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0 && i.alt.length > 20)")
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    # every table fits its column: nothing scrolls sideways inside it (on a phone its rows become labelled blocks)
    assert page.evaluate("[...document.querySelectorAll('table')].every(t => t.scrollWidth <= t.clientWidth + 1)")
    # charts are drawn at print width; on a phone they keep at least 80 % of that size (legible labels) and scroll
    # sideways inside their figure, not the page; on a desktop they fit
    scales = page.evaluate("[...document.querySelectorAll('figure.chart img')].map(i => i.width / i.naturalWidth)")
    scrolls = page.evaluate("[...document.querySelectorAll('figure.chart')].map(f => f.scrollWidth > f.clientWidth + 1)")
    assert len(scales) >= 3
    if width < 600:
        assert min(scales) >= 0.8 and all(scrolls), (scales, scrolls)
        hint = page.evaluate("getComputedStyle(document.querySelector('figure.chart figcaption'), '::before').content")
        assert "Scroll sideways" in hint
    else:
        assert not any(scrolls)
    if width < 600:
        label = page.evaluate("getComputedStyle(document.querySelector('tbody td'), '::before').content")
        first_header = page.evaluate("document.querySelector('thead th').textContent")
        assert label == f'"{first_header}"'
        assert page.evaluate("getComputedStyle(document.querySelector('thead')).position") == "absolute"
    shot = tmp_path / f"briefing-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()
