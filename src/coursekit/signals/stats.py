"""The few tests the gaming-signal detector needs, in numpy and math (scipy is not a dependency).

Exact binomial, hypergeometric and Poisson tails, a one-sided Mann-Whitney test by its normal approximation with
the tie correction and a continuity correction, Fisher's combination of two p-values, and the
Benjamini-Hochberg step-up procedure with q-values.
"""

from __future__ import annotations

import math

import numpy as np


def binom_sf(x: int, n: int, p: float) -> float:
    """P(X >= x) for X ~ Binomial(n, p), summed exactly in log space."""
    if x <= 0:
        return 1.0
    if x > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    k = np.arange(x, n + 1, dtype=float)
    log0 = math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * math.log(p) + (n - x) * math.log1p(-p)
    steps = np.log((n - k[:-1]) / (k[:-1] + 1)) + math.log(p) - math.log1p(-p)
    logs = log0 + np.concatenate([[0.0], np.cumsum(steps)])
    return float(min(1.0, np.exp(logs).sum()))


def poisson_sf(x: int, lam: float) -> float:
    """P(X >= x) for X ~ Poisson(lam)."""
    if x <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if x <= lam:  # the lower part is the smaller sum
        k = np.arange(0, x, dtype=float)
        logs = -lam + k * math.log(lam) - np.array([math.lgamma(v + 1) for v in k])
        return float(max(0.0, 1.0 - np.exp(logs).sum()))
    top = int(x + 20 + 10 * math.sqrt(lam) + lam)
    k = np.arange(x, top + 1, dtype=float)
    log0 = -lam + x * math.log(lam) - math.lgamma(x + 1)
    logs = log0 + np.concatenate([[0.0], np.cumsum(math.log(lam) - np.log(k[1:]))])
    return float(min(1.0, np.exp(logs).sum()))


def mann_whitney_greater(a: np.ndarray, b: np.ndarray) -> float:
    """One-sided p-value that values in ``a`` tend to exceed those in ``b`` (normal approximation, ties corrected)."""
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return 1.0
    both = np.concatenate([a, b])
    order = np.argsort(both, kind="mergesort")
    ranks = np.empty(len(both))
    sorted_ = both[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_, return_index=True, return_counts=True)
    avg = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2.0
    n = n1 + n2
    tie = (counts**3 - counts).sum() / (n * (n - 1)) if n > 1 else 0.0
    var = n1 * n2 / 12.0 * ((n + 1) - tie)
    if var <= 0:
        return 1.0
    z = (u - n1 * n2 / 2.0 - 0.5) / math.sqrt(var)
    return 0.5 * math.erfc(z / math.sqrt(2))


def hypergeom_sf(x: int, n: int, k: int, m: int) -> float:
    """P(X >= x) for X ~ Hypergeometric: ``n`` drawn from ``m`` items of which ``k`` are marked (Fisher's exact test,
    one-sided: the rep's ``n`` deals hold ``x`` of the ``k`` period-end deals among the ``m`` of rep and peers)."""
    lo, hi = max(x, 0, n + k - m), min(n, k)
    if lo > hi:
        return 0.0
    i = np.arange(lo, hi + 1, dtype=float)
    lg = np.vectorize(math.lgamma)
    logs = (lg(k + 1) - lg(i + 1) - lg(k - i + 1) + lg(m - k + 1) - lg(n - i + 1) - lg(m - k - n + i + 1)
            - (math.lgamma(m + 1) - math.lgamma(n + 1) - math.lgamma(m - n + 1)))
    return float(min(1.0, np.exp(logs).sum()))


def fisher(p1: float, p2: float) -> float:
    """Fisher's method for two independent p-values: chi-square with 4 degrees of freedom."""
    x = -2.0 * (math.log(max(p1, 1e-300)) + math.log(max(p2, 1e-300)))
    return min(1.0, math.exp(-x / 2) * (1 + x / 2))


def benjamini_hochberg(pvalues: list[float] | np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """(rejected, q-values) under the Benjamini-Hochberg step-up procedure at false discovery rate ``q``."""
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, bool), np.zeros(0)
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * m / np.arange(1, m + 1)
    qv_sorted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    qv = np.empty(m)
    qv[order] = qv_sorted
    return qv <= q, qv
