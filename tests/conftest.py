"""Fixtures shared by the tiers: one headless Chromium for the whole session. The browser and hub tests
share it: Playwright's sync API cannot be started a second time while the first is running."""

from __future__ import annotations

import os

import pytest
from benchmarks.kit.chromium import ARGS, CHROMIUM, missing

from tests.browser.pages import ARTIFACTS
from tests.helpers import skip_or_fail


@pytest.fixture(scope="session", autouse=True)
def no_real_learner_data(tmp_path_factory):
    """No test reads or writes a real learner's answers, briefs or room: the course's home is a fresh folder for the
    session, and no exchange or learner name is taken from the shell (a test that wants one sets its own). So what tests
    leave behind (test-artifacts/, screenshots, reports) holds only the tests' made-up data."""
    saved = {k: os.environ.pop(k, None) for k in ("COURSEKIT_HOME", "COURSEKIT_EXCHANGE", "COURSEKIT_LEARNER", "COURSEKIT_FACILITATOR")}
    os.environ["COURSEKIT_HOME"] = str(tmp_path_factory.mktemp("coursekit-home"))
    yield
    for k, v in saved.items():
        os.environ.pop(k, None)
        if v is not None:
            os.environ[k] = v


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
