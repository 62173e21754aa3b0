"""Keyboard only, in JupyterLab in headless Chromium: one exercise of each kind in module 1 answered with keys alone
(focus stands for the Tab a learner presses to reach a control; every choice is Space, every check Enter), the plan
tester's measurement period and 60-second parts among them; the plan audit's pickers (module 2) and the signals
spotter's chart rep (module 4), dropdowns once; then the
pre diagnostic on the start page, the post diagnostic after the capstone, and the scores they save, read back by the
brief's completion record. One JupyterLab of its own (a fresh learner)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from coursekit import keys
from coursekit.answers import Answers
from coursekit.brief.compose import completion_record
from coursekit.engine import load_scenario
from coursekit.exercises.plan_tester.explain import LETTERS as PART_LETTERS
from coursekit.exercises.plan_tester.explain import key as explain_key
from coursekit.exercises.plan_tester.explain import shown
from coursekit.exercises.plan_tester.widget import EXPLAIN_LABELS
from coursekit.exercises.quiz.kind import BANK_ID, BANK_NOTE, START_KEY
from coursekit.exercises.quiz.widget import LETTERS, diagnostic_order
from tests.browser.conftest import serve_lab
from tests.browser.pages import ARTIFACTS, check_until, error_outputs, open_notebook, run_all, wait_widgets
from tests.helpers import ROOT

MODULE1 = "01-intelligent-sales-foundation.ipynb"
MODULE2 = "02-strategy-to-comp-translation.ipynb"
MODULE4 = "04-enablement-to-payout-alignment.ipynb"
START = "00-start-here.ipynb"
CAPSTONE = "05-alignment-capstone.ipynb"


@pytest.fixture(scope="module")
def fresh_lab(tmp_path_factory):
    with serve_lab(tmp_path_factory.mktemp("keyboard-lab")) as server:
        yield server


def module1_plan():
    """The plan module 1's tester starts from (its scenario, as the build reads it)."""
    return load_scenario(ROOT / "src" / "coursekit" / "data" / "scenarios" / "enterprise-vs-smb.yaml").plan


def press(page, locator, key: str = "Space") -> None:
    """Reach a control (as Tab would) and press a key on it: no click."""
    locator.focus()
    page.keyboard.press(key)


def check(page, exercise, text: str) -> None:
    press(page, exercise.locator("button", has_text="Check"), "Enter")
    expect(exercise).to_contain_text(text, timeout=20_000)


def choose(page, exercise, row: int, name: str) -> None:
    """Pick the toggle button called ``name`` in the ``row``-th row of buttons of an exercise, with Space."""
    button = exercise.locator(".widget-toggle-buttons").nth(row).get_by_role("button", name=name, exact=True)
    press(page, button)
    expect(button).to_have_class(re.compile("mod-active"), timeout=10_000)


def answer_diagnostic(page, exercise, phase: str, right: int) -> None:
    """Answer the bank in this learner's order: the first ``right`` items with their key, the rest with a wrong letter."""
    bank = {it["id"]: it for it in keys.key(BANK_NOTE, BANK_ID)["items"]}
    for row, iid in enumerate(diagnostic_order(list(bank), "me", phase)):
        k = bank[iid]["key"]["answer"]
        choose(page, exercise, row, LETTERS[k if row < right else (k + 1) % len(bank[iid]["options"])])


@pytest.mark.browser
def test_one_exercise_of_each_kind_with_the_keyboard_only(browser, fresh_lab):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        open_notebook(page, fresh_lab.url, MODULE1)
        run_all(page, MODULE1)
        wait_widgets(page, MODULE1)
        ex = page.locator(".coursekit-exercise")
        # contradiction map: type into the first box, Tab away, Enter on Check
        cmap = ex.nth(0)
        cmap.locator("textarea").first.focus()
        page.keyboard.type("Sell the platform")
        page.keyboard.press("Tab")
        check(page, cmap, "left blank")
        # plan tester: the cap applies to the year (Space on a button): the strategy test flips to Yes
        tester = ex.nth(1)
        press(page, tester.get_by_role("button", name="per year", exact=True))
        expect(tester).to_contain_text("Yes: the payout-maximizing rep puts all effort on enterprise", timeout=20_000)
        # the measurement period is a row of buttons too (a dropdown's arrow keys moved JupyterLab's cells): year to date
        press(page, tester.get_by_role("button", name="year to date against quota to date, trued up monthly", exact=True))
        expect(tester).to_contain_text("Over what span is attainment counted", timeout=20_000)
        # the 60 seconds: each keyed part picked by letter (Space), as the plan now reads, and the learner's own words typed
        plan = module1_plan().with_changes(cap_scope="year", period="monthly", measurement="cumulative")
        for pid, value in explain_key(plan, "enterprise").items():
            row = tester.locator(".widget-toggle-buttons").filter(has_text=EXPLAIN_LABELS[pid])
            button = row.get_by_role("button", name=PART_LETTERS[shown(pid).index(value)], exact=True)
            press(page, button)
            expect(button).to_have_class(re.compile("mod-active"), timeout=10_000)
        tester.get_by_role("textbox", name="Your 60 seconds").focus()
        page.keyboard.type("Your year to date counts; you are paid each month, and pay stops at twice the year's target.")
        page.keyboard.press("Tab")
        check(page, tester, "Can we explain the plan's logic in under 60 seconds? Yes")
        tester.locator(".widget-toggle-buttons").filter(has_text=EXPLAIN_LABELS["measure"]).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "keyboard-only-plan-tester.png"), full_page=False)
        # traceability: type a link into the Cap row, Enter adds it
        trace = ex.nth(2)
        trace.locator("input").nth(3).focus()
        page.keyboard.type("made up link")
        page.keyboard.press("Enter")
        expect(trace).to_contain_text("is not in the vocabulary", timeout=20_000)
        # pitfall check: scenario 1's pitfall is the first one
        pit = ex.nth(3)
        choose(page, pit, 0, "1")
        check(page, pit, "Scenario 1: yes")
        # hypothesis: sentences and a level typed, Tab between them
        hyp = ex.nth(4)
        for name, text in (("Will drive", "more platform deals"), ("Metric that shows it", "platform share of bookings"),
                           ("At (x the base rate)", "1.5")):
            hyp.get_by_role("textbox", name=name).focus()
            page.keyboard.type(text)
            page.keyboard.press("Tab")
        check(page, hyp, "We believe an accelerator at 1.5x will drive more platform deals")
        # assumption check: "no" by Space
        asm = ex.nth(5)
        press(page, asm.get_by_role("button", name="no", exact=True).first)
        check(page, asm, "does not hold")
        # the retrieval quiz: every question answered by letter, from the key store the kernel reads too
        quiz = ex.nth(6)
        items = keys.key("intelligent-sales-foundation", "quiz")["items"]
        for row, k in enumerate(items):
            choose(page, quiz, row, LETTERS[k["answer"]])
        check_until(quiz, "Question 1: yes")
        expect(quiz).not_to_contain_text("not answered")
        page.screenshot(path=str(ARTIFACTS / "keyboard-only-module-1.png"), full_page=False)
        assert error_outputs(page) == []
        # Tab from a choice lands on the next choice (a button), inside the exercise: no arrow key is needed
        press(page, quiz.locator(".widget-toggle-buttons").first.get_by_role("button", name="A", exact=True), "Tab")
        assert page.evaluate("() => document.activeElement.tagName + '/' + document.activeElement.textContent") == "BUTTON/B"
    finally:
        page.close()


@pytest.mark.browser
def test_the_audits_pickers_and_the_spotters_rep_with_the_keyboard_only(browser, fresh_lab):
    """Issue 25: the plan audit's measurement period and trace pickers (module 2) and the signals spotter's chart rep
    (module 4) were dropdowns; now Tab and Space reach and pick every one."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        open_notebook(page, fresh_lab.url, MODULE2)
        run_all(page, MODULE2)
        wait_widgets(page, MODULE2)
        audit = page.locator(".coursekit-exercise").filter(has_text="Audit the plan against the strategy")
        check(page, audit, "The threshold traces to nothing")
        press(page, audit.locator(".widget-toggle-buttons").filter(has_text="Measurement period")
              .get_by_role("button", name="annual", exact=True))
        threshold = audit.locator(".widget-toggle-buttons").filter(has_text="Threshold")
        press(page, threshold.get_by_role("button", name="quality gate", exact=True))
        expect(threshold.get_by_role("button", name="quality gate", exact=True)).to_have_class(re.compile("mod-active"))
        check_until(audit, "The base rate (tier 1) traces to nothing")
        expect(audit).not_to_contain_text("The threshold traces to nothing")
        # a finding kept on purpose: what it rests on is a button too
        rests = audit.locator(".widget-toggle-buttons").filter(has_text="It rests on").first
        press(page, rests.get_by_role("button", name="a legal or contract term", exact=True))
        expect(rests.get_by_role("button", name="a legal or contract term", exact=True)).to_have_class(re.compile("mod-active"))
        audit.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "keyboard-only-plan-audit.png"), full_page=False)
        # the tester's keyed choice (radio buttons once, moved by arrow keys): its right option's letter, by Space
        tester = page.locator(".coursekit-exercise").filter(has_text="Test the plan: would you pay for what you say you want?")
        right = "The deal's whole value lands in the month it closes"
        letter = tester.locator("li", has_text=right).locator("b").first.inner_text().strip(". ")
        pick = tester.locator(".widget-toggle-buttons").filter(has_text="Your pick").get_by_role("button", name=letter, exact=True)
        press(page, pick)
        expect(pick).to_have_class(re.compile("mod-active"), timeout=10_000)
        check(page, tester, "and the months spent working it pay nothing: yes.")
        assert error_outputs(page) == []

        open_notebook(page, fresh_lab.url, MODULE4)
        run_all(page, MODULE4)
        wait_widgets(page, MODULE4)
        spot = page.locator(".coursekit-exercise").filter(has_text="Chart rep")
        rep = spot.locator(".widget-toggle-buttons").filter(has_text="Chart rep").get_by_role("button").last
        name = rep.inner_text().strip()
        press(page, rep)
        expect(rep).to_have_class(re.compile("mod-active"), timeout=10_000)
        expect(spot.locator("summary", has_text="The charts as a table")).to_contain_text(f"{name} against the whole team",
                                                                                           timeout=20_000)
        spot.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "keyboard-only-signals-spotter.png"), full_page=False)
        assert error_outputs(page) == []
    finally:
        page.close()


@pytest.mark.browser
def test_pre_and_post_diagnostic_are_saved_and_scored(browser, fresh_lab):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        open_notebook(page, fresh_lab.url, START)
        run_all(page, START)
        pre = page.locator(".coursekit-exercise").first
        expect(pre).to_contain_text("Diagnostic: before the course", timeout=30_000)
        answer_diagnostic(page, pre, "pre", right=5)
        check_until(pre, "Your score: 5 of 12")
        expect(pre).not_to_contain_text("Question 1: not")  # the pre round shows no keys
        page.screenshot(path=str(ARTIFACTS / "diagnostic-pre.png"), full_page=False)

        open_notebook(page, fresh_lab.url, CAPSTONE)
        run_all(page, CAPSTONE)
        wait_widgets(page, CAPSTONE)
        post = page.locator(".coursekit-exercise").last
        expect(post).to_contain_text("Diagnostic: after the capstone", timeout=30_000)
        answer_diagnostic(page, post, "post", right=11)
        check_until(post, "Your score: 11 of 12. Before the course: 5 of 12.")
        expect(post).to_contain_text("That pick believes")  # the wrong pick answered with its misconception
        post.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "diagnostic-post.png"), full_page=False)
        assert error_outputs(page) == []
    finally:
        page.close()
    saved = json.loads((fresh_lab.home / "answers" / "me.json").read_text())["answers"]
    assert saved[START_KEY]["score"] == 5 and saved[START_KEY]["phase"] == "pre" and len(saved[START_KEY]["picks"]) == 12
    rec = completion_record(Answers(fresh_lab.home / "answers" / "me.json"), [{"slug": "alignment-capstone", "title": "Capstone"}])
    assert (rec["diagnostic"]["pre"]["score"], rec["diagnostic"]["post"]["score"], rec["diagnostic"]["gain"]) == (5, 11, 6)
