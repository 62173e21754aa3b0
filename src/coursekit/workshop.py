"""Workshops: timing per module, session agendas that fit the time, hub and Binder links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlparse

from .notes.model import Note

OPEN_MIN, PITFALLS_MIN, DEBRIEF_MIN, BREAK_EVERY, BREAK_MIN = 5, 5, 5, 75, 10


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
    mins = sum(a.minutes for m in mods for a in m)
    return mins + (BREAK_MIN * (mins // BREAK_EVERY) if mins > 90 else 0)


def agenda(notes: list[Note], minutes: int, start: str = "09:00") -> tuple[list[tuple[str, Activity]], list[str]]:
    """Fit the modules into ``minutes``. Cuts, in order, from the last module backwards: optional parts
    (pitfalls become reading), then trailing actions, then whole modules. Returns (rows, what was cut)."""
    mods = [module_timing(n) for n in notes]
    cut: list[str] = []
    for m in reversed(mods):  # 1. optional parts
        for a in [a for a in m if a.optional]:
            if _needed(mods) <= minutes:
                break
            m.remove(a)
            cut.append(f"{a.module}: {a.activity} ({a.minutes} min; set as reading)")
    while len(mods) > 1 and _needed(mods) > minutes:  # 2. trailing actions, 3. whole modules
        last = mods[-1]
        actions = [a for a in last if a.activity.startswith("Action")]
        if len(actions) > 1:
            last.remove(actions[-1])
            cut.append(f"{actions[-1].module}: {actions[-1].activity} ({actions[-1].minutes} min; assign as self-paced)")
        else:
            mods.pop()
            cut.append(f"{last[0].module}: the rest of the module ({sum(a.minutes for a in last)} min; assign as self-paced)")
    h, m = (int(x) for x in start.split(":"))
    clock, since_break, rows = h * 60 + m, 0, []
    long_session = sum(a.minutes for mod in mods for a in mod) > 90
    for mod in mods:
        for a in mod:
            if long_session and since_break >= BREAK_EVERY:
                rows.append((f"{clock // 60:02d}:{clock % 60:02d}", Activity("", "Break", BREAK_MIN)))
                clock, since_break = clock + BREAK_MIN, 0
            rows.append((f"{clock // 60:02d}:{clock % 60:02d}", a))
            clock, since_break = clock + a.minutes, since_break + a.minutes
    over = sum(a.minutes for _, a in rows) - minutes
    if over > 0:
        cut.append(f"still {over} min over: shorten {mods[0][0].module}'s actions or book more time")
    return rows, cut


def agenda_markdown(rows: list[tuple[str, Activity]], cut: list[str], minutes: int) -> str:
    used = sum(a.minutes for _, a in rows)
    lines = [f"# Session plan: {used} of {minutes} minutes", "", "| start | module | activity | minutes |", "|---|---|---|---|"]
    lines += [f"| {t} | {a.module} | {a.activity} | {a.minutes} |" for t, a in rows]
    if cut:
        lines += ["", "**To fit the time, cut:**", *[f"- {c}" for c in cut]]
    return "\n".join(lines) + "\n"


def binder_link(repo: str, branch: str = "HEAD", notebook: str = "00-start-here.ipynb") -> str:
    """mybinder.org launch link for a GitHub repository URL or OWNER/REPO."""
    path = urlparse(repo).path if "://" in repo else repo
    owner_repo = path.strip("/").removesuffix(".git")
    if owner_repo.count("/") != 1:
        raise ValueError(f"--repo {repo!r}: give a GitHub repository as https://github.com/OWNER/REPO")
    return f"https://mybinder.org/v2/gh/{owner_repo}/{quote(branch, safe='')}?urlpath={quote(f'lab/tree/notebooks/{notebook}', safe='/')}"


def nbgitpuller_link(hub: str, repo: str, branch: str, notebook: str = "00-start-here.ipynb") -> str:
    """A JupyterHub link that pulls the course into each learner's home and opens ``notebook``."""
    for name, url in (("--hub", hub), ("--repo", repo)):
        if urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc:
            raise ValueError(f"{name} {url!r}: give a full http(s) URL")
    folder = urlparse(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/notebooks/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
