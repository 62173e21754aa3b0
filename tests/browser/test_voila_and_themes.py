"""One module under Voila (present mode) with real clicks, and the widgets in JupyterLab's dark theme."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from benchmarks.kit.net import free_port, wait_http
from playwright.sync_api import expect

from tests.browser.pages import ARTIFACTS, error_outputs, exercises, open_notebook, run_all, use_theme, wait_widgets
from tests.helpers import ROOT, contrast
from tests.helpers import luminance as _luminance


@pytest.mark.browser
def test_module_under_voila_responds_to_clicks(browser, tmp_path):
    port = free_port()
    env = {**os.environ, "COURSEKIT_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "coursekit.cli", "present", "intelligent-sales-foundation", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        wait_http(f"http://127.0.0.1:{port}/voila/tree", proc, 120)
        page.goto(f"http://127.0.0.1:{port}/voila/render/01-intelligent-sales-foundation.ipynb", wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function("n => document.querySelectorAll('.coursekit-exercise').length >= n",
                               arg=exercises("01-intelligent-sales-foundation.ipynb"), polling=250, timeout=120_000)
        text = page.inner_text("body")
        assert "Error displaying widget" not in text and "Traceback" not in text
        assert "from coursekit import notebook" not in text  # code hidden
        cmap = page.locator(".coursekit-exercise").first
        cmap.locator("button", has_text="Start from the worked example").click()
        cmap.get_by_role("button", name="Check", exact=True).click()
        expect(cmap).to_contain_text("Priority 1 is the worked example", timeout=20_000)  # a start, not an answer
        page.screenshot(path=str(ARTIFACTS / "voila-module.png"))
        assert "widgets are live" in text and "Run All Cells" not in text
        page.click("a:text-is('course map')")  # served from the same folder: the link works (no 403)
        page.wait_for_selector("h2:has-text('Course map')", timeout=120_000)
        assert "403" not in page.inner_text("body")
        local = f"http://127.0.0.1:{port}/"
        assert [u for u in requested if u.startswith(("http:", "https:")) and not u.startswith(local)] == []  # offline rooms work
    finally:
        page.close()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


@pytest.mark.browser
def test_widgets_are_readable_in_the_dark_theme(browser, lab):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        open_notebook(page, lab, "01-intelligent-sales-foundation.ipynb")
        use_theme(page, "JupyterLab Dark")
        run_all(page, "01-intelligent-sales-foundation.ipynb")
        wait_widgets(page, "01-intelligent-sales-foundation.ipynb")
        assert error_outputs(page) == []
        cmap = page.locator(".coursekit-exercise").first
        cmap.get_by_role("button", name="Check", exact=True).click()
        expect(cmap.locator("li span").first).to_be_visible(timeout=20_000)  # the check's feedback
        cmap.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "dark-theme-contradiction-map.png"))
        bg = page.evaluate("getComputedStyle(document.querySelector('.jp-Notebook')).backgroundColor")
        assert _luminance(bg) < 0.1, bg  # the dark theme is really on
        for selector in (".coursekit-exercise h4", ".coursekit-exercise li span", ".coursekit-exercise .widget-label"):
            color = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).color")
            assert contrast(color, bg) >= 4.5, (selector, color, bg)
    finally:
        page.close()


@pytest.mark.browser
def test_plan_audit_responds_to_clicks(browser, lab):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        open_notebook(page, lab, "02-strategy-to-comp-translation.ipynb")
        run_all(page, "02-strategy-to-comp-translation.ipynb")
        wait_widgets(page, "02-strategy-to-comp-translation.ipynb")
        ex = page.locator(".coursekit-exercise")
        audit = ex.filter(has_text="Audit the plan against the strategy")  # by its title: exercises before it come and go
        audit.locator(".widget-toggle-buttons").filter(has_text="Threshold").get_by_role("button", name="quality gate",
                                                                                      exact=True).click()
        audit.get_by_role("button", name="Check", exact=True).click()
        expect(audit).not_to_contain_text("The threshold traces to nothing", timeout=20_000)
        expect(audit).to_contain_text("The base rate (tier 1) traces to nothing")
        audit.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "plan-audit-driven.png"))
        assert error_outputs(page) == []
    finally:
        page.close()


@pytest.mark.browser
def test_exported_brief_opens_with_learner_text_escaped(browser, tmp_path):
    from coursekit import notebook as ex
    from coursekit.answers import Answers
    from coursekit.brief.compose import export_answers

    a = Answers(tmp_path / "me.json")
    w = ex.ContradictionMap(example={}, answers=a, key="m/action-1")
    w.set_answer({"rows": [{"strategy": "<script>document.title='pwned'</script>Sell the platform", "contradiction": "<b>bold?</b>"}]})
    w.check()
    _, page_path, _ = export_answers(a, {"course": [{"slug": "m", "title": "M", "actions": {1: "Map it"}}]}, tmp_path / "brief")
    page = browser.new_page()
    try:
        page.goto(page_path.as_uri())
        assert page.title() == "Alignment brief"  # no name given (the default learner): no name in the title
        body = page.inner_text("body")
        assert "<script>document.title='pwned'</script>Sell the platform" in body and "<b>bold?</b>" in body
        page.screenshot(path=str(ARTIFACTS / "brief-escaped.png"))  # brief.png is the finished brief (test_shots.py)
    finally:
        page.close()
