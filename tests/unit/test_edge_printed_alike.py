"""An edge (the strategy's margin) prints the same figure the same way everywhere (issue 24's should-fix): the capstone's
rate of 1.35 wins by 4,170 on 76,119, 5.478%, which the tests, the frontier's lines and the frontier chart's alt text
all print as 5.4% (cut down to 0.1%: a sliver under the 2% bar never reads 2%), as the facilitator's text quotes it."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

from coursekit.engine.plan import plan_from_dict
from coursekit.exercises.plan_tester.charts import frontier_alt
from coursekit.exercises.plan_tester.checks import frontier_lines, pct

EDGE = Fraction(4170, 76119)


def test_an_edge_of_5_48_percent_reads_5_4_percent_in_the_lines_and_the_chart():
    assert pct(EDGE, "0.1", down=True) == "5.4%"
    point = SimpleNamespace(changes=["new-logo rate 1.35x (was 1x)"], cost=Fraction(971, 100), margin=EDGE)
    given = SimpleNamespace(plan=plan_from_dict({"name": "Annual", "ote": 180000, "quota": 1080000, "period": "annual"}))
    fr = SimpleNamespace(frontier=[point], cheapest=point, singles={"rate": point}, grid="", priced_on="the budget", excluded=(),
                         given=given)
    alt = frontier_alt(fr, (9.71, float(EDGE)))
    assert "edge 5.4%" in alt and "5.5%" not in alt and "Your design: 9.7 per 100, edge 5.4%." in alt
    lines = frontier_lines(fr, Fraction(971, 100), True)
    assert any("winning by 5.4%" in text for _level, text in lines), lines
