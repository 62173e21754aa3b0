"""Contradiction map: for each top priority, what strategy, planning, enablement and comp say, and where two of them disagree.

The verdict of a row rests on its structured part (issue 25): the two systems that disagree, the component of the plan the
module tests and what pay does for the behavior strategy asks for. The money difference is asked once per map, on the
module's own case (its plan tester's options), and checked against the engine's full-time years on that scenario: it is the
case's number, not the gap of each priority. The learner's sentences are kept, shown back and exported; only the
junk detector refuses empty or filler text, never a word list."""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_string import TextStyle  # not exported at top level in ipywidgets 8.1

from coursekit.answers import MAP_MONEY, OWNERS, SYSTEMS, course_pandas, map_money
from coursekit.engine.money import money
from coursekit.engine.scenario import scenario_from_dict
from coursekit.exercises.contradiction_map.kind import (
    AGREE,
    DEFAULT_COMPONENTS,
    KIND,
    LABELS,
    MONEY_ACCEPTS,
    MONEY_TOLERANCE,
    PAYS,
    PICKS,
    Gap,
    money_gap,
    parse_money,
    plan_components,
    shown,
    within,
)
from coursekit.exercises.widget import UNSURE, Exercise, esc
from coursekit.feedback import INFO, OK, WARN, junk_reason, same_text

FIELDS = SYSTEMS + ("contradiction",)
HINTS = {"strategy": "e.g. the priority, in the strategy's own words",
         "planning": "e.g. what the capacity or territory model assumes about it",
         "enablement": "e.g. what training teaches reps to do for it",
         "comp": "e.g. what the plan pays for, how often, with what cap",
         "contradiction": "e.g. where one system pulls against another: name both sides"}
NAMES = dict(OWNERS)
ASK = {"pulls": "the system that pulls one way", "against": "the system it pulls against", "component": "the plan component",
       "pays": "what pay does for what strategy asks"}
NONE = ("—", "")  # nothing picked yet: a row saved before the picks existed reads as this
MISCONCEPTION = ("a row where pay already does what strategy says is not a contradiction: if comp pays more for the "
                 "behavior strategy asks for, the two agree. Pick the systems that really pull apart, or map a priority "
                 "where pay works against the strategy")
NOT_IN_PLAN = " (not in this plan)"  # a component saved before the list came from the plan: shown, so nothing is lost
PCT = f"{MONEY_TOLERANCE * 100:.0f}%"


class ContradictionMap(Exercise):
    """Up to three priorities x four systems; per priority the two systems that disagree, the plan component and what pay
    does for the strategy's behavior (the part the course checks) and the contradiction in the learner's words (kept); once
    per map, the money difference on the module's case, checked against the engine on ``scenario``, the module's plan."""

    title = "Map your contradictions"
    kind = KIND.name

    def __init__(self, example: dict | None = None, rows: int = 3, components: list[str] | None = None,
                 scenario: dict | None = None, **kw):
        self.example = {k: str(v) for k, v in (example or {}).items() if k in FIELDS + PICKS}
        self.n_rows = max(1, min(int(rows), 10))  # the kind's option allows 1 to 10
        self.scenario = scenario_from_dict(scenario, "contradiction map scenario") if scenario else None
        says = plan_components(self.scenario.plan) if self.scenario else {}
        self.components = [str(c) for c in components] if components else list(says) or list(DEFAULT_COMPONENTS)
        self.plan_says = {c: says[c] for c in self.components if c in says}  # how the module's plan has each component
        self._gap: Gap | None | bool = False  # the engine's money difference, computed at the first check (False: not yet)
        super().__init__(**kw)

    @property
    def gap(self) -> Gap | None:
        """The engine's money difference on the module's scenario (full-time years), or None without a scenario."""
        if self._gap is False:
            self._gap = money_gap(self.scenario) if self.scenario else None
        return self._gap

    def money_question(self) -> str:
        """What the map's one money field asks: the module's case and its options, when it has a scenario."""
        if self.scenario and self.scenario.prefer and len(self.scenario.options) > 1:
            others = [o.name for o in self.scenario.options if o.name != self.scenario.prefer]
            than = (f"a full-time year on {others[0]}" if len(others) == 1 else
                    f"the best-paying full-time year of the others ({' or '.join(others)})")
            return (f"On this module's case (the plan tester's): how much less does a full-time year on {self.scenario.prefer} "
                    f"pay than {than}? Work it out, or read it off the plan tester as the plan stands; within {PCT} counts. "
                    "It is this case's number, asked once: not the gap of each priority above.")
        return ("On your own plan: how much less does a year selling what strategy asks pay than a year on the easier deal? "
                "Asked once for the map.")

    def build(self) -> None:
        self._boxes: list[dict[str, W.Textarea]] = []
        self._picks: list[dict[str, W.ToggleButtons]] = []
        tabs = []
        # one layout and one style model shared by all text areas: fewer models for the browser to build
        layout, style = W.Layout(width="98%"), TextStyle(description_width="11.5em")
        bstyle = {"description_width": "11.5em", "button_width": "auto"}
        systems = [NONE] + [(NAMES[s], s) for s in SYSTEMS]
        plan = ("<div>The plan this module tests: " + "; ".join(f"<b>{esc(c)}</b>: {esc(v)}" for c, v in self.plan_says.items())
                + ".</div>") if self.plan_says else ""
        for _ in range(self.n_rows):
            boxes = {f: W.Textarea(description=LABELS[f], placeholder=self.hint(f), rows=2, style=style, layout=layout,
                                   continuous_update=False)  # synced (and saved) on leaving the box, not per keystroke
                     for f in FIELDS}
            # buttons, not drop-downs: Tab reaches each list, Space picks (the short lists the other kinds use)
            picks = {"pulls": W.ToggleButtons(options=systems, value="", description=LABELS["pulls"], style=bstyle),
                     "against": W.ToggleButtons(options=systems, value="", description=LABELS["against"], style=bstyle),
                     "component": W.ToggleButtons(options=self.component_options(), value="",
                                                  description=LABELS["component"], style=bstyle, tooltips=self.component_tips()),
                     "pays": W.ToggleButtons(options=[NONE] + [(v, k) for k, v in PAYS.items()], value="",
                                             description=LABELS["pays"], style=bstyle)}
            self._watch(*boxes.values(), *picks.values())
            self._boxes.append(boxes)
            self._picks.append(picks)
            tabs.append(W.VBox([*(boxes[s] for s in SYSTEMS), W.HTML("<b>Where two systems disagree</b>"), *picks.values(),
                                boxes["contradiction"]]))
        self._tabs = W.Tab(children=tabs, titles=[f"Priority {i + 1}" for i in range(self.n_rows)])
        # the money difference: one number from the module's case, so asked once, below the rows, never under each priority
        self._money = W.Text(description=LABELS["money"], placeholder=f"e.g. 12,000 or 12k ({MONEY_ACCEPTS})", style=style,
                             layout=layout, continuous_update=False)
        self._watch(self._money)
        money_box = W.VBox([W.HTML(f"<b>The money difference, for the map</b><div>{esc(self.money_question())}</div>"), self._money],
                           layout=W.Layout(border="1px solid #ccc", padding="4px", margin="6px 0"))
        reset = W.Button(description="Start from the worked example", layout=W.Layout(width="auto"),
                         tooltip="Fill priority 1 with the worked example, then rewrite it for your organization")
        reset.on_click(lambda _b: self.load_example())
        self.children = [self.header("For each of your top priorities, write what each system says, pick the two systems that "
                                     "disagree and the component of the plan, say what pay does for what strategy asks, "
                                     "then name the contradiction in your words. Below the rows, give the money difference on "
                                     "this module's case, once."),
                         *([W.HTML(plan)] if plan else []), self._tabs, money_box, reset, *self.footer()]

    def component_options(self, extra: str = "") -> list[tuple[str, str]]:
        """The component buttons: the plan's, then a value saved before that is no longer offered (shown, never dropped)."""
        return [NONE] + [(c, c) for c in self.components] + ([(extra + NOT_IN_PLAN, extra)] if extra else [])

    def component_tips(self, extra: str = "") -> list[str]:
        """One tooltip per component button: how the module's plan has it (read aloud with the button's name)."""
        return ["nothing picked"] + [self.plan_says.get(c, c) for c in self.components] + (["not a component of this plan"] if extra else [])

    def hint(self, field: str) -> str:
        """A placeholder that reads as a hint, never as an answer to copy."""
        return f"e.g. {self.example[field]}" if self.example.get(field) else HINTS[field]

    def read_inputs(self) -> dict:
        return {"rows": [{**{f: b[f].value.strip() for f in FIELDS}, **{k: p[k].value or "" for k in PICKS}}
                         for b, p in zip(self._boxes, self._picks)], MAP_MONEY: self._money.value.strip()}

    def show_answer(self, answer: dict) -> None:
        rows = answer.get("rows", []) if isinstance(answer, dict) else []
        rows = rows if isinstance(rows, list) else []
        self._money.value = map_money(answer)  # the map's, or a row's saved in the earlier per-row shape (never lost)
        for i, (boxes, picks) in enumerate(zip(self._boxes, self._picks)):
            row = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
            for f in FIELDS:
                boxes[f].value = str(row.get(f, ""))
            saved = row.get("component", "")
            extra = saved if isinstance(saved, str) and saved and saved not in self.components else ""
            if [v for _l, v in picks["component"].options] != [v for _l, v in self.component_options(extra)]:
                picks["component"].value = ""
                picks["component"].options = self.component_options(extra)
                picks["component"].tooltips = self.component_tips(extra)
            for k, w in picks.items():  # a row saved before the picks, or a value no longer offered: nothing picked
                v = row.get(k, "")
                w.value = v if any(v == val for _l, val in w.options) else ""

    def load_example(self) -> None:
        """Programmatic twin of the example button: priority 1 becomes the worked example (a start, not an answer)."""
        now = self.read_inputs()
        now["rows"][0] = {f: self.example.get(f, "") for f in FIELDS + PICKS}
        self.set_answer(now)

    def money_problems(self, raw: str) -> list[tuple[str, str]]:
        """The map's money difference: a number (Decimal, strictly parsed), of the sign a contradiction has, and the engine's
        figure on the module's case within the stated tolerance."""
        if not raw:
            return [(WARN, "The money difference below the rows is missing: enter it once for the map, on this module's case.")]
        try:
            typed = parse_money(raw)
        except ValueError as exc:
            return [(WARN, f"The money difference {exc}.")]
        gap = self.gap
        if gap is None:  # no plan to run: a number of the right sign is all the course can check
            if typed <= 0:
                return [(WARN, f"The money difference {money(typed)} says a year selling what strategy asks pays as much or more. "
                               f"{MISCONCEPTION[0].upper()}{MISCONCEPTION[1:]}.")]
            return []  # evaluate says once that no plan was run
        if typed <= 0 < gap.gap:
            return [(WARN, f"The money difference {money(typed)} says pay agrees with strategy here, but on this module's case a "
                           f"year on {gap.strategy} pays less than a year on {gap.other}. {MISCONCEPTION[0].upper()}{MISCONCEPTION[1:]}.")]
        if not within(typed, gap.gap):
            return [(WARN, f"The money difference {money(typed)} is not the one this module's case makes (within {PCT}): run the "
                           f"plan tester as the plan stands and compare a full-time year on {gap.strategy} with one on {gap.other}.")]
        return [(OK, f"Money difference, on the case this map is checked on: a full-time year on {gap.strategy} pays {money(typed)} "
                     f"less than one on {gap.other} (the engine's figure, within {PCT}); it is that case's number, not the gap of "
                     "each priority.")]

    def pick_problems(self, i: int, r: dict[str, str]) -> list[tuple[str, str]]:
        """The part that carries the row's verdict: two different systems, a component of the plan and what pay does (never
        "more" with comp)."""
        missing = [ASK[k] for k in PICKS if not r.get(k)]
        out: list[tuple[str, str]] = []
        if missing:
            out.append((WARN, f"Priority {i}: pick {', '.join(missing)}."))
        if r.get("pulls") and r.get("pulls") == r.get("against"):
            out.append((WARN, f"Priority {i}: {NAMES[r['pulls']]} is picked on both sides: a contradiction sets one system "
                              "against another; pick the two that disagree."))
        if r.get("component") and r["component"] not in self.components:
            out.append((WARN, f"Priority {i}: {r['component']} is not a component of the plan you test; pick one it has "
                              f"({', '.join(self.components)})."))
        if r.get("pays") == AGREE and "comp" in (r.get("pulls"), r.get("against")):
            out.append((WARN, f"Priority {i}: {MISCONCEPTION}."))
        return out

    def row_problems(self, i: int, r: dict[str, str], others: list[dict[str, str]]) -> list[tuple[str, str]]:
        """What keeps one priority row from being mapped: a wrong or missing pick, a blank, junk or copied sentence."""
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
        filled = [f for f in SYSTEMS if r[f] and not junk_reason(r[f], 2)]
        repeated = [name(f) for f in filled if any(same_text(r[f], r[g], 0.95) for g in filled if g != f)]
        if repeated:
            out.append((WARN, f"Priority {i}: {', '.join(repeated)} say the same thing; each system sends its own signal."))
        if any(all(same_text(r[f], o[f], 0.95) for f in FIELDS if r[f] or o[f]) for o in others):
            out.append((WARN, f"Priority {i} repeats an earlier priority; map a different one."))
        if any(r.get(k) for k in PICKS):
            out += self.pick_problems(i, r)
        return out

    @staticmethod
    def unpicked(r: dict[str, str]) -> bool:
        """A row with no pick: written before the picks existed, or not picked yet (kept as written, not checked)."""
        return not any(r.get(k) for k in PICKS)

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = []
        filled = [(i, r) for i, r in enumerate(answer["rows"], 1) if any(r.get(f) for f in FIELDS + PICKS)]
        if not filled:
            return [(WARN, "Nothing mapped yet: start with your most important priority.")]
        mapped = written = 0  # rows that pass / rows sound but not picked yet: a row with any problem is neither
        for n, (i, r) in enumerate(filled):
            problems = self.row_problems(i, r, [o for _, o in filled[:n]])
            if not problems and self.unpicked(r):
                written += 1
                lines.append((INFO, f"Priority {i} kept as written: pick the two systems that disagree, the plan component and "
                                    "what pay does for it, and the course can check the row."))
                continue
            mapped += not problems
            lines += problems or [(OK, f"Priority {i} mapped: {r['contradiction']} ({NAMES[r['pulls']]} against {NAMES[r['against']]}, "
                                       f"on the {r['component'].lower()}: {PAYS[r['pays']]})")]
        raw = answer.get(MAP_MONEY, "")
        if raw or mapped:  # the map's one money difference: asked once, checked once
            lines += self.money_problems(raw)
        if raw and self.gap is None:
            lines.append((INFO, "No plan to run here: the course checks only that the money difference is a number against the "
                                "strategy; check it against your plan's own figures."))
        if mapped + written < self.n_rows and mapped + written == len(filled):  # every row sound, but fewer than asked
            lines.append((UNSURE, f"{mapped} of {self.n_rows} priorities mapped: the exercise asks for your top {self.n_rows}, because one "
                                  "row shows one contradiction, not the pattern. Map the others, or, if your strategy has fewer "
                                  "priorities, mark it done with that reason."))
        elif mapped < self.n_rows:
            lines.append((INFO, f"{mapped} of {self.n_rows} priorities mapped."))
        return lines

    def rests_on_reasons(self) -> bool:
        """A map with a row kept as written (no picks yet, e.g. saved before the picks existed) is written, not done. A saved
        answer reads the same way on opening (``answers.status_of``), as on the start page, in the brief and in the room."""
        return not self.answer.get(MAP_MONEY) or any(
            self.unpicked(r) for r in self.answer.get("rows", []) if isinstance(r, dict) and any(r.get(f) for f in FIELDS))

    def saved_extras(self) -> dict:
        """The module's case the money difference is checked on, its two options by name, so the brief can say it without
        running the engine: {"_money_case": {"want": "enterprise", "other": "smb"}}, saved only when the check accepted the
        figure."""
        gap, raw = self.gap, self.answer.get(MAP_MONEY, "")
        if gap is None or not raw or any(level == WARN for level, _ in self.money_problems(raw)):
            return {}  # only a figure the check accepted is said in the brief as the case's
        return {"_money_case": {"want": gap.strategy, "other": gap.other}}

    def to_frame(self):
        """The map as a pandas table: one row per priority, one column per system, then the picks (the money difference is the
        map's, in ``df.attrs["money"]``)."""
        pd = course_pandas()

        rows = [r for r in self.read_inputs()["rows"] if any(r.values())]
        df = pd.DataFrame([{k: shown(k, r.get(k, "")) for k in FIELDS + PICKS} for r in rows],
                          columns=list(FIELDS + PICKS)).rename(columns=LABELS)
        df.index = [f"Priority {i + 1}" for i in range(len(df))]
        df.attrs[MAP_MONEY] = self._money.value.strip()
        return df
