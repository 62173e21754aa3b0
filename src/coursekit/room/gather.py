"""The room's briefs at a glance: read a folder of handed-in briefs (``coursekit handin``) and aggregate them.

A brief is the JSON of ``decision_brief.to_json()`` (``schemas/brief.schema.json``, ``"schema":
"coursekit-brief/1"``). Reading is defensive, one brief at a time: each file is read once through one
size-checked open (no link followed, no FIFO waited on, at most ``MAX_BYTES`` read whatever the file does
meanwhile), then summarised on its own; a brief that is too big, too deep, of the wrong types or with a
cost that is not a number is reported in one line (file, field, fix) and left out, the rest of the room is
shown. A field a brief from another version of the course lacks is simply not counted. Learner names are
left out unless asked for. All learner text reaches the HTML through ``html.escape``.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import pwd
import re
import stat
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coursekit.answers import OWNERS as ANSWER_OWNERS
from coursekit.answers import SYSTEMS, home
from coursekit.errors import CourseError
from coursekit.exercises.rubric.criteria import HEADINGS
from coursekit.io import atomic_write

SCHEMA_PREFIX = "coursekit-brief/"
OWNERS = tuple(label for _, label in ANSWER_OWNERS)  # as a brief names them
MAX_BYTES = 256_000  # the stated limit of one brief: a real one is a few kB
MAX_ITEMS = 50  # rows taken from any one list of a brief (contradictions, changes, asks)
MAX_TEXT = 500  # characters kept of any one learner sentence
MAX_FILES = 5000  # briefs read from one exchange: a room, not a flood
MAX_PER_ACCOUNT = 1000  # files read from one Unix account: a small hub's one shared account, not one learner's flood
NAMED_PER_ACCOUNT = 20  # files left out named one by one per account; beyond, one line counts the rest
MAX_COST = Decimal(1000)  # incentive cost per 100 of bookings: beyond this it is not a plan
TOP = 5
HANDED_IN = re.compile(r"^(?P<learner>.+)-[0-9a-f]{32}$")  # what coursekit handin names a file
AGAIN = "hand in again: `coursekit handin` sends the file `coursekit export` wrote"


@dataclass
class Room:
    briefs: int = 0
    problems: list[str] = field(default_factory=list)
    versions: Counter = field(default_factory=Counter)
    learners: list[str] = field(default_factory=list)
    named: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in (*SYSTEMS, "contradiction")})
    changes: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(lambda: {"passed": [], "cost": []}))
    hypotheses: list[str] = field(default_factory=list)
    mixes: Counter = field(default_factory=Counter)  # the wanted mixes of effort, in words, and how many briefs state each
    asks: dict[str, list[str]] = field(default_factory=lambda: {o: [] for o in OWNERS})
    filled: Counter = field(default_factory=Counter)
    headings: dict[str, str] = field(default_factory=lambda: dict(HEADINGS))  # the course's own, never a brief's
    currencies: dict[str, list[Decimal]] = field(default_factory=lambda: defaultdict(list))  # currency -> proposed costs per 100
    scores: list[tuple[int | None, int | None, int]] = field(default_factory=list)  # (pre, post, out of) per brief
    rubrics: list[tuple[str, str, dict[str, bool]]] = field(default_factory=list)  # (file stem, learner, the learner's ticks)


@dataclass
class Summary:
    """What one brief adds to the room, worked out before anything is added (a bad brief adds nothing)."""

    schema: str
    learner: str
    sections: list[tuple[str, str, bool]] = field(default_factory=list)  # (id, heading, filled)
    named: list[tuple[str, str]] = field(default_factory=list)  # (system, sentence)
    changes: list[str] = field(default_factory=list)
    passed: bool = False
    cost: Decimal | None = None
    hypothesis: str = ""
    wanted_mix: str = ""  # the mix of effort the strategy wants, in words ("60% of effort on ..., 40% on ..."), if any
    asks: list[tuple[str, str]] = field(default_factory=list)  # (owner, ask)
    currency: str = "USD"  # the brief's company's currency (version 2 briefs; version 1 briefs are all in the course's USD)
    scores: tuple[int | None, int | None, int] | None = None  # the diagnostic's (pre, post, out of), when taken
    rubric: dict[str, bool] = field(default_factory=dict)  # criterion id -> the learner ticked it


def _text(v: Any) -> str:
    """Learner text as one line: control characters (terminal escapes) dropped, at most ``MAX_TEXT`` characters."""
    if not isinstance(v, str):
        return ""
    return " ".join("".join(c if c.isprintable() else " " for c in v[:4 * MAX_TEXT]).split())[:MAX_TEXT]


def _key(v: str) -> str:
    """Sentences that differ only in case, spacing or a final full stop count as one."""
    return re.sub(r"[\s.!]+$", "", v.casefold())


def read_once(path: Path, field_: str = "brief", limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` through one open: a link is not followed, a FIFO or device is not
    waited on, and at most ``limit`` bytes are read, so a file swapped or grown after any check cannot make it read
    more. CourseError (file, field, fix) for anything else."""
    fix = f"{AGAIN}; a brief is at most {limit:,} bytes"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        why = "is a link, not a file" if exc.errno == errno.ELOOP else f"cannot be read ({exc.strerror or exc})"
        raise CourseError.at(path, field_, why, fix) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CourseError.at(path, field_, "is not a regular file", fix)
        if st.st_nlink > 1:
            raise CourseError.at(path, field_, "has other names (a hard link to another file)", fix)
        if st.st_size > limit:
            raise CourseError.at(path, field_, f"is {st.st_size:,} bytes, more than the {limit:,} a brief may be", fix)
        chunks, got = [], 0
        while got <= limit:
            chunk = os.read(fd, limit + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise CourseError.at(path, field_, f"grew past the {limit:,} bytes a brief may be while read", fix)
        return b"".join(chunks)
    except OSError as exc:
        raise CourseError.at(path, field_, f"cannot be read ({exc.strerror or exc})", fix) from None
    finally:
        os.close(fd)


def parse_brief(raw: bytes, path: str | Path) -> dict[str, Any]:
    """The brief in a file's bytes: a JSON object with a coursekit schema and a list of sections, else CourseError."""
    def constant(name: str) -> Any:
        raise CourseError.at(path, "json", f"holds {name}, which is not a JSON number", AGAIN)

    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=constant)
    except RecursionError:
        raise CourseError.at(path, "json", "is nested too deeply to be a brief", AGAIN) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CourseError.at(path, "json", f"is not readable JSON ({type(exc).__name__})", AGAIN) from None
    if not isinstance(data, dict):
        raise CourseError.at(path, "top level", "is not an object", AGAIN)
    schema = data.get("schema")
    if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
        raise CourseError.at(path, "schema", f"{str(schema)[:40]!r} is not a coursekit brief", "export the brief again with this course")
    if not isinstance(data.get("sections"), list):
        raise CourseError.at(path, "sections", "missing or not a list", "export the brief again")
    return data


def read_brief(path: Path) -> dict[str, Any]:
    """One brief, read once through the size-checked open; CourseError naming the file, the field and the fix."""
    return parse_brief(read_once(path), path)


class _Fields:
    """Typed access to a brief's fields: a missing field is None, a field of the wrong type is a CourseError."""

    def __init__(self, path: str | Path):
        self.path = path

    def get(self, d: dict, key: str, kind: type | tuple[type, ...], where: str) -> Any:
        v = d.get(key)
        if v is None:
            return None
        if not isinstance(v, kind) or isinstance(v, bool) and kind is not bool:
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise CourseError.at(self.path, f"{where}.{key}", f"is a {type(v).__name__}, not a {names}", "export the brief again")
        return v[:MAX_ITEMS] if isinstance(v, list) else v

    def cost(self, v: Any, where: str) -> Decimal | None:
        if v is None:
            return None
        try:
            n = Decimal(v.replace(",", "")[:40]) if isinstance(v, str) else None
        except InvalidOperation:
            n = None
        if n is None or not n.is_finite() or not 0 <= n <= MAX_COST:
            raise CourseError.at(self.path, where, f"{str(v)[:40]!r} is not a cost per 100 of bookings", "export the brief again")
        return n


def summarise(data: dict[str, Any], path: str | Path) -> Summary:
    """What a parsed brief adds to the room; CourseError (one line) when a field it uses has the wrong type."""
    f = _Fields(path)
    s = Summary(schema=data["schema"][:60], learner=_text(data.get("learner")) or "?")
    for i, sec in enumerate(data["sections"][:MAX_ITEMS]):
        if not isinstance(sec, dict) or not isinstance(sec.get("id"), str):
            raise CourseError.at(path, f"sections[{i}]", "is not a section with an id", "export the brief again")
        sid, where = sec["id"][:60], f"sections[{i}]"
        d = f.get(sec, "data", dict, where) or {}
        s.sections.append((sid, _text(sec.get("heading")) or sid, sec.get("filled") is True))
        where += ".data"
        if sid == "contradictions":
            for row in f.get(d, "contradictions", list, where) or []:
                if isinstance(row, dict):
                    s.named += [(system, _key(_text(row.get(system)))) for system in (*SYSTEMS, "contradiction") if _text(row.get(system))]
        elif sid == "plans":
            aligned = f.get(d, "aligned", dict, where) or {}
            pop = f.get(d, "population", dict, where) or {}
            proposed = f.get(pop, "proposed", dict, f"{where}.population") or {}
            s.cost = f.cost(proposed.get("cost_of_sales_pct"), f"{where}.population.proposed.cost_of_sales_pct")
            came = f.get(d, "from", dict, where) or {}  # a module's plan tester, when the capstone has no design (brief 2)
            s.passed = aligned.get("proposed") is True or came.get("passed") is True  # a hand-in may carry either
            co = f.get(d, "company", dict, where) or {}
            cur = _text(co.get("currency")).upper()
            s.currency = cur if len(cur) == 3 and cur.isalpha() else "USD"
            s.changes = [_text(c) for c in f.get(d, "changes", list, where) or [] if _text(c)]
            s.wanted_mix = _text((f.get(d, "wanted_mix", dict, where) or {}).get("words"))
        elif sid == "hypothesis":
            s.hypothesis = _text(f.get(d, "sentence", str, where))
        elif sid == "decisions":
            s.asks = [(a["owner"], _text(a.get("ask"))) for a in f.get(d, "asks", list, where) or []
                      if isinstance(a, dict) and a.get("owner") in OWNERS and _text(a.get("ask"))]
    s.scores = diagnostic_scores(data)
    rub = data.get("rubric")
    s.rubric = {r["id"][:40]: r.get("self_ticked") is True for r in (rub if isinstance(rub, list) else [])[:10]
                if isinstance(r, dict) and isinstance(r.get("id"), str)}
    return s


def diagnostic_scores(data: dict[str, Any]) -> tuple[int | None, int | None, int] | None:
    """(pre, post, out of) from a brief's completion record; None when it has no diagnostic (an older brief) or junk."""
    rec = data.get("completion")
    diag = rec.get("diagnostic") if isinstance(rec, dict) else None
    if not isinstance(diag, dict):
        return None
    got: dict[str, tuple[int, int]] = {}
    for phase in ("pre", "post"):
        d = diag.get(phase)
        n, of = (d.get("score"), d.get("of")) if isinstance(d, dict) else (None, None)
        if type(n) is int and type(of) is int and 0 <= n <= of <= 1000 and of > 0:
            got[phase] = (n, of)
    if not got or len({of for _n, of in got.values()}) > 1:
        return None
    of = next(iter(got.values()))[1]
    return got.get("pre", (None,))[0], got.get("post", (None,))[0], of


def room_gain(room: Room) -> dict[str, Any]:
    """The room's pre and post diagnostic as shares right (mean over the briefs that took each round), and the mean
    gain in points over the learners who took both rounds."""
    pre = [p / of for p, _q, of in room.scores if p is not None]
    post = [q / of for _p, q, of in room.scores if q is not None]
    both = [(q - p) / of for p, q, of in room.scores if p is not None and q is not None]
    def mean(xs):
        return (round(100 * sum(xs) / len(xs)) if xs else None)
    return {"pre_n": len(pre), "post_n": len(post), "both_n": len(both), "pre_pct": mean(pre), "post_pct": mean(post),
            "gain_points": mean(both)}


RUBRIC_IDS = ("mechanic", "money", "owner", "date")  # the brief's rubric (coursekit.brief.model.RUBRIC), as briefs carry it


def scores_path(folder: str | Path) -> Path:
    """Where the facilitator's rubric scores for one exchange are kept: in the facilitator's own coursekit home, never in
    the exchange learners write to (so no learner reads them)."""
    digest = hashlib.sha256(str(Path(folder).expanduser().resolve()).encode()).hexdigest()[:16]
    return home() / "room-scores" / f"{digest}.json"


def load_scores(folder: str | Path) -> dict[str, dict[str, bool]]:
    """The facilitator's scores: brief file stem -> criterion id -> met. Anything unreadable counts as no score yet."""
    try:
        data = json.loads(scores_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): {c: v.get(c) is True for c in RUBRIC_IDS if c in v} for k, v in data.items() if isinstance(v, dict)} \
        if isinstance(data, dict) else {}


def save_score(folder: str | Path, brief: str, criterion: str, met: bool) -> dict[str, dict[str, bool]]:
    """Score one criterion of one handed-in brief (its file stem); written atomically. Returns all scores."""
    if criterion not in RUBRIC_IDS:
        raise CourseError.at("room", "criterion", f"{criterion!r} is not a rubric criterion", "one of: " + ", ".join(RUBRIC_IDS))
    scores = load_scores(folder)
    scores.setdefault(brief, {})[criterion] = bool(met)
    path = scores_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(scores, indent=1, sort_keys=True), mode=0o600)
    return scores


def _add(room: Room, s: Summary) -> None:
    room.briefs += 1
    room.versions[s.schema] += 1
    room.learners.append(s.learner)
    for sid, _heading, filled in s.sections:
        if sid in room.headings:  # a section the course does not have is not the room's to show
            room.filled[sid] += filled
    for system, sentence in s.named:
        room.named[system][sentence] += 1
    room.currencies[s.currency]  # every currency in the room is listed, with or without a cost
    if s.cost is not None:
        room.currencies[s.currency].append(s.cost)
    for change in s.changes:
        room.changes[change]["passed"].append(s.passed)
        if s.cost is not None:
            room.changes[change]["cost"].append(s.cost)
    if s.hypothesis:
        room.hypotheses.append(s.hypothesis)
    if s.wanted_mix:
        room.mixes[s.wanted_mix] += 1
    for owner, ask in s.asks:
        room.asks[owner].append(ask)
    if s.scores is not None:
        room.scores.append(s.scores)


def _add_rubric(room: Room, path: Path, s: Summary) -> None:
    room.rubrics.append((path.stem, s.learner, dict(s.rubric)))


def read_one(path: Path) -> Summary:
    """One handed-in file, summarised; CourseError (one line) when it is not a brief this room can show."""
    data = read_brief(path)
    s = summarise(data, path)
    named, own = HANDED_IN.match(path.stem), data.get("learner") or "me"  # the brief leaves the default learner "me" unnamed
    if named and named["learner"] != own:
        raise CourseError.at(path, "learner", f"the brief is {str(own)[:64]!r}'s but was handed in as {named['learner']!r}",
                             "each learner hands in their own brief: export it as yourself, then hand it in")
    return s


def gather(folder: str | Path) -> Room:
    """Every ``*.json`` in ``folder`` (not below it); a file that is not a brief becomes one line in ``problems``.
    The folder is listed as it is; ``coursekit.room.exchange.check_room`` checks it is safe to trust first.

    Who handed a file in is its Unix owner, which a learner cannot forge: one account's files beyond
    ``MAX_PER_ACCOUNT`` are skipped in one line (one learner cannot flood the room), and on a hub with an account per
    learner (an account that hands in under its own name) a brief under another name from that account, or under the
    name of another account in the room, is left out and named."""
    room = Room()
    _login.cache_clear()  # an account made or renamed since the last read is named as it is now
    with os.scandir(folder) as it:  # names sorted as text and owners from the listing: 200,000 files cost seconds, not 20 s
        listed = sorted((e.name, _owner(e)) for e in it if e.name.endswith(".json"))
    owners = dict(listed)
    paths = [Path(folder) / name for name, _uid in listed]
    if len(paths) > MAX_FILES:
        room.problems.append(str(CourseError.at(folder, "exchange", f"holds {len(paths):,} briefs; the first {MAX_FILES:,} "
                                                "by name are read", "clear the room between sessions (README, For facilitators)")))
    per_account: Counter = Counter()
    bad: Counter = Counter()  # files of each account left out
    read: list[tuple[Path, Summary, str]] = []
    for path in paths:
        if len(read) + sum(bad.values()) >= MAX_FILES:
            break
        uid = owners[path.name]
        account = "?" if uid is None else _login(uid)
        per_account[account] += 1
        if per_account[account] > MAX_PER_ACCOUNT:
            continue
        try:
            read.append((path, read_one(path), account))
        except CourseError as exc:  # a file name is the learner's to choose: no control character reaches a terminal
            bad[account] += 1
            if bad[account] <= NAMED_PER_ACCOUNT:
                room.problems.append(_printable(str(exc)))
    for account, n in sorted(bad.items()):
        if n > NAMED_PER_ACCOUNT:
            room.problems.append(_printable(str(CourseError.at(folder, "exchange", f"{n - NAMED_PER_ACCOUNT:,} more files of account "
                                                               f"{account} are not briefs either", "clear the room"))))
    for account, n in sorted(per_account.items()):
        if n > MAX_PER_ACCOUNT:
            room.problems.append(_printable(str(CourseError.at(folder, "exchange", f"account {account} put {n:,} files here; "
                                                               f"its first {MAX_PER_ACCOUNT} by name are read",
                                                               "clear the room, and ask that learner to hand in once"))))
    read = _newest_of_each(read, room)
    accounts = {a for _p, _s, a in read}
    own_name = {a for _p, s, a in read if s.learner == a}  # accounts that hand in under their own login: one per learner
    for path, s, account in read:
        if s.learner != account and (account in own_name or s.learner in accounts or _is_login(s.learner)):
            room.problems.append(_printable(str(CourseError.at(path, "learner", f"handed in by account {account} under the name "
                                                               f"{s.learner[:64]!r}", "each learner hands in their own brief, "
                                                               "from their own account"))))
            continue
        _add(room, s)
        _add_rubric(room, path, s)
    return room


def _newest_of_each(read: list[tuple[Path, Summary, str]], room: Room) -> list[tuple[Path, Summary, str]]:
    """One brief per learner name and account, the newest: a learner whose home was reset (a new Binder or hub server)
    hands in under a new random name, and the file of the earlier session is still in the exchange. The older ones are
    left out, one line each."""
    def mtime(p: Path) -> int:
        try:
            return p.lstat().st_mtime_ns
        except OSError:
            return 0

    newest: dict[tuple[str, str], tuple[int, Path]] = {}
    for path, s, account in read:
        key, t = (account, s.learner), (mtime(path), path)
        if key not in newest or t > newest[key]:
            newest[key] = t
    kept = []
    for path, s, account in read:
        if newest[(account, s.learner)][1] == path:
            kept.append((path, s, account))
        else:
            room.problems.append(_printable(str(CourseError.at(path, "learner", f"an earlier hand-in of {s.learner[:64]!r}: "
                                                               f"{newest[(account, s.learner)][1].name} is newer and shown",
                                                               "clear the room between sessions (coursekit room DIR --clear)"))))
    return kept


def _is_login(name: str) -> bool:
    """``name`` is the login of an account here: a brief under it from another account is that account's name taken
    (``COURSEKIT_LEARNER`` set to it), even when that learner has not handed in yet."""
    try:
        pwd.getpwnam(name)
    except (KeyError, ValueError):
        return False
    return True


def _owner(entry: os.DirEntry) -> int | None:
    """The uid that owns a listed file (not following a link): who handed it in; None when it is gone."""
    try:
        return entry.stat(follow_symlinks=False).st_uid
    except OSError:
        return None


@functools.lru_cache(maxsize=4096)
def _login(uid: int) -> str:
    """The login of ``uid``, looked up once per room read (a flooded exchange has one owner for 200,000 files: the
    lookup, a read of the account database each time, was most of 20 s)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)
