"""Economic measures with their formulas, carrying the reports' qualifiers through as bounds.

A figure printed as 20多 (more than 20) is not the point 20: pass it as ``Figure(20, low=20, high=30)`` or
``Figure.from_fact(row)`` and the result is an interval (``low``, ``high``), never a false point. Plain floats are
exact figures. All ratios are fractions (0.25 = 25 %).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "APPROX_TOLERANCE",
    "Figure",
    "growth",
    "cagr",
    "share",
    "hhi",
    "top_k_share",
    "gini",
    "theil",
    "theil_decomposition",
    "location_quotient",
]

INF = math.inf


#: Relative half-width given to ``approx`` figures (约, 左右, 近 …) wherever a figure becomes an interval.
APPROX_TOLERANCE = 0.10


@dataclass(frozen=True)
class Figure:
    """A printed figure as an interval: ``value`` (the point printed), ``low`` and ``high`` (``inf`` when open).

    The one interval type of the project: the metrics here, the audit (:mod:`helpers.audit`) and the notebooks
    all use it. ``exact`` is true when ``low == value == high``; ``bound`` names an open side: ``"lower"``
    (≥, 多, 以上), ``"upper"`` (≤, 不足) or ``None``. ``+``, ``-`` and :meth:`divide` are interval arithmetic.
    """

    value: float
    low: float | None = None
    high: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "low", self.value if self.low is None else self.low)
        object.__setattr__(self, "high", self.value if self.high is None else self.high)

    @classmethod
    def from_fact(cls, row, approx_tolerance: float = APPROX_TOLERANCE) -> Figure:
        """From a clean fact (mapping or namedtuple with ``value_std``, ``value_low_std``, ``value_high_std``,
        ``qualifier``). Open ends become inf. An ``approx`` figure (约, 近, 左右 …) is taken as ±``approx_tolerance``
        (10 %) around its value, within the bounds the printed words give (近 100 → [90, 100])."""
        get = row.get if hasattr(row, "get") else lambda k: getattr(row, k)
        v = float(get("value_std"))
        lo, hi = get("value_low_std"), get("value_high_std")
        lo = -INF if lo is None or pd.isna(lo) else float(lo)
        hi = INF if hi is None or pd.isna(hi) else float(hi)
        q = get("qualifier")
        if q == "exact":
            return cls(v)
        if q == "approx":
            t = approx_tolerance * abs(v)
            return cls(v, max(lo, v - t), min(hi, v + t))
        if q == "less_than":
            return cls(v, max(lo, 0.0), hi)
        return cls(v, lo, hi)

    @property
    def exact(self) -> bool:
        return self.low == self.value == self.high

    @property
    def bound(self) -> str | None:
        if math.isinf(self.high) and not math.isinf(self.low):
            return "lower"
        if math.isinf(self.low) and not math.isinf(self.high):
            return "upper"
        return None

    @property
    def midpoint(self) -> float:
        """Middle of the interval when both ends are finite, else the finite end."""
        if math.isfinite(self.low) and math.isfinite(self.high):
            return (self.low + self.high) / 2
        return self.low if math.isfinite(self.low) else self.high

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.value + other.value, self.low + other.low, self.high + other.high)

    def __sub__(self, other: Figure) -> Figure:
        return Figure(self.value - other.value, self.low - other.high, self.high - other.low)

    def divide(self, other: Figure) -> Figure | None:
        """self / other for non-negative self and positive other; None when other may be zero."""
        if other.low <= 0:
            return None
        high = self.high / other.low if math.isfinite(self.high) else INF
        return Figure(self.value / other.value if other.value else INF, self.low / other.high, high)

    def overlaps(self, other: Figure) -> bool:
        # A relative epsilon absorbs floating-point error (sqrt(1.21) − 1 is not exactly 0.1).
        ends = (self.low, self.high, other.low, other.high)
        eps = 1e-9 * max(1.0, *(abs(x) for x in ends if math.isfinite(x)))
        return self.low <= other.high + eps and other.low <= self.high + eps


Number = float | int | Figure


def _fig(x: Number) -> Figure:
    return x if isinstance(x, Figure) else Figure(float(x))


def _result(point: float, candidates: Iterable[float]) -> Number:
    vals = [c for c in candidates if not math.isnan(c)]
    lo, hi = min(vals), max(vals)
    if lo == hi == point:
        return point
    return Figure(point, lo, hi)


def growth(start: Number, end: Number) -> Number:
    """Growth rate between two levels: g = end / start − 1 (a fraction; 0.266 = +26.6 %).

    With bounds (``Figure``), the result's interval is [end.low / start.high − 1, end.high / start.low − 1].
    """
    s, e = _fig(start), _fig(end)
    if s.value <= 0 or s.low <= 0:
        raise ValueError("growth needs a positive starting level")
    point = e.value / s.value - 1
    if s.exact and e.exact:
        return point
    return _result(point, [e.low / s.high - 1 if math.isfinite(s.high) else -1.0, e.high / s.low - 1])


def cagr(start: Number, end: Number, years: float) -> Number:
    """Compound annual growth rate: CAGR = (end / start)^(1 / years) − 1, years = end year − start year.

    With bounds, the interval is taken at the bounds' corners (CAGR rises with end and falls with start).
    """
    if years <= 0:
        raise ValueError("years must be positive")
    s, e = _fig(start), _fig(end)
    if s.value <= 0 or e.value < 0 or s.low <= 0:
        raise ValueError("cagr needs a positive start and a non-negative end")

    def f(a: float, b: float) -> float:
        if math.isinf(b):
            return INF
        if math.isinf(a):
            return -1.0
        return (b / a) ** (1 / years) - 1

    point = f(s.value, e.value)
    if s.exact and e.exact:
        return point
    return _result(point, [f(s.high, e.low), f(s.low, e.high)])


def share(part: Number, total: Number) -> Number:
    """Share of a total: s = part / total (a fraction). Bounds: [part.low / total.high, part.high / total.low]."""
    p, t = _fig(part), _fig(total)
    if t.value <= 0 or t.low <= 0:
        raise ValueError("share needs a positive total")
    point = p.value / t.value
    if p.exact and t.exact:
        return point
    return _result(point, [max(p.low, 0) / t.high if math.isfinite(t.high) else 0.0, p.high / t.low])


def _shares(values: Sequence[float] | pd.Series) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if (x < 0).any() or x.sum() <= 0:
        raise ValueError("needs non-negative values with a positive sum")
    return x / x.sum()


def hhi(values: Sequence[float] | pd.Series) -> float:
    """Herfindahl–Hirschman index of concentration: HHI = Σ sᵢ², sᵢ = xᵢ / Σ x (0–1; ×10 000 for the US scale).

    1/N for an even spread over N units, 1 when one unit holds everything.
    """
    s = _shares(values)
    return float((s**2).sum())


def top_k_share(values: Sequence[float] | pd.Series, k: int = 3) -> float:
    """Share of the k largest units: CRₖ = Σ_{top k} xᵢ / Σ x (a fraction)."""
    s = np.sort(_shares(values))[::-1]
    return float(s[:k].sum())


def gini(values: Sequence[float] | pd.Series) -> float:
    """Gini coefficient: G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ) (0 = equal, (n−1)/n = all in one unit)."""
    x = np.asarray(values, dtype=float)
    if (x < 0).any() or x.sum() <= 0:
        raise ValueError("needs non-negative values with a positive sum")
    n = len(x)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean()))


def theil(values: Sequence[float] | pd.Series) -> float:
    """Theil T index: T = (1/N) Σ (xᵢ/μ) ln(xᵢ/μ), with 0·ln 0 = 0 (0 = equal, ln N = all in one unit)."""
    x = np.asarray(values, dtype=float)
    if (x < 0).any() or x.sum() <= 0:
        raise ValueError("needs non-negative values with a positive sum")
    r = x / x.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(r > 0, r * np.log(r), 0.0)
    return float(terms.mean())


def theil_decomposition(values: pd.Series, groups: pd.Series) -> dict[str, float]:
    """Theil T split into between- and within-group parts (e.g. provinces grouped into the four NBS regions).

    T = T_between + T_within, where with group shares s_g = X_g / X and sizes n_g of N units:
    T_between = Σ_g s_g ln(s_g / (n_g / N)) and T_within = Σ_g s_g T_g (T_g the Theil index inside group g).
    Returns ``{"total", "between", "within", "between_share"}``.
    """
    df = pd.DataFrame({"x": np.asarray(values, dtype=float), "g": np.asarray(groups)})
    total = theil(df["x"])
    n, big_x = len(df), df["x"].sum()
    between = within = 0.0
    for _, part in df.groupby("g", sort=True):
        s_g = part["x"].sum() / big_x
        if s_g == 0:
            continue
        between += s_g * math.log(s_g / (len(part) / n))
        within += s_g * theil(part["x"])
    return {"total": total, "between": between, "within": within, "between_share": between / total if total else 0.0}


def location_quotient(
    local_industry: float, local_total: float, national_industry: float, national_total: float
) -> float:
    """Location quotient: LQ = (e_ir / e_r) / (e_iN / e_N) — the industry's share of the region's total over its
    share of the nation's total (> 1: the region is specialised in the industry). Inputs in the same unit."""
    if min(local_total, national_industry, national_total) <= 0:
        raise ValueError("totals must be positive")
    return (local_industry / local_total) / (national_industry / national_total)
