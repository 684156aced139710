"""The self-check helper of the teaching notebooks, and the exercise notebooks generated from their solutions."""

from __future__ import annotations

import doctest
import json
import shutil
import subprocess
import sys

import pytest

from helpers import exercises, paths
from helpers.run_notebooks import discover, output_path
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


# --- Exercise notebooks are generated from their solutions (helpers.exercises) ---------------------------------

SOLUTIONS = exercises.solutions()
IDS = [p.stem for p in SOLUTIONS]


def _src(cell) -> str:
    return exercises.cell_source(cell)


def _tagged(cell) -> bool:
    return "solution" in cell["metadata"].get("tags", [])


def _meaningful(text: str) -> set[str]:
    return {s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")}


def test_the_exercises_module_examples():
    assert doctest.testmod(exercises).failed == 0


def test_each_lesson_has_one_committed_source():
    assert [p.name for p in SOLUTIONS] == ["T1_growth_solutions.ipynb", "T2_maps_and_qualifiers_solutions.ipynb"]
    exercise_paths = [exercises.exercise_path(p) for p in SOLUTIONS]
    assert all(p in discover() for p in exercise_paths), "every exercise runs in the collection"
    if shutil.which("git") is None or not (paths.PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True)
    assert not [f for f in tracked.stdout.split() if f.endswith(exercises.EXERCISES_SUFFIX)], "commit solutions only"
    for p in exercise_paths:
        ignored = subprocess.run(["git", "check-ignore", "-q", str(p)], cwd=paths.PROJECT_ROOT)
        assert ignored.returncode == 0, f"{p.name} should be ignored by git (it is generated)"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=IDS)
def test_written_exercise_is_what_the_generator_makes(solution, tmp_path):
    """(a) The file `python -m helpers exercises` writes, and the notebook the batch executes, are the generator's."""
    target, what = exercises.write(solution, out_dir=tmp_path)
    assert what == "written" and target == tmp_path / exercises.exercise_path(solution).relative_to(paths.NOTEBOOKS_DIR)
    generated = exercises.generate_file(solution)
    assert target.read_text(encoding="utf-8") == exercises.dumps(generated)
    assert exercises.write(solution, out_dir=tmp_path) == (target, "up to date")
    assert exercises.load(exercises.exercise_path(solution)) == generated
    # the solution really is the source: every cell is there, in order, stubs where solutions were
    source = json.loads(solution.read_text(encoding="utf-8"))
    dropped = [
        c for c in source["cells"] if _tagged(c) and c["cell_type"] == "markdown" and "exercise" not in c["metadata"]
    ]
    kept = [c for c in source["cells"] if c not in dropped]
    assert [c["id"] for c in generated["cells"]] == [c["id"] for c in kept]
    for c, g in zip(kept, generated["cells"], strict=True):
        if _tagged(c):
            continue
        if _src(c).startswith("assert check("):  # the same call, laid out anew, reporting only
            assert "".join(_src(g).split()) == "".join(_src(c).removeprefix("assert ").split()) + ";"
        else:
            assert _src(g) == _src(c)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=IDS)
def test_no_solution_code_leaks_into_the_exercise(solution):
    """(b) No line of a solution cell (other than lines the notebook shares elsewhere) reaches the exercise."""
    source = json.loads(solution.read_text(encoding="utf-8"))
    tagged = [c for c in source["cells"] if _tagged(c)]
    assert sum(c["cell_type"] == "code" for c in tagged) >= 5, "the solution cells are tagged `solution`"
    shared = set().union(*(_meaningful(_src(c)) for c in source["cells"] if c not in tagged))
    secret = set().union(*(_meaningful(_src(c)) for c in tagged)) - shared
    exercise = exercises.generate_file(solution)
    text = set().union(*(_meaningful(_src(c)) for c in exercise["cells"]))
    assert not secret & text
    assert "练习答案" not in text and "(solutions)" not in json.dumps(exercise, ensure_ascii=False)
    code = [c for c in exercise["cells"] if c["cell_type"] == "code"]
    stubs = [c for c in code if exercises.answers(_src(c))]
    assert not any(_tagged(c) for c in exercise["cells"])
    assert not any(_src(c).lstrip().startswith("assert check(") for c in code), "checks only report in the exercise"
    assert len(stubs) == sum(c["cell_type"] == "code" for c in tagged)
    for cell in stubs:
        blanks = [f"{name} = None  # your code here" for name in exercises.answers(_src(cell))]
        assert _src(cell).splitlines() == blanks, "a solution cell becomes blank answers only"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=IDS)
def test_exercise_runs_with_every_check_saying_not_yet(collection, build_root, solution):
    """(c) Executed on a fresh kernel by `python -m helpers notebooks`: no error, and each check says "not yet"."""
    executed = json.loads(output_path(exercises.exercise_path(solution), build_root).read_text(encoding="utf-8"))
    generated = exercises.generate_file(solution)
    cells = [c for c in executed["cells"] if "injected-parameters" not in c["metadata"].get("tags", [])]
    assert [_src(c) for c in cells] == [_src(c) for c in generated["cells"]], "the batch ran the generated exercise"
    checks = [c for c in cells if c["cell_type"] == "code" and _src(c).startswith("check(")]
    assert len(checks) >= 5
    for cell in cells:
        assert all(o["output_type"] != "error" for o in cell.get("outputs", [])), _src(cell)[:80]
    for cell in checks:
        printed = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream")
        assert printed.startswith("✗ 还不对：") and "✓" not in printed, (_src(cell)[:60], printed)


def test_an_edited_exercise_is_kept_unless_forced(tmp_path):
    solution = SOLUTIONS[0]
    target, _ = exercises.write(solution, out_dir=tmp_path)
    data = json.loads(target.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [{"output_type": "stream", "name": "stdout", "text": "x"}], 1
    target.write_text(json.dumps(data), encoding="utf-8")  # run in JupyterLab: outputs only, no edit
    assert exercises.write(solution, out_dir=tmp_path)[1] == "written"
    data = json.loads(target.read_text(encoding="utf-8"))
    stub = next(c for c in data["cells"] if _src(c) == "answer_1 = None  # your code here")
    stub["source"] = "answer_1 = 42"
    target.write_text(json.dumps(data), encoding="utf-8")  # a student's answer
    assert exercises.write(solution, out_dir=tmp_path)[1] == "kept"
    assert "answer_1 = 42" in target.read_text(encoding="utf-8")
    assert exercises.write(solution, out_dir=tmp_path, force=True)[1] == "written"
    assert "answer_1 = 42" not in target.read_text(encoding="utf-8")


def test_a_solution_cell_without_an_answer_is_refused():
    cell = {"cell_type": "code", "metadata": {"tags": ["solution"]}, "source": "x = 1"}
    with pytest.raises(ValueError, match="assigns no answer_"):
        exercises.generate({"cells": [cell], "metadata": {}}, "X_solutions.ipynb")


def test_exercises_command(tmp_path):
    helped = subprocess.run([sys.executable, "-m", "helpers", "exercises", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "--force" in helped.stdout
    ran = subprocess.run(
        [sys.executable, "-m", "helpers", "exercises", "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.count("exercises: wrote") == len(SOLUTIONS)
    written = sorted(p.name for p in tmp_path.rglob("*.ipynb"))
    assert written == sorted(exercises.exercise_path(p).name for p in SOLUTIONS)
    for ruff in (["check"], ["format", "--check"]):  # students get tidy code, and the lint gates pass on it
        linted = subprocess.run([sys.executable, "-m", "ruff", *ruff, str(tmp_path)], capture_output=True, text=True)
        assert linted.returncode == 0, linted.stdout + linted.stderr
