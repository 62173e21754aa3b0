"""Session agendas that fit the time: modules in order, breaks, and what to cut when time is short."""

from __future__ import annotations

import re

from coursekit.errors import CourseError
from coursekit.notes.model import Note
from coursekit.workshop.timing import BREAK_EVERY, BREAK_MIN, CLOSE, CLOSE_MIN, SETUP, SETUP_MIN, Activity, minutes_range, module_timing


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


def agenda_markdown(rows: list[tuple[str, Activity]], cut: list[str], minutes: int, notes: list[Note] | None = None) -> str:
    """The session plan as Markdown; with ``notes``, a last section gives each module's self-paced range (reading at 150
    words a minute and every exercise done), for what the room finishes after the session."""
    used = sum(a.minutes for _, a in rows)
    lines = [f"# Session plan: {used} of {minutes} minutes", "", "| start | module | activity | minutes |", "|---|---|---|---|"]
    lines += [f"| {t} | {a.module} | {a.activity} | {a.minutes} |" for t, a in rows]
    if cut:
        lines += ["", "**To fit the time, cut:**", *[f"- {c}" for c in cut]]
    if notes:
        ranges = [(n.front.title, *minutes_range(n)) for n in notes]
        lines += ["", "**Self-paced, each module takes** (reading at about 150 words a minute, every exercise done):",
                  *[f"- {t}: {lo}-{hi} min" for t, lo, hi in ranges]]
    return "\n".join(lines) + "\n"
