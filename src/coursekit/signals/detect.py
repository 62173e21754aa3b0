"""Gaming signals: where, in a CRM export of closed deals, reps game the plan that paid them.

Pure pandas/numpy; no widgets. ``detect(deals, plan)`` runs one test per rep and period (and a few
across reps or periods), controls the false discovery rate over *all* tests run with
Benjamini-Hochberg (1% by default), and keeps a signal only when it is also large enough to matter
(each kind's floor below), so an export with no gaming reports nothing.

Kinds (the plan's periods follow its fiscal year; business days are Monday to Friday):

- ``period_end_bunching`` (rep, period): deals in the last ``window`` business days, against the larger
  of the uniform share (window / business days in the period) and the rest of the team's share in
  that period; exact binomial tail. Floor: 3 deals and twice the expected share. Team-wide (no rep)
  when the whole team's share is, and most reps' shares are, at least twice the uniform share.
- ``period_end_discounting`` (rep, period): discounts in the window against the rest of the period;
  one-sided Mann-Whitney. Floor: 4 deals each side and a median 3 points deeper.
- ``edge_bunching`` (across reps, or one rep across periods): attainment as the plan measures it
  (per period when standalone, year to date at each true-up when cumulative) in a 5-point band
  just above a threshold, tier edge or cap against the band just below, the expected split coming
  from the density in the neighbouring bands; binomial. Floor: 4 (rep) or 5 (team) above and twice
  the expected ratio.
- ``post_cap_stall`` (rep, period): after the cap is reached no deal until the period ends, then a
  burst in the first 3 business days of the next; Poisson tails at the rep's own deal rate,
  combined by Fisher's method. Floor: 3 deals expected in the silence.
- ``deal_splitting`` (rep, period): accounts with consecutive deals within 7 days, sizes within
  25% of each other (each under the approval limit and together over it, when a limit is known),
  against the chance of such pairs among the rep's own deals; Poisson tail. Floor: 2 accounts.

``strength`` is the effect as a multiple of what no gaming predicts (observed / expected).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from coursekit.engine.payout import cap_attainment, floor
from coursekit.engine.plan import Plan, load_plan
from coursekit.errors import CourseError
from coursekit.feedback import count
from coursekit.signals import bunching, cases
from coursekit.signals.crm import read_export
from coursekit.signals.stats import benjamini_hochberg, binom_sf, fisher, hypergeom_sf, mann_whitney_greater, poisson_sf

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COURSE_APPROVAL_LIMIT", "FDR", "KINDS", "WINDOW", "Report", "Signal", "calendar", "course_report", "detect", "edges",
           "year_start_month"]

KINDS = ("period_end_bunching", "period_end_discounting", "edge_bunching", "post_cap_stall", "deal_splitting")
KIND_WORDS = {"period_end_bunching": "period-end bunching", "period_end_discounting": "period-end discounting",
              "edge_bunching": "landing just above a plan edge", "post_cap_stall": "stall after the cap",
              "deal_splitting": "deal splitting"}
TOO_FEW = {"period_end_bunching": "too few deals (fewer than 3, or too few for all of them at the period's end to stand out)",
           "period_end_discounting": "too few discounted deals at the period's end and before it",
           "edge_bunching": "too few periods (or, for where the rep stood before the period's end, too few periods far "
                            "enough below an edge)",
           "post_cap_stall": "fewer than 3 deals expected at the rep's own pace in the days left after the cap",
           "deal_splitting": "too few same-account neighbours"}
WINDOW = 5  # business days before a period's end
FDR = 0.01
WATCH_Q = 0.10  # a near miss: not a pattern to review, worth a second look next period
WATCH_FIELDS = ("kind", "rep", "period", "evidence", "component", "p_value", "q_value")
BAND = 0.05  # attainment band either side of an edge
SPLIT_DAYS = 7
SPLIT_RATIO = 1.25
BURST_DAYS = 3
COURSE_APPROVAL_LIMIT = 20_000  # the shipped export's approval limit (crmgen.APPROVAL_LIMIT when it was written)


@dataclass(frozen=True)
class Signal:
    kind: str
    rep: str  # "" for a team-wide signal
    period: str  # "" for a signal across periods
    evidence: str
    strength: float  # observed / expected
    component: str  # the plan component that rewards it
    p_value: float
    q_value: float  # Benjamini-Hochberg adjusted
    # the case file (coursekit.signals.cases): the deals behind it, the money at stake, the effect with its interval
    deals: tuple = ()  # dicts: deal_id, date, amount, account, discount (at most cases.MAX_DEALS)
    deals_total: int = 0
    at_stake: float = 0.0  # in the plan's currency
    at_stake_what: str = ""
    effect: str = ""
    checked: tuple = ()  # the alternative explanations the test accounts for

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}  # shallow: asdict deep-copies every deal, slowly
        d["deals"], d["checked"] = [dict(x) for x in self.deals], list(self.checked)
        return d


@dataclass
class Report:
    """What ``detect`` found, and the per-deal and per-rep-period figures the charts draw.

    ``signals`` holds every pattern that survived the false discovery control; those naming a rep are the
    ``findings`` (patterns to review with a person), those of the whole team are ``design`` (observations on the
    plan's design: a team-wide quarter-end peak is customers' buying cycles as often as gaming, so it never sets
    the command's exit code by itself). ``notes`` are the cleaning decisions taken on the export, ``untested``
    the tests that could not run on this data, each with its reason.
    """

    signals: list[Signal]
    reps: list[str]
    periods: list[str]
    plan: Plan
    tests: int
    window: int
    fdr: float
    edges: list[tuple[str, float]]  # (component, attainment)
    attainment: np.ndarray  # reps x periods, as the plan measures it; nan where the rep closed nothing
    deals: pd.DataFrame = field(repr=False)  # rep code, period index, to_end, day, discount
    measurement: str = "standalone"
    notes: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    watch: list[Signal] = field(default_factory=list)  # near misses naming a rep: q above the rate, at most WATCH_Q
    approval_limit: float | None = None  # the stated approval limit splitting was tested against
    period_quota: np.ndarray | None = None  # each rep's quota for one period (the stall chart's scale)
    bunching: list = field(default_factory=list)  # (component, bunching.Estimate) per plan edge: Kleven and McCrary

    @property
    def findings(self) -> list[Signal]:
        """Signals that name a rep: patterns to review."""
        return [s for s in self.signals if s.rep]

    @property
    def design(self) -> list[Signal]:
        """Signals of the whole team: observations on the plan's design, not on anyone's conduct."""
        return [s for s in self.signals if not s.rep]

    def to_dict(self) -> dict[str, Any]:
        return {"signals": [s.to_dict() for s in self.findings], "plan_design": [s.to_dict() for s in self.design],
                "reps": len(self.reps), "periods": list(self.periods), "tests": self.tests, "notes": list(self.notes),
                "not_tested": list(self.untested),
                "watch_list": [{k: v for k, v in s.to_dict().items() if k in WATCH_FIELDS} for s in self.watch],
                "edge_bunching": [{"component": name, **est.to_dict()} for name, est in self.bunching]}

    def flagged(self, kind: str | None = None) -> list[str]:
        """Reps named in signals (of one kind), in order of first appearance."""
        out: list[str] = []
        for s in self.signals:
            if s.rep and (kind is None or s.kind == kind) and s.rep not in out:
                out.append(s.rep)
        return out


# --- the plan's calendar -----------------------------------------------------------------------

def year_start_month(plan: Plan, year_start: Any = None) -> int:
    """The month (1-12) the plan year starts: the argument, else the plan's ``year_start``, else January."""
    v = year_start if year_start is not None else getattr(plan, "year_start", None)
    if v is None:
        return 1
    if isinstance(v, (dt.date, dt.datetime)):
        return v.month
    fix = "give the plan year's first month, e.g. 2027-02"
    if isinstance(v, int) and not isinstance(v, bool):
        m = v
    else:
        text = str(v).strip()
        try:
            m = int(text.split("-")[1]) if "-" in text else int(text)
        except (ValueError, IndexError):
            raise CourseError.at(text, "--year-start", "is not a month (YYYY-MM)", fix) from None
    if not 1 <= m <= 12:
        raise CourseError.at(str(v), "--year-start", f"month {m} is not 1-12", fix)
    return m


@dataclass(frozen=True)
class Calendar:
    months: int  # months per period
    first: int  # global id of the first period
    labels: list[str]
    starts: np.ndarray  # datetime64[D], first day of each period
    ends: np.ndarray  # datetime64[D], first day after each period
    within: np.ndarray  # index of each period within its plan year


def calendar(plan: Plan, months_since_0: np.ndarray, ys: int) -> tuple[Calendar, np.ndarray]:
    """Periods covering the given months (year*12 + month-1); returns the calendar and each month's period index."""
    L = plan.months_per_period
    g = (months_since_0 - (ys - 1)) // L
    g0, g1 = int(g.min()), int(g.max())
    ids = np.arange(g0, g1 + 1)
    start_m = ids * L + ys - 1
    starts = (start_m - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
    ends = (start_m + L - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
    fy = (ids * L) // 12
    within = ((ids * L) % 12) // L
    if plan.period == "annual":
        labels = [f"FY{y}" for y in fy]
    elif plan.period == "quarterly":
        labels = [f"{y}-Q{w + 1}" for y, w in zip(fy, within)]
    else:
        labels = [f"{y}-{w + 1:02d}" for y, w in zip(fy, within)]
    return Calendar(L, g0, labels, starts, ends, within), g - g0


def edges(plan: Plan) -> list[tuple[str, float]]:
    """Attainments where pay jumps or bends: threshold, tier edges, cap."""
    out: list[tuple[str, float]] = []
    gate = floor(plan)
    if gate > 0:
        out.append(("threshold", gate))
    if not plan.curve:
        out += [(f"tier {i + 1}", t.start) for i, t in enumerate(plan.tiers) if t.start > 0]
    at = cap_attainment(plan)
    if at is not None and at < 10:
        out.append(("cap", at))
    return out


# --- detection ---------------------------------------------------------------------------------

@dataclass
class _Test:
    kind: str
    rep: str
    period: str
    p: float
    evidence: str = ""
    strength: float = 1.0
    component: str = ""
    reportable: bool = False
    pooled: bool = False  # a rep's test over the year
    p_min: float = 0.0  # the smallest p-value the test can reach at this volume, known before looking at the outcome
    info: dict = field(default_factory=dict)  # what the case file needs: counts, expected share, accounts


def detect(deals: pd.DataFrame, plan: Plan, *, quotas: dict[str, float] | None = None, year_start: Any = None,
           window: int = WINDOW, approval_limit: float | None = None, fdr: float = FDR,
           measurement: str | None = None, peer: str | None = None, rep_edges: bool = True) -> Report:
    """Run every test over ``deals`` (columns date, cents, rep; optional account, segment, team, product, discount).

    ``peer``: the column that groups reps into peers (``segment`` or ``team``); by default the first of those in which
    every rep sells (almost) only one value. A rep's period-end share is compared with their peers', so a segment
    whose customers buy at quarter end does not make its reps stand out. ``rep_edges``: test each rep's landing rate
    just above the plan's edges (False keeps only the team's pile-up, as module 4's exercise asks it)."""
    import pandas as pd

    if deals.empty:
        raise CourseError.at("export", "deals", "no deals to analyse", "export closed-won deals with their close dates")
    measurement = measurement or getattr(plan, "measurement", None) or "standalone"
    ys = year_start_month(plan, year_start)
    dates = deals["date"].to_numpy().astype("datetime64[D]")
    months = dates.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    cal, pidx = calendar(plan, months, ys)
    P = len(cal.labels)
    rep_cat = deals["rep"].astype("category")
    reps = [str(r) for r in rep_cat.cat.categories]
    r = rep_cat.cat.codes.to_numpy().astype(np.int64)
    R = len(reps)
    key = r * P + pidx
    to_end = np.busday_count(dates, cal.ends[pidx])
    day = np.busday_count(cal.starts[pidx], dates)
    busdays = np.busday_count(cal.starts, cal.ends)
    in_win = to_end <= window
    cents = deals["cents"].to_numpy(dtype=np.int64)
    credit = cents.astype(float) / 100 * _multipliers(deals, plan)

    n = np.bincount(key, minlength=R * P).reshape(R, P)
    # bunching counts orders, not opportunities: the lines of one order (same rep, account and day) close together
    unit = _orders(deals, r, dates)
    short = 0
    n_units = np.bincount(key, weights=unit, minlength=R * P).reshape(R, P).round().astype(np.int64)
    x = np.bincount(key, weights=in_win & unit, minlength=R * P).reshape(R, P).round().astype(np.int64)
    peers, peer_note = _peer_groups(deals, r, R, peer)
    value = np.bincount(key, weights=cents, minlength=R * P).reshape(R, P)
    value_win = np.bincount(key, weights=cents * in_win, minlength=R * P).reshape(R, P)
    credited = np.bincount(key, weights=credit, minlength=R * P).reshape(R, P)
    credited_win = np.bincount(key, weights=credit * in_win, minlength=R * P).reshape(R, P)

    quotas = quotas or {}
    q_rep = np.array([quotas.get(name, plan.quota) for name in reps], dtype=float) / plan.periods_per_year
    if measurement == "cumulative":
        fy = (np.arange(P) + cal.first) * cal.months // 12
        ytd = np.zeros_like(credited)
        for y in np.unique(fy):
            cols = fy == y
            ytd[:, cols] = np.cumsum(credited[:, cols], axis=1)
        denom = q_rep[:, None] * (cal.within[None, :] + 1)
        att = ytd / denom
        att_without = att - credited_win / denom
    else:
        att = credited / q_rep[:, None]
        att_without = (credited - credited_win) / q_rep[:, None]
    active = n > 0
    plan_edges = edges(plan)

    tests: list[_Test] = []
    alone: set[str] = set()
    tests += _bunching(reps, cal, n_units, x, value, value_win, busdays, window, att, att_without, plan_edges, peers, alone)
    reach = _within_reach(att_without, active, plan_edges)
    tests += _reach_timing(reps, n_units, x, reach, window)
    opening = np.bincount(key, weights=(day < BURST_DAYS) & unit, minlength=R * P).reshape(R, P).round().astype(np.int64)
    tests += _opening_dip(reps, n_units, x, opening, busdays, window, peers)
    if "discount" in deals:
        disc = np.where(unit, deals["discount"].to_numpy(dtype=float), np.nan)
        tests += _discounting(disc, key, in_win, reps, cal, P, window, att, att_without, plan_edges)
        pooled_disc = _discounting_pooled(disc, r, pidx, in_win, reps, peers, window)
        tests += pooled_disc
        tests += _reach_discounting(disc, r, pidx, in_win, reps, peers, reach, window)
        short = len(reps) - len(pooled_disc)
        if short:
            untested_disc = (f"period-end discounting for {short} of {len(reps)} reps over the year: fewer than 3 period-end "
                             "deals and 5 others with a discount")
    untested: list[str] = []
    estimates: list[tuple[str, bunching.Estimate]] = []
    tests += _edge_bunching(att, active, reps if rep_edges else [], plan_edges, measurement, fdr, untested, estimates)
    if rep_edges:
        tests += _landing_path(att, att_without, active, reps, plan_edges, peers, window)
    if measurement != "cumulative":
        by_time = _sort_by(key, dates)  # each rep-period's deals in close order, sorted once for both tests
        runs = _Runs.of(key[by_time], dates[by_time], credit[by_time])
        tests += _post_cap(reps, cal, P, key, day, busdays, n, q_rep, plan, runs)
        tests += _pace_after(reps, cal, P, r, pidx, day, busdays, n, q_rep, plan, peers, by_time, runs)
    if "discount" in deals and short:
        untested.append(untested_disc)
    if reach is None:
        untested.append("period-end behaviour when an edge was within reach (Larkin): the plan has no threshold or tier edge "
                        "below the cap")
    if alone:
        shown = ", ".join(sorted(alone)[:5]) + (", ..." if len(alone) > 5 else "")
        untested.append(f"period-end bunching for {len(alone)} rep{'s' if len(alone) != 1 else ''} ({shown}) in some periods: "
                        "their peers closed fewer than 20 deals to compare with")
    if "discount" not in deals:
        untested.append("period-end discounting: the export has no discount column")
    if measurement == "cumulative":
        untested.append("stall after the cap: the plan measures attainment year to date")
    elif cap_attainment(plan) is None:
        untested.append("stall after the cap: the plan has no cap")
    if "account" not in deals:
        untested.append("deal splitting: the export has no account column")
    elif approval_limit is None:  # never borrowed (a SPIF minimum is not an approval limit)
        untested.append("deal splitting: no approval limit given (pass --approval-limit with the deal size that needs approval)")
    else:
        tests += _splitting(deals, r, pidx, P, dates, cents, reps, cal, approval_limit)

    tests, dropped = _testable(tests, fdr)
    near_all = _near_all(tests, fdr)
    if near_all:
        untested.append(near_all)
    for kind, k in dropped.items():
        untested.append(f"{KIND_WORDS[kind]}: {count(k, 'test')} of a rep (a period, or the year) dropped before looking: "
                        f"{TOO_FEW[kind]}, so even the most extreme outcome could not reach the {fdr:.0%} rate")
    chosen, near = _select(tests, fdr)
    sig = lambda t, q: Signal(t.kind, t.rep, t.period, t.evidence, round(t.strength, 2), t.component,  # noqa: E731
                              float(f"{t.p:.3g}"), float(f"{q:.3g}"))
    signals = [sig(t, q) for t, q in chosen]
    signals.sort(key=lambda s: (KINDS.index(s.kind), s.rep, s.period))
    watch = [sig(t, q) for t, q in near]
    table = pd.DataFrame({"rep": r, "period": pidx, "to_end": to_end, "day": day, "cents": cents, "date": dates,
                          "credit": credit})
    if "discount" in deals:
        table["discount"] = deals["discount"].to_numpy(dtype=float)
    # text columns kept as text without a round trip through Python objects (which pandas would check string by string)
    if "deal_id" in deals:
        ids = deals["deal_id"]
        table["deal_id"] = ids.array if isinstance(ids.dtype, pd.StringDtype) else ids.to_numpy()
    if "account" in deals:
        acct = deals["account"].astype("category")
        table["account"] = acct.astype(str).array if acct.cat.categories.inferred_type == "string" else acct.to_numpy()
    extra = {(t.kind, t.rep, t.period): t.info for t in tests if t.info and t.reportable}
    signals = cases.attach(signals, table, reps, cal.labels, plan, att, att_without, window, q_rep, plan_edges, extra)
    return Report(signals, reps, cal.labels, plan, len(tests), window, fdr, plan_edges, np.where(active, att, np.nan), table,
                  measurement, notes=[peer_note] if peer_note else [], untested=untested,
                  watch=sorted(watch, key=lambda s: s.q_value)[:20], approval_limit=approval_limit, period_quota=q_rep,
                  bunching=estimates)


PEER_COLUMNS = ("team", "segment")
PEER_PURITY = 0.9  # a column groups reps when each rep's deals are at least this share in one value


def _orders(deals: pd.DataFrame, r: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """True on the first opportunity of each order (rep, account, close day); every deal when there is no account."""
    import pandas as pd

    if "account" not in deals:
        return np.ones(len(deals), bool)
    a = deals["account"].astype("category").cat.codes.to_numpy().astype(np.int64)
    day = dates.astype(np.int64)
    day = day - day.min()
    key = (r * (int(a.max()) + 2) + a + 1) * (int(day.max()) + 1) + day  # one int per (rep, account, day)
    return ~pd.Series(key).duplicated().to_numpy() | (a < 0)


def _peer_groups(deals: pd.DataFrame, r: np.ndarray, R: int, peer: str | None) -> tuple[np.ndarray | None, str]:
    """Each rep's peer group (an index per rep), and the note saying how reps were grouped; (None, "") for one team."""
    import pandas as pd

    for col in ([peer] if peer else PEER_COLUMNS):
        if col not in deals:
            if peer:
                raise CourseError.at("export", "--peer-column", f"the export has no {col} column", "map it with --columns")
            continue
        v = deals[col].astype("category")
        codes = v.cat.codes.to_numpy().astype(np.int64)
        G = len(v.cat.categories)
        if G < 2:
            continue
        counts = np.bincount(r * (G + 1) + codes + 1, minlength=R * (G + 1)).reshape(R, G + 1)[:, 1:]
        group = counts.argmax(axis=1)
        purity = counts.max(axis=1).sum() / max(counts.sum(), 1)
        if peer or purity >= PEER_PURITY:
            sizes = pd.Series(np.asarray(v.cat.categories, dtype=object)[group]).value_counts()
            shown = ", ".join(f"{k} {n}" for k, n in sizes.items())
            return group, f"reps compared with peers in the same {col} ({shown} reps)"
    return None, ""


def _multipliers(deals: pd.DataFrame, plan: Plan) -> np.ndarray:
    m = np.ones(len(deals))
    for kind in ("segment", "product"):
        table = plan.credit.get(kind)
        if table and kind in deals:
            col = deals[kind].astype("category")
            per = np.array([table.get(str(c), 1.0) for c in col.cat.categories] + [1.0])
            m *= per[col.cat.codes.to_numpy()]  # code -1 (missing) takes the appended 1.0
    return m


def _crossed(a: float, a_without: float, plan_edges: list[tuple[str, float]]) -> str:
    """The highest edge the window's deals carried attainment across, else the period itself."""
    hit = [name for name, e in plan_edges if a_without < e <= a and name != "cap"]
    return hit[-1] if hit else "period"


def _bunching(reps, cal, n, x, value, value_win, busdays, window, att, att_without, plan_edges, peers,
              alone: set[str]) -> list[_Test]:
    """Per rep and period; ``alone`` collects reps whose peers closed too few deals to compare with."""
    R, P = n.shape
    out: list[_Test] = []
    u = np.minimum(window, busdays) / busdays
    N, X = n.sum(axis=0), x.sum(axis=0)
    group = np.zeros(R, np.int64) if peers is None else np.asarray(peers)
    GN = np.array([n[group == g].sum(axis=0) for g in range(group.max() + 1)])
    GX = np.array([x[group == g].sum(axis=0) for g in range(group.max() + 1)])
    for j in range(P):
        for i in range(R):
            if n[i, j] == 0:
                continue
            rest_n, rest_x = GN[group[i], j] - n[i, j], GX[group[i], j] - x[i, j]
            if rest_n < 20:
                if peers is not None:  # too few peers' deals to say what is usual for this segment: not tested
                    alone.add(reps[i])
                    continue
                rest_n, rest_x = N[j] - n[i, j], X[j] - x[i, j]
            p0 = max(u[j], rest_x / rest_n if rest_n >= 20 else 0.0)
            share = x[i, j] / n[i, j]
            t = _Test("period_end_bunching", reps[i], cal.labels[j], 1.0)
            t.p_min = _bunching_floor(int(n[i, j]), float(u[j]), int(rest_x), int(rest_n))
            if x[i, j] >= 3 and share >= 2 * p0:
                # against even timing, and against the peers' share as the sample it is (Fisher's exact test)
                t.p = max(binom_sf(int(x[i, j]), int(n[i, j]), u[j]),
                          hypergeom_sf(int(x[i, j]), int(n[i, j]), int(x[i, j] + rest_x), int(n[i, j] + rest_n)))
                vshare = value_win[i, j] / value[i, j] if value[i, j] else 0.0
                t.evidence = (f"{share:.0%} of deals ({x[i, j]} of {n[i, j]}) and {vshare:.0%} of value in the last {window} "
                              f"business days against {p0:.0%} expected")
                t.strength, t.reportable = share / p0, True
                t.component = _crossed(att[i, j], att_without[i, j], plan_edges)
                t.info = {"x": int(x[i, j]), "n": int(n[i, j]), "p0": float(p0)}
            out.append(t)
        # the whole team at once
        if N[j] >= 20:
            shares = x[:, j][n[:, j] >= 3] / n[:, j][n[:, j] >= 3]
            team = X[j] / N[j]
            t = _Test("period_end_bunching", "", cal.labels[j], 1.0)
            if team >= 2 * u[j] and len(shares) and np.mean(shares >= 2 * u[j]) > 0.5:
                t.p = binom_sf(int(X[j]), int(N[j]), u[j])
                t.evidence = (f"the team closed {team:.0%} of deals ({X[j]} of {N[j]}) in the last {window} business days "
                              f"against {u[j]:.0%} for even timing; {np.mean(shares >= 2 * u[j]):.0%} of reps at twice that")
                t.strength, t.reportable, t.component = team / u[j], True, "period"
            out.append(t)
    # pooled over the year, each rep against even timing and against their peers over the same periods
    tested = np.array([[n[i, j] > 0 and reps[i] not in alone for j in range(P)] for i in range(R)]) if R else np.zeros((0, P), bool)
    for i in range(R):
        cols = tested[i]
        if not cols.any():
            continue
        ni, xi = int(n[i, cols].sum()), int(x[i, cols].sum())
        g = group[i]
        rest_n = int(GN[g, cols].sum()) - ni if peers is not None else int(N[cols].sum()) - ni
        rest_x = int(GX[g, cols].sum()) - xi if peers is not None else int(X[cols].sum()) - xi
        ubar = float((n[i, cols] * u[cols]).sum() / ni)
        p0 = max(ubar, rest_x / rest_n if rest_n >= 20 else 0.0)
        t = _Test("period_end_bunching", reps[i], "", 1.0, pooled=True)
        t.p_min = _bunching_floor(ni, ubar, rest_x, rest_n)
        if xi >= 3 and xi / ni >= 1.5 * p0:
            t.p = max(binom_sf(xi, ni, ubar), hypergeom_sf(xi, ni, xi + rest_x, ni + rest_n) if rest_n >= 20 else 0.0)
            t.evidence = (f"over the year, {xi / ni:.0%} of deals ({xi} of {ni}) in the last {window} business days of their "
                          f"periods against {p0:.0%} for {'peers' if rest_n >= 20 else 'even timing'}")
            t.strength, t.reportable, t.component = xi / ni / p0, True, "period"
            t.info = {"x": xi, "n": ni, "p0": float(p0)}
        out.append(t)
    return out


def simes(p: list[float] | np.ndarray) -> float:
    """Simes' combination of a family's p-values: min over i of m * p_(i) / i."""
    v = np.sort(np.asarray(p, dtype=float))
    return float(min(1.0, np.min(v * len(v) / np.arange(1, len(v) + 1)))) if len(v) else 1.0


def _testable(tests: list[_Test], fdr: float) -> tuple[list[_Test], dict[str, int]]:
    """The tests that can fire at the data's volume, and per kind how many cannot: a test whose smallest reachable
    p-value (from its counts alone, before its outcome is looked at) is above the rate is dropped, so it neither
    dilutes the others nor reads as a clean result."""
    keep, dropped = [], {}
    for t in tests:
        if t.rep and t.p_min > fdr:
            dropped[t.kind] = dropped.get(t.kind, 0) + 1
        else:
            keep.append(t)
    return keep, dropped


def _family_p(members: list[_Test]) -> float:
    """A family's p-value: Simes over its year-level tests and Simes over its period tests, the smaller doubled
    (Bonferroni over the two), or the one that exists. The year-level tests carry the pooled evidence without paying
    for every period; a single period far out of line still counts."""
    year = [t.p for t in members if not t.period]
    periods = [t.p for t in members if t.period]
    if year and periods:
        return min(1.0, 2 * min(simes(year), simes(periods)))
    return simes(year or periods)


def _families(tests: list[_Test]) -> dict[tuple[str, str, bool], list[_Test]]:
    fams: dict[tuple[str, str, bool], list[_Test]] = {}
    for t in tests:
        if t.rep:
            # the pace after quota (holding back against next year's quota) is its own family, apart from the cap's
            fams.setdefault((t.kind, t.rep, t.component == "quota"), []).append(t)
    return fams


PAST = "-"  # a period whose attainment before its last business days had crossed every edge below the cap
REACH = 0.25  # an edge is within reach when attainment before the period's last business days is this close below it


def _within_reach(att_without: np.ndarray, active: np.ndarray, plan_edges: list[tuple[str, float]]) -> np.ndarray | None:
    """Per rep and period, the name of the edge (threshold or tier edge) that was within reach before the period's last
    business days (attainment without them at most ``REACH`` below it), "" where an edge was out of reach below it, and
    PAST where every edge was already crossed (those periods are compared with neither: a rep past the top edge has
    less left to close, which would make the reach periods look busy at their end); None when the plan has no such
    edge. Attainment before the window depends only on the deals before it, so the grouping is fixed before the
    period-end behaviour it is compared on."""
    named = [(name, e) for name, e in plan_edges if name != "cap"]
    if not named:
        return None
    out = np.full(att_without.shape, "", dtype=object)
    out[~active | (att_without >= max(e for _, e in named))] = PAST
    for name, e in named:  # the higher edge wins where two are in reach
        out[active & (att_without >= e - REACH) & (att_without < e)] = name
    return out


def _mode(values: list[str]) -> str:
    """The most common value (the first on a tie)."""
    return max(dict.fromkeys(values), key=values.count)


def _reach_timing(reps, n, x, reach, window) -> list[_Test]:
    """Larkin (2014): each rep's period-end deals in periods where an edge was within reach against the rep's own
    other periods. Under no gaming a rep's period-end deals fall in each period alike, whatever the attainment before
    them (customers' calendars do not know the rep's attainment), so given the rep's X period-end deals over the year,
    those in the k reach periods of K are Binomial(X, k / K)."""
    if reach is None:
        return []
    out: list[_Test] = []
    for i, rep in enumerate(reps):
        act = (n[i] > 0) & (reach[i] != PAST)
        in_r = act & (reach[i] != "")
        k, K = int(in_r.sum()), int(act.sum())
        if k == 0 or k == K:
            continue
        X, xr = int(x[i, act].sum()), int(x[i, in_r].sum())
        f = k / K
        t = _Test("period_end_bunching", rep, "", 1.0, p_min=f ** X if X >= 3 else 1.0)
        rate_r, rate_o = xr / k, (X - xr) / (K - k)
        if xr >= 3 and rate_r >= 2 * max(rate_o, 0.5):
            t.p = binom_sf(xr, X, f)
            edge = _mode([reach[i, j] for j in np.nonzero(in_r)[0]])
            nr, no = int(n[i, in_r].sum()), int(n[i, act & ~in_r].sum())
            t.evidence = (f"over the year, {rate_r:.1f} deals a period in the last {window} business days in the {k} periods "
                          f"where the {edge} was within reach before them (within {REACH:.0%} below it), against "
                          f"{rate_o:.1f} in the rep's {K - k} periods with every edge out of reach")
            t.strength, t.reportable, t.component = rate_r / max(rate_o, 0.5), True, edge
            t.info = {"x": xr, "n": nr, "p0": float((X - xr) / no if no else 0.0),
                      "periods": tuple(int(j) for j in np.nonzero(in_r)[0])}
        out.append(t)
    return out


def _reach_discounting(disc, r, pidx, in_win, reps, peers, reach, window) -> list[_Test]:
    """Larkin (2014) for discounts: each rep's period-end discounts (less the peers' median at the same period's end) in
    periods where an edge was within reach, against their period-end discounts in the other periods; one-sided
    Mann-Whitney. Buyers' leverage at period end does not depend on the rep's attainment; a push to cross an edge does."""
    import pandas as pd

    if reach is None:
        return []
    ok = ~np.isnan(disc) & in_win
    if not ok.any():
        return []
    group = (np.zeros(len(reps), np.int64) if peers is None else np.asarray(peers))[r]
    P = reach.shape[1]
    f = pd.DataFrame({"r": r[ok], "p": pidx[ok], "d": disc[ok]})
    f["resid"] = f["d"].to_numpy() - _median_by(group[ok] * P + pidx[ok], disc[ok])
    where = reach[f["r"].to_numpy(), f["p"].to_numpy()]
    f["reach"] = where != ""
    f = f[where != PAST]
    out: list[_Test] = []
    if f.empty:
        return out
    # sizes and medians per rep and side for every rep at once; only the reps past the floor are ranked one by one
    cell = _sides(f["r"].to_numpy(), f["reach"].to_numpy(), f["resid"].to_numpy())
    if cell is None:
        return out
    idx, med, size = cell
    n_a, n_b = size[:, 1], size[:, 0]
    tested = (n_a >= 2) & (n_b >= 2)
    strong = tested & (med[:, 1] - med[:, 0] >= DISCOUNT_FLOOR)
    out += [_Test("period_end_discounting", reps[int(i)], "", 1.0, p_min=_mw_floor(int(a), int(b)))
            for i, a, b in zip(idx[tested & ~strong], n_a[tested & ~strong], n_b[tested & ~strong])]
    for i, sub in f[f["r"].isin(idx[strong])].groupby("r", sort=True):
        w = sub["reach"].to_numpy()
        a, b = sub["resid"].to_numpy()[w], sub["resid"].to_numpy()[~w]
        t = _Test("period_end_discounting", reps[int(i)], "", 1.0, p_min=_mw_floor(len(a), len(b)))
        gap = float(np.median(a) - np.median(b))
        if gap >= DISCOUNT_FLOOR:
            t.p = mann_whitney_greater(a, b)
            edge = _mode([reach[int(i), int(j)] for j in sub["p"].to_numpy()[w]])
            t.evidence = (f"over the year, period-end discounts {gap * 100:.1f} points deeper (beyond the peers' at the same "
                          f"period end) in the periods where the {edge} was within reach than where every edge was out of reach "
                          f"({len(a)} deals against {len(b)})")
            t.strength, t.reportable, t.component = gap / DISCOUNT_FLOOR, True, edge
            t.info = {"periods": tuple(sorted({int(j) for j in sub["p"].to_numpy()[w]}))}
        out.append(t)
    return out


def _bunching_floor(n: int, u: float, rest_x: int, rest_n: int) -> float:
    """The smallest p-value the bunching test can give a rep with ``n`` deals (all of them at the period's end)."""
    if n < 3:
        return 1.0
    p = u ** n
    if p <= FDR and rest_n >= 20:  # all n drawn from the marked: hypergeom_sf(n, n, k, m), its single term
        k, m = n + rest_x, n + rest_n
        lg = math.lgamma
        p = max(p, math.exp(lg(k + 1) - lg(k - n + 1) - lg(m + 1) + lg(m - n + 1)))
    return p


def _mw_floor(n1: int, n2: int) -> float:
    """The smallest p-value ``mann_whitney_greater`` can give samples of these sizes (every ``a`` above every ``b``)."""
    n = n1 + n2
    z = (n1 * n2 / 2.0 - 0.5) / math.sqrt(n1 * n2 / 12.0 * (n + 1))
    return 0.5 * math.erfc(z / math.sqrt(2))


def _select(tests: list[_Test], fdr: float) -> tuple[list[tuple[_Test, float]], list[tuple[_Test, float]]]:
    """(patterns, near misses), each as (test, q). Rep before period (Benjamini-Bogomolov selective inference):

    1. one family per rep and kind; its p-value (``_family_p``) combines its year-level tests (pooled over the year,
       landing at an edge, the periods where an edge was within reach, the pace after the cap or quota) and its period
       tests; Benjamini-Hochberg over the families at ``fdr`` selects the reps (the committee's unit is the rep, not the
       rep-quarter);
    2. within each of the S selected families of M, the period tests are drilled into by Benjamini-Hochberg at
       ``fdr * S / M``, which keeps the false discovery rate of the periods shown at ``fdr`` on average over the
       selected families. A family with no period past that shows its strongest year-level test.

    The whole team's tests (plan design) are their own Benjamini-Hochberg pool at ``fdr``. Near misses: families with
    q above ``fdr`` and at most ``WATCH_Q``, by their strongest reportable test."""
    out: list[tuple[_Test, float]] = []
    team = [t for t in tests if not t.rep]
    if team:
        rej, qv = benjamini_hochberg([t.p for t in team], fdr)
        out += [(t, float(q)) for t, r, q in zip(team, rej, qv) if r and t.reportable]
    fams = _families(tests)
    keys = list(fams)
    if not keys:
        return out, []
    rej, fq = benjamini_hochberg([_family_p(fams[k]) for k in keys], fdr)
    S, M = int(rej.sum()), len(keys)
    watch: list[tuple[_Test, float]] = []
    for k, sel, q in zip(keys, rej, fq):
        members = [t for t in fams[k] if t.reportable]
        if not members:
            continue
        if not sel:
            if q <= WATCH_Q:
                watch.append((min(members, key=lambda t: t.p), float(q)))
            continue
        drill = [t for t in fams[k] if t.period]
        shown: list[tuple[_Test, float]] = []
        if drill:
            r2, q2 = benjamini_hochberg([t.p for t in drill], fdr * S / M)
            shown = [(t, float(min(1.0, qq * M / S))) for t, rr, qq in zip(drill, r2, q2) if rr and t.reportable]
        if not shown:
            year = [t for t in members if not t.period] or members
            shown = [(min(year, key=lambda t: t.p), float(q))]
        out += shown
    return out, watch


def _median_by(key: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each value's group median, the group given by one int64 key (several columns folded into one by the caller: a
    group-by over one integer column is several times faster than over several over a million deals)."""
    import pandas as pd

    return pd.Series(values).groupby(key, sort=False).transform("median").to_numpy()


def _sides(key: np.ndarray, side: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(keys, median, size) of ``values`` per key (ascending) and side (column 0 False, 1 True), 0 where a key has no
    value on a side; None when no value at all is on one side. One int64 key, as ``_median_by``."""
    import pandas as pd

    both = key.astype(np.int64) * 2 + side.astype(np.int64)
    stats = pd.Series(values).groupby(both, sort=True).agg(["median", "size"])
    k = stats.index.to_numpy()
    if not (k % 2).any() or (k % 2).all():
        return None
    keys = np.unique(k // 2)
    at, col = np.searchsorted(keys, k // 2), k % 2
    med, size = np.zeros((len(keys), 2)), np.zeros((len(keys), 2), np.int64)
    med[at, col], size[at, col] = stats["median"].to_numpy(), stats["size"].to_numpy()
    return keys, med, size


DISCOUNT_FLOOR = 0.03  # a period-end discount this many points deeper is large enough to matter


def _discounting_pooled(disc, r, pidx, in_win, reps, peers, window) -> list[_Test]:
    """Each rep over the year, against their peers (difference in differences): a deal's discount less the median
    discount of the peers' deals in the same period and the same part of it (period end or before). Team-wide
    period-end discounting (buyers' leverage) cancels; a rep's own period-end push does not. One-sided Mann-Whitney of
    the rep's period-end residuals against their earlier ones."""
    import pandas as pd

    ok = ~np.isnan(disc)
    if not ok.any():
        return []
    group = (np.zeros(len(reps), np.int64) if peers is None else np.asarray(peers))[r]
    d, w_ok, r_ok = disc[ok], in_win[ok], r[ok]
    P = int(pidx.max()) + 1
    resid = d - _median_by((group[ok] * P + pidx[ok]) * 2 + w_ok, d)  # the peers' median in the same period and part
    cell = _sides(r_ok, w_ok, resid)
    if cell is None:
        return []
    idx, med, size = cell
    n_in, n_out = size[:, 1], size[:, 0]
    tested = (n_in >= 3) & (n_out >= 5)
    strong = tested & (med[:, 1] - med[:, 0] >= DISCOUNT_FLOOR)
    sizes = {int(i): (int(a), int(b)) for i, a, b in zip(idx[tested], n_in[tested], n_out[tested])}
    out = [_Test("period_end_discounting", reps[int(i)], "", 1.0, pooled=True, p_min=_mw_floor(*sizes[int(i)]))
           for i in idx[tested & ~strong]]
    mine = np.isin(r_ok, idx[strong])
    sub_all = pd.DataFrame({"r": r_ok[mine], "w": w_ok[mine], "d": d[mine], "resid": resid[mine]})
    for i, sub in sub_all.groupby("r", sort=True):  # only the reps past the floor are ranked
        w = sub["w"].to_numpy()
        a, b = sub["resid"].to_numpy()[w], sub["resid"].to_numpy()[~w]
        t = _Test("period_end_discounting", reps[int(i)], "", 1.0, pooled=True, p_min=_mw_floor(*sizes[int(i)]))
        gap = float(np.median(a) - np.median(b))
        if gap >= DISCOUNT_FLOOR:
            t.p = mann_whitney_greater(a, b)
            own = float(np.median(sub["d"].to_numpy()[w]) - np.median(sub["d"].to_numpy()[~w]))
            t.evidence = (f"over the year, period-end discounts {own * 100:.1f} points deeper than the rep's earlier ones, "
                          f"{gap * 100:.1f} points beyond the peers' period-end uplift ({len(a)} deals in the last {window} "
                          f"business days, {len(b)} before)")
            t.strength, t.reportable, t.component = gap / DISCOUNT_FLOOR, True, "period"
        out.append(t)
    return out


def _discounting(disc, key, in_win, reps, cal, P, window, att, att_without, plan_edges) -> list[_Test]:
    ok = ~np.isnan(disc)
    key_ok, win_ok, d_ok = key[ok], in_win[ok], disc[ok]
    out: list[_Test] = []
    stats = _sides(key_ok, win_ok, d_ok)
    if stats is None:
        return out
    index, med, size = stats
    n_in, n_out = size[:, 1], size[:, 0]
    m_in, m_out = med[:, 1], med[:, 0]
    tested = (n_in >= 4) & (n_out >= 4)
    strong = tested & (m_in - m_out >= 0.03)
    out += [_Test("period_end_discounting", reps[int(k) // P], cal.labels[int(k) % P], 1.0, p_min=_mw_floor(int(a), int(b)))
            for k, a, b in zip(index[tested & ~strong], n_in[tested & ~strong], n_out[tested & ~strong])]
    keys = index[strong]
    if not len(keys):
        return out
    rows = np.flatnonzero(np.isin(key_ok, keys))  # the strong rep-periods' deals, by key, in the export's order within one
    rows = rows[np.argsort(key_ok[rows], kind="stable")]
    bounds = np.searchsorted(key_ok[rows], np.append(keys, keys[-1] + 1))
    win_all, d_all = win_ok[rows], d_ok[rows]
    for n_k, k in enumerate(keys):
        i, j = divmod(int(k), P)
        w, d = win_all[bounds[n_k]:bounds[n_k + 1]], d_all[bounds[n_k]:bounds[n_k + 1]]
        a, b = d[w], d[~w]
        mi, mo = float(np.median(a)), float(np.median(b))
        t = _Test("period_end_discounting", reps[i], cal.labels[j], mann_whitney_greater(a, b), p_min=_mw_floor(len(a), len(b)))
        t.evidence = (f"median discount {mi:.1%} on the {len(a)} deals in the last {window} business days against "
                      f"{mo:.1%} on the {len(b)} before")
        t.strength = mi / mo if mo > 0 else mi / 0.005
        t.reportable = True
        t.component = _crossed(att[i, j], att_without[i, j], plan_edges)
        out.append(t)
    return out


def _edge_counts(a: np.ndarray, e: float) -> tuple[int, int, float]:
    """(above, below, expected share above) around edge e, the expectation from the neighbouring bands (the fallback
    when too few rep-periods fall near the edge for a counterfactual density)."""
    below = int(np.sum((a >= e - BAND) & (a < e)))
    above = int(np.sum((a >= e) & (a < e + BAND)))
    fb = np.sum((a >= e - 3 * BAND) & (a < e - BAND)) + 1
    fa = np.sum((a >= e + BAND) & (a < e + 3 * BAND)) + 1
    d_below, d_above = fb + (fa - fb) * 1.5 / 4, fb + (fa - fb) * 2.5 / 4  # a straight density through the flanks
    p0 = float(np.clip(d_above / (d_above + d_below), 0.5, 0.95))
    return above, below, p0


def _team_edge(est: bunching.Estimate | None, team_vals: np.ndarray, name: str, e: float, how: str) -> _Test:
    """The whole team's pile-up just above an edge (plan design): the count in the band above against the
    counterfactual density's (Kleven), and McCrary's density discontinuity; the smaller p-value, doubled."""
    t = _Test("edge_bunching", "", "", 1.0, component=name)
    if est is None:  # too few rep-periods near the edge for a density: the flanks' straight line
        above, below, p0 = _edge_counts(team_vals, e)
        odds = p0 / (1 - p0)
        if above >= 5 and above >= 2 * odds * max(below, 0.5):
            t.p = binom_sf(above, above + below, p0)
            t.evidence = (f"{above} {how} within {BAND:.0%} above the {name} at {e:.0%} attainment and {below} "
                          f"within {BAND:.0%} below it ({p0:.0%} expected above)")
            t.strength, t.reportable = above / max(below, 0.5) / odds, True
        return t
    if est.observed >= 5 and est.excess_lo > 0:
        t.p = min(1.0, 2 * min(binom_sf(est.observed, est.total, max(est.share, 0.5 / est.total)), est.p_density))
        jump = (f"; the density just above is {math.exp(est.theta):.1f} times that just below (McCrary, p = "
                f"{est.p_density:.2g})") if est.theta == est.theta else ""
        t.evidence = (f"{est.observed} {how} within {BAND:.0%} above the {name} at {e:.0%} attainment and {est.below} "
                      f"within {BAND:.0%} below it, against about {est.counterfactual:.1f} and {est.counterfactual_below:.1f} "
                      f"from the team's density fitted away from the edge: {est.excess:.1f} more above (95% interval "
                      f"{est.excess_lo:.1f} to {est.excess_hi:.1f}){jump}")
        t.strength, t.reportable = est.observed / max(est.counterfactual, 0.5), True
        t.info = {"estimate": est}
    return t


def _edge_bunching(att, active, reps, plan_edges, measurement, fdr: float, untested: list[str],
                   estimates: list[tuple[str, bunching.Estimate]]) -> list[_Test]:
    """The team's pile-up just above each edge (a plan-design observation, Kleven's counterfactual density and
    McCrary's test), and each rep's landing rate there over the year against the counterfactual share: how often a
    rep-period lands in the band when pay does not bend there (or the rep's own spread, whichever is higher).
    ``estimates`` collects each edge's bunching estimate."""
    out: list[_Test] = []
    team_vals = att[active]
    how = "year-to-date attainment at true-ups" if measurement == "cumulative" else "rep-periods"
    dead = 0
    for name, e in plan_edges:
        est = bunching.estimate(team_vals, e, BAND)
        if est is not None:
            estimates.append((name, est))
        out.append(_team_edge(est, team_vals, name, e, how))
        if est is not None:
            p_team = float(max(est.share, 1 / max(est.total, 1)))  # at least one rep-period: a fit near zero is no licence
        else:
            flank = (np.sum((team_vals >= e - 3 * BAND) & (team_vals < e - BAND))
                     + np.sum((team_vals >= e + BAND) & (team_vals < e + 3 * BAND)))
            p_team = float((flank + 1) / 4 / max(len(team_vals), 1))  # one band's share, from four flanking bands
        p_team = min(0.5, p_team)
        ns = active.sum(axis=1)
        ks = (active & (att >= e) & (att < e + BAND)).sum(axis=1)
        own = _normal_band(att, active & ((att < e - BAND) | (att >= e + BAND)), e, e + BAND) if len(reps) else ns
        for i, rep in enumerate(reps):
            n = int(ns[i])
            if n == 0:
                continue
            if p_team ** n > fdr:  # even every period in the band could not stand out: not tested
                dead += 1
                continue
            k = int(ks[i])
            p_band = max(p_team, float(own[i]))
            t = _Test("edge_bunching", rep, "", 1.0, pooled=True, component=name)
            t.info = {"k": k, "n": n, "p0": float(p_band), "p_team": p_team}
            if k >= 2 and k >= 3 * p_band * n:
                t.p = binom_sf(k, n, p_band)
                t.evidence = (f"{k} of this rep's {n} {how} landed within {BAND:.0%} above the {name} at {e:.0%} attainment, "
                              f"where {p_band:.1%} land when pay does not bend there (the team's counterfactual density)")
                t.strength, t.reportable = k / n / p_band, True
            out.append(t)
    if dead:
        untested.append(f"landing just above a plan edge: {dead} rep-edge pairs with too few periods to stand out")
    return out


def poisson_binomial_sf(k: int, probs: np.ndarray) -> float:
    """P(K >= k) for K the number of successes of independent trials with these probabilities (exact, by recursion)."""
    dist = np.zeros(len(probs) + 1)
    dist[0] = 1.0
    for q in probs:
        dist[1:] = dist[1:] * (1 - q) + dist[:-1] * q
        dist[0] *= 1 - q
    return float(min(1.0, dist[k:].sum()))


def _landing_path(att, att_without, active, reps, plan_edges, peers, window) -> list[_Test]:
    """How the rep got there (the incentive-conditioned twin of the landing rate): for each rep-period, the chance that
    the period-end deals carry attainment from where it stood before the period's last business days into the band
    just above an edge, from the peers' period-end bookings (each rep-period's bookings in those days as a share of
    quota, divided by that rep's mean attainment, so a bigger seller's period end is not a surprise); the rep's
    landings against those chances (an exact Poisson-binomial tail). A rep who was already close lands often and is
    not surprising; one who lands just above from far below, period after period, is what pulling a deal in looks like.
    Customers' period-end peaks are in the peers' bookings, so they do not count against a rep. Edges where pay starts
    or steepens only (threshold, tier edges; as ``_within_reach``): at the cap, landing just above it is what a stall
    looks like, and the stall tests own that pattern."""
    R, P = att.shape
    plan_edges = [(name, e) for name, e in plan_edges if name != "cap"]
    if not reps or not plan_edges:
        return []
    W = np.where(active, att - att_without, np.nan)
    lvl = np.array([float(np.mean(att[i][active[i]])) if active[i].any() else 0.0 for i in range(R)])
    lvl = np.where(lvl > 0, lvl, 1.0)
    ratio = W / lvl[:, None]
    group = np.zeros(R, np.int64) if peers is None else np.asarray(peers)
    team = np.sort(ratio[active])
    ref = {}
    for g in np.unique(group):
        v = np.sort(ratio[(group == g)[:, None] & active])
        ref[int(g)] = v if len(v) >= 20 else team
    out: list[_Test] = []
    for name, e in plan_edges:
        for i, rep in enumerate(reps):
            act = active[i]
            n = int(act.sum())
            if n < 2:
                continue
            a0, a = att_without[i, act], att[i, act]
            land = (a >= e) & (a < e + BAND)
            ws = ref[int(group[i])]
            lo, hi = (e - a0) / lvl[i], (e + BAND - a0) / lvl[i]
            pi = (np.searchsorted(ws, hi, "left") - np.searchsorted(ws, lo, "left") + 1) / (len(ws) + 1)  # +1: never 0
            pi = np.where(a0 >= e + BAND, 0.0, np.minimum(pi, 1.0))  # already past the band: it cannot land there
            k = int(land.sum())
            t = _Test("edge_bunching", rep, "", 1.0, pooled=True, component=name,
                      p_min=float(np.prod(np.sort(pi[pi > 0])[:2])) if (pi > 0).sum() >= 2 else 1.0)
            expect = float(pi.sum())
            if k >= 2 and k >= 3 * expect:
                t.p = poisson_binomial_sf(k, pi)
                far = float(np.median(a0[land]))
                t.evidence = (f"{k} of this rep's {n} rep-periods landed within {BAND:.0%} above the {name} at {e:.0%} attainment "
                              f"from a median {far:.0%} before the last {window} business days; the peers' period-end "
                              f"bookings would carry the rep there about {expect:.1f} times")
                t.strength, t.reportable = k / max(expect, 0.05), True
                t.info = {"k": k, "n": n, "p0": expect / n}
            out.append(t)
    return out


def _near_all(tests: list[_Test], fdr: float) -> str:
    """The could-not-be-tested line for landing at an edge in all but one period (e.g. 3 of 4 quarters), at each edge
    where the counterfactual says even that is too common to stand out: computed from the counterfactual shares, the
    usual number of periods and the number of families alone, before any rep's landings are looked at. "" when every
    edge can show it."""
    edge = [t for t in tests if t.kind == "edge_bunching" and t.rep and "p_team" in t.info]
    if not edge:
        return ""
    n = int(np.bincount([t.info["n"] for t in edge]).argmax())  # the usual number of periods a rep was active
    if n < 3:
        return ""
    M = len(_families(tests))
    E = sum(1 for t in tests if t.kind == "edge_bunching" and t.rep == edge[0].rep)  # the tests in a rep's family (Simes)
    need = fdr / M  # what one rep's family needs when it is the only finding
    shares = {t.component: t.info["p_team"] for t in edge}
    best = {c: min(1.0, E * binom_sf(n - 1, n, v)) for c, v in shares.items()}
    short = [c for c in shares if best[c] > need]
    if not short:
        return ""
    shown = "; ".join(f"the {c}: {shares[c]:.1%} of rep-periods land there, so at best p = {best[c]:.1g}" for c in short)
    return (f"landing just above a plan edge in {n - 1} of {n} periods, counted against the counterfactual share ({shown}; "
            f"over the {E} tests of a rep's family): "
            f"above the {need:.1g} one rep needs among {M:,} families at {fdr:.0%}; only a rep landing there in all {n} "
            "periods (or with other reps found) can stand out")


def _normal_band(att: np.ndarray, use: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Per rep (row): P(lo <= X < hi) for X normal with the mean and spread of the row's values where ``use``
    (0 for fewer than 3 values or no spread)."""
    m = use.sum(axis=1)
    v = np.where(use, att, 0.0)
    mu = v.sum(axis=1) / np.maximum(m, 1)
    sd = np.sqrt(np.where(use, (att - mu[:, None]) ** 2, 0.0).sum(axis=1) / np.maximum(m - 1, 1))
    ok = (m >= 3) & (sd > 0)
    erf = np.vectorize(math.erf, otypes=[float])
    z = lambda x: (x - mu) / np.where(ok, sd, 1.0) / math.sqrt(2)  # noqa: E731
    return np.where(ok, 0.5 * (erf(z(hi)) - erf(z(lo))), 0.0)


def _sort_by(*keys: np.ndarray) -> np.ndarray:
    """The order that sorts by the first key, then the next (as ``np.lexsort`` of the reversed keys, stable), by one
    int64 key: a single argsort is several times faster than lexsort over a million deals."""
    if not len(keys[0]):
        return np.zeros(0, np.int64)
    ints = [np.asarray(k).astype(np.int64) for k in keys]
    spans = [int(k.max()) - int(k.min()) + 1 for k in ints]
    if math.prod(spans) >= 2**62:  # too wide for one int64
        return np.lexsort(ints[::-1])
    combined = np.zeros(len(ints[0]), np.int64)
    for k, span in zip(ints, spans):
        combined = combined * span + (k - k.min())
    return np.argsort(combined, kind="stable")


@dataclass(frozen=True)
class _Runs:
    """Deals sorted by group (rep * P + period), then close date: each group's run, and the cumulative credit within it
    (a segmented cumulative sum; its rounding, about 1e-6 of a currency unit on a million deals, is far below a cent and
    taken as reaching a mark). Built once for both stall tests."""

    k: np.ndarray  # group of each sorted deal
    d: np.ndarray  # close date
    starts: np.ndarray
    ends: np.ndarray
    within: np.ndarray  # cumulative credit within the group
    tol: np.ndarray
    ck: np.ndarray  # group and date in one increasing int64

    @classmethod
    def of(cls, k: np.ndarray, d: np.ndarray, c: np.ndarray) -> _Runs:
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if len(k) else np.zeros(0, np.int64)
        ends = np.r_[starts[1:], len(k)].astype(np.int64)
        cum = np.cumsum(c)
        within = cum - np.r_[0.0, cum[starts[1:] - 1]][np.repeat(np.arange(len(starts)), ends - starts)]
        di = d.astype(np.int64)
        lo = int(di.min()) if len(di) else 0
        ck = k * ((int(di.max()) - lo + 1) if len(di) else 1) + (di - lo)
        return cls(k, d, starts, ends, within, 1e-9 + 1e-14 * np.abs(cum), ck)

    def reached(self, thr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The index of the deal whose cumulative credit first reaches ``thr[group]``, one per group that reaches it; how
        many of that group's deals close on a later day; and the group's deal count."""
        idx = np.flatnonzero(self.within >= thr[self.k] - self.tol)
        grp = np.searchsorted(self.starts, idx, side="right") - 1
        gs, first = np.unique(grp, return_index=True)
        h = idx[first]
        after = self.ends[gs] - np.searchsorted(self.ck, self.ck[h], side="right")
        return h, after, (self.ends - self.starts)[gs]


def _post_cap(reps, cal, P, key, day, busdays, n, q_rep, plan, runs: _Runs) -> list[_Test]:
    at = cap_attainment(plan)
    if at is None:
        return []
    R = len(reps)
    active_days = (busdays[None, :] * (n > 0)).sum(axis=1)
    lam = n.sum(axis=1) / np.maximum(active_days, 1)
    k, d = runs.k, runs.d
    next_counts = np.bincount(key[day < BURST_DAYS], minlength=R * P).reshape(R, P)
    out: list[_Test] = []
    h, afters, _ = runs.reached(np.repeat(at * q_rep, P))
    gaps = np.busday_count(d[h] + 1, cal.ends[k[h] % P]) if len(h) else np.zeros(0, np.int64)
    for g, t_cap, after, gap in zip(k[h].tolist(), d[h], afters.tolist(), gaps.tolist()):
        i, j = divmod(g, P)
        t = _Test("post_cap_stall", reps[i], cal.labels[j], 1.0, component="cap")
        expect = lam[i] * gap
        t.p_min = 1.0 if expect < 3 else (0.0 if j + 1 < P else math.exp(-expect))
        if after == 0 and expect >= 3:
            p_gap = math.exp(-expect)
            if j + 1 < P:
                b, eb = int(next_counts[i, j + 1]), lam[i] * BURST_DAYS
                if b >= 2 * eb:
                    t.p = fisher(p_gap, poisson_sf(b, eb))
                    t.evidence = (f"cap ({at:.0%} attainment) reached on {t_cap}; no deal in the {gap} business days left "
                                  f"(about {expect:.1f} expected), then {b} in the first {BURST_DAYS} business days of "
                                  f"{cal.labels[j + 1]} (about {eb:.1f} expected)")
                    t.reportable = True
                    t.info = {"after": 0, "expect": expect}
            else:
                t.p = p_gap
                t.evidence = f"cap ({at:.0%} attainment) reached on {t_cap}; no deal in the {gap} business days left (about {expect:.1f} expected)"
                t.reportable = True
                t.info = {"after": 0, "expect": expect}
            t.strength = expect
        out.append(t)
    return out


def _poisson_cdf(x: int, lam: float) -> float:
    """P(X <= x) for X ~ Poisson(lam)."""
    return max(0.0, 1.0 - poisson_sf(x + 1, lam))


def _opening_dip(reps, n, x, opening, busdays, window, peers) -> list[_Test]:
    """Oyer (1998): deals pulled forward leave a dip at the start of the next period. For each rep, the periods after
    a period-end spike (at least 2 deals and twice the even share in the last business days): deals in the first
    ``BURST_DAYS`` business days of the next period against the peers' share there, applied to the rep's other deals of
    that period; Poisson lower tail. Real demand at period end leaves no dip; a pulled-forward deal does."""
    R, P = n.shape
    if P < 2:
        return []
    u = np.minimum(window, busdays) / busdays
    group = np.zeros(R, np.int64) if peers is None else np.asarray(peers)
    GN = np.array([n[group == g].sum(axis=0) for g in range(group.max() + 1)])
    GO = np.array([opening[group == g].sum(axis=0) for g in range(group.max() + 1)])
    out: list[_Test] = []
    for i, rep in enumerate(reps):
        spikes = [j for j in range(P - 1) if n[i, j] and x[i, j] >= 2 and x[i, j] >= 2 * u[j] * n[i, j] and n[i, j + 1]]
        if not spikes:
            continue
        nxt = np.array(spikes) + 1
        g = np.clip((GO[group[i], nxt] - opening[i, nxt]) / np.maximum(GN[group[i], nxt] - n[i, nxt], 1), 0.0, 0.9)
        o, others = int(opening[i, nxt].sum()), n[i, nxt] - opening[i, nxt]
        expect = float((others * g / (1 - g)).sum())
        t = _Test("period_end_bunching", rep, "", 1.0, p_min=1.0 if expect < 3 else math.exp(-expect))
        if expect >= 3 and o <= expect / 3:
            t.p = _poisson_cdf(o, expect)
            N = int(n[i, nxt].sum())
            share = float((GO[group[i], nxt] - opening[i, nxt]).sum() / max((GN[group[i], nxt] - n[i, nxt]).sum(), 1))
            t.evidence = (f"over the year, after the {count(len(spikes), 'period')} with a period-end spike, {o} of the next "
                          f"periods' {N} deals closed in their first {BURST_DAYS} business days against about {expect:.1f} "
                          f"from the peers' timing ({share:.0%} of their deals): deals pulled forward leave a dip")
            t.strength, t.reportable, t.component = expect / max(o, 0.5), True, "period"
            t.info = {"x": o, "n": N, "p0": share, "periods": tuple(spikes),
                      "what": f"of the next period's deals in its first {BURST_DAYS} business days"}
        out.append(t)
    return out


def _pace_after(reps, cal, P, r, pidx, day, busdays, n, q_rep, plan, peers, order, runs: _Runs) -> list[_Test]:
    """Each rep's deals after reaching the cap (and after reaching quota: holding back so next year's quota is not
    raised), pooled over the periods they reached it, against two expectations; the larger p-value counts:

    - the rep's own pace in their other periods (deals per business day of the other active periods), over the business
      days left (no stopping-time bias: the pace is not measured on the period the stall is in; other stalled periods
      slow it, which errs towards no finding);
    - the peers' timing: the rep's deals up to the mark times the peers' ratio of deals after that business day of the
      same period to deals up to it (a quarter-end peak raises this expectation, so it does not read as a burst missed).

    One leaked deal no longer hides the pattern. Poisson lower tail."""
    marks = []
    cap = cap_attainment(plan)
    if cap is not None and cap < 10:
        marks.append(("cap", cap))
    if cap is None or cap > 1.0:
        marks.append(("quota", 1.0))
    R = len(reps)
    group = np.zeros(R, np.int64) if peers is None else np.asarray(peers)
    G, D = int(group.max()) + 1, int(busdays.max()) + 2
    cnt = np.bincount((group[r] * P + pidx) * D + np.clip(day, 0, D - 1), minlength=G * P * D).reshape(G, P, D)
    later = np.concatenate([cnt[:, :, ::-1].cumsum(axis=2)[:, :, ::-1][:, :, 1:], np.zeros((G, P, 1))], axis=2)  # after day d
    total = cnt.sum(axis=2)
    act_days = busdays[None, :] * (n > 0)
    n_other, days_other = n.sum(axis=1)[:, None] - n, act_days.sum(axis=1)[:, None] - act_days
    k, dd, dy = runs.k, runs.d, day[order]
    year: dict[tuple[int, str], list] = {}  # (rep, mark) -> [deals after, expected at own pace, expected by peers, periods]
    for mark, at in marks:
        h, afters, sizes = runs.reached(np.repeat(at * q_rep, P))
        i, j = np.divmod(k[h], P)
        ok = days_other[i, j] > 0
        h, afters, sizes, i, j = h[ok], afters[ok], sizes[ok], i[ok], j[ok]
        gaps = np.busday_count(dd[h] + 1, cal.ends[j]) if len(h) else np.zeros(0, np.int64)
        f = np.minimum(0.95, later[group[i], j, dy[h]] / np.maximum(total[group[i], j], 1))
        own = n_other[i, j] / days_other[i, j] * gaps
        peer = (sizes - afters) * f / (1 - f)
        for row in zip(i.tolist(), j.tolist(), afters.tolist(), own.tolist(), peer.tolist()):
            acc = year.setdefault((row[0], mark), [0, 0.0, 0.0, []])
            acc[0] += row[2]
            acc[1] += row[3]
            acc[2] += row[4]
            acc[3].append(row[1])
    out: list[_Test] = []
    for (i, mark), (after, own, peer, periods) in sorted(year.items()):
        at = dict(marks)[mark]
        expect = min(own, peer)
        t = _Test("post_cap_stall", reps[i], "", 1.0, component=mark, pooled=True,
                  p_min=1.0 if expect < 3 else math.exp(-expect))
        if expect >= 3 and after <= expect / 3:
            t.p = max(_poisson_cdf(after, own), _poisson_cdf(after, peer))
            what = f"the cap ({at:.0%} attainment)" if mark == "cap" else "quota (100% attainment)"
            t.evidence = (f"over the year, {what} reached in {count(len(periods), 'period')}; {count(after, 'deal')} after it "
                          f"in the business days left, against about {own:.1f} at the rep's pace in other periods and "
                          f"{peer:.1f} from the peers' timing")
            t.strength, t.reportable = expect / max(after, 0.5), True
            t.info = {"periods": tuple(periods), "after": after, "expect": expect}
        out.append(t)
    return out


def _qualifies(d1, d2, c1, c2, lim) -> np.ndarray:
    """Whether deal pairs look like one deal split: within SPLIT_DAYS, sizes within SPLIT_RATIO, around the limit when known."""
    lo, hi = np.minimum(c1, c2), np.maximum(c1, c2)
    ok = (np.abs(d2 - d1) <= SPLIT_DAYS) & (hi <= SPLIT_RATIO * np.maximum(lo, 1))
    if lim is not None:
        ok &= (hi < lim) & (lo + hi >= lim)
    return ok


PAIR_SAMPLE = 1500  # pairs drawn per rep-period to measure how often any two of its deals look split


def _splitting(deals, r, pidx, P, dates, cents, reps, cal, limit) -> list[_Test]:
    """Same-account neighbours (in time) that look like a split, against how often any two of the rep's deals do."""
    import pandas as pd

    acct = deals["account"].astype("category")
    a = acct.cat.codes.to_numpy().astype(np.int64)
    names = pd.Index(acct.cat.categories.astype(str), dtype=object)
    blank = np.append(np.asarray(names.str.strip() == "", dtype=bool), True)[a]
    keep = ~blank
    lim = None if limit is None else float(limit) * 100
    order = _sort_by(r[keep], pidx[keep], a[keep], dates[keep])
    G = len(reps) * P
    gg = (r[keep] * P + pidx[keep])[order]
    aa = a[keep][order]
    dd, cc = dates[keep][order].astype(np.int64), cents[keep][order].astype(float)
    same = (gg[1:] == gg[:-1]) & (aa[1:] == aa[:-1])
    link = same & _qualifies(dd[:-1], dd[1:], cc[:-1], cc[1:], lim)
    trials = np.bincount(gg[1:][same], minlength=G)
    links = np.bincount(gg[1:][link], minlength=G)
    la = pd.DataFrame({"g": gg[1:][link], "a": aa[1:][link]}).drop_duplicates()
    accounts = np.bincount(la["g"].to_numpy(), minlength=G)
    # how often two of the group's deals to different accounts look split: a seeded sample of pairs per group
    bounds = np.searchsorted(gg, np.arange(G + 1))
    size = np.diff(bounds)
    cand = np.nonzero((accounts >= 2) & (size >= 2))[0]
    out: list[_Test] = [_Test("deal_splitting", reps[int(g) // P], cal.labels[int(g) % P], 1.0)  # fewer than 2 split accounts: p = 1
                        for g in np.nonzero((trials > 0) & ~np.isin(np.arange(G), cand))[0]]
    out += _splitting_pooled(trials.reshape(len(reps), P), links.reshape(len(reps), P), la, P, reps, acct.cat.categories, limit)
    if not len(cand):
        return out
    rng = np.random.default_rng(0)
    f_all = np.empty(len(cand))
    step = max(1, 1_000_000 // PAIR_SAMPLE)  # groups per batch: about a million sampled pairs in memory at once
    for b0 in range(0, len(cand), step):
        part = cand[b0:b0 + step]
        base = np.repeat(bounds[part], PAIR_SAMPLE)
        span = np.repeat(size[part], PAIR_SAMPLE)
        i1 = base + (rng.random(len(base)) * span).astype(np.int64)
        i2 = base + (rng.random(len(base)) * span).astype(np.int64)
        cross = aa[i1] != aa[i2]
        q = cross & _qualifies(dd[i1], dd[i2], cc[i1], cc[i2], lim)
        owner = np.repeat(np.arange(len(part)), PAIR_SAMPLE)
        n_cross = np.bincount(owner, weights=cross, minlength=len(part)) + 1
        f = (np.bincount(owner, weights=q, minlength=len(part)) + 0.5) / n_cross
        f_all[b0:b0 + step] = np.minimum(1.0, f + 2 * np.sqrt(f * (1 - f) / n_cross))  # an upper bound: the sample errs high
    cats = acct.cat.categories
    for g, f in zip(cand, f_all):
        i, j = divmod(int(g), P)
        k, nlinks, X = int(links[g]), int(trials[g]), int(accounts[g])
        t = _Test("deal_splitting", reps[i], cal.labels[j], 1.0, component="approval limit" if limit is not None else "deal count")
        if k / nlinks >= 3 * f:
            t.p = binom_sf(k, nlinks, f)
            example = int(la["a"][la["g"] == g].iloc[0])
            ga, gc = aa[bounds[g]:bounds[g + 1]], cc[bounds[g]:bounds[g + 1]]
            ex = np.sort(gc[ga == example])[::-1][:4] / 100
            t.evidence = (f"{X} accounts with deals split within {SPLIT_DAYS} days (e.g. {cats[example]}: "
                          + ", ".join(f"{v:,.0f}" for v in ex)
                          + (f", each under the {limit:,.0f} limit" if limit is not None else "")
                          + f"); {k} of {nlinks} same-account neighbours look split against {f:.0%} of other pairs")
            t.strength, t.reportable = (k / nlinks) / f, True
            t.info = {"accounts": tuple(str(cats[int(v)]) for v in la["a"][la["g"] == g]), "x": k, "n": nlinks, "p0": float(f)}
        out.append(t)
    return out


def _splitting_pooled(trials, links, la, P, reps, cats, limit) -> list[_Test]:
    """Each rep over the year: the share of same-account neighbours that look split, against the peers' share (the
    rest of the team's; +1 and +2 keep it above zero), so one split a quarter counts and the team's normal same-account
    clustering (multi-line orders, an order and its services) does not."""
    out: list[_Test] = []
    T, K = trials.sum(), links.sum()
    acct_rep = la["g"].to_numpy() // P
    for i, rep in enumerate(reps):
        n, k = int(trials[i].sum()), int(links[i].sum())
        if n == 0:
            continue
        p0 = (K - k + 1) / (T - n + 2)
        names = sorted({str(cats[int(a)]) for a in la["a"].to_numpy()[acct_rep == i]})
        t = _Test("deal_splitting", rep, "", 1.0, pooled=True, component="approval limit", p_min=p0 ** n)
        if len(names) >= 2 and k >= 3 * p0 * n:
            t.p = binom_sf(k, n, p0)
            t.evidence = (f"over the year, {k} of {n} same-account neighbours look split under the {limit:,.0f} limit "
                          f"(across {len(names)} accounts, e.g. {names[0]}) against {p0:.1%} for the rest of the team")
            t.strength, t.reportable = k / n / p0, True
            t.info = {"accounts": tuple(names), "x": k, "n": n, "p0": float(p0)}
        out.append(t)
    return out


def course_report() -> Report:
    """The detector's report on the course's synthetic export (package data ``data/signals/``), as module 4 shows it.

    The same files as ``examples/crm-export.csv`` and ``examples/crm-plan.yaml``, read from the installed
    package so a notebook works wherever it runs (Binder, a copied workspace).
    """
    from importlib import resources

    folder = resources.files("coursekit.data").joinpath("signals")
    with resources.as_file(folder.joinpath("crm-plan.yaml")) as plan_path, \
            resources.as_file(folder.joinpath("crm-export.csv")) as export_path:
        plan = load_plan(plan_path)
        export = read_export(export_path, currency=plan.currency, fields=("account", "discount", *sorted(plan.credit)))
    # every rep's landing rate at the edges too, as the command reports it (module 4's exercise shows some of those reps)
    return detect(export.deals, plan, approval_limit=COURSE_APPROVAL_LIMIT)
