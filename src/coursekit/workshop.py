"""Workshops: timing per module, session agendas that fit the time, hub and Binder links."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

from .errors import CourseError
from .io import atomic_write
from .notes.model import Note

OPEN_MIN, PITFALLS_MIN, DEBRIEF_MIN, BREAK_EVERY, BREAK_MIN = 5, 5, 5, 75, 10
SETUP_MIN = 10  # a session's first row: everyone launches the course (Binder takes minutes) and runs it (Run All)
CLOSE_MIN = 5  # a session's last row: what each person takes away, and exporting the Alignment brief
SETUP, CLOSE = "Setup (launch and Run All)", "Close and brief"


@dataclass(frozen=True)
class Activity:
    module: str
    activity: str
    minutes: int
    optional: bool = False  # what the agenda cuts first when time is short


def module_timing(note: Note) -> list[Activity]:
    """A module in a live session: opening, each action (its heading's minutes, else its exercise kind's
    default), pitfalls, debrief. The one source of course minutes: module header, start page, facilitator
    tables and `coursekit agenda` all use it (``timeToApplyMin`` is time to apply at work, not course time)."""
    from .kinds import action_minutes

    title = note.front.title
    acts = [Activity(title, "Open: the problem and why it happens", OPEN_MIN)]
    for a in note.actions:
        acts.append(Activity(title, f"Action {a.number}: {a.title}", action_minutes(note, a)))
    if note.pitfalls or note.assumptions:
        acts.append(Activity(title, "Pitfalls and assumptions", PITFALLS_MIN, optional=True))
    acts.append(Activity(title, "Debrief: what will you change?", DEBRIEF_MIN))
    return acts


def course_minutes(note: Note) -> int:
    """Minutes a module takes in the course (the sum of its timing)."""
    return sum(a.minutes for a in module_timing(note))


def _needed(mods: list[list[Activity]]) -> int:
    """Minutes the session takes: setup, the modules, close, and a break every BREAK_EVERY minutes of a long one."""
    mins = SETUP_MIN + sum(a.minutes for m in mods for a in m) + CLOSE_MIN
    return mins + (BREAK_MIN * (mins // BREAK_EVERY) if mins > 90 else 0)


START = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def start_minutes(start: str) -> int:
    """Minutes after midnight of an ``HH:MM`` start time (24-hour clock); CourseError otherwise."""
    m = START.fullmatch(start.strip())
    if not m:
        raise CourseError.at("agenda", "--start", f"{start!r} is not a time of day", "give it as HH:MM on a 24-hour clock, e.g. 09:00 or 13:30")
    return int(m[1]) * 60 + int(m[2])


def agenda(notes: list[Note], minutes: int, start: str = "09:00") -> tuple[list[tuple[str, Activity]], list[str]]:
    """Fit the modules, with a setup row first and a close row last, into ``minutes``. Cuts, in order, from the
    last module backwards: optional parts (pitfalls become reading), then trailing actions, then whole modules.
    Returns (rows, what was cut)."""
    clock = start_minutes(start)  # before any work: a bad time is bad input
    mods = [module_timing(n) for n in notes]
    cut: list[str] = []
    reading: list[tuple[list[Activity], Activity, str]] = []
    for m in reversed(mods):  # 1. optional parts
        for a in [a for a in m if a.optional]:
            if _needed(mods) <= minutes:
                break
            m.remove(a)
            reading.append((m, a, f"{a.module}: {a.activity} ({a.minutes} min; set as reading)"))
            cut.append(reading[-1][2])
    while len(mods) > 1 and _needed(mods) > minutes:  # 2. trailing actions, 3. whole modules
        last = mods[-1]
        actions = [a for a in last if a.activity.startswith("Action")]
        if len(actions) > 1:
            last.remove(actions[-1])
            cut.append(f"{actions[-1].module}: {actions[-1].activity} ({actions[-1].minutes} min; assign as self-paced)")
        else:
            mods.pop()
            cut.append(f"{last[0].module}: the rest of the module ({sum(a.minutes for a in last)} min; assign as self-paced)")
    for m, a, why in reversed(reading):  # 4. optional parts back, in course order, where cutting actions made room
        if any(m is kept for kept in mods) and _needed(mods) + a.minutes <= minutes:
            m.insert(len(m) - 1, a)  # before the debrief, where module_timing puts it
            cut.remove(why)
            if _needed(mods) > minutes:  # a break the longer session now needs: undo
                m.remove(a)
                cut.append(why)
    since_break, rows = 0, []
    long_session = SETUP_MIN + sum(a.minutes for mod in mods for a in mod) + CLOSE_MIN > 90
    session = [[Activity("", SETUP, SETUP_MIN)], *mods, [Activity("", CLOSE, CLOSE_MIN)]]
    for mod in session:
        for a in mod:
            if long_session and since_break >= BREAK_EVERY:
                rows.append((_clock(clock), Activity("", "Break", BREAK_MIN)))
                clock, since_break = clock + BREAK_MIN, 0
            rows.append((_clock(clock), a))
            clock, since_break = clock + a.minutes, since_break + a.minutes
    over = sum(a.minutes for _, a in rows) - minutes
    if over > 0:
        cut.append(f"still {over} min over: shorten {mods[0][0].module}'s actions or book more time")
    return rows, cut


def _clock(minutes: int) -> str:
    """HH:MM; a session running past midnight shows the next day's time with a +1 mark."""
    day, rest = divmod(minutes, 24 * 60)
    return f"{rest // 60:02d}:{rest % 60:02d}" + (f" (+{day})" if day else "")


def agenda_markdown(rows: list[tuple[str, Activity]], cut: list[str], minutes: int) -> str:
    used = sum(a.minutes for _, a in rows)
    lines = [f"# Session plan: {used} of {minutes} minutes", "", "| start | module | activity | minutes |", "|---|---|---|---|"]
    lines += [f"| {t} | {a.module} | {a.activity} | {a.minutes} |" for t, a in rows]
    if cut:
        lines += ["", "**To fit the time, cut:**", *[f"- {c}" for c in cut]]
    return "\n".join(lines) + "\n"


def binder_link(repo: str, branch: str = "HEAD", notebook: str = "00-start-here.ipynb") -> str:
    """mybinder.org launch link for a GitHub repository URL or OWNER/REPO."""
    if "://" in repo:
        _check_url("--repo", repo)
    path = urlparse(repo).path if "://" in repo else repo
    owner_repo = path.strip("/").removesuffix(".git")
    if owner_repo.count("/") != 1 or not re.fullmatch(r"[\w.-]+/[\w.-]+", owner_repo):
        raise CourseError.at("links", "--repo", f"{repo!r} is not a GitHub repository", "give it as https://github.com/OWNER/REPO")
    return f"https://mybinder.org/v2/gh/{owner_repo}/{quote(branch, safe='')}?urlpath={quote(f'lab/tree/notebooks/{notebook}', safe='/')}"


def nbgitpuller_link(hub: str, repo: str, branch: str, notebook: str = "00-start-here.ipynb") -> str:
    """A JupyterHub link that pulls the course into each learner's home and opens ``notebook``. The clone's folder
    is named in the link (``targetpath``): nbgitpuller would otherwise name it after the URL, ``REPO.git`` for a
    repository URL ending in ``.git``, and the link would open a folder that does not exist."""
    for name, url in (("--hub", hub), ("--repo", repo)):
        _check_url(name, url)
    folder = urlparse(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder, "urlpath": f"lab/tree/{folder}/notebooks/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _check_url(name: str, url: str) -> None:
    """A URL fit to print in a link for a room: http(s), a host, no user info, no control characters or spaces."""
    def bad(problem: str, fix: str = "give a full http(s) URL such as https://hub.example.org") -> CourseError:
        return CourseError.at("links", name, f"{url!r} {problem}", fix)

    if any(not ch.isprintable() or ch.isspace() for ch in url):
        raise bad("holds control characters or spaces", "give the URL alone, with no spaces or control characters")
    try:
        parts = urlparse(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise bad("is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad("is not a full http(s) URL")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise bad("holds a user name or password", "give the URL without `user:password@`; learners sign in on the hub")


# --- presenting: the course as an app, on loopback, under a throwaway identity --------------------

PRESENTER = "presenter"
PRESENT_TEMPLATE = "coursekit-present"  # Voila's lab template without its CDN stylesheets
PRESENT_TEMPLATES = Path(str(files("coursekit") / "data" / "jupyter"))  # put on JUPYTER_PATH for Voila to find it
LIVE = "The widgets are live: change a value and the results follow."
_RUN_ALL = re.compile(r"(^|[.!?](?:\*\*)?\s+)([^.!?\n]*Run All Cells[^.!?\n]*[.!?])", re.MULTILINE)
_SAVED = re.compile(r" ?[^.!?\n]*[Yy]our answers are saved[^.!?\n]*[.!?]")  # a presenter's are thrown away


def present_text(markdown: str) -> str:
    """A learner's instructions (run every cell; your answers are saved) turned into what an audience sees in an app."""
    return _SAVED.sub("", _RUN_ALL.sub(lambda m: m[1] + LIVE, markdown))


def present_environment(home: str | Path, base: Mapping[str, str]) -> dict[str, str]:
    """Environment for the presenting server and its kernels: the ``presenter`` learner, answers under
    ``home`` (never the presenter's own), and ``COURSEKIT_PRESENT=1`` for cells that want to know."""
    return {**base, "COURSEKIT_HOME": str(home), "COURSEKIT_LEARNER": PRESENTER, "COURSEKIT_PRESENT": "1"}


def present_copy(notebooks: str | Path, dest: str | Path) -> list[str]:
    """Copy the course's notebooks into ``dest`` for presenting (flat, so links between them work),
    with "Run All Cells" instructions replaced. Returns the notebook names."""
    names = []
    for src in sorted(Path(notebooks).glob("*.ipynb")):
        nb = json.loads(src.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                text = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
                cell["source"] = present_text(text)
        atomic_write(Path(dest) / src.name, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        names.append(src.name)
    return names
