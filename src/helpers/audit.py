"""Cross-checks of the reports' own figures: computed on intervals, then graded as findings.

**Intervals.** Each printed figure stands for an interval, not a point: an exact ``142`` may be anything that
rounds to it (141.5–142.5; counts are exact), ``20多`` is 20–30, ``超过50%`` is above 0.5, ``约`` is taken as
±10 % (:class:`helpers.metrics.Figure`, the one interval type). :func:`run_check` computes the check of its kind
and gives a ``result``: ``agree`` when the interval the other figures imply and the interval of the stated figure
can meet, ``disagree`` when they cannot, ``undecided`` when nothing can be concluded (a figure, a reliable year or
a common unit is missing, or both sides are open bounds).

**Grades.** The curators grade what a check means in ``audit_checks.finding``: ``contradiction`` (no reading of
the text makes both figures true), ``discrepancy`` (the same quantity printed with different values that
rounding, 约 or a different date could reconcile), ``depends_on_reading`` (consistent under one stated reading,
not under another) or ``definition_check`` (a check made to show which reading of a figure is right; not a
finding about the reports). :func:`grade` combines the two into ``status`` by this rule:

1. ``undecided`` → ``cannot_check`` (the detail says what is missing); a grade on it is rejected.
2. A ``definition_check`` grade → ``definition_check``, whatever the result (the result is kept beside it).
3. ``disagree`` → the grade (contradiction, discrepancy or depends_on_reading); without a grade the build fails.
4. ``agree`` on a ``same`` check whose printed values differ → the grade, ``discrepancy`` or
   ``depends_on_reading``: the same quantity printed twice with different values is never ``consistent``.
   Without a grade the build fails.
5. Any other ``agree`` → ``consistent``; a ``depends_on_reading`` grade is allowed (the computed reading is the
   one that agrees), ``contradiction`` and ``discrepancy`` are rejected (the intervals can agree).

:func:`grade` returns the problem as text; :mod:`helpers.validate` reports it as ``FILE:ROW: finding``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .metrics import APPROX_TOLERANCE, Figure
from .parse import normalise_digits

__all__ = [
    "CheckResult",
    "FINDINGS_ABOUT_REPORTS",
    "fact_interval",
    "grade",
    "roles",
    "rounding_half_width",
    "run_check",
    "values_differ",
]

_DECIMAL = re.compile(r"\d+(?:\.(\d+))?")
#: Statuses that are findings about the reports, most serious first (what 08 and the briefs lead with).
FINDINGS_ABOUT_REPORTS = ("contradiction", "discrepancy", "depends_on_reading")


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


def _fin(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _num(x: float | None) -> str:
    return "open" if x is None or not math.isfinite(x) else f"{x:.4g}"


@dataclass
class CheckResult:
    """What :func:`run_check` computes: point values, the implied interval, ``result`` and a one-line ``detail``."""

    expected: float | None
    reported: float | None
    result: str  # agree | disagree | undecided
    unit_std: str
    expected_low: float | None
    expected_high: float | None
    detail: str


def _undecided(unit: str, detail: str) -> CheckResult:
    return CheckResult(None, None, "undecided", unit, None, None, detail)


def _compare(expected: Figure, reported: Figure | None, unit: str, detail: str, agree: bool) -> CheckResult:
    return CheckResult(
        _fin(expected.midpoint),
        None if reported is None else _fin(reported.midpoint),
        "agree" if agree else "disagree",
        unit,
        _fin(expected.low),
        _fin(expected.high),
        detail,
    )


def _result(expected: Figure, reported: Figure, unit: str, detail: str) -> CheckResult:
    """Expected against reported: agree when they overlap; undecided when both are open on the same side."""
    both_open = not (math.isfinite(expected.low) and math.isfinite(expected.high))
    both_open = both_open and not (math.isfinite(reported.low) and math.isfinite(reported.high))
    if both_open and expected.overlaps(reported):
        return _undecided(unit, detail + "; both intervals are open, nothing can be concluded")
    return _compare(expected, reported, unit, detail, expected.overlaps(reported))


def _at_most(a: Figure, b: Figure) -> bool:
    """Can a ≤ b hold?"""
    return a.low <= b.high + 1e-9 * max(1.0, abs(a.low) if math.isfinite(a.low) else 1.0)


def values_differ(kind: str, facts: list[dict]) -> bool:
    """A ``same`` check whose facts print different values (compared in standard units)."""
    if kind != "same":
        return False
    values = [f["value_std"] for f in facts if f["value_std"] is not None and not math.isnan(f["value_std"])]
    return bool(values) and max(values) - min(values) > 1e-9 * max(1.0, *(abs(v) for v in values))


def run_check(
    kind: str,
    facts: list[dict],
    tolerance: float | None = None,
    listed: list[str] | None = None,
    plausible: tuple[float | None, float | None] = (None, None),
) -> CheckResult:
    """Compute one check of ``kind`` (see ``data/raw/CURATION.md``) on clean facts in the order given.
    ``listed`` are the names a ``listed``/``listed_within`` check counts; ``plausible`` the range of a ``ratio``."""
    where = "; ".join(f"{f['fact_id']} = {f['figure_text']} ({f['source_file']}:{f['source_line']})" for f in facts)
    iv = [fact_interval(f, tolerance) for f in facts]
    units = [f["unit_std"] for f in facts]
    if any(i is None for i in iv):
        return _undecided("", "a figure has no value: " + where)

    def same_units(group) -> bool:
        return len({units[i] for i in group}) == 1

    if kind in ("sum", "sum_within", "same", "above", "nondecreasing"):
        if not same_units(range(len(facts))):
            return _undecided("", f"units differ ({', '.join(units)}): " + where)
    if kind in ("sum", "sum_within"):
        total = iv[0]
        for i in iv[1:-1]:
            total = total + i
        if kind == "sum":
            return _result(total, iv[-1], units[-1], "sum of parts vs total: " + where)
        ok = _at_most(total, iv[-1])
        return _compare(total, iv[-1], units[-1], "sum of parts ≤ total: " + where, ok)
    if kind == "difference":
        if not same_units([0, 1, 2]):
            return _undecided("", f"units differ ({', '.join(units)}): " + where)
        return _result(iv[0] - iv[1], iv[2], units[2], "a − b vs stated difference: " + where)
    if kind in ("share", "growth", "cagr"):
        if units[0] != units[1] or units[2] != "ratio":
            return _undecided("", f"units do not fit ({', '.join(units)}): " + where)
        ratio = iv[1].divide(iv[0]) if kind != "share" else iv[0].divide(iv[1])
        if ratio is None:
            return _undecided("ratio", "denominator may be zero: " + where)
        if kind == "share":
            return _result(ratio, iv[2], "ratio", "part / total vs stated share: " + where)
        if kind == "growth":
            grown = Figure(ratio.value - 1, ratio.low - 1, ratio.high - 1)
            return _result(grown, iv[2], "ratio", "later / earlier − 1 vs stated: " + where)
        y0, y1 = _years(facts[0]), _years(facts[1])
        reliable = all(f.get("year_reliable") is not False for f in facts[:2])
        if y0 is None or y1 is None or y1 <= y0 or not reliable:
            implied = ""
            if ratio.value > 0 and iv[2].value > 0:
                n = math.log(ratio.value) / math.log(1 + iv[2].value)
                implied = f"; at the printed rate the printed levels are {n:.1f} years apart"
            return _undecided("ratio", "years missing, unreliable or not increasing" + implied + ": " + where)
        n = y1 - y0
        high = ratio.high ** (1 / n) - 1 if math.isfinite(ratio.high) else math.inf
        cagr = Figure(ratio.value ** (1 / n) - 1, ratio.low ** (1 / n) - 1, high)
        return _result(cagr, iv[2], "ratio", f"(later / earlier)^(1/{n:g}) − 1 vs stated: " + where)
    if kind == "same":
        # All the figures can be the same number only if their intervals share a point.
        ok = max(i.low for i in iv) <= min(i.high for i in iv)
        values = ", ".join(f["figure_text"] for f in facts)
        # reported: the first statement whose value differs from the first (else the second).
        other = next((i for i in iv[1:] if abs(i.value - iv[0].value) > 1e-9 * max(1.0, abs(i.value))), iv[1])
        return _compare(iv[0], other, units[0], f"same quantity printed as {values}: " + where, ok)
    if kind == "above":
        threshold = iv[0]
        bad = [f["fact_id"] for f, i in zip(facts[1:], iv[1:], strict=True) if i.high < threshold.low]
        res = _compare(threshold, None, units[0], "each value ≥ threshold: " + where, not bad)
        res.reported = min(f["value_std"] for f in facts[1:])
        if bad:
            res.detail += "; below the threshold: " + ", ".join(bad)
        return res
    if kind == "nondecreasing":
        bad = [f"{facts[k]['fact_id']} < {facts[k - 1]['fact_id']}" for k in range(1, len(facts))
               if iv[k].high < iv[k - 1].low]  # fmt: skip
        res = CheckResult(None, None, "disagree" if bad else "agree", units[0], None, None,
                          "each value ≥ the one before: " + where)  # fmt: skip
        if bad:
            res.detail += "; decreases: " + ", ".join(bad)
        return res
    if kind == "bands_total":
        return _bands_total(facts, iv, units, where)
    if kind in ("listed", "listed_within"):
        names = listed or []
        n = Figure(float(len(names)))
        counts = iv
        if kind == "listed":
            ok = all(c.low <= n.value <= c.high for c in counts)
            what = f"{len(names)} names listed vs stated count: "
        else:
            ok = all(n.value <= c.high for c in counts)
            what = f"{len(names)} names listed as members ≤ stated count: "
        return _compare(n, counts[0], units[0], what + where, ok)
    if kind == "ratio":
        q = iv[0].divide(iv[1])
        if q is None:
            return _undecided("", "denominator may be zero: " + where)
        unit = units[0] if units[1] == "ratio" else f"{units[0]}/{units[1]}"
        lo = -math.inf if plausible[0] is None else plausible[0]
        hi = math.inf if plausible[1] is None else plausible[1]
        ok = q.overlaps(Figure(lo if math.isfinite(lo) else hi, lo, hi))
        what = f"a / b = {_num(q.low)}–{_num(q.high)} {unit} vs plausible {_num(lo)}–{_num(hi)}: "
        return _compare(q, None, unit, what + where, ok)
    raise ValueError(f"unknown audit kind {kind!r}")


def _bands_total(facts: list[dict], iv: list[Figure], units: list[str], where: str) -> CheckResult:
    """Cumulative size bands (threshold tᵢ ascending, count cᵢ of units at or above it) against a total: every unit
    above tᵢ contributes at least tᵢ, so the total is at least Σ cᵢ·(tᵢ − tᵢ₋₁); at most c₁·t₂ + Σ cᵢ·(tᵢ₊₁ − tᵢ),
    the top band bounded only by its threshold's own upper end (open for 以上)."""
    thresholds, counts, total = facts[0:-1:2], iv[1:-1:2], iv[-1]
    if len({f["unit_std"] for f in thresholds} | {units[-1]}) != 1:
        return _undecided("", f"units of thresholds and total differ ({', '.join(units)}): " + where)
    t = [f["value_low_std"] if _fin(f["value_low_std"]) is not None else f["value_std"] for f in thresholds]
    top = thresholds[-1]["value_high_std"]
    t_next = [*t[1:], top if _fin(top) is not None else math.inf]
    low = sum(c.low * (ti - tp) for c, ti, tp in zip(counts, t, [0.0, *t[:-1]], strict=True))
    # Units in band i (cᵢ − cᵢ₊₁ of them) are each below tᵢ₊₁: Σ (cᵢ − cᵢ₊₁)·tᵢ₊₁ = c₁·t₂ + Σᵢ≥₂ cᵢ·(tᵢ₊₁ − tᵢ).
    high = counts[0].high * t_next[0] + sum(
        c.high * (tn - ti) for c, ti, tn in zip(counts[1:], t[1:], t_next[1:], strict=True)
    )
    implied = Figure(low, low, high)
    ok = _at_most(implied, total) and (not math.isfinite(high) or _at_most(total, implied))
    detail = f"bands imply a total of {_num(low)}–{_num(high)} {units[-1]} vs stated: " + where
    return _compare(implied, total, units[-1], detail, ok)


def grade(result: CheckResult, kind: str, facts: list[dict], finding: str) -> tuple[str, str | None]:
    """``(status, problem)`` by the rule of the module docstring; ``problem`` is None when the grade fits."""
    differ = values_differ(kind, facts)
    if result.result == "undecided":
        if finding:
            return "cannot_check", f"{finding!r} given, but nothing can be computed ({result.detail.split(':')[0]})"
        return "cannot_check", None
    if finding == "definition_check":
        return "definition_check", None
    if result.result == "disagree":
        if not finding:
            return "", ("the figures cannot agree, so the check needs a grade (expected contradiction, discrepancy, "
                        "depends_on_reading or definition_check)")  # fmt: skip
        return finding, None
    if differ:
        if finding in ("discrepancy", "depends_on_reading"):
            return finding, None
        return "", (f"one quantity printed with different values is never consistent: {finding or 'no grade'} "
                    "given (expected discrepancy, depends_on_reading or definition_check)")  # fmt: skip
    if finding in ("contradiction", "discrepancy"):
        return "", f"{finding!r} given, but the intervals agree (expected depends_on_reading, definition_check or none)"
    return finding or "consistent", None


def roles(kind: str, n: int) -> list[tuple[str, str]]:
    """What each of a check's ``n`` facts is, in Chinese and English, in the order the kind takes them."""
    if kind in ("sum", "sum_within"):
        return [("部分", "part")] * (n - 1) + [("合计", "total")]
    if kind == "same":
        return [(f"表述{i + 1}", f"statement {i + 1}") for i in range(n)]
    if kind == "nondecreasing":
        return [(f"第{i + 1}项（应递增）", f"item {i + 1} (should not fall)") for i in range(n)]
    if kind == "above":
        return [("门槛", "threshold")] + [("数值", "value")] * (n - 1)
    if kind == "bands_total":
        return [("规模段门槛", "band threshold"), ("该段以上个数", "count at or above")] * ((n - 1) // 2) + [
            ("合计", "total")
        ]
    if kind in ("listed", "listed_within"):
        return [("所称个数", "stated count")] * n
    fixed = {
        "share": [("部分", "part"), ("总量", "total"), ("所称比重", "stated share")],
        "growth": [("前值", "earlier"), ("后值", "later"), ("所称增长", "stated growth")],
        "cagr": [("前值", "earlier"), ("后值", "later"), ("所称年均增长", "stated CAGR")],
        "difference": [("甲", "a"), ("乙", "b"), ("所称差额", "stated difference")],
        "ratio": [("分子", "numerator"), ("分母", "denominator")],
    }
    return fixed[kind]
