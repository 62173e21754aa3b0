"""Fixtures shared by the tiers: one headless Chromium for the whole session. The browser and hub tests
share it: Playwright's sync API cannot be started a second time while the first is running."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import ARGS, ARTIFACTS, CHROMIUM, _missing


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, headless. Skips with one reason without it; under CI (CI=true) that is a failure."""
    why = _missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests are required in CI: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
