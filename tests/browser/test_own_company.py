"""A learner's own company entered through the capstone's real widgets in Chromium (issue 24): typed into the options
editor's boxes, checked, the capstone run again on it, and the exported brief names the company, its weighted
components and its options."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import serve_lab
from tests.browser.pages import ARTIFACTS, check_until, error_outputs, open_notebook, run_all, wait_widgets
from tests.own_company import COMPANY

NAME = "05-alignment-capstone.ipynb"


def _box(scope, label: str, nth: int = 0):
    """The input of the widget whose label is ``label`` (the nth such widget in ``scope``)."""
    return scope.locator(f".widget-inline-hbox:has(> label:text-is('{label}'))").nth(nth).locator("input, textarea, select").first


def _type(scope, label: str, value, nth: int = 0) -> None:
    box = _box(scope, label, nth)
    box.fill(str(value))
    box.press("Tab")  # number boxes take their value when they lose focus


@pytest.mark.browser
def test_a_company_typed_into_the_capstone_reaches_the_brief(browser, tmp_path):
    with serve_lab(tmp_path) as lab:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_notebook(page, lab.url, NAME)
            run_all(page, NAME)
            wait_widgets(page, NAME)
            editor = page.locator(".coursekit-exercise", has_text="Design for").first
            editor.locator("button", has_text="My own company").click()
            for label, key in (("Company", "name"), ("Currency (ISO)", "currency"), ("On-target earnings", "ote"),
                               ("Quota (a year)", "quota"), ("Plan year starts", "start")):
                _type(editor, label, COMPANY[key])
            _type(editor, "Incentive share of OTE (%)", COMPANY["variable_share"] * 100)
            _type(editor, "Strategy wants", "co-op analytics")
            _type(editor, "Plan in force", yaml.safe_dump(COMPANY["plan"], sort_keys=False))
            for i, o in enumerate(COMPANY["options"]):
                _type(editor, f"Option {i + 1}", o["name"])
                _type(editor, "Segment or product", o["product"], i)
                editor.locator(".widget-toggle-buttons:has(label:text-is('That is'))").nth(i).get_by_role(
                    "button", name="a product", exact=True).click()  # buttons, not a dropdown: a keyboard learner picks them
                _type(editor, "Deal size", o["deal_size"], i)
                _type(editor, "Cycle (months)", o["cycle_months"], i)
                _type(editor, "Win rate (%)", o["win_rate"] * 100, i)
                _type(editor, "Deals per cycle", o["deals_per_cycle"], i)
            check_until(editor, f"{COMPANY['name']}: on-target earnings 160,000 CHF at 62.5/37.5")
            page.screenshot(path=str(ARTIFACTS / "own-company-entered.png"))
            tester = page.locator(".coursekit-exercise", has_text="Test the plan").first
            # no cell run again: the capstone's tester has started over on the company
            expect(tester).to_contain_text("a year on co-op analytics pays 36,000", timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "own-company-followed.png"))
            run_all(page, NAME)  # the capstone's cells read the saved company
            wait_widgets(page, NAME)
            body = page.locator(".jp-Notebook")
            expect(body).to_contain_text(f"Starting plan: your company's plan in force ({COMPANY['name']})", timeout=30_000)
            tester = page.locator(".coursekit-exercise", has_text="Test the plan").first
            expect(tester).to_contain_text("a year on co-op analytics pays 36,000", timeout=30_000)
            assert error_outputs(page) == []
            page.locator("button", has_text="Export my Alignment brief").last.click()
            brief = lab.home / "brief" / "me" / "decision-brief.md"
            expect(page.locator(".jp-Notebook")).to_contain_text("decision-brief.md", timeout=30_000)
            text = brief.read_text()
            for word in (COMPANY["name"], "CHF", "hardware (60%)", "subscriptions (40%)", "Vineyard retrofit", "Co-op analytics"):
                assert word in text, word
            assert "Northwind" not in text
            page.screenshot(path=str(ARTIFACTS / "own-company-capstone.png"))
        finally:
            page.close()
