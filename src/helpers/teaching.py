"""Self-check cells for the teaching notebooks: tell a student whether an answer is right, never crash.

>>> check = Checker({"1": 0.5}, lang="en")
>>> check(None, "1", "divide the part by the total")
✗ not yet: divide the part by the total
False
>>> check(0.5000001, "1", "…")
✓ correct
True
"""

from __future__ import annotations

import numbers

from .style import label


def same(answer, expected, tol: float = 1e-6) -> bool:
    """Whether ``answer`` matches ``expected``: numbers within ``tol`` (absolute), booleans and strings exactly,
    tuples element by element, sets as sets, dicts key by key."""
    if isinstance(expected, bool):
        return type(answer).__name__ in ("bool", "bool_") and bool(answer) == expected
    if isinstance(expected, str):
        return answer == expected
    if isinstance(expected, numbers.Real):
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            return False
        return answer == expected or abs(answer - expected) <= tol
    if isinstance(expected, tuple):
        return len(answer) == len(expected) and all(same(a, e, tol) for a, e in zip(answer, expected, strict=True))
    if isinstance(expected, set | frozenset):
        return not isinstance(answer, str) and set(answer) == expected
    if isinstance(expected, dict):
        got = dict(answer)
        return set(got) == set(expected) and all(same(got[k], v, tol) for k, v in expected.items())
    return answer == expected


class Checker:
    """``check(answer, key, hint, tol)`` prints "✓ correct" or "✗ not yet: hint" (in Chinese for ``lang="zh"``)
    and returns whether the answer
    is right. ``hint`` is text or a ``(zh, en)`` pair shown in ``lang``. A blank (None) answer or one of the wrong
    type or shape is simply "not yet"."""

    def __init__(self, expected: dict, lang: str = "zh"):
        self.expected = expected
        self.lang = lang

    def __call__(self, answer, key: str, hint, tol: float = 1e-6) -> bool:
        hint = label(*hint, self.lang) if isinstance(hint, tuple) else hint
        right = "✓ 正确" if self.lang == "zh" else "✓ correct"
        wrong = "✗ 还不对：" if self.lang == "zh" else "✗ not yet: "
        ok = False
        if answer is not None:
            try:
                ok = bool(same(answer, self.expected[key], tol))
            except Exception:  # a wrong type or shape is a wrong answer, not a crash
                ok = False
        print(right if ok else f"{wrong}{hint}")
        return ok
