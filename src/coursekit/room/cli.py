"""``coursekit handin`` and ``coursekit room``: the room's briefs, from each learner to the facilitator."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from coursekit.answers import brief_dir
from coursekit.io import atomic_write
from coursekit.room.exchange import check_room, clear_room, handin_file
from coursekit.room.gather import gather, room_gain
from coursekit.room.page import to_html


def cmd_handin(a) -> int:
    brief = Path(a.brief) if a.brief else brief_dir(a.learner) / "decision-brief.json"
    print(f"handed in: {handin_file(brief, a.learner, a.exchange, with_pay=a.with_pay)}")
    return 0


def cmd_room(a) -> int:
    folder = Path(a.exchange)
    if a.clear:
        removed = clear_room(folder)
        print(f"cleared {len(removed)} file(s) from {folder}; the exchange stays for the next session")
        left = sorted(os.listdir(folder))  # what is not a brief (a folder a learner made, say) stays: say so
        if left:
            shown = ", ".join(map(repr, left[:5])) + (f" and {len(left) - 5} more" if len(left) > 5 else "")  # a name may hold a line break
            what = "entry that is not a brief" if len(left) == 1 else "entries that are not briefs"
            print(f"left {len(left)} {what}: {shown} (remove them by hand)",
                  file=sys.stderr)
        return 0
    check_room(folder)  # a folder the room cannot trust or cannot list is one line and exit 2, never an empty page
    room = gather(folder)
    for problem in room.problems:
        print(problem, file=sys.stderr)
    if a.output:
        atomic_write(Path(a.output), to_html(room, names=a.names))
    print(f"{room.briefs} brief(s) read, {len(room.problems)} left out" + (f"; wrote {a.output}" if a.output else ""))
    for sid, heading in room.headings.items():
        print(f"  {heading}: filled in {room.filled[sid]} of {room.briefs}")
    g = room_gain(room)
    if g["pre_n"] or g["post_n"]:
        def fmt(v):
            return ("-" if v is None else f"{v}%")
        print(f"  Diagnostic: before {fmt(g['pre_pct'])} right ({g['pre_n']}), after {fmt(g['post_pct'])} ({g['post_n']}); "
              f"gain of the {g['both_n']} who took both: " + ("-" if g["gain_points"] is None else f"{g['gain_points']:+d} points"))
    return 0 if room.briefs or not room.problems else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    h = sub.add_parser("handin", help="hand in your brief's JSON to the room's exchange folder ($COURSEKIT_EXCHANGE)")
    h.add_argument("--brief", help="the brief's JSON (default ~/.coursekit/brief/LEARNER/decision-brief.json)")
    h.add_argument("--exchange", help="the exchange folder (default $COURSEKIT_EXCHANGE)")
    h.add_argument("--learner", help="your name in the room (default $COURSEKIT_LEARNER or me)")
    h.add_argument("--with-pay", action="store_true",
                   help="also send a change of the company's on-target earnings or quota (left out by default)")
    h.set_defaults(func=cmd_handin)
    r = sub.add_parser("room", help="the room's briefs at a glance, anonymous unless --names")
    r.add_argument("exchange")
    r.add_argument("-o", "--output", help="write a self-contained HTML page")
    r.add_argument("--names", action="store_true", help="show learner names and the files left out")
    r.add_argument("--clear", action="store_true",
                   help="at a session's end: remove every handed-in brief from the exchange (its owner only); the folder stays")
    r.set_defaults(func=cmd_room)
