"""Contradiction map: for each top priority, what strategy, planning, enablement and comp say."""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_string import TextStyle  # not exported at top level in ipywidgets 8.1

from coursekit.answers import SYSTEMS, course_pandas
from coursekit.exercises.contradiction_map.kind import KIND
from coursekit.exercises.widget import UNSURE, Exercise
from coursekit.feedback import INFO, OK, WARN, junk_reason, mentions, same_text

FIELDS = SYSTEMS + ("contradiction",)
LABELS = {"strategy": "Strategy says", "planning": "Planning assumes", "enablement": "Enablement teaches",
          "comp": "Comp rewards", "contradiction": "The contradiction"}
HINTS = {"strategy": "e.g. the priority, in the strategy's own words",
         "planning": "e.g. what the capacity or territory model assumes about it",
         "enablement": "e.g. what training teaches reps to do for it",
         "comp": "e.g. what the plan pays for, how often, with what cap",
         "contradiction": "e.g. where one system pulls against another: name both sides"}
# What each system does, in words: a box that uses none of them may not say what its system does.
DOES = {
    "strategy": ("sell", "grow", "win", "expand", "land", "shift", "become", "focus", "increase", "enter", "retain", "reduce",
                 "launch", "priorit", "move", "build", "own", "lead", "target", "platform", "enterprise", "segment", "market",
                 "customer", "account", "product", "renew", "cross", "upsell", "logo", "margin", "share"),
    "planning": ("assum", "capacity", "territor", "quota", "model", "target", "forecast", "headcount", "coverage", "plan",
                 "attainment", "ramp", "account", "equal", "potential", "pipeline", "cycle", "rep"),
    "enablement": ("train", "teach", "coach", "playbook", "certif", "course", "methodolog", "discovery", "onboard", "enablement",
                   "content", "skill", "practi", "workshop", "learn", "cycle", "sell", "demo", "multi-thread", "business case"),
    "comp": ("pay", "paid", "commission", "comp", "reward", "bonus", "cap", "accelerat", "spif", "credit", "quota", "rate",
             "payout", "threshold", "tier", "incentive", "earn", "kicker", "multiplier", "draw", "monthly", "quarterly", "annual"),
}
# The sides a contradiction can set against each other, and words that set them against each other.
SIDES = {"strategy": ("strateg", "want", "say", "priorit", "goal", "aim"), "planning": DOES["planning"][:12],
         "enablement": DOES["enablement"][:12], "comp": DOES["comp"],
         "reps": ("rep", "seller", "they ", "avoid", "chase", "ignore", "skip", "sandbag", "game")}
# The mechanics of a plan document: the Comp box names at least one (the line of the plan that causes the contradiction).
MECHANICS = ("cap", "threshold", "quota", "accelerat", "decelerat", "period", "monthly", "quarterly", "annual", "year to date",
             "year-to-date", "measure", "credit", "multiplier", "kicker", "spif", "rate", "commission", "draw", "clawback", "tier",
             "gate", "split", "bonus", "pay mix", "base salary", "target incentive", "ote", "curve", "true-up", "quota relief", "ramp")
# A verdict on the plan in place of a mechanic ("comp is misaligned"): the course's weak map.
VERDICTS = ("misalign", "not aligned", "unaligned", "out of line", "out of sync", "disconnect", "does not match", "doesn't match",
            "does not support", "doesn't support", "against strategy", "against the strategy", "is wrong", "is broken",
            "rewards the wrong", "pays the wrong", "wrong behavior", "wrong behaviour", "wrong thing", "conflicts with")
# A verdict on reps' character: the course's point is that reps follow pay, so the contradiction is a price, not a flaw.
CHARACTER = ("lazy", "greedy", "selfish", "don't care", "dont care", "do not care", "doesn't care", "does not care", "unmotivated",
             "not motivated", "lack motivation", "lacks motivation", "mercenar", "coin-operated", "coin operated", "only care about",
             "only cares about", "entitled", "undisciplined", "no discipline", "bad attitude", "disloyal", "cheat", "dishonest")
CONTRAST = (" but ", " while ", " whereas ", " yet ", " vs ", " versus ", " although ", " though ", " instead ",
            " rather than ", " against ", " despite ")


class ContradictionMap(Exercise):
    """Up to three priorities x four systems, and the contradiction per priority."""

    title = "Map your contradictions"
    kind = KIND.name

    def __init__(self, example: dict | None = None, rows: int = 3, **kw):
        self.example = {k: str(v) for k, v in (example or {}).items() if k in FIELDS}
        self.n_rows = max(1, min(int(rows), 10))  # the kind's option allows 1 to 10
        super().__init__(**kw)

    def build(self) -> None:
        self._boxes: list[dict[str, W.Textarea]] = []
        tabs = []
        # one layout and one style model shared by all fifteen text areas: fewer models for the browser to build
        layout, style = W.Layout(width="98%"), TextStyle(description_width="11.5em")
        for _ in range(self.n_rows):
            boxes = {f: W.Textarea(description=LABELS[f], placeholder=self.hint(f), rows=2, style=style, layout=layout,
                                   continuous_update=False)  # synced (and saved) on leaving the box, not per keystroke
                     for f in FIELDS}
            self._watch(*boxes.values())
            self._boxes.append(boxes)
            tabs.append(W.VBox(list(boxes.values())))
        self._tabs = W.Tab(children=tabs, titles=[f"Priority {i + 1}" for i in range(self.n_rows)])
        reset = W.Button(description="Start from the worked example", layout=W.Layout(width="auto"),
                         tooltip="Fill priority 1 with the worked example, then rewrite it for your organization")
        reset.on_click(lambda _b: self.load_example())
        self.children = [self.header("For each of your top priorities, write what each system says, then name the contradiction."),
                         self._tabs, reset, *self.footer()]

    def hint(self, field: str) -> str:
        """A placeholder that reads as a hint, never as an answer to copy."""
        return f"e.g. {self.example[field]}" if self.example.get(field) else HINTS[field]

    def read_inputs(self) -> dict:
        return {"rows": [{f: b[f].value.strip() for f in FIELDS} for b in self._boxes]}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("rows", []) if isinstance(answer, dict) else []
        rows = rows if isinstance(rows, list) else []
        for i, boxes in enumerate(self._boxes):
            row = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            for f in FIELDS:
                boxes[f].value = str(row.get(f, ""))

    def load_example(self) -> None:
        """Programmatic twin of the example button: priority 1 becomes the worked example (a start, not an answer)."""
        rows = self.read_inputs()["rows"]
        rows[0] = {f: self.example.get(f, "") for f in FIELDS}
        self.set_answer({"rows": rows})

    def row_problems(self, i: int, r: dict[str, str], others: list[dict[str, str]]) -> list[tuple[str, str]]:
        """What keeps one priority row from being specific: (WARN, ...) for sure, (UNSURE, ...) for a heuristic's doubt."""
        out: list[tuple[str, str]] = []
        name = lambda f: LABELS[f].split()[0] if f in SYSTEMS else "The contradiction"  # noqa: E731
        blank = [name(s) for s in SYSTEMS if not r[s]]
        if blank:
            out.append((WARN, f"Priority {i}: {', '.join(blank)} left blank; every system sends a signal, write down what it says."))
        if not r["contradiction"]:
            out.append((WARN, f"Priority {i}: no contradiction named; where does one system pull against another?"))
        copied = [f for f in FIELDS if r[f] and self.example.get(f) and same_text(r[f], self.example[f])]
        if len(copied) >= 3:
            return out + [(WARN, f"Priority {i} is the worked example: map a priority of your own organization.")]
        for f in FIELDS:
            text = r[f]
            if not text:
                continue
            if same_text(text, HINTS[f]):
                out.append((WARN, f"Priority {i}: {name(f)} repeats the hint; write what it says in your organization."))
            elif bad := junk_reason(text, 5 if f == "contradiction" else 2):
                out.append((WARN, f"Priority {i}: {name(f)} is not an answer yet: {bad}."))
            elif f in copied:
                out.append((UNSURE, f"Priority {i}: {name(f)} copies the worked example; is that really what it says for you?"))
            elif f == "comp" and mentions(text, VERDICTS) and not mentions(text, MECHANICS):
                out.append((WARN, f"Priority {i}: Comp says “{' '.join(text.split())[:80]}”, a verdict, not a mechanic: name the line of the plan that "
                                  "causes it (its cap, threshold, quota, accelerator, measurement period, credit, SPIF, rate, draw or clawback)."))
            elif f == "comp" and not mentions(text, MECHANICS):
                out.append((UNSURE, f"Priority {i}: Comp does not say what comp does: name a mechanic of the plan (its cap, threshold, "
                                    "quota, accelerator, measurement period, credit, SPIF, rate, draw or clawback)."))
            elif f in DOES and not mentions(text, DOES[f]):
                out.append((UNSURE, f"Priority {i}: {name(f)} does not say what {LABELS[f].split()[0].lower()} does "
                                    f"({HINTS[f].removeprefix('e.g. ')})."))
        filled = [f for f in SYSTEMS if r[f] and not junk_reason(r[f], 2)]
        repeated = [name(f) for f in filled if any(same_text(r[f], r[g], 0.95) for g in filled if g != f)]
        if repeated:
            out.append((WARN, f"Priority {i}: {', '.join(repeated)} say the same thing; each system sends its own signal."))
        blamed = [(name(f), hit[0]) for f in ("contradiction", "comp") if (hit := mentions(r[f], CHARACTER))]
        if blamed:
            out.append((WARN, f"Priority {i}: {blamed[0][0]} blames reps' character (“{blamed[0][1]}”): reps follow pay. Say what the plan "
                              "pays for the deal they take and for the one the strategy wants; the contradiction is the difference."))
        c = r["contradiction"]
        if c and not junk_reason(c, 5):
            sides = [s for s, terms in SIDES.items() if mentions(c, terms)]
            padded = f" {' '.join(c.lower().split())} "
            # two sides named, or one side set against something else in so many words
            if len(sides) < 2 and not (sides and any(m in padded for m in CONTRAST)):
                named = f"one side only ({sides[0]})" if sides else "neither side"
                out.append((UNSURE, f"Priority {i}: the contradiction names {named}; "
                                    "say what it sets against what (e.g. what strategy wants against what comp pays)."))
        if any(all(same_text(r[f], o[f], 0.95) for f in FIELDS if r[f] or o[f]) for o in others):
            out.append((WARN, f"Priority {i} repeats an earlier priority; map a different one."))
        return out

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = []
        filled = [(i, r) for i, r in enumerate(answer["rows"], 1) if any(r.values())]
        if not filled:
            return [(WARN, "Nothing mapped yet: start with your most important priority.")]
        mapped = 0  # rows that pass: a row with any problem is not mapped yet, however much of it is filled
        for n, (i, r) in enumerate(filled):
            problems = self.row_problems(i, r, [o for _, o in filled[:n]])
            mapped += not problems
            lines += problems or [(OK, f"Priority {i} mapped: {r['contradiction']}")]
        if mapped < self.n_rows and mapped == len(filled):  # every row written is sound, but fewer than the exercise asks
            lines.append((UNSURE, f"{mapped} of {self.n_rows} priorities mapped: the exercise asks for your top {self.n_rows}, because one "
                                  "row shows one contradiction, not the pattern. Map the others, or, if your strategy has fewer "
                                  "priorities, mark it done with that reason."))
        elif mapped < self.n_rows:
            lines.append((INFO, f"{mapped} of {self.n_rows} priorities mapped."))
        return lines

    def to_frame(self):
        """The map as a pandas table: one row per priority, one column per system."""
        pd = course_pandas()

        rows = [r for r in self.read_inputs()["rows"] if any(r.values())]
        df = pd.DataFrame(rows, columns=list(FIELDS)).rename(columns=LABELS)
        df.index = [f"Priority {i + 1}" for i in range(len(df))]
        return df
