"""JupyterLab pages in a real browser, for the browser tests: open a notebook and wait until it is ready, run all and
wait for every cell's count, switch the theme, wait for every declared exercise, read the error boxes.

Playwright objects come in as arguments: this module imports no Playwright (nor nbformat until a helper needs it),
so the root conftest can import it (for ARTIFACTS) on any machine, quickly."""

from __future__ import annotations

from tests.helpers import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"  # screenshots; look at them
ERROR_TEXT = ["Error displaying widget", "Traceback", "Error:", "NameError", "ModuleNotFoundError", "Kernel Restarting"]


def _notebook(name: str):
    import nbformat

    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def code_cells(name: str) -> int:
    return sum(c.cell_type == "code" for c in _notebook(name).cells)


def open_notebook(page, lab: str, name: str):
    """Open a notebook and wait until every cell is on the page and its kernel is idle, as the server
    reports it (``/api/sessions``), not the status bar."""
    page.goto(f"{lab}/lab/tree/{name}?reset", wait_until="domcontentloaded")
    wait_ready(page, name)


def wait_ready(page, name: str):
    """Every code cell of ``name`` on the page, and its kernel idle as the server reports it."""
    page.wait_for_function("n => document.querySelectorAll('.jp-Notebook .jp-CodeCell').length === n",
                           arg=code_cells(name), timeout=90_000)
    page.wait_for_function("""async name => {
        const sessions = await (await fetch('/api/sessions', {cache: 'no-store'})).json();
        return sessions.some(s => s.path.endsWith(name) && s.kernel && s.kernel.execution_state === 'idle');
    }""", arg=name, polling=250, timeout=120_000)


def _menu(page, menu: str, command: str):
    page.click(f".lm-MenuBar-itemLabel:text-is('{menu}')", timeout=10_000)
    page.click(f'.lm-Menu-item[data-command="{command}"]')


def use_theme(page, theme: str) -> None:
    """Switch JupyterLab's theme with the Settings menu (e.g. "JupyterLab Dark") and wait until the page wears it."""
    page.click(".lm-MenuBar-itemLabel:text-is('Settings')")
    page.hover(".lm-Menu-item:has-text('Theme')")
    page.click(f".lm-Menu-item[data-command='apputils:change-theme']:has-text('{theme}')")
    page.wait_for_function("name => document.body.dataset.jpThemeName === name", arg=theme, timeout=60_000)


PROMPTS = "[...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim())"


def run_all(page, name: str):
    """Clear every cell's count and output, run all, and wait until each code cell shows the count this
    run gave it (a count is set when the cell's reply arrives, after its outputs). A cell whose input is
    hidden shows no prompt; the kernel runs cells in order, so the counts after it cover it."""
    if not code_cells(name):  # glossary.ipynb is Markdown only: nothing runs, no count ever shows
        return
    _menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(f"() => {PROMPTS}.every(t => t === '' || t === '[ ]:')", timeout=30_000)
    _menu(page, "Run", "runmenu:run-all")
    page.wait_for_function(f"""n => {{
        const prompts = {PROMPTS};
        return prompts.length === n && prompts.some(t => t !== '') && prompts.every(t => t === '' || /^\\[\\d+\\]:$/.test(t));
    }}""", arg=code_cells(name), polling=250, timeout=300_000)


def exercises(name: str) -> int:
    """How many exercises the build declared in ``name`` (its metadata), each a ``.coursekit-exercise`` once rendered."""
    return len(_notebook(name).metadata.get("coursekit", {}).get("exercises", []))


def wait_widgets(page, name: str) -> None:
    """Every exercise the notebook declares rendered: widgets render after their cell's reply, so a check for
    error boxes made before this could pass while one is still coming."""
    page.wait_for_function("n => document.querySelectorAll('.coursekit-exercise').length >= n", arg=exercises(name),
                           polling=250, timeout=60_000)


def error_outputs(page) -> list[str]:
    found = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    text = " ".join(page.locator(".jp-OutputArea").all_inner_texts())
    return found + [e for e in ERROR_TEXT if e in text]


AGAIN = "You changed this answer after that check: check again."


def check_until(exercise, text: str, attempts: int = 3, timeout: float = 20_000) -> None:
    """Click the exercise's Check until its feedback shows ``text``, checking again only when the widget asks to, as a
    learner does: an input's last change can reach the kernel after the click (ipywidgets sends a click at once and may
    hold a value change behind the previous one), and the widget then says the answer changed after the check."""
    from playwright.sync_api import expect

    button, again = exercise.get_by_role("button", name="Check", exact=True), exercise.get_by_text(AGAIN)
    for attempt in range(1, attempts + 1):
        button.click()
        try:
            expect(exercise).to_contain_text(text, timeout=timeout if attempt == attempts else timeout / 2)
            return
        except AssertionError:
            if attempt == attempts or not again.count():
                raise
