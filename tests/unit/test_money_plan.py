"""Plan errors, the Checker toolkit, and hostile inputs that live in plans and bookings (issues 12, 16)."""

import pytest

from coursekit.engine import plan_from_dict, schedule, to_dict
from coursekit.engine.bookings import Booking, parse_bookings
from coursekit.errors import Checker, CourseError
from tests.helpers import WORKED_PLAN


def one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and "Traceback" not in text
    return text


@pytest.mark.parametrize("change, field, words", [
    ({"currency": "XYZ"}, "currency", "not an ISO 4217"),
    ({"spifs": [{"name": "Launch", "amount": 5}, {"name": "Launch", "amount": 6}]}, "spifs[1].name", "named twice"),
    ({"traces_to": {"tier 9": "enterprise"}}, "traces_to.tier 9", "does not have"),
    ({"cap": 0.8}, "cap", "below the target incentive"),
    ({"measurement": "ytd"}, "measurement", "not allowed"),
    ({"period": "quarterly", "quota": [1, 2, 3]}, "quota", "3 quotas for 4 quarterly periods"),
    ({"year_start": "2027-13"}, "year_start", "not a month"),
    ({"ramp": [0.5, 1.5]}, "ramp[1]", "more than the full quota"),
    ({"clawback_window_days": -1}, "clawback_window_days", "not a number of days"),
    ({"pay_multiplier": {"region": {"emea": 2}}}, "pay_multiplier.region", "unknown kind"),
])
def test_plans_that_make_no_sense_are_errors_naming_the_field(change, field, words):
    with pytest.raises(CourseError) as e:
        plan_from_dict({**WORKED_PLAN, **change}, "plan.yaml", {k: 7 for k in (*WORKED_PLAN, *change)})
    text = one_line(e)
    assert text.startswith(f"plan.yaml:7: {field}: ") and words in text


def test_70000_tiers_are_refused_with_one_line():
    tiers = [{"from": i / 1000, "multiplier": 1} for i in range(70_000)]
    with pytest.raises(CourseError) as e:
        plan_from_dict({**WORKED_PLAN, "tiers": tiers}, "plan.yaml")
    assert "tiers: has 70,000 items" in one_line(e)


def test_new_fields_round_trip_and_plans_are_hashable():
    p = plan_from_dict({**WORKED_PLAN, "period": "quarterly", "quota": [150000, 200000, 200000, 250000],
                        "measurement": "cumulative", "cap": 3, "cap_scope": "year", "year_start": "2027-02",
                        "start": "2027-04-15", "ramp": [0.5], "pay_multiplier": {"product": {"platform": 1.25}},
                        "credit": {"segment": {"enterprise": 1.5}}, "spif_clawback": "proportional",
                        "clawback_window_days": 90, "traces_to": {"ramp": "ramp support"}})
    assert plan_from_dict(to_dict(p)) == p and p.quota == 800000
    assert hash(p) == hash(plan_from_dict(to_dict(p)))
    assert {p: 1}[plan_from_dict(to_dict(p))] == 1


def test_with_changes_drops_traces_of_components_it_removed():
    p = plan_from_dict({**WORKED_PLAN, "traces_to": {"tier 3": "enterprise", "quota": "capacity"}})
    q = p.with_changes(tiers=p.tiers[:2])
    assert dict(q.traces_to) == {"quota": "capacity"}


def test_checker_collects_every_problem_with_lines_then_raises_once():
    chk = Checker("f.yaml", {"a": 3, "items": 5})
    assert chk.number(2.5, "a", positive=True) == 2.5
    assert chk.number("x", "a") is None
    assert chk.number(1e13, "a") is None
    assert chk.choice("b", "mode", ("a", "b")) == "b" and chk.choice("z", "mode", ("a", "b")) is None
    items = list(chk.entries({"items": [{"k": 1}, 5, {"q": 2}]}, "items", {"k"}, "write a list", "write {k: 1}"))
    assert [f for f, _ in items] == ["items[0]", "items[2]"]
    chk.unknown({"quotta": 1}, {"quota"})
    lines = [str(p) for p in chk.problems]
    assert lines[0] == "f.yaml:3: a: 'x' is not a number (write a plain number, e.g. 0.5)"
    assert "f.yaml:5: items[1]: must be a mapping" in lines[3] and "did you mean `quota`" in lines[-1]
    with pytest.raises(CourseError) as e:
        chk.raise_if_any()
    assert len(e.value.problems) == len(lines) == 6


def test_checker_warnings_alone_do_not_raise():
    chk = Checker("f.yaml")
    chk.bad("draw", "is larger than the period's target incentive", "lower it", severity="warning")
    chk.raise_if_any()
    assert chk.problems[0].severity == "warning"


# hostile bookings (issue 16) ---------------------------------------------------------------------

def test_bookings_spanning_centuries_are_one_line_not_gigabytes():
    with pytest.raises(CourseError) as e:
        parse_bookings("date,amount\n1900-01-01,5\n2900-01-01,5\n", "b.csv")
    assert one_line(e).startswith("b.csv:3: date: ")


def test_a_schedule_built_in_code_is_bounded_too():
    import datetime as dt

    p = plan_from_dict(WORKED_PLAN)
    with pytest.raises(CourseError, match="plan years"):
        schedule(p, [Booking(dt.date(1900, 1, 1), 5), Booking(dt.date(2900, 1, 1), 5)])


@pytest.mark.parametrize("amount", ["1E+999999999", "-1E+999999999", "1e-999999999", "Infinity", "NaN", "1" * 5000])
def test_absurd_amounts_are_one_line_naming_file_and_row(amount):
    with pytest.raises(CourseError) as e:
        parse_bookings(f"date,amount\n2027-01-01,5\n2027-01-02,{amount}\n", "b.csv")
    assert one_line(e).startswith("b.csv:3: amount: ") and len(str(e.value)) < 300


def test_a_bad_date_names_file_and_row():
    with pytest.raises(CourseError) as e:
        parse_bookings("date,amount\n2027-01-01,5\n2027-02-30,5\n", "b.csv")
    assert one_line(e).startswith("b.csv:3: date: '2027-02-30' is not a date")


# the payout command ------------------------------------------------------------------------------

def test_payout_cli_is_exact_carries_currency_and_refuses_nan(tmp_path, capsys):
    import json

    from coursekit.cli import main

    plan = tmp_path / "p.yaml"
    plan.write_text("name: Yen\note: 1001\nvariable_share: 1\nquota: 2002\ncurrency: JPY\n")
    # attainment 0.5 of 2,002: 1,001 sold x BCR 0.5 = 500.5 yen -> 501 whole yen
    assert main(["payout", str(plan), "--attainment", "0.5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"attainment": 0.5, "payout": 501, "currency": "JPY", "period": "annual"}
    for bad in ("nan", "inf", "1e999999", "lots"):
        assert main(["payout", str(plan), "--attainment", bad]) == 2  # bad input
        err = capsys.readouterr().err
        assert err.startswith("payout: --attainment: ") and err.count("\n") == 1
    csv = tmp_path / "b.csv"
    csv.write_text("date,amount\n2027-01-05,1001\n")
    assert main(["payout", str(plan), "--bookings", str(csv), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["currency"] == "JPY" and out["total_paid"] == 501 and len(out["months"]) == 12
