"""The course glossary: `content/glossary.yaml` (term -> {definition, source?}) read and checked, and the
linker that turns the first use of each term in a module's prose into a link to its anchor in
`glossary.ipynb`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coursekit.errors import Checker, CourseError, Problem, closest
from coursekit.io import read_text
from coursekit.yamlio import parse_mapping

GLOSSARY_FILE = "glossary.yaml"
GLOSSARY_NOTEBOOK = "glossary.ipynb"
TERM_KEYS = ("definition", "source")


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    source: str | None = None

    @property
    def anchor(self) -> str:
        return anchor(self.term)


def anchor(term: str) -> str:
    """The term's anchor id: lower case, runs of anything but letters and digits become one hyphen
    ("credit multiplier" -> "credit-multiplier", "OTE" -> "ote")."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def load_glossary(content: str | Path) -> tuple[list[Term], list[Problem]]:
    """The terms of ``content/glossary.yaml`` in alphabetical order (none when there is no file) and every
    problem found, one per term and field."""
    path = Path(content) / GLOSSARY_FILE
    if not path.exists():
        return [], []
    try:
        data, lines = parse_mapping(read_text(path, "glossary"), path)
    except CourseError as exc:
        return [], exc.problems
    terms: list[Term] = []
    chk = Checker(path, lines)  # the one validation kit
    probs = chk.problems
    seen: dict[str, str] = {}
    for term, entry in data.items():
        def bad(problem: str, fix: str, term: str = term) -> None:
            chk.bad(term, problem, fix)

        before = len(probs)
        if not isinstance(entry, dict):
            bad("must be a mapping", f'write `{term}: {{definition: "..."}}`')
            continue
        misspelt = set()
        for k in (str(k) for k in entry if k not in TERM_KEYS):
            bad(f"unknown key `{k}`", closest(k, TERM_KEYS))
            misspelt.add(probs[-1].fix)
        definition, source = entry.get("definition"), entry.get("source")
        if "did you mean `definition`?" in misspelt and "definition" not in entry:
            pass  # the did-you-mean above is the fix; "missing" would say it twice
        elif not isinstance(definition, str) or not definition.strip():
            bad("definition: missing or not text", 'give `definition: "..."`, one or two sentences')
        if source is not None and (not isinstance(source, str) or not source.strip()):
            bad("source: not text", 'give `source: "Author (year), Title. URL"` or remove it')
        a = anchor(term)
        if not a:
            bad("has no letters or digits", "name the term in words")
        elif a in seen:
            bad(f"has the same anchor `{a}` as {seen[a]!r}", "merge the two terms or rename one")
        if len(probs) > before:
            continue
        seen[a] = term
        terms.append(Term(term, definition.strip(), source.strip() if source else None))
    return sorted(terms, key=lambda t: t.term.lower()), probs


# --- linking ------------------------------------------------------------------------------------

# Markdown the linker never touches: fenced code, inline code, links and images (inline and reference),
# autolinks, whole HTML <a> elements, any other HTML tag, and heading lines.
_SKIP = re.compile(
    r"(^[ \t]*(```|~~~).*?^[ \t]*\2[ \t]*$"  # fenced code
    r"|`+[^`\n]*?`+"  # inline code
    r"|<a\b[^>]*>.*?</a\s*>"  # an HTML link with its text
    r"|<[^>\n]+>"  # any other tag or autolink
    r"|!?\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])?"  # [text](url), [text][ref], ![alt](src), [ref]
    r"|^[ \t]{0,3}#{1,6}[ \t].*?$"  # a heading
    r"|https?://\S+)",  # a bare URL
    re.M | re.S,
)


# a term followed by a determiner ("draw the line", "caps each month") or after a modal ("cannot draw", "to ramp")
# is a verb, not the comp term
_NOT_A_VERB = r"(?!\s+(?:the|a|an|each|every|its|their|his|her|our|your|it|them|this|that|these|those)\b)"
_MODAL = re.compile(r"(?:\b(?:to|can|cannot|will|would|must|should|could|may|might|not)(?:\s+(?:I|you|we|they))?|n['’]t)\s+$", re.I)


class Linker:
    """Links the first use of each term across every text passed to :meth:`link` (one linker per module).

    Case-insensitive, whole words (a hyphen counts as part of a word, so "non-recoverable draw" is not a
    use of "recoverable draw"; a plural "s"/"es" is the same word), longest term first; a term after a modal
    or followed by a determiner is read as a verb and left alone."""

    def __init__(self, terms: Iterable[Term], href: str = GLOSSARY_NOTEBOOK):
        self.terms = {t.term.lower(): t for t in terms}
        self.href = href
        self.linked: set[str] = set()
        words = sorted(self.terms, key=lambda t: (-len(t), t))
        alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        self._pattern = re.compile(rf"(?<![\w-])({alt})(?:e?s)?(?![\w-]){_NOT_A_VERB}", re.I) if words else None

    def link(self, markdown: str) -> str:
        if self._pattern is None:
            return markdown
        out, pos = [], 0
        for m in _SKIP.finditer(markdown):
            out += [self._text(markdown[pos:m.start()]), m.group(0)]
            pos = m.end()
        out.append(self._text(markdown[pos:]))
        return "".join(out)

    def _text(self, text: str) -> str:
        def one(m: re.Match) -> str:
            key = " ".join(m.group(1).lower().split())
            if key in self.linked or _MODAL.search(m.string, max(0, m.start() - 20), m.start()):
                return m.group(0)
            self.linked.add(key)
            return f"[{m.group(0)}]({self.href}#{self.terms[key].anchor})"

        return self._pattern.sub(one, text) if self._pattern else text
