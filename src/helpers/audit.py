"""Cross-checks of the reports' own arithmetic, judged on intervals.

Each printed figure stands for an interval, not a point: an exact ``142`` may be anything that rounds to it
(141.5–142.5), ``20多`` is 20–30, ``超过50%`` is above 0.5, ``约`` is taken as ±10 %. A check is ``consistent`` when
the interval implied by the other figures and the interval of the stated figure overlap, ``inconsistent`` when they
cannot, and ``cannot_check`` when a figure it needs is missing (an open interval that leaves the answer undecided,
an unreliable year for a CAGR, units that differ).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .metrics import APPROX_TOLERANCE, Figure
from .parse import normalise_digits

_DECIMAL = re.compile(r"\d+(?:\.(\d+))?")


def rounding_half_width(value_printed: str, multiplier: float) -> float:
    """Half a unit of the last printed digit, in standard units: ``142`` (亿元) → 0.5 × 10⁸; ``26.6`` (%) → 0.0005."""
    s = normalise_digits(value_printed).replace(" ", "")
    m = _DECIMAL.fullmatch(s)
    if not m:
        return 0.0
    decimals = len(m.group(1) or "")
    return 0.5 * 10 ** (-decimals) * multiplier


def fact_interval(fact: dict, tolerance: float | None = None) -> Figure | None:
    """The interval a clean fact stands for (see the module docstring); None when its value is missing. Exact
    figures span their rounding (``rounding_std``) or ``tolerance``; the rest are :meth:`Figure.from_fact`."""
    v = fact["value_std"]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if fact["qualifier"] == "exact":
        h = tolerance * abs(v) if tolerance is not None else fact["rounding_std"]
        return Figure(v, v - h, v + h)
    return Figure.from_fact(fact, APPROX_TOLERANCE if tolerance is None else max(tolerance, APPROX_TOLERANCE))


def _years(fact: dict) -> float | None:
    """First year of the fact (``year_start``), for CAGRs."""
    return None if fact.get("year_start") is None else float(fact["year_start"])


@dataclass
class CheckResult:
    expected: float | None
    reported: float | None
    status: str
    unit_std: str
    expected_low: float | None
    expected_high: float | None
    detail: str


def _result(expected: Figure | None, reported: Figure | None, unit: str, detail: str) -> CheckResult:
    if expected is None or reported is None:
        return CheckResult(None, None, "cannot_check", unit, None, None, detail)
    undecided = not (math.isfinite(expected.low) and math.isfinite(expected.high))
    undecided = undecided and not (math.isfinite(reported.low) and math.isfinite(reported.high))
    status = "consistent" if expected.overlaps(reported) else "inconsistent"
    if status == "consistent" and undecided:
        status = "cannot_check"
        detail += "; both intervals are open, nothing can be concluded"
    fin = lambda x: x if math.isfinite(x) else None  # noqa: E731
    return CheckResult(
        fin(expected.midpoint), fin(reported.midpoint), status, unit, fin(expected.low), fin(expected.high), detail
    )


def run_check(kind: str, facts: list[dict], tolerance: float | None = None) -> CheckResult:
    """Compute one check of ``kind`` (see ``data/raw/CURATION.md``) on clean facts in the order given."""
    where = "; ".join(f"{f['fact_id']} = {f['figure_text']} ({f['source_file']}:{f['source_line']})" for f in facts)
    iv = [fact_interval(f, tolerance) for f in facts]
    units = [f["unit_std"] for f in facts]
    if any(i is None for i in iv):
        return _result(None, None, "", "a figure has no value: " + where)

    def same_units(group: list[int]) -> bool:
        return len({units[i] for i in group}) == 1

    if kind in ("sum", "same", "above", "nondecreasing"):
        if not same_units(list(range(len(facts)))):
            return _result(None, None, "", f"units differ ({', '.join(units)}): " + where)
    if kind == "sum":
        total = iv[0]
        for i in iv[1:-1]:
            total = total + i
        return _result(total, iv[-1], units[-1], "sum of parts vs total: " + where)
    if kind == "difference":
        if not same_units([0, 1, 2]):
            return _result(None, None, "", f"units differ ({', '.join(units)}): " + where)
        return _result(iv[0] - iv[1], iv[2], units[2], "a − b vs stated difference: " + where)
    if kind in ("share", "growth", "cagr"):
        if units[0] != units[1] or units[2] != "ratio":
            return _result(None, None, "", f"units do not fit ({', '.join(units)}): " + where)
        ratio = iv[1].divide(iv[0]) if kind != "share" else iv[0].divide(iv[1])
        if ratio is None:
            return _result(None, None, "ratio", "denominator may be zero: " + where)
        if kind == "share":
            return _result(ratio, iv[2], "ratio", "part / total vs stated share: " + where)
        if kind == "growth":
            return _result(
                Figure(ratio.value - 1, ratio.low - 1, ratio.high - 1),
                iv[2],
                "ratio",
                "later / earlier − 1 vs stated: " + where,
            )
        y0, y1 = _years(facts[0]), _years(facts[1])
        reliable = all(f.get("year_reliable") is not False for f in facts[:2])
        if y0 is None or y1 is None or y1 <= y0 or not reliable:
            return _result(None, None, "ratio", "years missing, unreliable or not increasing: " + where)
        n = y1 - y0
        high = ratio.high ** (1 / n) - 1 if math.isfinite(ratio.high) else math.inf
        cagr = Figure(ratio.value ** (1 / n) - 1, ratio.low ** (1 / n) - 1, high)
        return _result(cagr, iv[2], "ratio", f"(later / earlier)^(1/{n:g}) − 1 vs stated: " + where)
    if kind == "same":
        res = _result(iv[0], iv[1], units[0], "same quantity: " + where)
        # All the figures can be the same number only if their intervals share a point.
        res.status = "consistent" if max(i.low for i in iv) <= min(i.high for i in iv) else "inconsistent"
        return res
    if kind == "above":
        threshold = iv[0]
        bad = [f["fact_id"] for f, i in zip(facts[1:], iv[1:], strict=True) if i.high < threshold.low]
        res = _result(threshold, threshold, units[0], "each value ≥ threshold: " + where)
        res.reported = min(f["value_std"] for f in facts[1:])
        if bad:
            res.status = "inconsistent"
            res.detail += "; below the threshold: " + ", ".join(bad)
        else:
            res.status = "consistent"
        return res
    if kind == "nondecreasing":
        bad = [
            f"{facts[k]['fact_id']} < {facts[k - 1]['fact_id']}"
            for k in range(1, len(facts))
            if iv[k].high < iv[k - 1].low
        ]
        res = CheckResult(None, None, "inconsistent" if bad else "consistent", units[0], None, None,
                          "each value ≥ the one before: " + where)  # fmt: skip
        if bad:
            res.detail += "; decreases: " + ", ".join(bad)
        return res
    raise ValueError(f"unknown audit kind {kind!r}")
