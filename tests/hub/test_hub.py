"""The course on a real JupyterHub: learners created and started through the hub's REST API, each sent
through the course's nbgitpuller link into their own home, and module 1 opened, run and answered in a
real browser for one of them, with the answers saved in that learner's home (~/.coursekit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.kit import hubkit
from benchmarks.kit.briefs import sample_brief
from coursekit.answers import VERSION as ANSWERS_VERSION

from .conftest import ARTIFACTS, LEARNERS

pytestmark = pytest.mark.hub
ERROR_TEXT = ["Error displaying widget", "Traceback", "NameError", "ModuleNotFoundError", "Kernel Restarting"]
TYPED = "Sell the platform to enterprise accounts"


def wait_file_contains(path: Path, text: str, seconds: float = 30) -> str:
    """Poll a file until it holds ``text`` (a condition with a deadline, not a sleep)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and text in (body := path.read_text(encoding="utf-8")):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{path} never held {text!r} (exists: {path.exists()})")


def saved_counts(notebook: Path) -> list | None:
    """Execution counts of the code cells of a notebook on disk; None while the server is still writing it."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError):
        return None
    return [c["execution_count"] for c in cells if c["cell_type"] == "code"]


def login_and_follow(browser, hub: hubkit.Hub, name: str, link: str):
    """A learner logs in at the hub's form and clicks the facilitator's link; returns the page on module 1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(lambda url: "/hub/login" not in url, timeout=60_000)
    page.goto(link, wait_until="domcontentloaded")
    page.wait_for_url(f"**/user/{name}/lab/tree/{hubkit.REPO_NAME}/notebooks/{hubkit.MODULE_1}", timeout=180_000)
    return context, page


def menu(page, top: str, command: str) -> None:
    page.click(f'.lm-MenuBar-itemLabel:text-is("{top}")', timeout=10_000)
    page.click(f'.lm-Menu-item[data-command="{command}"]', timeout=10_000)


def test_learners_are_created_and_started_through_the_api_each_with_their_own_home(course_hub):
    hub = course_hub
    users = {u["name"]: u for u in hub.api("GET", "/users")}
    for name in LEARNERS:
        assert users[name]["servers"][""]["ready"], users[name]
    # each learner's server works in that learner's home: a file saved by learner1 is in learner1's home only
    hub.api("PUT", "/user/learner1/api/contents/mine.txt", {"type": "file", "format": "text", "content": "learner1's"})
    assert (hub.home("learner1") / "mine.txt").read_text() == "learner1's"
    assert not (hub.home("learner2") / "mine.txt").exists()
    assert "mine.txt" not in [f["name"] for f in hub.api("GET", "/user/learner2/api/contents")["content"]]


def test_module_1_pulled_opened_run_and_answered_on_the_hub(course_hub, hub_browser):
    hub = course_hub
    link = hubkit.course_link(hub.url, hub.extra["repo_url"])
    assert link.startswith(f"{hub.url}/hub/user-redirect/git-pull?")
    test_home = Path(os.environ["COURSEKIT_HOME"])  # the test process's own folder (conftest.py): must stay untouched
    before = sorted(p.name for p in test_home.rglob("*"))

    # learner2 follows the link too: the course lands in their home, nothing else happens there
    ctx2, page2 = login_and_follow(hub_browser, hub, "learner2", link)
    ctx2.close()
    assert (hub.home("learner2") / hubkit.REPO_NAME / "notebooks" / hubkit.MODULE_1).exists()

    context, page = login_and_follow(hub_browser, hub, "learner1", link)
    try:
        pulled = hub.home("learner1") / hubkit.REPO_NAME / "notebooks" / hubkit.MODULE_1
        nb = json.loads(pulled.read_text(encoding="utf-8"))  # what nbgitpuller cloned into learner1's home
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        # a cell must show output after the run if the build stored some, or if it displays an exercise
        wants_output = [bool(c["outputs"]) or "exercise" in c["metadata"].get("tags", []) for c in code]
        assert sum(wants_output) >= 6, "module 1 lost its exercises or stored outputs"
        page.wait_for_function("(n) => document.querySelectorAll('.jp-Notebook .jp-CodeCell').length === n", arg=len(code), timeout=120_000)
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000)  # its kernel is up
        page.screenshot(path=str(ARTIFACTS / "module-1-opened.png"))

        menu(page, "Edit", "editmenu:clear-all")  # clears outputs and execution counts: what follows is this run's
        page.wait_for_function("() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
                               ".every(p => !/\\d/.test(p.textContent))", timeout=20_000)
        menu(page, "Run", "runmenu:run-all")
        # every cell shows its new execution count (cells whose code is hidden show none) and its output
        page.wait_for_function(
            """(want) => {
                const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
                const count = (c) => (c.querySelector('.jp-InputPrompt')?.textContent || '').trim();
                return cells.length === want.length && /\\[\\d+\\]/.test(count(cells[cells.length - 1])) &&
                    cells.every((c, i) => (count(c) === '' || /\\[\\d+\\]/.test(count(c))) &&
                                          (!want[i] || c.querySelectorAll('.jp-OutputArea-output').length > 0));
            }""", arg=wants_output, timeout=300_000)
        menu(page, "File", "docmanager:save")  # the saved notebook holds every cell's count, hidden code included
        want_counts = list(range(1, len(code) + 1))  # every cell ran once, in order, in a fresh kernel
        end = time.monotonic() + 30
        while (counts := saved_counts(pulled)) != want_counts and time.monotonic() < end:
            time.sleep(0.2)
        assert counts == want_counts
        text = " ".join(page.locator(".jp-OutputArea").all_inner_texts())
        assert [e for e in ERROR_TEXT if e in text] == []
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        exercises = page.locator(".coursekit-exercise")
        assert exercises.count() == len(nb["metadata"]["coursekit"]["exercises"])  # every exercise the build declared
        page.screenshot(path=str(ARTIFACTS / "module-1-run.png"))

        # learner1 answers the contradiction map; the answer is saved in learner1's home, default ~/.coursekit
        cmap = exercises.nth(0)
        cmap.scroll_into_view_if_needed()
        box = cmap.locator("textarea").first
        box.fill(TYPED)
        box.press("Tab")
        cmap.locator("button", has_text="Check").click()
        saved = hub.home("learner1") / ".coursekit" / "answers" / "me.json"
        body = json.loads(wait_file_contains(saved, TYPED))
        assert body["version"] == ANSWERS_VERSION
        assert any(key.startswith("intelligent-sales-foundation/") and TYPED in json.dumps(v) for key, v in body["answers"].items())
        cmap.screenshot(path=str(ARTIFACTS / "module-1-answered.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "module-1-failure.png"))
        state = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(c => "
                              "(c.querySelector('.jp-InputPrompt')?.textContent || '') + c.querySelectorAll('.jp-OutputArea-output').length)")
        print("cells (prompt, outputs):", state)
        raise
    finally:
        context.close()
    assert not (hub.home("learner2") / ".coursekit").exists()  # learner2 never answered: nothing of learner1's there
    assert sorted(p.name for p in test_home.rglob("*")) == before


def test_learners_hand_in_from_their_servers_and_the_room_reads_the_exchange(course_hub, tmp_path):
    """COURSEKIT_EXCHANGE comes from the hub's config; each learner's kernel hands in its brief (the JSON that
    model.to_json() writes) from its own home; the facilitator reads the room from the exchange."""
    hub, exchange = course_hub, course_hub.extra["exchange"]
    for i, name in enumerate(LEARNERS):
        brief = sample_brief(name, contradiction=f"<b>contradiction {i}</b>")
        code = (f"import json, os\nfrom coursekit.room.exchange import handin\n"
                f"print(os.environ['COURSEKIT_EXCHANGE'], os.environ['HOME'])\nprint(handin(json.loads({json.dumps(brief)!r}), {name!r}).name)")
        printed = hubkit.execute(hub, name, "handin.ipynb", [code])[0].split()
        assert printed[:2] == [str(exchange), str(hub.home(name))]  # the hub's setting, the learner's own home
        assert printed[2].startswith(f"{name}-") and (exchange / printed[2]).is_file()
        assert (hub.home(name) / ".coursekit" / "handin-id").is_file()  # the unguessable part stays in their home
    assert len(list(exchange.glob("*.json"))) == len(LEARNERS)
    r = subprocess.run([sys.executable, "-m", "coursekit.cli", "room", str(exchange), "-o", str(tmp_path / "room.html")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and f"{len(LEARNERS)} brief(s) read, 0 left out" in r.stdout, r.stderr
    page = (tmp_path / "room.html").read_text()
    assert "&lt;b&gt;contradiction 0&lt;/b&gt;" in page and "<b>contradiction" not in page  # escaped, never raw
    assert not any(name in page for name in LEARNERS)  # anonymous by default
