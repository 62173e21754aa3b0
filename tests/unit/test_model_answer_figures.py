"""Issue 25: a learner who follows a model answer is never told No. Each change a model answer or note names, with the
figures it quotes, is run through the module's own plan tester: the tester must print those figures and give the verdict
the text gives (Yes for a fix the text recommends, No for one it calls a sliver)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

from coursekit import notebook as ex
from coursekit.engine.scenario import scenario_from_dict

CONTENT = Path(__file__).parents[2] / "content"
M2 = ("strategy-to-comp-translation.course.yaml", "translation-draft.yaml")
M4 = ("enablement-to-payout-alignment.md", "consultative-vs-fast.yaml")

# (text file, scenario, the change, what the text says for it (each must be in the text), what the tester prints, clear win?)
CLAIMS = [
    (*M2, {"period": "annual", "credit": 1.85}, ["1.85, the tester's smallest step of 0.05 that works, pays 135,800 (18.9 per 100"],
     ["pays 135,800", "18.9 per 100"], True),
    (*M2, {"period": "annual", "rate": 2.25}, ["A new-logo rate of 2.25 (pay only) does it for a little less, 135,000 (18.8 per 100)",
                                               "2.03 with the 2.25 rate"], ["pays 135,000", "18.8 per 100", "at least 2.03"], True),
    (*M2, {"period": "annual", "rate": 2.2}, ["2.2 pays 132,000, only 1.2% more than expansion, a sliver"], ["pays 132,000", "(1.2%)"], False),
    (*M2, {"period": "annual", "credit": 1.8}, ["1.8 only ties at 130,400"], ["130,400"], False),
    (*M4, {"period": "quarterly"}, ["a quarterly measurement period", "61,300 to 61,700"], ["pays 61,669"], True),
    (*M4, {"cap": 0}, ["or no monthly\ncap", "61,300 to 61,700"], ["pays 61,669"], True),
    (*M4, {"measurement": "cumulative", "period": "monthly"}, ["the year to date trued up and paid each month", "61,300 to 61,700"],
     ["pays 61,322"], True),
    (*M4, {"period": "annual"}, ["Measuring the year as a whole", "pays about 60,700", "a sliver that moves nobody"], ["pays 60,718"], False),
]


def _tester(scenario: str) -> ex.PlanTester:
    sc = scenario_from_dict(yaml.safe_load((CONTENT / "scenarios" / scenario).read_text()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ex.PlanTester(plan=sc.plan, options=sc.options, prefer=sc.prefer)


@pytest.mark.parametrize(("source", "scenario", "change", "said", "printed", "clear"), CLAIMS,
                         ids=[f"{c[1]}-{'-'.join(f'{k}={v}' for k, v in c[2].items())}" for c in CLAIMS])
def test_the_text_quotes_what_the_tester_prints_and_agrees_with_its_verdict(source, scenario, change, said, printed, clear):
    text = (CONTENT / source).read_text()
    for phrase in said:
        assert phrase in text, f"{source} no longer says {phrase!r}"
    t = _tester(scenario)
    t.set_answer({**t.answer, **change})
    lines = t.check()
    out = "\n".join(line for _, line in lines)
    for figure in printed:
        assert figure in out, f"the tester does not print {figure!r} for {change}:\n{out}"
    strategy, money = lines[0], lines[1]  # the first two tests: the strategy's behavior, and more money doing it
    assert (strategy[0] == "ok" and money[0] == "ok") == clear, out
    # "about 61,700" in a text stands for a tester's figure rounded to the hundred
    for figure in (f.split()[-1] for f in printed if f.startswith("pays ")):
        shown = int(figure.replace(",", ""))
        assert figure in text or f"{round(shown, -2):,}" in text, f"{source} does not quote {figure} (or {round(shown, -2):,})"
