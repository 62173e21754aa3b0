"""Quiz: keyed multiple-choice items, every wrong option a named misconception with feedback that answers it.

Two uses of one kind:
- a **retrieval quiz** at the end of a module (``items`` in the sidecar), mixing earlier modules' ideas;
- the **pre/post diagnostic** (``diagnostic: pre`` or ``post``): scenario items from the course's bank
  (``content/diagnostic.yaml``), shuffled per learner, a different order before and after.

The notebook gets each item's prompt and option texts only; which option is right, and the feedback for each,
go into the key store (``coursekit.keys``, written by the build) and load at run time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.errors import Problem
from coursekit.exercises.kind import Kind, PlanContext, Planned, md_escape, text
from coursekit.yamlio import parse_mapping

BANK_FILE = "diagnostic.yaml"  # the diagnostic's item bank, in the content folder
BANK_NOTE, BANK_ID = "diagnostic", "bank"  # where the key store keeps it: key("diagnostic", "bank")
PHASES = ("pre", "post")
ASKS = {"pays": "which pays more", "resets": "what resets", "lever": "which lever", "pitfall": "which pitfall"}
START_KEY = "00-start-here/diagnostic-pre"  # where the start page's pre diagnostic saves its answer


@dataclass(frozen=True)
class Options:
    # [{prompt, options: [{text, right: why it is right} | {text, misconception: its name, why: feedback}]}]
    items: list[dict[str, Any]] | None = None
    # "pre" or "post": the course's diagnostic bank instead of items
    diagnostic: str | None = None


def check_items(items: Any, where: str, bank: bool = False) -> list[str]:
    """What is wrong with a list of items (one sentence each, naming the item); [] when all are usable."""
    if not isinstance(items, list) or not items:
        return [f"{where}: `items` must be a list of items"]
    bad: list[str] = []
    seen: set[str] = set()
    for n, it in enumerate(items, 1):
        at = f"{where} item {n}"
        if not isinstance(it, dict):
            bad.append(f"{at} is not a mapping of prompt and options")
            continue
        allowed = {"prompt", "options"} | ({"id", "asks", "plan", "deals"} if bank else set())
        bad += [f"{at}: unknown key `{k}` (an item has {', '.join(sorted(allowed))})" for k in it if k not in allowed]
        if bank:
            iid = it.get("id")
            if not isinstance(iid, str) or not iid.strip() or iid in seen:
                bad.append(f"{at}: `id` must be a short name no other item has")
            seen.add(str(iid))
            if it.get("asks") not in ASKS:
                bad.append(f"{at}: `asks` must be one of {', '.join(ASKS)}")
            for k in ("plan", "deals"):
                if not isinstance(it.get(k), str) or not it[k].strip():
                    bad.append(f"{at}: `{k}` must be text (the plan excerpt and the two deal types)")
        if not isinstance(it.get("prompt"), str) or not it["prompt"].strip():
            bad.append(f"{at}: `prompt` must be the question as text")
        opts = it.get("options")
        if not isinstance(opts, list) or not 3 <= len(opts) <= 5:
            bad.append(f"{at}: `options` must list 3 to 5 options")
            continue
        rights = 0
        for m, o in enumerate(opts, 1):
            if not isinstance(o, dict) or not isinstance(o.get("text"), str) or not o["text"].strip():
                bad.append(f"{at} option {m}: needs `text`")
                continue
            extra = [k for k in o if k not in ("text", "right", "misconception", "why")]
            if extra:
                bad.append(f"{at} option {m}: unknown key `{extra[0]}`")
            if "right" in o:
                rights += 1
                if not isinstance(o["right"], str) or not o["right"].strip():
                    bad.append(f"{at} option {m}: `right` must say why it is right")
            elif not all(isinstance(o.get(k), str) and o[k].strip() for k in ("misconception", "why")):
                bad.append(f"{at} option {m}: a wrong option names its `misconception` and answers it in `why`")
        if rights != 1:
            bad.append(f"{at}: exactly one option is `right` (found {rights})")
    return bad


def public(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a notebook may show of the items: prompts and option texts (and a bank item's id, plan and deals)."""
    keep = ("id", "asks", "plan", "deals", "prompt")
    return [{**{k: it[k] for k in keep if k in it}, "options": [o["text"] for o in it["options"]]} for it in items]


def item_keys(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per item: the right option's index and why, and each wrong option's misconception and feedback (by index)."""
    out = []
    for it in items:
        right = next(i for i, o in enumerate(it["options"]) if "right" in o)
        out.append({"answer": right, "why": it["options"][right]["right"],
                    "wrong": {str(i): {"misconception": o["misconception"], "why": o["why"]}
                              for i, o in enumerate(it["options"]) if i != right}})
    return out


def load_bank(content_dir: Path) -> tuple[list[dict[str, Any]] | None, list[Problem]]:
    """The diagnostic bank from ``content/diagnostic.yaml``: (items, problems); (None, []) when the course has none."""
    path = Path(content_dir) / BANK_FILE
    if not path.is_file():
        return None, []
    try:
        data = parse_mapping(path.read_text(encoding="utf-8"), path)[0]
    except Exception as exc:  # noqa: BLE001 - a CourseError or an OSError: one line either way
        return None, [Problem(str(path), "items", " ".join(str(exc).split()), "fix the YAML")]
    items = data.get("items")
    bad = check_items(items, "diagnostic", bank=True)
    if not bad and len(items) < 12:
        bad.append(f"diagnostic: the bank has {len(items)} items; a pre/post diagnostic needs at least 12")
    if bad:
        return None, [Problem(str(path), "items", b, "see coursekit/exercises/quiz/kind.py") for b in bad]
    return items, []


def bank_key(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The bank as the key store keeps it: public items with their keys, by id."""
    return {"items": [{**p, "key": k} for p, k in zip(public(items), item_keys(items))]}


class Quiz(Kind):
    name, widget, title = "quiz", "Quiz", "Retrieval quiz"
    Options = Options
    minutes = 6
    after = "assumptions"  # the end of the module, after the assumption check
    prompts = ("Which wrong option did someone in the room pick, and what made it look right?",
               "Where in your own plan document would this question have a different answer?")

    def plan(self, ctx: PlanContext) -> dict[str, Any] | None:
        o = ctx.options
        if o.diagnostic is not None:
            if o.diagnostic not in PHASES or o.items is not None:
                ctx.bad(f"diagnostic must be `pre` or `post`, without items (got {o.diagnostic!r})",
                        "write `diagnostic: post` (the items come from content/diagnostic.yaml)")
                return None
            items, probs = load_bank(ctx.content_dir)
            ctx.problems += probs
            if items is None and not probs:
                ctx.bad(f"no {BANK_FILE} in the content folder", f"add content/{BANK_FILE} with at least 12 items")
            return {"diagnostic": o.diagnostic} if items else None
        items, where = (o.items, ctx.note.path) if o.items is not None else sidecar_items(ctx)
        for b in check_items(items, "quiz"):
            ctx.bad(b, "each item: `prompt`, and `options` with one `right` and the others `misconception` + `why`", where, "quiz")
        if ctx.problems:
            return None
        return {"items": public(items)}

    def demo(self, ctx: PlanContext, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The items with their keys: for the key store and the facilitator edition, never a learner notebook."""
        o = ctx.options
        return {"items": o.items if o.items is not None else sidecar_items(ctx)[0]} if not o.diagnostic else {}

    def key_of(self, p: Planned) -> dict[str, Any]:
        """The base key (a model answer) and the items' keys, which the quiz widget reads at run time."""
        items = p.demo.get("items")
        return {**super().key_of(p), **({"items": item_keys(items)} if items else {})}

    def cells(self, c, p: Planned) -> None:
        if p.kwargs.get("diagnostic"):
            c.md(diagnostic_intro(p.kwargs["diagnostic"]))
        super().cells(c, p)

    def model_answer(self, p: Planned) -> str:
        o = p.spec.options
        if o.diagnostic:
            return (f"The {o.diagnostic} diagnostic: the bank's items and keys, with the misconception behind each distractor, "
                    "are in the facilitator edition's start page.")
        return answer_key(p.demo["items"])

    def brief_rows(self, answer: Any) -> list[tuple[str, str]]:
        if not isinstance(answer, dict):
            return []
        score, of = answer.get("score"), answer.get("of")
        if isinstance(score, int) and isinstance(of, int) and not isinstance(score, bool):
            return [("Score", f"{score} of {of}" + (f" ({text(answer.get('phase'))} diagnostic)" if answer.get("phase") else ""))]
        return []


def sidecar_items(ctx: PlanContext) -> tuple[Any, Path]:
    """The ``quiz:`` items of the note's sidecar (``<slug>.course.yaml``), where a quiz declares none of its own."""
    side = ctx.note.material_file or ctx.note.path
    try:
        data = parse_mapping(Path(side).read_text(encoding="utf-8"), Path(side))[0] if Path(side).suffix == ".yaml" else {}
    except Exception:  # noqa: BLE001 - the note's parser reports a broken sidecar itself
        data = {}
    return data.get("quiz"), Path(side)


def diagnostic_intro(phase: str) -> str:
    if phase == "pre":
        return ("## Before you start: a 10-minute diagnostic\n\n"
                "Twelve short scenarios: a plan excerpt and two kinds of deal, then one question (which pays more, what resets, "
                "which lever, which pitfall). Answer from what you know today; guessing is fine. It is not graded: your score is "
                "saved with your answers, and after the capstone you answer the same questions in another order, so you (and, "
                "in a workshop, the facilitator) can see what the course changed. The right answers are shown after the second round.")
    return ("## After the capstone: the diagnostic again\n\n"
            "The twelve scenarios from the start page, in another order. Answer without looking back; then the check shows "
            "each right answer, what each wrong pick believed, and your score before and after.")


def answer_key(items: list[dict[str, Any]], with_context: bool = False) -> str:
    """Facilitator markdown: each item, its right option and why, and the misconception behind each distractor."""
    out = []
    for n, it in enumerate(items, 1):
        head = f"{n}. {md_escape(it['prompt'])}"
        if with_context:
            head = (f"{n}. *({ASKS[it['asks']]}; `{it['id']}`)* **Plan:** {md_escape(it['plan'])} **Deals:** "
                    f"{md_escape(it['deals'])} {md_escape(it['prompt'])}")
        lines = [head]
        for o in it["options"]:
            if "right" in o:
                lines.append(f"    - **Right: {md_escape(o['text'])}** {md_escape(o['right'])}")
            else:
                lines.append(f"    - {md_escape(o['text'])} *Misconception: {md_escape(o['misconception'])}.* {md_escape(o['why'])}")
        out.append("\n".join(lines))
    return "\n".join(out)


KIND = Quiz()
