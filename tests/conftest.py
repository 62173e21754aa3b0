"""Fixtures shared by the tiers: one headless Chromium for the whole session. The browser and hub tests
share it: Playwright's sync API cannot be started a second time while the first is running."""

from __future__ import annotations

import pytest
from benchmarks.kit.chromium import ARGS, CHROMIUM, missing

from tests.browser.pages import ARTIFACTS
from tests.helpers import skip_or_fail


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, headless. Skips with one reason without it; under CI (CI=true) that is a failure."""
    skip_or_fail(missing(), "browser")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
