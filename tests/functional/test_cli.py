import json
from pathlib import Path

import pytest

from tests.helpers import cli as ck

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"


def test_payout_at_attainment_json():
    r = ck("payout", EX / "enterprise-fy27.yaml", "--attainment", "1.2", "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == {"attainment": 1.2, "payout": 140000.0, "currency": "USD", "period": "annual"}


def test_payout_schedule_json_and_table():
    r = ck("payout", EX / "monthly-flat.yaml", "--bookings", EX / "bookings.csv", "--json")
    d = json.loads(r.stdout)
    assert [m["month"] for m in d["months"]] == [f"2027-{m:02d}" for m in range(1, 13)]  # the whole plan year
    assert d["currency"] == "USD"
    assert set(d["months"][0]) >= {"month", "credited", "attainment", "earned", "draw", "balance", "paid"}
    assert d["total_earned"] == sum(m["earned"] for m in d["months"])
    t = ck("payout", EX / "monthly-flat.yaml", "--bookings", EX / "bookings.csv")
    assert "2027-05" in t.stdout and "total earned" in t.stdout


def test_plot_writes_a_png(tmp_path):
    r = ck("plot", EX / "enterprise-fy27.yaml", "-o", tmp_path / "c.png")
    assert r.returncode == 0 and (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_simulate_json_matches_api():
    from coursekit.engine import load_scenario, simulate

    r = ck("simulate", EX / "enterprise-vs-smb.yaml", "--json")
    d = json.loads(r.stdout)
    api = simulate(load_scenario(EX / "enterprise-vs-smb.yaml")).to_dict()
    assert {k: d[k] for k in api} == api
    assert d["aligned"] is False and d["population"]["reps"] == 1000


def test_audit_exit_codes_and_json():
    bad = ck("audit", EX / "monthly-flat.yaml", "--strategy", EX / "strategy.yaml", "--json")
    assert bad.returncode == 1
    kinds = {f["kind"] for f in json.loads(bad.stdout)["findings"]}
    assert {"period_shorter_than_cycle", "priority_pays_less"} <= kinds
    good = ck("audit", EX / "enterprise-fy27.yaml", "--strategy", EX / "strategy.yaml")
    assert good.returncode == 0, good.stdout


@pytest.mark.parametrize("content, field", [
    ("name: x\note: 1\nquota: [1, 2\n", "yaml"),
    ("!!python/object/apply:os.system ['touch /tmp/coursekit-pwned']\n", "yaml"),
    ("name: x\note: 100\nquota: 0\n", "quota"),
    ("\x00\x01\x02garbage", "plan"),
])
def test_bad_plan_file_one_line_no_traceback(tmp_path, content, field):
    f = tmp_path / "plan.yaml"
    f.write_bytes(content.encode())
    r = ck("payout", f, "--attainment", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(f) in lines[0] and f": {field}: " in lines[0]
    assert not Path("/tmp/coursekit-pwned").exists()


def test_missing_file_is_one_line():
    r = ck("payout", "nope.yaml", "--attainment", "1")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "nope.yaml" in r.stderr


def test_export_writes_the_decision_brief_six_sections_in_order(tmp_path, monkeypatch):
    import re

    from tests.capstone_answers import full_answers

    monkeypatch.setenv("COURSEKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COURSEKIT_LEARNER", "me")
    full_answers(tmp_path / "home" / "answers" / "me.json")  # every module answered, by the real widgets
    r = ck("export")
    out = tmp_path / "home" / "brief" / "me"  # a folder per learner
    assert r.returncode == 0 and r.stdout.split()[1::2] == [str(out / n) for n in ("decision-brief.md", "decision-brief.html", "decision-brief.json")]
    md = (out / "decision-brief.md").read_text()
    assert re.findall(r"^## \d\. (.+)$", md, re.M) == ["Priorities", "Contradictions found", "Current and proposed plan",
                                                      "Audit findings still open", "Hypothesis and review date", "Decisions asked of each owner"]
    assert "*Not filled yet.*" not in md  # every section filled from the answers


def test_simulate_population_with_histogram(tmp_path):
    r = ck("simulate", EX / "enterprise-vs-smb.yaml", "--reps", "2000", "--seed", "3", "--histogram", tmp_path / "h.png", "--json")
    pop = json.loads(r.stdout)["population"]
    assert pop["reps"] == 2000 and pop["seed"] == 3 and 0 <= pop["share_at_or_above_quota"] <= 1
    assert pop["cost_of_sales_pct"] > 0 and (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
    assert pop["booking_mix"] == {"smb": 1.0}  # the rep's payout-maximizing mix is all smb


def test_simulate_population_books_the_reps_mix_with_its_credit(tmp_path):
    plan = "{name: Linear, ote: 200000, quota: 800000, credit: {segment: {enterprise: 1.5}}}"
    sc = tmp_path / "sc.yaml"
    sc.write_text(f"plan: {plan}\noptions:\n  - {{name: big, deal_size: 60000, segment: enterprise}}\n"
                  "population: {reps: 500, seed: 4}\n")
    pop = json.loads(ck("simulate", sc, "--json").stdout)["population"]
    # one rate of 12.5% on credited bookings, 1.5 credited per 1 booked, no threshold or cap: 18.75 per 100 of bookings
    assert pop["booking_mix"] == {"big": 1.0} and pop["credited_per_100_of_bookings"] == 150.0
    assert pop["cost_of_sales_pct"] == 18.75 and pop["share_capped"] == 0.0
    text = ck("simulate", sc).stdout
    assert "population (bookings in the payout-maximizing mix: big 100%): reps 500" in text


def test_payout_at_an_attainment_says_which_period_it_pays_and_refuses_a_negative_one():
    """A monthly plan's figure is one month's pay: said, so nobody reads 9,066.67 as the year."""
    r = ck("payout", ROOT / "content" / "plans" / "translation-draft.yaml", "--attainment", "1.2")
    assert r.returncode == 0 and r.stdout.strip() == "9,066.67 USD for one month at 120% of that month's quota", r.stdout
    bad = ck("payout", EX / "enterprise-fy27.yaml", "--attainment", "-1")
    assert bad.returncode == 2 and bad.stderr.strip() == "payout: --attainment: -1 is below 0 (write a fraction of quota from 0, e.g. 1.2 for 120%)"
