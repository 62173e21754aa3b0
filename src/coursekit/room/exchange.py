"""Hand in a brief: copy its JSON into the room's exchange folder, one file per learner, atomically; and the checks
that make the exchange a boundary between learners rather than a folder everyone trusts.

The exchange (``$COURSEKIT_EXCHANGE``) works as nbgrader's inbound folder on a shared hub file system: the
facilitator makes it (owned by the facilitator, or by root with a group the facilitator is in), mode 1733:
learners may write and enter but not list it, and the sticky bit stops anyone deleting or replacing a file
that is not theirs. Each learner's file has a name with a random part kept in their own
``~/.coursekit/handin-id``, so others cannot guess it. A second hand-in replaces the first.

Both sides check the folder before using it, as nbgrader checks its exchange's modes, and refuse in one line
naming the fix: hand-in (:func:`check_handin`) never creates a missing exchange (the learner who did would own
it and could read and delete every brief), refuses one that others can list or that lacks the sticky bit, and goes
only to one owned by root, the learner or a declared facilitator (``$COURSEKIT_FACILITATOR``: logins, uids or
``@group``; nbgrader's exchange checks modes only), whose group, if it can list it, holds only facilitators, and
with no folder above it that another learner owns (who could swap it between the check and the write);
the room (:func:`check_room`) refuses one a learner owns, one any learner can list, and says when the
facilitator cannot list it, rather than showing an empty room.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import stat
import time
from pathlib import Path
from typing import Any

from coursekit.answers import home, learner_name
from coursekit.errors import CourseError
from coursekit.io import TMP_SUFFIX, atomic_write
from coursekit.room.gather import MAX_BYTES, SCHEMA_PREFIX, SYSTEMS, parse_brief, read_once

EXCHANGE_ENV = "COURSEKIT_EXCHANGE"
FACILITATOR_ENV = "COURSEKIT_FACILITATOR"  # the account that owns the exchange (a hub sets it beside the exchange)
INBOUND_MODE = 0o1733  # owner: all; others: write and enter, not list; sticky
FILE_MODE = 0o644  # the facilitator reads it; its name is not guessable
PAY_CHANGES = ("on-target earnings ", "quota ")  # how the brief words a change of either (brief.compose.plan_changes)
MAKE_IT = "the facilitator makes it: sudo install -d -m 1733 -o FACILITATOR DIR (README, For facilitators, step 5)"


def exchange_dir(exchange: str | Path | None = None) -> Path:
    where = exchange or os.environ.get(EXCHANGE_ENV)
    if not where:
        raise CourseError.at(EXCHANGE_ENV, "exchange", "no exchange folder is set",
                             f"set {EXCHANGE_ENV} or pass --exchange DIR (the facilitator gives it)")
    return Path(where)


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _folder(folder: Path) -> os.stat_result:
    """The exchange's status (a link to a folder is followed); CourseError when there is no folder there."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise CourseError.at(folder, "exchange", "does not exist", MAKE_IT) from None
    except OSError as exc:
        raise CourseError.at(folder, "exchange", f"cannot be reached ({exc.strerror or exc})",
                             "ask the facilitator for the exchange path and access to it") from None
    if not stat.S_ISDIR(st.st_mode):
        raise CourseError.at(folder, "exchange", "is not a folder", "ask the facilitator for the exchange path")
    return st


def _shared_problem(folder: Path, st: os.stat_result) -> CourseError | None:
    """What is wrong with an exchange others can write to, for everyone: no sticky bit, or listable by all."""
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o022 and not mode & stat.S_ISVTX:
        return CourseError.at(folder, "exchange", f"mode {mode:o}: others can write to it without the sticky bit, so any "
                              "learner can replace or delete another's brief", f"the facilitator runs: chmod 1733 {folder}")
    if mode & 0o022 and mode & 0o004:
        return CourseError.at(folder, "exchange", f"mode {mode:o}: every account can list it and read the others' briefs",
                              f"the facilitator runs: chmod 1733 {folder}")
    return None


def _parent_problem(folder: Path) -> CourseError | None:
    """An exchange in a folder every account can write to without the sticky bit can be renamed away by any learner and
    replaced with one of their own (which then collects the others' briefs): refused on both sides."""
    for parent in {Path(os.path.abspath(folder)).parent, Path(os.path.realpath(folder)).parent}:
        try:
            mode = stat.S_IMODE(os.stat(parent).st_mode)
        except OSError:
            continue
        if mode & 0o002 and not mode & stat.S_ISVTX:
            return CourseError.at(folder, "exchange", f"is in {parent}, which every account can write to without the sticky "
                                  "bit, so any learner can swap the exchange for a folder of their own",
                                  f"the facilitator makes the exchange in a folder others cannot write to (or runs: chmod +t {parent})")
    return None


def _ancestor_problem(folder: Path) -> CourseError | None:
    """A folder above the exchange owned by another learner: its owner could rename the exchange away between hand-in's
    check and its write and put a folder of their own in its place. Each folder above (as written and as resolved) must
    be root's, this learner's or a declared facilitator's."""
    declared, me = _declared(), os.geteuid()
    seen: set[Path] = set()
    for at in (Path(os.path.abspath(folder)), Path(os.path.realpath(folder))):
        for parent in at.parents:
            if parent in seen:
                continue
            seen.add(parent)
            try:
                uid = os.stat(parent).st_uid
            except OSError:
                continue
            if uid not in (0, me) and not _is_facilitator(uid, declared):
                return CourseError.at(folder, "exchange", f"is inside {parent}, which {_user(uid)} owns: they could swap the "
                                      "exchange for a folder of their own while you hand in",
                                      f"the facilitator makes the exchange in a folder only they or root own (/srv), or the "
                                      f"hub declares {_user(uid)} a facilitator ({FACILITATOR_ENV}); nothing was handed in")
    return None


def _my_bits(st: os.stat_result) -> int:
    """The rwx bits (0-7) that apply to this process's user: owner, group or other."""
    mode, uid = stat.S_IMODE(st.st_mode), os.geteuid()
    if st.st_uid == uid:
        return mode >> 6 & 7
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return mode >> 3 & 7
    return mode & 7


def _declared() -> list[str]:
    """Who the hub declares the facilitators to be (``$COURSEKIT_FACILITATOR``): logins, numeric uids, ``@group``s."""
    return [w for w in os.environ.get(FACILITATOR_ENV, "").replace(",", " ").split() if w][:20]


def _is_facilitator(uid: int, declared: list[str]) -> bool:
    """``uid`` is root or one of ``declared`` (a login, a uid, or a member of an ``@group``); CourseError for a name
    that is no account or group here (a typo would otherwise refuse every hand-in with a puzzling reason)."""
    if uid == 0:
        return True
    found = False
    for who in declared:
        if who.isdigit():
            found = found or int(who) == uid
        elif who.startswith("@"):
            try:
                g = grp.getgrnam(who[1:])
            except KeyError:
                raise CourseError.at(FACILITATOR_ENV, "facilitator", f"names the group {who[:64]!r}, which is no group here",
                                     "set it to the facilitator's login or group (@facilitators), or unset it") from None
            try:
                pw = pwd.getpwuid(uid)
            except KeyError:
                continue
            found = found or pw.pw_gid == g.gr_gid or pw.pw_name in g.gr_mem
        else:
            try:
                found = found or pwd.getpwnam(who).pw_uid == uid
            except KeyError:
                raise CourseError.at(FACILITATOR_ENV, "facilitator", f"names {who[:64]!r}, which is no account here",
                                     "set it to the facilitator's login, or unset it") from None
    return found


def _group_members(gid: int) -> list[str]:
    """The accounts in group ``gid``: its listed members and the accounts whose own group it is."""
    try:
        g = grp.getgrgid(gid)
    except KeyError:
        return []
    return sorted(set(g.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == gid})


def _check_owner(folder: Path, st: os.stat_result) -> None:
    """The exchange belongs to the facilitators, not to a learner who made it first (in ``/tmp``, or in a course folder
    learners can write to) to read every brief handed in: its owner is root, this learner, or a declared facilitator
    (``$COURSEKIT_FACILITATOR``), and a group that can list it holds only those. Without a declaration only an exchange
    root owns is trusted: nothing tells a facilitator's account from a learner's."""
    declared, me = _declared(), os.geteuid()
    _is_facilitator(-1, declared)  # a name that is no account or group here is said first, whoever owns the exchange
    if st.st_uid not in (0, me) and not _is_facilitator(st.st_uid, declared):
        who = _user(st.st_uid)
        if not declared:
            raise CourseError.at(folder, "exchange", f"is owned by {who} and no facilitator is declared, so it could be a "
                                 "learner's who made it first and reads every brief in it",
                                 f"if {who} is the facilitator, the hub sets {FACILITATOR_ENV}={who} beside {EXCHANGE_ENV} "
                                 "(README, For facilitators, step 5); nothing was handed in")
        raise CourseError.at(folder, "exchange", f"is owned by {who}, not by the facilitator {', '.join(declared)[:80]}: a "
                             "brief handed in there could be read by them",
                             "ask the facilitator for the exchange's path; nothing was handed in")
    if st.st_gid not in (os.getegid(), *os.getgroups()):  # a learner in a group that can list it: refused below
        problem = _group_problem(folder, st, declared)
        if problem:
            raise problem


def _group_problem(folder: Path, st: os.stat_result, declared: list[str], me: int | None = None) -> CourseError | None:
    """When the exchange's group can list it: every account in that group reads every brief, so the group must hold
    only facilitators (root, ``me`` when given, the declared ones), or be a declared ``@group``."""
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o040 or any(w.startswith("@") and _group_gid(w[1:]) == st.st_gid for w in declared):
        return None
    others = [m for m in _group_members(st.st_gid) if _uid(m) != me and not _is_facilitator(_uid(m), declared)]
    if not others:
        return None
    shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    return CourseError.at(folder, "exchange", f"mode {mode:o}: its group {_group(st.st_gid)} can list it and read every "
                          f"brief, and has accounts no one declared a facilitator ({shown})",
                          f"the facilitator gives it a group only facilitators are in, or the hub sets "
                          f"{FACILITATOR_ENV}=@{_group(st.st_gid)} if that group is the facilitators'" + ("" if me is not None else
                                                                                                   "; nothing was handed in"))


def _group_gid(name: str) -> int | None:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _uid(login: str) -> int:
    try:
        return pwd.getpwnam(login).pw_uid
    except KeyError:
        return -1


def check_handin(folder: Path) -> None:
    """A learner may hand in to ``folder``: it exists (never created here), the sticky bit guards the briefs in it,
    a learner who does not own it can write to it but not list it, and it is the facilitators' (:func:`_check_owner`,
    :func:`_ancestor_problem`). CourseError (one line with the fix) if not."""
    st = _folder(folder)
    problem = _shared_problem(folder, st) or _parent_problem(folder) or _ancestor_problem(folder)
    if problem:
        raise problem
    _check_owner(folder, st)
    if st.st_uid != os.geteuid() and os.geteuid() != 0:
        bits = _my_bits(st)
        if bits & 4:
            raise CourseError.at(folder, "exchange", f"owned by {_user(st.st_uid)} and you can list it, so every learner "
                                 "can read the others' briefs", f"the facilitator runs: chmod 1733 {folder}")
        if bits & 3 != 3:
            raise CourseError.at(folder, "exchange", "you cannot write to it", f"the facilitator runs: chmod 1733 {folder}")


def _link_problem(folder: Path) -> CourseError | None:
    """A link on the way to the exchange made by another account (a learner's ``/tmp/exchange`` pointing at a folder of
    the facilitator's): the room would read, and ``--clear`` would empty, whatever it points at. Refused for the room."""
    me, at = os.geteuid(), Path(os.path.abspath(folder))
    for part in [*reversed(at.parents), at]:
        try:
            st = os.lstat(part)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode) and st.st_uid not in (0, me):
            return CourseError.at(folder, "exchange", f"goes through {part}, a link {_user(st.st_uid)} made: it points the room "
                                  "(and --clear) at a folder of their choosing", "give the exchange's own path, not a link")
    return None


def check_room(folder: Path) -> None:
    """The facilitator may trust and read ``folder``: when others can write to it, it has the sticky bit, nobody else
    can list it, and it is owned by the facilitator (or root, with a group the facilitator is in), not by a learner
    who could read and delete every brief; and the facilitator can list it. CourseError (one line with the fix) if not."""
    st = _folder(folder)
    problem = _link_problem(folder) or _shared_problem(folder, st) or _parent_problem(folder)
    if problem:
        raise problem
    me, declared = os.geteuid(), _declared()
    if st.st_mode & 0o022 and st.st_uid not in (me, 0) and not _is_facilitator(st.st_uid, declared):
        # a learner-owned exchange is trusted by nobody, root included; a declared facilitator's is
        raise CourseError.at(folder, "exchange", f"owned by {_user(st.st_uid)}, not by you ({_user(me)}): its owner reads and "
                             f"deletes every brief in it", f"the room is read by the exchange's owner ({_user(st.st_uid)} runs "
                             f"coursekit room {folder}); if you are the facilitator, make it again as yourself: "
                             f"sudo install -d -m 1733 -o {_user(me)} DIR")
    if st.st_mode & 0o022:  # learners hand in here: a group of theirs that can list it reads every brief
        problem = _group_problem(folder, st, declared, me)
        if problem:
            raise problem
    try:
        with os.scandir(folder) as it:
            next(it, None)
    except OSError as exc:
        raise CourseError.at(folder, "exchange", f"cannot be listed by {_user(me)} ({exc.strerror or exc}), so the room "
                             "cannot be read", f"sudo chown {_user(me)} {folder} (mode 1733), or give it a group you are "
                             "in with mode 1773") from None


def clear_room(folder: Path) -> list[str]:
    """Remove every handed-in brief (``*.json``) and writer's leftover (``*.coursekit-tmp``) from the exchange at the end of
    a session, as its owner; returns the names removed. The folder itself stays, with its mode, for the next session. The
    folder is checked as the room checks it; CourseError (one line) when this user may not clear it: only the exchange's
    owner (or root) can remove the learners' files under the sticky bit."""
    st, me = _folder(folder), os.geteuid()
    if me not in (0, st.st_uid):
        raise CourseError.at(folder, "exchange", f"belongs to {_user(st.st_uid)}: under the sticky bit only its owner can "
                             "remove the learners' briefs", f"{_user(st.st_uid)} runs: coursekit room {folder} --clear")
    check_room(folder)
    if not st.st_mode & 0o022:  # nobody else can write to it: a folder of the facilitator's, not an exchange
        raise CourseError.at(folder, "exchange", f"mode {stat.S_IMODE(st.st_mode):o}: no one else can write to it, so it is "
                             "no exchange and its files are not handed-in briefs; nothing was removed",
                             "give the exchange's path (made with mode 1733)")
    removed = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.endswith((".json", TMP_SUFFIX)) and not entry.is_dir(follow_symlinks=False):
                try:
                    os.unlink(entry.path)  # a link is removed, never followed
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    raise CourseError.at(entry.path, "exchange", f"cannot be removed ({exc.strerror or exc}); "
                                         f"{len(removed)} removed before it", "check the exchange's owner and mode") from None
                removed.append(entry.name)
    return sorted(removed)


def _handin_id() -> str:
    """This learner's random part of their hand-in file's name, kept in their home. Made once, atomically and only if
    none is there (two hand-ins at once, the button and the command, agree on one), so a learner has one file in the
    exchange, not two."""
    path = home() / "handin-id"

    def kept() -> str:
        try:
            value = read_once(path, "handin-id", 100).decode("ascii", "replace").strip()
        except CourseError:
            return ""
        return value if len(value) == 32 and all(c in "0123456789abcdef" for c in value) else ""

    value = kept()
    if value:
        return value
    value = secrets.token_hex(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".handin-id.{secrets.token_hex(4)}{TMP_SUFFIX}")
    atomic_write(tmp, value + "\n", mode=0o600)
    try:
        os.link(tmp, path)  # only if no other hand-in made one meanwhile
    except FileExistsError:
        for _ in range(50):  # another hand-in's id, still linked under its temporary name for a moment
            theirs = kept()
            if theirs:
                return theirs
            time.sleep(0.01)
        os.replace(tmp, path)  # what was there is no id (emptied, edited): this one takes its place
    finally:
        tmp.unlink(missing_ok=True)
    return value


def for_room(brief: dict[str, Any], with_pay: bool = False) -> dict[str, Any]:
    """What a hand-in sends: only what the room shows (section headings and whether filled, the contradictions named,
    the plan changes with whether the proposed plan passed and its cost per 100 of bookings, the mix of effort the
    strategy wants in words, the hypothesis, the asks).
    Pay per option, plans, findings and the summary stay with the learner; a change of the company's on-target
    earnings or quota (a real figure, with the learner's own company) is sent only ``with_pay``."""
    def rows(items: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        return [{k: r[k] for k in keys if k in r} for r in items if isinstance(r, dict)] if isinstance(items, list) else []

    sections = []
    for sec in brief.get("sections") if isinstance(brief.get("sections"), list) else []:
        if not isinstance(sec, dict):
            continue
        d = sec.get("data") if isinstance(sec.get("data"), dict) else {}
        sid, kept = sec.get("id"), {}
        if sid == "contradictions":
            kept = {"contradictions": rows(d.get("contradictions"), (*SYSTEMS, "contradiction"))}
        elif sid == "plans":
            changes = d.get("changes") if isinstance(d.get("changes"), list) else []
            aligned = d.get("aligned") if isinstance(d.get("aligned"), dict) else {}
            pop = d.get("population") if isinstance(d.get("population"), dict) else {}
            proposed = pop.get("proposed") if isinstance(pop.get("proposed"), dict) else {}
            kept = {"changes": [c for c in changes if with_pay or not (isinstance(c, str) and c.startswith(PAY_CHANGES))],
                    "aligned": {"proposed": aligned.get("proposed")},
                    "population": {"proposed": {"cost_of_sales_pct": proposed.get("cost_of_sales_pct")}}}
            company = d.get("company") if isinstance(d.get("company"), dict) else {}
            if isinstance(company.get("currency"), str):  # the room groups money by currency; the name stays home
                kept["company"] = {"currency": company["currency"]}
            mix = d.get("wanted_mix") if isinstance(d.get("wanted_mix"), dict) else {}
            if isinstance(mix.get("words"), str):  # a strategy that wants a mix of effort, in words
                kept["wanted_mix"] = {"words": mix["words"]}
            came = d.get("from") if isinstance(d.get("from"), dict) else {}
            if isinstance(came.get("passed"), bool):  # a module's plan tester checked, when the capstone has no design
                kept["from"] = {"passed": came["passed"]}
        elif sid == "hypothesis":
            kept = {"sentence": d.get("sentence")}
        elif sid == "decisions":
            kept = {"asks": rows(d.get("asks"), ("owner", "ask"))}
        sections.append({k: sec.get(k) for k in ("id", "number", "heading", "filled")} | {"data": kept})
    return {"schema": brief.get("schema"), "version": brief.get("version"), "learner": brief.get("learner"),
            "sections": sections}


def handin(brief: dict[str, Any], learner: str | None = None, exchange: str | Path | None = None,
           source: str | Path = "brief", with_pay: bool = False) -> Path:
    """Write what the room shows of ``brief`` (``decision_brief.to_json()``; see :func:`for_room`) as this learner's
    file in the exchange; returns its path. ``learner`` defaults to ``$COURSEKIT_LEARNER``
    (``coursekit.answers.learner_name``); the brief must be theirs. ``source`` names the brief in errors."""
    folder = exchange_dir(exchange)
    learner = learner_name(learner)
    if not isinstance(brief, dict) or not str(brief.get("schema", "")).startswith(SCHEMA_PREFIX):
        raise CourseError.at(source, "schema", "not a coursekit brief", "export it first: coursekit export")
    if (brief.get("learner") or "me") != learner:  # the brief leaves the default learner "me" unnamed
        raise CourseError.at(source, "learner", f"is the brief of {str(brief.get('learner'))[:64]!r}, not of {learner!r}",
                             f"export your own brief (coursekit export --learner {learner}) and hand that in")
    text = json.dumps(for_room(brief, with_pay), ensure_ascii=False, indent=1).encode("utf-8")
    if len(text) > MAX_BYTES:
        raise CourseError.at(source, "size", f"{len(text):,} bytes, more than the {MAX_BYTES:,} a brief may be",
                             "shorten the longest answers and export again")
    check_handin(folder)
    target = folder / f"{learner}-{_handin_id()}.json"
    try:
        atomic_write(target, text, mode=FILE_MODE, parents=False)  # an exchange removed since the check is never made again
    except FileNotFoundError:
        if folder.is_dir():  # the room was cleared (its leftovers with it) at that moment: nothing of this learner's is lost
            raise CourseError.at(target, "exchange", "the room was cleared while you handed in", "hand in again") from None
        raise CourseError.at(folder, "exchange", "was removed while handing in", MAKE_IT) from None
    return target


def handin_file(path: str | Path, learner: str | None = None, exchange: str | Path | None = None, with_pay: bool = False) -> Path:
    """Hand in the brief's JSON at ``path`` (what ``coursekit export`` wrote), read once through the size-checked open.
    CourseError (one line: file, field, fix) for a missing, oversized or unreadable file, one that is not a brief or
    not this learner's, and an exchange that is missing or unsafe; returns where it went."""
    path = Path(path)
    if not path.exists():
        raise CourseError.at(path, "brief", "no brief here", "export your brief first (the button or coursekit export), or pass --brief FILE")
    brief = parse_brief(read_once(path), path)
    return handin(brief, learner, exchange, source=path, with_pay=with_pay)


def is_inbound(folder: Path) -> bool:
    """True when the folder has the exchange's permissions (others may write, not list; sticky)."""
    mode = stat.S_IMODE(folder.stat().st_mode)
    return mode & 0o033 == 0o033 and not mode & 0o044 and bool(mode & stat.S_ISVTX)
