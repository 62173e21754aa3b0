"""Plan audit: change the plan (measurement period, credit, cut a component), trace each component to a
priority or planning assumption, and re-audit until every finding is fixed or accepted with a reason."""

from __future__ import annotations

import ipywidgets as W

from coursekit.engine.audit import Finding, Strategy, audit, component_name, explain, finding_words
from coursekit.engine.plan import PERIODS, Plan, to_dict
from coursekit.errors import CourseError
from coursekit.exercises.plan_audit.kind import KIND
from coursekit.exercises.widget import Exercise, esc
from coursekit.feedback import INFO, OK, WARN, junk_reason
from coursekit.yamlio import plain

UNTRACED = "(nothing yet)"
CUT = "✂ cut this component"
NOTHING = UNTRACED  # the name this choice had before cutting was possible
UNCUTTABLE = ("quota", "tier 1")  # every plan has a quota and a first rate
REASON_WORDS = 4
# What keeping a finding on purpose may rest on: the course cannot check any of them, so a finding kept is the learner's
# reason (with its owner), shown as a reason in the brief, and the audit is "written", never "done".
BASES = ("a cost limit Finance sets", "a legal or contract term", "a plan to revisit it, with a date")


def basis_problem(basis: object) -> str:
    """'' when ``basis`` ({rests_on, owner}) says what keeping a finding rests on and who owns it, else what is missing."""
    b = basis if isinstance(basis, dict) else {}
    owner = " ".join(str(b.get("owner") or "").split())
    if b.get("rests_on") not in BASES:
        return "pick what keeping it rests on (" + "; ".join(BASES) + ")"
    if sum(ch.isalpha() for ch in owner) < 2:
        return "name who owns that decision (a name or a role)"
    return ""


def in_widget_words(f: Finding) -> tuple[str, str]:
    """The finding's evidence and fix in what the learner can do in this widget (its buttons), not in YAML, each
    component named as the brief names it ("the new-logo credit multiplier", never "credit.segment.new-logo")."""
    evidence, fix = finding_words(f)
    evidence = evidence.replace("even though it is traced to", "even though you traced it to")
    if getattr(f, "code", None) == "untraced":
        name = component_name(f.component)
        if "traces to nothing" in evidence:
            evidence = f"{name} traces to nothing yet"
        elif evidence.startswith(f.component):  # "cap traces to 'growth', which is neither ..."
            evidence = name + evidence[len(f.component):]
        fix = (f"under “What each component traces to”, pick the priority or planning assumption {name} serves "
               f"in its row of buttons" + (", usually the capacity model that set the quota (every plan has one; it cannot be cut)"
                                     if f.component in UNCUTTABLE else f", or pick “{CUT}” if it serves none"))
    return evidence, fix


def finding_line(f: Finding, evidence: str) -> str:
    """The finding's first words: its evidence when that starts with the component's name, else "Name: evidence"."""
    name = component_name(f.component)
    if evidence.lower().startswith(name.lower()):
        return _capital(evidence)
    return f"{_capital(name)}: {evidence}"


def pick_label(component: str) -> str:
    """A component's row label: "credit.segment.new-logo" -> "New-logo credit multiplier", "cap" -> "Cap"."""
    return _capital(component_name(component).removeprefix("the "))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def finding_key(f: Finding) -> str:
    """What an acceptance is keyed by: the finding's stable code when the engine gives one, else its component and message."""
    code = getattr(f, "code", None)
    if code:
        return f"{code}:{f.component}"
    return f"{f.component}: {getattr(f, 'message', None) or f.evidence}"


class PlanAudit(Exercise):
    """For each component of ``plan`` the learner picks what it traces to (or cuts it), may change the
    measurement period and the priorities' credit; ``check()`` audits the changed plan."""

    title = "Audit the plan against the strategy"
    kind = KIND.name

    def __init__(self, plan: Plan, strategy: Strategy, **kw):
        self.plan, self.strategy = plan, strategy
        self.targets = [p.name for p in strategy.priorities] + list(strategy.assumptions)
        # a credit slider for every priority with a segment or product
        self.credit_keys = list(dict.fromkeys(f"{kind}.{value}" for p in strategy.priorities
                                              for kind, value in (("segment", p.segment), ("product", p.product)) if value))
        self.findings: list[Finding] = []
        super().__init__(**kw)

    # --- inputs ---
    def build(self) -> None:
        p = self.plan
        s = {"description_width": "14em"}

        def lay() -> W.Layout:  # one Layout per control: a shared one would hide them all when one is hidden
            return W.Layout(width="520px")

        # buttons, not dropdowns: Tab and Space pick one (a focused dropdown lost its arrow keys to JupyterLab's cells)
        self._period = W.ToggleButtons(options=list(PERIODS), value=p.period, description="Measurement period", style=s, layout=lay())
        self._credits = {k: W.FloatSlider(value=p.credit.get(k.split(".")[0], {}).get(k.split(".", 1)[1], 1.0), min=0.5, max=3.0, step=0.05,
                                          description=f"{k.split('.', 1)[1]} credit x", style=s, layout=lay(), continuous_update=False)
                         for k in self.credit_keys}
        # the designers' own traces stay selectable even when they name nothing in the strategy
        targets = self.targets + sorted(set(p.traces_to.values()) - set(self.targets))
        comps = list(dict.fromkeys(p.components() + [f"credit.{k}" for k in self.credit_keys]))
        self._picks = {c: W.ToggleButtons(options=[UNTRACED] + ([] if c in UNCUTTABLE else [CUT]) + targets,
                                          value=p.traces_to.get(c, UNTRACED) if p.traces_to.get(c) in targets else UNTRACED,
                                          description=pick_label(c), style={**s, "button_width": "auto"},
                                          layout=W.Layout(width="95%")) for c in comps}
        self._accepted: dict[str, str] = {}
        self._basis: dict[str, dict] = {}  # finding key -> {rests_on, owner}
        self._plan_view = W.HTML()
        self._watch(self._period, *self._credits.values(), *self._picks.values())
        self.observe(lambda _c: self._show_plan(), names="answer")
        self._findings_box = W.VBox()
        pris = "".join(f"<li><b>{esc(x.name)}</b>: {esc(x.behavior)} (cycle {x.cycle_months} months)</li>" for x in self.strategy.priorities)
        self.children = [self.header("Change the plan until the audit passes: pick each component's line (or cut it), change the "
                                     "measurement period or a priority's credit, then check. A finding you decide to keep can be "
                                     "accepted with a written reason."),
                         W.HTML(f"<div><b>Strategy:</b><ul>{pris}</ul></div>"), self._plan_view,
                         self._period, *self._credits.values(), W.HTML("<b>What each component traces to</b>"), *self._picks.values(),
                         *self.footer(), self._findings_box]

    def read_inputs(self) -> dict:
        return {"period": self._period.value, "credit": {k: round(w.value, 4) for k, w in self._credits.items()},
                "traces": {c: w.value for c, w in self._picks.items()}, "accepted": dict(self._accepted),
                "accepted_basis": {k: dict(v) for k, v in self._basis.items()}}

    def show_answer(self, answer: dict) -> None:
        answer = answer if isinstance(answer, dict) else {}
        if answer.get("period") in PERIODS:
            self._period.value = answer["period"]
        credit = answer.get("credit") if isinstance(answer.get("credit"), dict) else {}
        for k, w in self._credits.items():
            try:
                w.value = max(w.min, min(w.max, float(credit.get(k, w.value))))
            except (TypeError, ValueError):
                pass
        traces = answer.get("traces") if isinstance(answer.get("traces"), dict) else {}
        for c, w in self._picks.items():
            v = traces.get(c, UNTRACED)
            w.value = v if v in w.options else UNTRACED
        accepted = answer.get("accepted") if isinstance(answer.get("accepted"), dict) else {}
        self._accepted = {str(k): str(v) for k, v in accepted.items()}
        basis = answer.get("accepted_basis") if isinstance(answer.get("accepted_basis"), dict) else {}
        self._basis = {str(k): {"rests_on": str(v.get("rests_on", "")), "owner": str(v.get("owner", ""))}
                       for k, v in basis.items() if isinstance(v, dict)}

    # --- the plan the learner made ---
    def audited_plan(self, answer: dict) -> Plan:
        p = self.plan
        cuts = {c for c, t in answer["traces"].items() if t == CUT}
        credit = {k: dict(v) for k, v in p.credit.items()}
        for key, mult in answer.get("credit", {}).items():
            kind, value = key.split(".", 1)
            credit.setdefault(kind, {})[value] = mult
            if mult == 1.0 or f"credit.{key}" in cuts:
                credit[kind].pop(value)
        for c in cuts:
            if c.startswith("credit."):
                credit.get(c.split(".")[1], {}).pop(c.split(".", 2)[2], None)
        credit = {k: v for k, v in credit.items() if v}
        tiers = tuple(t for i, t in enumerate(p.tiers) if f"tier {i + 1}" not in cuts)
        changed = p.with_changes(
            period=answer.get("period", p.period), credit=credit, tiers=tiers,
            threshold=None if "threshold" in cuts else p.threshold, cap=None if "cap" in cuts else p.cap,
            curve=() if "curve" in cuts else p.curve, draw=None if "draw" in cuts else p.draw,
            spifs=tuple(s for s in p.spifs if f"spif.{s.name}" not in cuts), traces_to={})
        traces = {c: t for c, t in answer["traces"].items() if t not in (UNTRACED, CUT) and c in changed.components()}
        return changed.with_changes(traces_to=traces)

    def _show_plan(self) -> None:
        try:
            plan = self.audited_plan(self.answer)
        except CourseError as exc:
            self._plan_view.value = f"<div><b>Plan:</b> this change cannot be made: {esc(exc)}</div>"
            return
        present = set(plan.components())
        for c, w in self._picks.items():
            w.layout.display = None if c in present or w.value == CUT else "none"
        self._plan_view.value = f"<div><b>Plan{' (as you changed it)' if plan != self.plan else ''}:</b> {esc(explain(plan))}</div>"

    # --- checking ---
    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        try:
            plan = self.audited_plan(answer)
        except CourseError as exc:
            self.findings = []
            return [(WARN, f"The plan cannot be changed that way: {exc}")]
        self.findings = audit(plan, self.strategy)
        lines: list[tuple[str, str]] = []
        for f in self.findings:
            reason = answer.get("accepted", {}).get(finding_key(f), "")
            basis = (answer.get("accepted_basis") or {}).get(finding_key(f))
            bad = (junk_reason(reason, REASON_WORDS) or basis_problem(basis)) if reason else "no reason given"
            evidence, fix = in_widget_words(f)
            if reason and not bad:
                lines.append((INFO, f"{finding_line(f, evidence)}. Kept on purpose, resting on {basis['rests_on']} "
                                    f"(owner: {' '.join(basis['owner'].split())}), because: {reason} The course cannot check "
                                    "this: it goes into your brief as your reason, not as a pass."))
            else:
                lines.append((WARN, f"{finding_line(f, evidence)}. Fix: {fix}." + (f" (Your reason to accept it: {bad}.)" if reason else "")))
        if not self.findings:
            return [(OK, "No findings: every component traces to the strategy and the plan pays for what it says it wants.")]
        if all(level == INFO for level, _ in lines):
            lines.append((INFO, "Every finding is fixed or kept with a reason: written, not done (the audit passes only when "
                                "every finding is fixed)."))
        self._show_findings()
        return lines

    def accept(self, finding: int | str, reason: str, rests_on: str = "", owner: str = "") -> list[tuple[str, str]]:
        """Programmatic twin of "Keep it, with this reason": keep a finding on purpose (by index in ``findings`` or key), with
        what that rests on (one of ``BASES``), its owner and the learner's sentence; then re-audit."""
        key = finding_key(self.findings[finding]) if isinstance(finding, int) else str(finding)
        self._accepted[key] = " ".join(str(reason).split())
        self._basis[key] = {"rests_on": str(rests_on), "owner": " ".join(str(owner).split())}
        self._input_changed()
        return self.check()

    def rests_on_reasons(self) -> bool:
        """Findings kept with a reason: the course cannot check those, so the audit is written, not done."""
        return bool(self.findings)

    def _show_findings(self) -> None:
        rows = []
        for i, f in enumerate(self.findings):
            k = finding_key(f)
            if not junk_reason(self._accepted.get(k, ""), REASON_WORDS) and not basis_problem(self._basis.get(k)):
                continue
            box = W.Text(description=f"Keep {component_name(f.component)}?", placeholder="Why keeping it is right for your plan",
                         continuous_update=False, style={"description_width": "14em"}, layout=W.Layout(width="95%"))
            rests = W.ToggleButtons(options=BASES, value=None, description="It rests on", tooltips=list(BASES),
                                    style={"description_width": "14em", "button_width": "auto"})
            owner = W.Text(description="Owner", placeholder="who owns that decision", continuous_update=False, style={"description_width": "14em"})
            button = W.Button(description="Keep it, with this reason", layout=W.Layout(width="auto"))
            button.on_click(lambda _b, i=i, box=box, rests=rests, owner=owner: self.accept(i, box.value, rests.value or "", owner.value))
            rows.append(W.VBox([box, rests, W.HBox([owner, button])]))
        self._findings_box.children = rows

    def _restore(self, saved: dict) -> None:
        super()._restore(saved)
        if self.checked:  # the accept rows belong to the findings shown: list them again (nothing is written)
            try:
                self.findings = audit(self.audited_plan(self.answer), self.strategy)
            except CourseError:
                self.findings = []
            self._show_findings()

    def saved_extras(self) -> dict:
        try:
            return {"_plan": plain(to_dict(self.audited_plan(self.answer))), "_base_plan": plain(to_dict(self.plan))}
        except CourseError:
            return {}
