"""`coursekit signals` in-process: exit codes, JSON, the HTML report and what it escapes."""

import base64
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from coursekit import cli
from coursekit.engine import load_plan
from coursekit.signals.detect import detect
from coursekit.signals.report import render
from coursekit.signals.synth import generate, write

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"
PLAN = str(EX / "crm-plan.yaml")
AS_OF = ("--as-of", "2028-01-31")  # the shipped exports are a synthetic 2027


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_gamed_export_exits_1_with_json(capsys):
    code, out, _ = run(capsys, "signals", EX / "crm-export.csv", "--plan", PLAN, "--approval-limit", "20000", "--json", *AS_OF)
    assert code == 1
    d = json.loads(out)
    assert set(d) == {"signals", "plan_design", "reps", "periods", "tests", "notes", "not_tested", "watch_list", "edge_bunching"}
    assert [e["component"] for e in d["edge_bunching"]] == ["threshold", "tier 2", "cap"]  # one estimate per edge
    assert d["reps"] == 20 and d["periods"][0] == "2027-01"
    # only tests too small to ever fire are listed, each with why (a count of deals), never a missing column
    assert d["not_tested"] and all("dropped before looking" in line and ("deals" in line or "neighbours" in line or "periods" in line)
                                   for line in d["not_tested"])
    assert {s["kind"] for s in d["signals"]} == {"period_end_bunching", "period_end_discounting", "post_cap_stall", "deal_splitting",
                                                 "edge_bunching"}  # each edge rep's landing rate, by name
    assert all(s["rep"] for s in d["signals"]) and [s["kind"] for s in d["plan_design"]] == ["edge_bunching"]
    s = d["signals"][0]
    assert {"kind", "rep", "period", "evidence", "strength", "component"} <= set(s)


def test_clean_export_exits_0_and_writes_a_report(capsys, tmp_path):
    out_html = tmp_path / "r.html"
    code, out, _ = run(capsys, "signals", EX / "crm-export-clean.csv", "--plan", PLAN, "-o", out_html, *AS_OF)
    assert code == 0 and "no patterns to review" in out
    assert "not tested: deal splitting: no approval limit given" in out
    page = out_html.read_text()
    assert "No patterns to review" in page and page.count("data:image/png;base64,") == 3
    assert "Could not be tested" in page and "gaming" not in page.split("<h2>How to read this")[0]
    assert "<script" not in page and "http://" not in page and "https://" not in page  # self-contained, nothing loaded


@pytest.mark.parametrize("args, what", [
    (["signals", "missing.csv", "--plan", PLAN], "cannot read"),
    (["signals", str(EX / "crm-export.csv"), "--plan", str(EX / "strategy.yaml")], "plan"),
    (["signals", str(EX / "crm-export.csv"), "--plan", PLAN, "--columns", "date"], "is not FIELD=Header"),
    (["signals", str(EX / "crm-export.csv"), "--plan", PLAN, "--year-start", "2027-13"], "--year-start"),
    (["signals", str(EX / "crm-export.csv"), "--plan", PLAN, "--window", "0"], "--window"),
])
def test_bad_input_exits_2_with_one_line(capsys, args, what):
    code, out, err = run(capsys, *args, *AS_OF)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) >= 1 and what in err and "Traceback" not in err


def test_the_wrong_ready_map_names_the_missing_column(capsys, tmp_path):
    p = tmp_path / "sf.csv"
    p.write_text("Opportunity Owner,Close Date,Amount\nAna,1/4/2027,100\n")
    code, _, err = run(capsys, "signals", p, "--plan", PLAN, "--from", "hubspot")
    assert code == 2 and "rep: no column 'Deal owner'" in err and "--columns" in err


def test_a_plan_in_another_currency_refuses_symbol_free_codes(capsys, tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("date,amount,rep\n2027-01-04,EUR 100,a\n")
    code, _, err = run(capsys, "signals", p, "--plan", PLAN)
    assert code == 2 and "is not the plan's currency USD" in err


def test_salesforce_columns_through_the_cli(capsys, tmp_path):
    syn = generate(load_plan(PLAN), seed=4)
    d = syn.deals
    p = tmp_path / "sf.csv"
    lines = ["Opportunity Owner,Account Name,Close Date,Amount,Discount"]
    lines += [f'{r},{a},{dt.month}/{dt.day}/{dt.year},"USD {v:,.2f}",{x * 100:.1f}%'
              for r, a, dt, v, x in zip(d["rep"], d["account"], d["date"], d["amount"], d["discount"])]
    p.write_text("\n".join(lines) + "\n")
    code, out, _ = run(capsys, "signals", p, "--plan", PLAN, "--from", "salesforce", "--approval-limit", "20000", "--json", *AS_OF)
    d = json.loads(out)
    found = {(s["kind"], s["rep"], s["period"]) for s in d["signals"] + d["plan_design"]}
    assert code == 1 and {(k, r) for k, r, _ in syn.planted} <= {(k, r) for k, r, _ in found}
    assert len(syn.planted & found) >= 0.9 * len(syn.planted), sorted(syn.planted - found)


def test_hostile_names_are_escaped_in_the_report(tmp_path):
    plan = load_plan(PLAN)
    syn = generate(plan, seed=2)
    bunching = next(r for r, role in syn.gaming.items() if role == "bunching")
    splitter = next(r for r, role in syn.gaming.items() if role == "splitting")
    evil = "<script>alert('x')</script>=cmd|' /C calc'!A0 $x$"
    d = syn.deals.copy()
    d["rep"] = d["rep"].replace({bunching: evil})
    d.loc[d["rep"] == splitter, "account"] = d.loc[d["rep"] == splitter, "account"].str.replace("Split", "<img src=x onerror=alert(1)>")
    d["cents"] = (d["amount"] * 100).round().astype("int64")
    report = detect(d, plan, approval_limit=20000)
    assert evil in report.flagged("period_end_bunching")
    page = render(report, "<b>export</b>.csv")
    assert "<script" not in page and "<img src=x" not in page and "<b>export" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    # the charts still drew: the name went to matplotlib as text, `$x$` not as mathtext
    pngs = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    cases = [s for s in report.findings if s.kind in ("post_cap_stall", "deal_splitting")]  # a chart each (splitting's
    assert any(s.rep == splitter for s in cases)  # accounts carry the hostile name into matplotlib)
    assert len(pngs) == 3 + min(len(cases), 12) and all(base64.b64decode(p)[:4] == b"\x89PNG" for p in pngs)


def test_a_100k_row_export_renders(capsys, tmp_path):
    plan = load_plan(PLAN)
    path = tmp_path / "big.csv"
    write(generate(plan, reps=120, deals_per_period=70, seed=9), path)  # about 100,000 deals
    out_html = tmp_path / "big.html"
    code, out, _ = run(capsys, "signals", path, "--plan", PLAN, "-o", out_html, "--approval-limit", "20000", *AS_OF)
    assert code == 1 and out_html.stat().st_size > 20_000
    assert sum(1 for _ in path.open()) > 95_000


def test_quotas_file_moves_attainment_and_the_edge_it_piles_on(capsys, tmp_path):
    syn = generate(load_plan(PLAN))
    q = tmp_path / "quotas.csv"  # twice the plan's 720,000 for everyone: the pile at 100% of quota is now at 50%
    q.write_text("rep,quota\n" + "".join(f'{r},"1,440,000"\n' for r in sorted(set(syn.deals["rep"]))))
    code, out, _ = run(capsys, "signals", EX / "crm-export.csv", "--plan", PLAN, "--quotas", q, "--json", *AS_OF)
    edge = [s for s in json.loads(out)["plan_design"] if s["kind"] == "edge_bunching"]
    assert code == 1 and [s["component"] for s in edge] == ["threshold"]


def test_attainment_chart_draws_threshold_tier_edge_and_cap():
    from coursekit.signals.crm import read_export
    from coursekit.signals.plot import figures

    report = detect(read_export(EX / "crm-export.csv").deals, load_plan(PLAN))
    figs = figures(report)
    assert set(figs) == {"timing", "attainment", "discount"}
    texts = [t.get_text() for t in figs["attainment"].axes[0].texts]
    assert texts == ["threshold 50%", "tier 2 100%", "cap 150%"]
    assert [ln.get_xdata()[0] for ln in figs["attainment"].axes[0].lines] == pytest.approx([50, 100, 150])
    legend = [t.get_text() for t in figs["timing"].axes[0].get_legend().get_texts()]
    assert legend[0] == "whole team" and set(legend[1:]) == set(report.flagged("period_end_bunching")
                                                                 + report.flagged("period_end_discounting"))


def test_closed_lost_rows_are_set_aside_not_counted_as_won(capsys, tmp_path):
    """A rep's lost deals bunched at period ends must not make him a bunching pattern: they leave before any test."""
    syn = generate(load_plan(PLAN), seed=11, clean=True)
    d = syn.deals.copy()
    d["stage"] = "Closed Won"
    rep = d["rep"].iloc[0]
    lost = d[d["rep"] == rep].copy()
    lost["date"] = lost["date"] + pd.offsets.BMonthEnd(0)  # every lost deal on a month's last business day
    lost["stage"], lost["deal_id"] = "Closed Lost", lost["deal_id"] + "-L"
    p = tmp_path / "staged.csv"
    write(SimpleNamespace(deals=pd.concat([d, lost], ignore_index=True)), p)
    code, out, _ = run(capsys, "signals", p, "--plan", PLAN, *AS_OF)
    assert f"note: set aside {len(lost):,} rows whose stage is not won (Closed Lost {len(lost):,})" in out
    assert code == 0 and "no patterns to review" in out
    code, out, _ = run(capsys, "signals", p, "--plan", PLAN, "--won", "Closed Won,Closed Lost", *AS_OF)
    assert code == 1 and f"[period_end_bunching] {rep}" in out  # counted as won, they would have been a pattern


def test_messy_exports_through_the_cli_one_line_each(capsys, tmp_path):
    p = tmp_path / "eu.csv"
    p.write_text('date,amount,rep\n2027-01-04,"1,234",a\n')
    code, out, err = run(capsys, "signals", p, "--plan", PLAN, *AS_OF)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "--decimal-comma" in err
    code, out, err = run(capsys, "signals", p, "--plan", PLAN, "--as-of", "2027-13-01")
    assert code == 2 and "--as-of: '2027-13-01' is not a date" in err
    code, out, err = run(capsys, "signals", EX / "crm-export.csv", "--plan", PLAN, "--as-of", "2026-06-30")
    assert code == 2 and "every close date is after the export date 2026-06-30" in err


def test_peer_column_through_the_cli(capsys, tmp_path):
    syn = generate(load_plan(PLAN), seed=12, clean=True, segments=True, segment_peak={"enterprise": 0.5})
    p = tmp_path / "seg.csv"
    write(syn, p)
    code, out, _ = run(capsys, "signals", p, "--plan", PLAN, "--approval-limit", "20000", *AS_OF)
    assert code == 0 and "note: reps compared with peers in the same segment" in out
    d = syn.deals.rename(columns={"segment": "team"})
    write(SimpleNamespace(deals=d), p)
    code, out, _ = run(capsys, "signals", p, "--plan", PLAN, "--approval-limit", "20000", "--peer-column", "team", *AS_OF)
    assert code == 0 and "note: reps compared with peers in the same team" in out
    code, _, err = run(capsys, "signals", p, "--plan", PLAN, "--peer-column", "segment", *AS_OF)
    assert code == 2 and "--peer-column: the export has no segment column" in err
