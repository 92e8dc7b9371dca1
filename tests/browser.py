"""What the browser tests share: Debian's Chromium launched by Playwright, a page on the served app, the folder the
screenshots go to. Test modules import the fixtures (`from tests.browser import browser, page`)."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, served):
    """A desk-sized page on the module's `served` app, loaded."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1400})
    pg = ctx.new_page()
    pg.goto(served.url + "/", wait_until="networkidle")
    yield pg
    ctx.close()
