"""Pitfall check: read a short scenario, pick the pitfall being committed, learn why."""

from __future__ import annotations

import ipywidgets as W

from coursekit.exercises.pitfall_check.kind import KIND, keys
from coursekit.exercises.widget import Exercise, esc, stored_key
from coursekit.feedback import OK, WARN


def misconception_of(claim: str) -> str:
    """A line naming the belief a pitfall stands for, when the course gives none."""
    text = " ".join(str(claim).split()).strip(" .!\"“”")
    return f"the belief that “{text[:1].lower() + text[1:]}”" if text else "an unnamed belief"


class PitfallCheck(Exercise):
    """``pitfalls``: [{claim, rebuttal, misconception}]; ``scenarios``: [{text, pitfall: index into pitfalls}].

    Without scenarios, each rebuttal becomes one: "which belief does this answer?". Each choice names the
    misconception it stands for, so a wrong pick is answered with what that belief gets wrong.
    """

    title = "Spot the pitfall"
    kind = KIND.name

    def __init__(self, pitfalls: list[dict], scenarios: list[dict] | None = None, **kw):
        self.pitfalls = [{"claim": str(p["claim"]), "rebuttal": str(p["rebuttal"]),
                          "misconception": str(p.get("misconception") or misconception_of(p["claim"]))} for p in pitfalls]
        if scenarios and any("pitfall" not in s for s in scenarios):  # the notebook's: the key comes from the key store
            self._stored, self._key_problem = stored_key(kw.get("key", ""))
            fits = self._stored.get("fits")
            fits = fits if isinstance(fits, list) and len(fits) == len(scenarios) else [[] for _ in scenarios]
            self.scenarios = [{"text": str(s["text"]), "pitfall": f[0] if f else None, "fits": list(f)} for s, f in zip(scenarios, fits)]
        elif scenarios:
            self.scenarios = [{"text": str(s["text"]), "pitfall": keys(s)[0], "fits": keys(s)} for s in scenarios]
        else:
            self.scenarios = [{"text": f"An adviser tells the team: “{p['rebuttal']}” Which belief are they answering?",
                               "pitfall": i, "fits": [i]} for i, p in enumerate(self.pitfalls)]
        super().__init__(**kw)

    def build(self) -> None:
        # numbered buttons, the pitfalls listed once above: Tab and Space pick one (a focused dropdown lost its arrow keys
        # to JupyterLab's cell navigation)
        options = [(str(i + 1), i) for i in range(len(self.pitfalls))]
        tips = [f"{i + 1}. {p['claim']}" for i, p in enumerate(self.pitfalls)]
        self._picks = [W.ToggleButtons(options=options, value=None, tooltips=tips, description=f"Scenario {n + 1}",
                                       style={"description_width": "7em", "button_width": "3em"}) for n in range(len(self.scenarios))]
        self._watch(*self._picks)
        rows = [W.HTML("<p style='margin:4px 0 2px'>The pitfalls:</p><ol style='margin:0 0 4px'>"
                       + "".join(f"<li>“{esc(p['claim'])}”</li>" for p in self.pitfalls) + "</ol>")]
        for n, (s, pick) in enumerate(zip(self.scenarios, self._picks)):
            rows += [W.HTML(f"<p style='margin:6px 0 2px'><b>{n + 1}.</b> "
                            f"{esc(s['text'])}</p>"), pick]
        self.children = [self.header("Which pitfall is being committed?"), *rows, *self.footer()]

    def read_inputs(self) -> dict:
        return {"picks": [-1 if p.value is None else p.value for p in self._picks]}

    def show_answer(self, answer: dict) -> None:
        picks = answer.get("picks", []) if isinstance(answer, dict) else []
        picks = picks if isinstance(picks, list) else []
        for i, p in enumerate(self._picks):
            v = picks[i] if i < len(picks) else -1
            p.value = v if v in [o[1] for o in p.options] else None

    def evaluate(self, answer: dict) -> list[tuple[str, str]]:
        lines = []
        for n, (s, pick) in enumerate(zip(self.scenarios, answer["picks"]), 1):
            if s["pitfall"] is None:
                lines.append((WARN, f"Scenario {n}: cannot be checked: {getattr(self, '_key_problem', '') or 'no answer key'}."))
                continue
            right = self.pitfalls[s["pitfall"]]
            if pick == -1:
                lines.append((WARN, f"Scenario {n}: not answered yet."))
            elif pick == s["pitfall"]:
                lines.append((OK, f"Scenario {n}: yes, “{right['claim']}”. {right['rebuttal']}"))
            elif pick in s["fits"]:  # a second reading the course accepts: said so, with the best one to talk over
                got = self.pitfalls[pick]
                lines.append((OK, f"Scenario {n}: yes, “{got['claim']}” fits. {got['rebuttal']} It also reads as “{right['claim']}”, "
                                  f"the reading that says what to do next: {right['rebuttal'].split('.')[0]}."))
            else:
                wrong = self.pitfalls[pick]
                lines.append((WARN, f"Scenario {n}: not “{wrong['claim']}”. The misconception behind that pick: "
                                    f"{' '.join(wrong['misconception'].split()).rstrip('.')}. "
                                    f"Look again. Hint: {right['rebuttal'].split('.')[0]}."))
        return lines

    def computed_solution(self) -> str | None:
        return "\n".join(f"{n}. {s['text']} → “{self.pitfalls[s['pitfall']]['claim']}”. {self.pitfalls[s['pitfall']]['rebuttal']}"
                          for n, s in enumerate(self.scenarios, 1) if s["pitfall"] is not None)
