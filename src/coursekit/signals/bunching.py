"""Bunching at a plan edge: a counterfactual density (Kleven 2016) and a density discontinuity test (McCrary 2008).

``estimate(values, edge, width)`` bins the team's attainments (rep-periods) in bins of ``width`` with the edge on a
bin boundary, ``SPAN`` bins either side; fits a polynomial of degree ``DEGREE`` to the bin counts outside the excluded
window (the bin just below the edge and the bin just above it); the fit in the window is the counterfactual, what the
density would be if pay did not bend there. The excess mass is the count observed in the bin just above less the
counterfactual there (rep-periods pushed over), the missing mass the counterfactual less the count in the bin just
below (rep-periods pulled from there); a 95% interval for the excess comes from ``BOOT`` seeded bootstrap resamples of
the rep-periods. The counterfactual share (the fit in the bin just above over all rep-periods) is what each rep's
landing rate is tested against.

``mccrary(values, cut)`` is McCrary's test: a fine histogram (bin ``2 sd / sqrt(n)``), a local linear fit of the density
on each side of the cut with a triangular kernel and his rule-of-thumb bandwidth, and the log difference of the two
limits with its standard error; one-sided, a higher density just above the cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SPAN = 8  # bins either side of the edge the polynomial is fitted on
DEGREE = 5
BOOT = 200
MIN_VALUES = 20  # fewer rep-periods in the fitted range: no estimate


@dataclass(frozen=True)
class Estimate:
    """The bunching estimate at one edge (counts are rep-periods)."""

    edge: float
    width: float
    n: int  # rep-periods in the fitted range
    total: int  # all rep-periods
    observed: int  # in the bin just above the edge
    counterfactual: float  # the polynomial's count there
    below: int  # in the bin just below the edge
    counterfactual_below: float
    excess: float  # observed - counterfactual
    excess_lo: float  # 95% bootstrap interval
    excess_hi: float
    theta: float = float("nan")  # McCrary: log density just above less just below the edge
    theta_se: float = float("nan")
    p_density: float = 1.0  # one-sided: higher density just above

    @property
    def share(self) -> float:
        """The counterfactual share of all rep-periods landing in the bin just above the edge."""
        return self.counterfactual / self.total if self.total else 0.0

    @property
    def missing(self) -> float:
        return self.counterfactual_below - self.below

    def to_dict(self) -> dict:
        f = lambda v: None if v != v else round(float(v), 4)  # noqa: E731 - NaN is not JSON
        return {"edge": self.edge, "band": self.width, "rep_periods": self.total, "observed_above": self.observed,
                "counterfactual_above": f(self.counterfactual), "excess": f(self.excess),
                "excess_interval": [f(self.excess_lo), f(self.excess_hi)], "observed_below": self.below,
                "counterfactual_below": f(self.counterfactual_below), "counterfactual_share": f(self.share),
                "density_log_difference": f(self.theta), "density_se": f(self.theta_se), "density_p": f(self.p_density)}


def _design(width_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """The bin offsets (-SPAN .. SPAN-1; 0 is the bin just above the edge) and the polynomial's design matrix."""
    j = np.arange(-SPAN, SPAN)
    z = (j + 0.5) / SPAN  # centred and scaled, so the powers stay well conditioned
    return j, np.vander(z, DEGREE + 1, increasing=True)


def estimate(values: np.ndarray, edge: float, width: float, *, seed: int = 0) -> Estimate | None:
    """Kleven's bunching estimate at ``edge`` (see the module docstring); None when too few rep-periods fall near it."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    b = np.floor((v - edge) / width + 1e-9).astype(np.int64)  # + 1e-9: a value exactly on a boundary is in the bin above
    near = (b >= -SPAN) & (b < SPAN)
    if int(near.sum()) < MIN_VALUES:
        return None
    j, X = _design(2 * SPAN)
    outside = (j != -1) & (j != 0)
    fit = np.linalg.pinv(X[outside])  # least squares on the bins outside the excluded window

    def counterfactual(counts: np.ndarray) -> np.ndarray:  # counts: (draws, 2 * SPAN)
        return np.clip((X @ (fit @ counts[:, outside].T)).T, 0.0, None)

    bins = b[near] + SPAN
    counts = np.bincount(bins, minlength=2 * SPAN)[None, :].astype(float)
    cf = counterfactual(counts)[0]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(bins), size=(BOOT, len(bins)))
    boot = np.bincount((np.arange(BOOT)[:, None] * (2 * SPAN) + bins[draws]).ravel(),
                       minlength=BOOT * 2 * SPAN).reshape(BOOT, 2 * SPAN).astype(float)
    boot_excess = boot[:, SPAN] - counterfactual(boot)[:, SPAN]
    lo, hi = np.percentile(boot_excess, [2.5, 97.5])
    theta, se, p = mccrary(v, edge)
    return Estimate(edge, width, int(near.sum()), len(v), int(counts[0, SPAN]), float(cf[SPAN]), int(counts[0, SPAN - 1]),
                    float(cf[SPAN - 1]), float(counts[0, SPAN] - cf[SPAN]), float(lo), float(hi), theta, se, p)


def _local_linear(x: np.ndarray, y: np.ndarray, cut: float, h: float) -> float:
    """The intercept at ``cut`` of a triangular-kernel weighted straight line through (x, y)."""
    w = np.clip(1 - np.abs(x - cut) / h, 0.0, None)
    if np.count_nonzero(w) < 3:
        return float("nan")
    A = np.stack([np.ones_like(x), x - cut], axis=1) * np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(A, y * np.sqrt(w), rcond=None)
    return float(coef[0])


def mccrary(values: np.ndarray, cut: float) -> tuple[float, float, float]:
    """McCrary (2008): (log density just above ``cut`` less just below, its standard error, one-sided p-value);
    (nan, nan, 1.0) when either side has too few values to fit."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n < MIN_VALUES or not ((v < cut).sum() >= 5 and (v >= cut).sum() >= 5):
        return float("nan"), float("nan"), 1.0
    sd = float(np.std(v, ddof=1))
    if sd <= 0:
        return float("nan"), float("nan"), 1.0
    bw = 2 * sd / math.sqrt(n)
    k = np.floor((v - cut) / bw + 1e-9).astype(np.int64)
    ks = np.arange(k.min(), k.max() + 1)
    y = np.bincount(k - k.min(), minlength=len(ks)) / (n * bw)
    x = cut + (ks + 0.5) * bw
    hs = []
    for side in (ks < 0, ks >= 0):  # the rule of thumb: a quartic each side, its curvature and residual variance
        xs, ys = x[side], y[side]
        if len(xs) < 6:
            return float("nan"), float("nan"), 1.0
        c = np.polyfit(xs - cut, ys, 4)
        resid = ys - np.polyval(c, xs - cut)
        curv = np.polyval(np.polyder(c, 2), xs - cut)
        s2 = float(np.mean(resid**2))
        span = float(xs.max() - xs.min() + bw)
        hs.append(3.348 * (s2 * span / max(float(np.sum(curv**2)), 1e-12)) ** 0.2)
    h = float(np.clip(np.mean(hs), 4 * bw, 0.5 * (v.max() - v.min())))
    f_minus = _local_linear(x[ks < 0], y[ks < 0], cut, h)
    f_plus = _local_linear(x[ks >= 0], y[ks >= 0], cut, h)
    if not (f_minus > 0 and f_plus > 0):
        return float("nan"), float("nan"), 1.0
    theta = math.log(f_plus) - math.log(f_minus)
    se = math.sqrt(24 / 5 / (n * h) * (1 / f_plus + 1 / f_minus))
    return theta, se, 0.5 * math.erfc(theta / se / math.sqrt(2))
