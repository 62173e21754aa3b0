"""Markdown + YAML front matter -> Note. Sections are kept in order, known ones also parsed."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from coursekit.errors import CourseError, Problem
from coursekit.io import read_text
from coursekit.notes import validate
from coursekit.notes.material import MATERIAL_KEYS, material, read_sidecar, sidecar_path
from coursekit.notes.model import Action, Note, Pitfall, Section, section_kind
from coursekit.notes.validate import exercise_specs
from coursekit.yamlio import parse_mapping

ACTION_RE = re.compile(r"^###\s+(\d+)\.\s+(.+?)(?:\s+\(([^()]*)\))?\s*$")
PITFALL_RE = re.compile(r'^\*\*["“](.+?)["”]\*\*\s*$')
LIST_RE = re.compile(r"^\s*[-*]\s+(.*\S)\s*$")
GROUP_RE = re.compile(r"^\*\*(.+?):?\*\*\s*:?\s*$")  # `**Next Counsel**:` or `**Videos:**`


def group_heading(line: str) -> str | None:
    """The lowercase name of a `**Group**:` heading line, else None."""
    m = GROUP_RE.match(line.strip())
    return m.group(1).strip().lower() if m else None


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (yaml text, body text, line number where the body starts)."""
    if not text.strip():
        raise CourseError.at(path, "file", "is empty", "start with a `---` front-matter block", 1)
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        raise CourseError.at(path, "front matter", "is missing", "begin the file with `---`, the YAML fields, then `---`", 1)
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    raise CourseError.at(path, "front matter", "is not closed", "add a `---` line after the YAML fields", 1)


def split_sections(body: str, first_line: int) -> list[Section]:
    """Split on `## ` headings outside code fences; text before the first heading is kept too."""
    sections: list[Section] = []
    title, start, buf = "", first_line, []
    fenced = False
    for n, line in enumerate(body.splitlines(), start=first_line):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            if title or "".join(buf).strip():
                sections.append(Section(title, "\n".join(buf).strip("\n"), start, section_kind(title)))
            title, start, buf = line[3:].strip(), n, []
        else:
            buf.append(line)
    if title or "".join(buf).strip():
        sections.append(Section(title, "\n".join(buf).strip("\n"), start, section_kind(title)))
    return sections


def parse_actions(section: Section, path: Path, problems: list[Problem]) -> list[Action]:
    actions: list[Action] = []
    cur: dict | None = None
    for n, line in enumerate(section.body.splitlines(), start=section.line + 1):
        if line.startswith("### "):
            m = ACTION_RE.match(line)
            if not m:
                problems.append(Problem(str(path), "Recommended Actions", f"heading {line.strip()!r} is not `### N. Title (duration)`",
                                        "number it and give a duration, e.g. `### 1. Map it (15 min)`", n, "warning"))
                cur = None
                continue
            cur = {"number": int(m.group(1)), "title": m.group(2).strip(), "duration": (m.group(3) or "").strip(), "body": [], "line": n}
            actions.append(cur)  # type: ignore[arg-type]
        elif cur is not None:
            cur["body"].append(line)
    out = []
    for a in actions:
        body = "\n".join(a["body"]).strip("\n")  # type: ignore[index]
        out.append(Action(a["number"], a["title"], a["duration"], body, a["line"], tuple(parse_list(body)), bold_fields(body), chains(body)))  # type: ignore[index]
    return out


def bold_fields(body: str) -> dict[str, str]:
    """`- **Strategy**: "text"` lines of an action's example, keyed by lowercase label."""
    out = {}
    for m in re.finditer(r"^\s*[-*]\s+\*\*(.+?)\*\*\s*:\s*(.+?)\s*$", body, re.M):
        out[m.group(1).strip().lower()] = m.group(2).strip().strip('"“”')
    return out


def chains(body: str) -> dict[str, tuple[str, ...]]:
    """`- A → B → C` list items: A -> (B, C)."""
    out = {}
    for item in parse_list(body):
        if re.search(r"→|->", item):
            parts = [p.strip() for p in re.split(r"→|->", item) if p.strip()]
            if len(parts) >= 2:
                out[parts[0]] = tuple(parts[1:])
    return out


def parse_pitfalls(section: Section) -> list[Pitfall]:
    out: list[Pitfall] = []
    claim, rebuttal = None, []
    for line in section.body.splitlines():
        m = PITFALL_RE.match(line.strip())
        if m:
            if claim:
                out.append(Pitfall(claim, " ".join(rebuttal).strip()))
            claim, rebuttal = m.group(1).strip(), []
        elif claim is not None and line.strip():
            rebuttal.append(line.strip())
    if claim:
        out.append(Pitfall(claim, " ".join(rebuttal).strip()))
    return out


def parse_list(text: str) -> list[str]:
    return [m.group(1) for m in map(LIST_RE.match, text.splitlines()) if m]


def parse_related(section: Section) -> dict[str, list[str]]:
    """`**Videos**:` / `**Next Counsel**:` blocks, each followed by a list."""
    groups: dict[str, list[str]] = {}
    current = None
    for line in section.body.splitlines():
        heading = group_heading(line)
        if heading:
            current = heading
            groups[current] = []
            continue
        item = LIST_RE.match(line)
        if item and current is not None:
            groups[current].append(item.group(1))
    return groups


def parse_note(path: str | Path, partial: bool = False) -> tuple[Note | None, list[Problem]]:
    """Parse one note. Returns (note or None, problems). Never raises for bad input.
    With ``partial``, a note whose front matter is sound is returned despite errors in its exercise entries
    or course material (keeping the good parts), so `check` can plan it and report every problem at once."""
    path = Path(path)
    try:
        text = read_text(path, "file")
        fm_text, body, body_line = split_front_matter(text, path)
        data, lines = parse_mapping(fm_text, path, line_offset=1)
    except CourseError as exc:
        return None, exc.problems
    front, problems = validate.front_matter(data, lines, path)
    if front is None:
        return None, problems
    sections = split_sections(body, body_line)
    actions, pitfalls, assumptions, nexts, videos, related = [], [], [], [], [], {}
    for s in sections:
        if s.kind == "actions":
            actions = parse_actions(s, path, problems)
        elif s.kind == "pitfalls":
            pitfalls = parse_pitfalls(s)
        elif s.kind == "assumptions":
            assumptions = parse_list(s.body)
        elif s.kind == "related":
            related = {k: tuple(v) for k, v in parse_related(s).items()}
            nexts = [re.sub(r"[`*]", "", x).strip() for x in related.get("next counsel", ())]
            videos = list(related.get("videos", ()))
    for kind, name in (("problem", "Problem Statement"), ("mechanism", "Mechanism")):
        if not any(s.kind == kind for s in sections):
            problems.append(Problem(str(path), name, "section is missing", f"add a `## {name}` section", None, "warning"))
    mat, side_file, front, ex_file = _material(data, lines, path, front, len(assumptions), len(pitfalls), problems)
    numbers = {a.number for a in actions}
    for spec in front.exercises:
        if spec.action is not None and spec.action not in numbers:
            problems.append(Problem(str(ex_file), "exercises", f"action {spec.action} does not exist",
                                    "use the number of a `### N.` action", spec.line))
    front = replace(front, exercises=tuple(s for s in front.exercises if s.action is None or s.action in numbers))
    errors = [p for p in problems if p.severity == "error"]
    if errors and not partial:
        return None, problems
    note = Note(path, front, tuple(sections), tuple(actions), tuple(pitfalls), tuple(assumptions), tuple(nexts), tuple(videos),
                related, mat, side_file)
    return note, problems


def _material(data, lines, path: Path, front, n_assumptions: int, n_pitfalls: int, problems: list[Problem]):
    """Course material from the front matter and the sidecar; a key in both is an error."""
    side, ex_file = sidecar_path(path), path
    sdata, slines, sprobs = read_sidecar(side)
    problems += sprobs
    for key in sdata:
        if key in data:
            problems.append(Problem(str(side), key, f"is also in the front matter of {path.name}", "keep it in one place", slines.get(key)))
    fm = {k: data[k] for k in MATERIAL_KEYS if k in data}
    mat, mprobs = material(fm, lines, str(path), n_assumptions, n_pitfalls)
    problems += mprobs
    if sdata:
        smat, sp = material({k: v for k, v in sdata.items() if k not in data}, slines, str(side), n_assumptions, n_pitfalls)
        problems += sp
        mat = replace(mat, **{k: getattr(smat, k) for k in MATERIAL_KEYS if k in sdata and k not in data})
        if "exercises" in sdata and "exercises" not in data:
            specs, ep = exercise_specs(sdata["exercises"], str(side), slines.get("exercises"))
            problems += ep
            front, ex_file = replace(front, exercises=tuple(specs)), side
    return mat, (side if sdata or sprobs else None), front, ex_file
