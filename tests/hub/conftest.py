"""A real JupyterHub for the hub tests (see benchmarks/kit/hubkit.py); skips with one reason where it cannot run, fails
under CI=true."""

from __future__ import annotations

import pytest
from benchmarks.kit import hubkit

from tests.helpers import ROOT, skip_or_fail

ARTIFACTS = ROOT / "test-artifacts" / "hub"
LEARNERS = ["learner1", "learner2"]


@pytest.fixture(scope="module")
def course_hub(tmp_path_factory):
    """A hub with two learners created and started through its REST API, and the course served as a git repository."""
    skip_or_fail(hubkit.missing(), "hub")
    work = tmp_path_factory.mktemp("hub")
    repos = work / "repos"
    repos.mkdir()
    hubkit.bare_repo(repos)
    exchange = work / "exchange"  # the facilitator's hand-in folder, as nbgrader's inbound: learners write, never list
    exchange.mkdir()
    exchange.chmod(0o1733)
    with hubkit.git_server(repos) as git, hubkit.running_hub(work / "hub", {"COURSEKIT_EXCHANGE": str(exchange)}) as hub:
        hub.create_learners(LEARNERS)
        for name in LEARNERS:
            hubkit.seed_learner_settings(hub.home(name))
            hub.start_server(name)
        for name in LEARNERS:
            hub.wait_ready(name)
        hub.extra["repo_url"] = f"{git}/{hubkit.REPO_NAME}"
        hub.extra["exchange"] = exchange
        yield hub


@pytest.fixture(scope="module")
def hub_browser(browser):
    """The session's Chromium (tests/conftest.py): a second Playwright in the same run would fail to start."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return browser
