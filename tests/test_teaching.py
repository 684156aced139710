"""The self-check helper of the teaching notebooks."""

from __future__ import annotations

from helpers.teaching import Checker, same


def test_same_on_each_kind_of_answer():
    assert same(0.10000001, 0.1, tol=1e-6) and not same(0.11, 0.1, tol=1e-6)
    assert same(True, True) and not same(1, True) and not same(True, 1.0)
    assert same((1.0, 2.0), (1, 2)) and not same((1.0,), (1, 2))
    assert same(["a", "b"], {"a", "b"}) and not same("ab", {"a", "b"})
    assert same({"x": 1.0}, {"x": 1}) and not same({"x": 1.0, "y": 2}, {"x": 1})


def test_checker_prints_and_never_crashes(capsys):
    check = Checker({"1": 0.5, "2": {"a": 1}}, lang="en")
    assert check(None, "1", ("提示", "hint")) is False
    assert check("not a number", "1", "hint") is False
    assert check(object(), "2", "hint") is False
    assert check(0.5, "1", "hint") is True
    out = capsys.readouterr().out.splitlines()
    assert out == ["✗ not yet: hint", "✗ not yet: hint", "✗ not yet: hint", "✓ correct"]
    assert Checker({"1": 1}, lang="zh")(None, "1", ("提示", "hint")) is False
    assert capsys.readouterr().out.strip() == "✗ 还不对：提示"
