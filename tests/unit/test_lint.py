"""Plan warnings: each fires and does not, prints FILE:LINE: field: why (fix), exits 0; --strict exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit import cli
from coursekit.engine import plan_from_dict
from coursekit.engine.lint import check_file, lint_plan

BASE = {"name": "P", "ote": 200000, "quota": 800000}  # TI 100,000, BCR 12.5%
RETRO_DOWN = {"tier_mode": "retroactive", "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 0.5}]}
FALLING = {"curve": [[0.5, 0.5], [1.0, 1.0], [1.5, 0.8]]}
HIGH_GATE = {"cap": 1.0, "threshold": 1.2}  # linear: the cap (1x TI) is reached at 100%
BIG_DRAW = {"period": "quarterly", "draw": {"amount": 30000, "recoverable": True}}  # quarter TI 25,000


def fields(change: dict) -> list[str]:
    return [p.field for p in lint_plan(plan_from_dict({**BASE, **change}), "p.yaml")]


@pytest.mark.parametrize("change, field", [
    (RETRO_DOWN, "tiers[1].multiplier"), (FALLING, "curve[2]"), (HIGH_GATE, "threshold"), (BIG_DRAW, "draw.amount"),
])
def test_each_warning_fires(change, field):
    assert fields(change) == [field]


@pytest.mark.parametrize("change", [
    {}, {**RETRO_DOWN, "tier_mode": "marginal"},  # a marginal decelerator still pays more for more
    {"tier_mode": "retroactive", "tiers": [{"from": 0, "multiplier": 1}, {"from": 1.0, "multiplier": 2}]},  # a cliff up
    {"curve": [[0.5, 0.5], [1.0, 1.0], [1.5, 1.0]]},  # flat is not falling
    {**HIGH_GATE, "threshold": 0.9}, {**HIGH_GATE, "cap": 1.5},  # cap now reached at 150%, above the gate
    {**BIG_DRAW, "draw": {"amount": 25000, "recoverable": True}},  # exactly the quarter's target incentive
])
def test_no_warning_for_sound_plans(change):
    assert fields(change) == []


def test_warning_texts_carry_the_numbers():
    (w,) = lint_plan(plan_from_dict({**BASE, **RETRO_DOWN}), "p.yaml", {"tiers": 4})
    # just below 100%: 12.5% of ~800,000 = ~100,000; at 100% every sale earns 6.25%: 50,000
    assert str(w).startswith("p.yaml:4: tiers[1].multiplier: a retroactive decelerator")
    assert "from 100,000.00 to 50,000.00" in str(w) and w.severity == "warning" and "tier_mode: marginal" in w.fix
    (d,) = lint_plan(plan_from_dict({**BASE, **BIG_DRAW}), "p.yaml")
    assert "30,000.00 a quarter" in d.problem and "25,000.00" in d.problem
    (t,) = lint_plan(plan_from_dict({**BASE, **HIGH_GATE}), "p.yaml")
    assert "threshold 120% is above 100%, where the cap is already reached" in t.problem


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text)
    return f


RETRO_YAML = ("name: P\note: 200000\nquota: 800000\ntier_mode: retroactive\n"
              "tiers:\n  - {from: 0, multiplier: 1}\n  - {from: 1.0, multiplier: 0.5}\n")


def test_payout_prints_warnings_and_exits_0_strict_exits_2(tmp_path, capsys):
    f = write(tmp_path, "p.yaml", RETRO_YAML)
    assert cli.main(["payout", str(f), "--attainment", "1.0"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "50,000.00 USD for one year at 100% of that year's quota"  # the plan still pays: 6.25% x 800,000
    assert err.splitlines() == [err.strip()] and err.startswith(f"{f}:5: tiers[1].multiplier: ")
    assert err.strip().endswith(")")  # FILE:LINE: field: why (fix)
    assert cli.main(["payout", str(f), "--attainment", "1.0", "--strict"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{f}:5: tiers[1].multiplier: " in err


def test_strict_on_plot_audit_and_simulate(tmp_path, capsys):
    f = write(tmp_path, "p.yaml", RETRO_YAML)
    strat = write(tmp_path, "s.yaml", "priorities: [{name: e, behavior: b, cycle_months: 1}]\n")
    sc = write(tmp_path, "sc.yaml", "plan: p.yaml\noptions: [{name: a, deal_size: 1000}]\n")
    inline = write(tmp_path, "in.yaml", "options: [{name: a, deal_size: 1000}]\nplan:\n  name: P\n  ote: 100000\n  quota: 400000\n"
                                        "  period: quarterly\n  draw: {amount: 20000}\n")
    assert cli.main(["plot", str(f), "-o", str(tmp_path / "c.png"), "--strict"]) == 2 and not (tmp_path / "c.png").exists()
    assert cli.main(["audit", str(f), "--strategy", str(strat), "--strict"]) == 2
    assert cli.main(["simulate", str(sc), "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count(f"{f}:5: tiers[1].multiplier: ") == 3  # a plan file named by a scenario: that file's line
    assert cli.main(["simulate", str(inline)]) == 0
    # an inline plan: the field under `plan:` at that key's line; TI 50,000 / 4 = 12,500 a quarter < 20,000
    assert f"{inline}:2: plan.draw.amount: the draw of 20,000.00 a quarter" in capsys.readouterr().err
    assert cli.main(["plot", str(f), "-o", str(tmp_path / "c.png")]) == 0 and (tmp_path / "c.png").exists()


def test_simulate_reps_above_the_yaml_cap_is_one_line(tmp_path, capsys):
    sc = write(tmp_path, "sc.yaml", "plan: {name: P, ote: 1, quota: 4}\noptions: [{name: a, deal_size: 1000}]\n")
    assert cli.main(["simulate", str(sc), "--reps", "1000001"]) == 2  # bad input
    err = capsys.readouterr().err
    assert err == f"{sc}: --reps: 1000001 is not a whole number from 1 to 1000000 (give --reps from 1 to 1,000,000)\n"
    assert cli.main(["simulate", str(sc), "--reps", "0"]) == 2 and "--reps: 0 " in capsys.readouterr().err
    assert cli.main(["simulate", str(sc), "--reps", "5", "--seed", "-1"]) == 2 and ": --seed: -1 " in capsys.readouterr().err


def test_check_file_reports_errors_and_warnings_without_raising(tmp_path):
    good = write(tmp_path, "g.yaml", "name: P\note: 200000\nquota: 800000\n")
    warned = write(tmp_path, "w.yaml", RETRO_YAML)
    bad = write(tmp_path, "b.yaml", "name: P\note: 200000\nquota: -1\n")
    sc = write(tmp_path, "sc.yaml", "plan: w.yaml\noptions: [{name: a, deal_size: 1000}]\n")
    assert check_file(good, "plan") == []
    assert [(p.field, p.line, p.severity) for p in check_file(warned, "plan")] == [("tiers[1].multiplier", 5, "warning")]
    assert [(p.field, p.line, p.severity) for p in check_file(bad, "plan")] == [("quota", 3, "error")]
    assert [(Path(p.file).name, p.field) for p in check_file(sc, "scenario")] == [("w.yaml", "tiers[1].multiplier")]
    assert [p.field for p in check_file(tmp_path / "missing.yaml", "scenario")] == ["scenario"]
    with pytest.raises(ValueError):
        check_file(good, "strategy")


def test_check_data_takes_a_parsed_mapping():
    from coursekit.engine.lint import check_data

    sc = {"plan": {**BASE, **BIG_DRAW}, "options": [{"name": "a", "deal_size": 1000}]}
    assert [(p.field, p.line, p.severity) for p in check_data(sc, "sc.yaml", "scenario", {"plan": 3})] == [
        ("plan.draw.amount", 3, "warning")]
    assert [p.field for p in check_data({**sc, "months": 0}, "sc.yaml", "scenario")] == ["months"]
    assert check_data(BASE, "p.yaml", "plan") == []


def test_simulate_histogram_needs_an_image_name_and_a_population(tmp_path, capsys):
    sc = write(tmp_path, "sc.yaml", "plan: {name: P, ote: 1, quota: 4}\noptions: [{name: a, deal_size: 1000}]\n")
    assert cli.main(["simulate", str(sc), "--reps", "10", "--histogram", str(tmp_path / "h.txt")]) == 2
    assert ": --histogram: unknown image type" in capsys.readouterr().err and not (tmp_path / "h.txt").exists()
    assert cli.main(["simulate", str(sc), "--histogram", str(tmp_path / "h.png")]) == 2
    assert f"{sc}: --histogram: the scenario has no population" in capsys.readouterr().err
    assert cli.main(["simulate", str(sc), "--reps", "10", "--histogram", str(tmp_path / "h.png")]) == 0
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
