"""A course: every note in a content folder, checked together and put in course order."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.errors import CourseError, Problem
from coursekit.notes.glossary import Term, load_glossary
from coursekit.notes.model import DIFFICULTIES, Note
from coursekit.notes.parse import parse_note


@dataclass
class Course:
    """Notes in course order, plus every problem found (errors and warnings)."""

    notes: list[Note]
    problems: list[Problem] = field(default_factory=list)
    glossary: list[Term] = field(default_factory=list)  # content/glossary.yaml, alphabetical

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def by_slug(self) -> dict[str, Note]:
        return {n.slug: n for n in self.notes}

    def position(self, slug: str) -> int:
        """1-based course position of a note."""
        return [n.slug for n in self.notes].index(slug) + 1

    def notebook_name(self, slug: str) -> str:
        return f"{self.position(slug):02d}-{slug}.ipynb"


def course_order(notes: list[Note]) -> list[Note]:
    """Follow Next Counsel links breadth-first from the notes nobody links to.

    Roots go easiest first (difficulty, then slug); notes no link reaches come last in the same order.
    """
    rank = {d: i for i, d in enumerate(DIFFICULTIES)}
    key = lambda n: (rank.get(n.front.difficulty, 99), n.slug)  # noqa: E731
    by_slug = {n.slug: n for n in notes}
    linked = {s for n in notes for s in n.next_counsel if s != n.slug}
    roots = sorted((n for n in notes if n.slug not in linked), key=key)
    order: list[Note] = []
    seen: set[str] = set()
    queue = deque(roots)
    while queue or len(seen) < len(notes):
        if not queue:
            queue.append(min((n for n in notes if n.slug not in seen), key=key))
        n = queue.popleft()
        if n.slug in seen:
            continue
        seen.add(n.slug)
        order.append(n)
        queue.extend(by_slug[s] for s in n.next_counsel if s in by_slug and s not in seen)
    return order


def load_course(content: str | Path) -> Course:
    """Parse every ``*.md`` under ``content``; never raises for bad notes, collects problems."""
    content = Path(content)
    if not content.is_dir():
        raise CourseError.at(content, "--content", "is not a folder", "give the folder that holds the notes")
    problems: list[Problem] = []
    notes: list[Note] = []
    seen: dict[str, Path] = {}
    for path in sorted(content.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        if not path.resolve().is_relative_to(content.resolve()):  # a link to a file outside content/
            problems.append(Problem(str(path), "file", "links to a file outside the content folder", "copy the note into the content folder"))
            continue
        note, probs = parse_note(path, partial=True)  # errors still fail the course; the rest gets planned
        problems.extend(probs)
        if note is None:
            continue
        if note.slug in seen:
            problems.append(Problem(str(path), "slug", f"{note.slug!r} is already used by {seen[note.slug]}", "give each note its own slug", 2))
            continue
        seen[note.slug] = path
        notes.append(note)
    for side in sorted(content.rglob("*.course.yaml")):
        if not side.with_name(side.name.removesuffix(".course.yaml") + ".md").is_file():
            problems.append(Problem(str(side), "sidecar", "has no note beside it", "name it after a note: <slug>.course.yaml next to <slug>.md, or remove it"))
    if not notes and not problems:
        problems.append(Problem(str(content), "content", "holds no notes", "add a `*.md` counsel note"))
    slugs = set(seen)
    for n in notes:
        for s in n.next_counsel:
            if s not in slugs:
                rel = n.section("Related Content")
                problems.append(Problem(str(n.path), "Next Counsel", f"{s!r} has no note yet (shown as coming soon)", f"add content/{s}.md or remove the link", rel.line if rel else None, "warning"))
    glossary, glossary_problems = load_glossary(content)
    return Course(course_order(notes), problems + glossary_problems, glossary)


def load_course_strict(content: str | Path) -> Course:
    """``load_course``, raising its errors as one CourseError: for commands that cannot go on without the notes."""
    course = load_course(content)
    if course.errors:
        raise CourseError(course.errors)
    return course
