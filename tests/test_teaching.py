"""The teaching lessons (helpers.teaching), and the exercise notebooks generated from their solutions: every
solution runs with its checks passing, each exercise filled in with a student's natural answers passes every check,
and typical wrong answers each get their specific message, in Chinese and in English, without a crash."""

from __future__ import annotations

import doctest
import json
import math
import re
import shutil
import subprocess
import sys

import pytest

from helpers import exercises, paths, teaching
from helpers.run_notebooks import discover, output_path
from helpers.teaching import LESSONS, Lesson, close


def test_teaching_module_examples():
    assert doctest.testmod(teaching).failed == 0


def test_close_accepts_sensible_rounding_only():
    assert close(0.368, 0.3678) and close(0.3678, 0.36780029) and close(64.5, 64.5106)
    assert not close(0.37, 0.3678) and not close(64.0, 64.51)
    assert close(math.inf, math.inf) and not close(1e9, math.inf)
    assert close(0.04, 0.0409, atol=0.005) and not close(0.03, 0.0409, atol=0.005)


def test_check_prints_in_the_lessons_language_and_never_crashes(capsys):
    en, zh = Lesson("T1", "en"), Lesson("T1", "zh")
    assert en.check(None, "1") is False and zh.check(None, "1") is False
    assert en.check(object(), "3") is False and en.check(float("nan"), "1") is False
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✗ not yet: fill in answer_1") and out[1].startswith("✗ 还不对：先填写 answer_1")
    assert all(line.startswith("✗") for line in out)


def test_no_expected_answer_in_any_notebook_or_hint():
    """Answers are computed at check time; no notebook holds them, no hint names a menu's right option."""
    for nb in paths.NOTEBOOKS_DIR.glob("teaching/*_solutions.ipynb"):
        text = nb.read_text(encoding="utf-8")
        assert "EXPECTED" not in text and "Checker(" not in text
    for lesson_id, (_, exs) in LESSONS.items():
        for key, ex in exs.items():
            want = Lesson(lesson_id, "en").expected(key)
            if isinstance(want, str):
                for text in ex.hint:
                    assert f'"{want}"' not in text and f"'{want}'" not in text, (lesson_id, key)


def test_every_lesson_text_exists_in_both_languages():
    cjk = lambda s: any("\u4e00" <= ch <= "\u9fff" for ch in s)  # noqa: E731
    for lesson_id, (texts, exs) in LESSONS.items():
        pairs = [*texts.values(), *(ex.hint for ex in exs.values()), *(ex.task for ex in exs.values() if any(ex.task))]
        for zh, en in pairs:
            assert zh and en and zh != en and cjk(zh), (lesson_id, zh[:40])


#: What a student naturally writes for each answer (not the solution's code): stub → code.
NATURAL = {
    "T1": {
        "1": 'firms = facts[facts["series_id"] == "china-overview-xiaolan-firms"].sort_values("year")\n'
        'answer_1 = round(firms["value_std"].iloc[-1] / firms["value_std"].iloc[0] - 1, 4)',
        "2": 'o = facts[facts["series_id"] == "china-overview-xiaolan-output"].sort_values("year_end")\n'
        'answer_2 = round((o["value_std"].iloc[1] / o["value_std"].iloc[0]) ** (1 / 19) - 1, 4)',
        "2b": "answer_2b = abs(answer_2 - 0.368) <= 0.0005",
        "3": 'a = load.audit()\nb = facts.set_index("fact_id")\nanswer_3 = {}\n'
        'for ids in a[(a["kind"] == "cagr") & (a["status"] != "cannot_check")]["fact_ids"]:\n'
        '    s, e, r = ids.split(";")\n'
        '    n = b.loc[e, "year_end"] - b.loc[s, "year_end"]\n'
        '    answer_3[r] = (b.loc[e, "value_std"] / b.loc[s, "value_std"]) ** (1 / n) - 1',
        "3b": 'answer_3b = round(max(abs(v - b.loc[k, "value_std"]) for k, v in answer_3.items()) * 100, 2)',
        "4": 'z = facts[facts["series_id"] == "china-overview-zgc-high-tech-firms"].sort_values("year_end")\n'
        "answer_4 = metrics.cagr(metrics.Figure.from_fact(z.iloc[0]), metrics.Figure.from_fact(z.iloc[1]), 2)",
        "5": 'lv = facts[(facts["series_id"] != "") & (facts["kind"] == "actual")]\n'
        'many = lv.groupby("series_id").filter(lambda g: len(g) > 1)\n'
        'answer_5 = list(many[many["year_reliable"] == False]["series_id"].unique())',
        "5b": 't = facts[facts["series_id"] == "shouguang-expo-trade"]\n'
        'answer_5b = round(t["value_std"].iloc[-1] / t["value_std"].iloc[0] - 1, 1)',
        "5c": "answer_5c = False",
        "6": "answer_6 = 1.222 / 1.084 - 1  # from the two printed CAGRs",
        "6b": 'answer_6b = "b"',
    },
    "T2": {
        "1": 'c = load.clusters(status="existing")\n'
        'answer_1 = c[(c["province_zh"] != "境外") & c["province_code"].notna()]["province_zh"].value_counts()',
        "2": "answer_2 = answer_1.idxmax()",
        "3": "answer_3 = (200, 300)",
        "4": "answer_4 = False",
        "5": "answer_5 = (40, 60)",
        "6": "answer_6 = False",
        "7": "answer_7 = True",
        "8": "answer_8 = False",
    },
    "T3": {
        "1": 'answer_1 = "china-overview-437"',
        "1b": 'answer_1b = ["a", "e"]',
        "1c": 'answer_1c = "y"',
        "2": 'answer_2 = {"A": "ok", "B": "scope", "C": ["basis"], "D": {"year"}, "E": "ok"}',
        "3": 'answer_3 = {f"shouguang-vegetables-0{n}" for n in (67, 68, 69, 70)}',
        "3b": 'answer_3b = "contradiction"',
        "3c": 'answer_3c = {"P": "discrepancy", "Q": "depends_on_reading", "R": "contradiction", '
        '"S": "definition_check"}',
        "4": 'answer_4 = "Only within one table and one year; mark the scope, basis and qualifiers on the chart."',
    },
}

#: Typical wrong answers: (lesson, key, answer as code, what the English message says).
WRONG = [
    ("T1", "1", "6451.06", "percentage"),
    ("T1", "1", "-64.51", "sign is wrong"),
    ("T1", "1", "47 / 3079 - 1", "reversed order"),
    ("T1", "1", "3079 / 47", "ratio end ÷ start"),
    ("T1", "1", '"64.5"', "that is text"),
    ("T1", "1", "True", "a number is asked"),
    ("T1", "1", "(64, 65)", "single number"),
    ("T1", "1", "64.0", "close, but"),
    ("T1", "2", "36.78", "percentage"),
    ("T1", "2", "1.3678 ** 19 - 1", "total growth"),
    ("T1", "2", "(1.3678 ** 19 - 1) / 19", "arithmetic mean"),
    ("T1", "2", "(17.38e9 / 45.25e6) ** (1 / 20) - 1", "off by one"),
    ("T1", "2", "0.37", "close, but"),
    ("T1", "2b", "1", "1 and 0 are numbers"),
    ("T1", "2b", '"True"', "write True or False"),
    ("T1", "3", '{k: v * 100 for k, v in teaching.Lesson("T1").expected("3").items()}', "percentage"),
    ("T1", "3", 'dict(list(teaching.Lesson("T1").expected("3").items())[:5])', "entries missing: 1"),
    ("T1", "3b", "0.0004", "as a fraction"),
    ("T1", "4", "0.2", "an interval (low, high) is asked"),
    ("T1", "4", "(0.247, 0.155)", "reversed: the low end first"),
    ("T1", "4", "(15.47, 24.72)", "percentage"),
    ("T1", "5", '"shouguang-expo-trade"', "that is one string"),
    ("T1", "5", '{"shouguang-expo-trade", "china-overview-xiaolan-firms"}', "not part of the answer"),
    ("T1", "5c", "True", "needs the number of years"),
    ("T1", "6", "0.1276 * 100", "percentage"),
    ("T1", "6b", '"a"', "current prices"),
    ("T1", "6b", '"d"', "choose one of"),
    ("T2", "1", 'load.clusters(status="existing")["province_zh"].astype(str).value_counts()', "境外 is not a province"),
    ("T2", "1", 'load.clusters(status="existing")["province_zh"].value_counts().to_frame()', "DataFrame"),
    ("T2", "2", '"广东"', "does not have the most"),
    ("T2", "2", "38", "a name is asked"),
    ("T2", "3", "(200, 299)", "convention"),
    ("T2", "3", "200", "an interval (low, high) is asked"),
    ("T2", "3", "(300, 200)", "reversed"),
    ("T2", "3", "(200, None)", "not yet"),
    ("T2", "4", "True", "nearly"),
    ("T2", "4", "0", "1 and 0 are numbers"),
    ("T2", "5", "(40, 40)", "adds the printed points"),
    ("T2", "6", "True", "may be up to 40"),
    ("T2", "7", "False", "open upper end"),
    ("T2", "8", "True", "what a plan aims at"),
    ("T3", "1", '"china-overview-054"', "overwritten"),
    ("T3", "1", '"054"', "choose one of"),
    ("T3", "1b", '{"a", "c"}', "never a reason"),
    ("T3", "1b", '{"b"}', "decisive reason is missing"),
    ("T3", "1b", '{"a", "q"}', "no such options"),
    ("T3", "1c", '"x"', "leaving it out"),
    ("T3", "1c", '"z"', "their mean"),
    ("T3", "2", '{k: "ok" for k in "ABCDE"}', "2 of 5 right"),
    ("T3", "2", '{"A": "ok", "B": {"scope", "year"}, "C": "basis", "D": "year", "E": "ok"}', "periods compare"),
    ("T3", "2", '["ok"] * 5', "a dict is asked"),
    ("T3", "3", '{"shouguang-vegetables-067", "shouguang-vegetables-068"}', "2 of 4 found"),
    ("T3", "3", '{f"shouguang-vegetables-0{n}" for n in (67, 68, 69, 70, 72)}', "flower seedlings"),
    ("T3", "3b", '"discrepancy"', "is this one quantity"),
    ("T3", "3b", '"contra"', "choose one of"),
    ("T3", "3c", '{k: "contradiction" for k in "PQRS"}', "1 of 4 right"),
    ("T3", "4", '""', "write a few sentences"),
    ("T3", "4", "42", "write a few sentences"),
]

#: Kernel-free context for the answers above (what the notebooks import).
_CONTEXT = "import math\nimport pandas as pd\nfrom helpers import load, metrics, teaching\nfacts = load.facts()"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("lesson_id", "key", "answer", "says"), WRONG, ids=[f"{w[0]}-{w[1]}-{w[2][:24]}" for w in WRONG]
)
def test_a_typical_wrong_answer_gets_its_own_message(lesson_id, key, answer, says, lang, capsys):
    scope: dict = {}
    exec(_CONTEXT, scope)
    value = eval(answer, scope)
    lesson = Lesson(lesson_id, lang)
    assert lesson.check(value, key) is False
    printed = capsys.readouterr().out.strip()
    hint = teaching._t(lesson.exercises[key].hint, lang)
    if lang == "en":
        assert says in printed, printed
    else:
        assert printed.startswith(("✗ 还不对：", "◐ 部分正确：")), printed
        assert not any(w in printed for w in ("not yet", "partly")), printed
    generic = printed in (f"✗ not yet: {hint}", f"✗ 还不对：{hint}")
    specific_hint = says in lesson.exercises[key].hint[1]  # the hint itself is the diagnosis (a wrong name)
    assert says == "not yet" or specific_hint or not generic, "a specific message, not the bare hint"


def test_partial_credit_is_marked_as_such(capsys):
    lesson = Lesson("T3", "en")
    assert lesson.check({"a", "c"}, "1b") is False
    assert lesson.check({k: "ok" for k in "ABCDE"}, "2") is False
    assert all(line.startswith("◐ partly right") for line in capsys.readouterr().out.splitlines())


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
    assert [p.name for p in SOLUTIONS] == [
        "T1_growth_solutions.ipynb",
        "T2_maps_and_qualifiers_solutions.ipynb",
        "T3_citing_and_comparing_solutions.ipynb",
    ]
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


# --- The lesson as a student works it: exercises filled in, run on a fresh kernel --------------------------------


def _filled(solution, lang: str) -> dict:
    """The exercise of ``solution`` with the natural answers in its stubs, then each typical wrong answer run in the
    notebook's own check cell (and, for T2, the map cell run again with 境外 left in)."""
    lesson_id = solution.name.split("_")[0]
    nb = exercises.generate_file(solution)
    checks, map_cell = {}, None
    for cell in nb["cells"]:
        src = _src(cell)
        if "parameters" in cell["metadata"].get("tags", []):
            cell["source"] = f'lang = "{lang}"\noutput_dir = None'
        names = exercises.answers(src)
        if names and src.endswith("# your code here"):
            cell["source"] = "\n".join(NATURAL[lesson_id][n.removeprefix("answer_")] for n in names)
        if src.startswith("check("):
            checks[re.search(r'check\(answer_\w+, "([^"]+)"', src).group(1)] = src
        if "province_choropleth" in src:
            map_cell = src
    extra = []
    for lid, key, answer, _ in WRONG:
        if lid == lesson_id:
            extra.append(f"answer_{key} = {answer}\n{checks[key]}")
    if map_cell:
        extra.append(
            f'answer_1 = load.clusters(status="existing")["province_zh"].astype(str).value_counts()\n{map_cell}'
        )
    for source in extra:
        nb["cells"].append({"cell_type": "code", "execution_count": None, "id": f"w{len(nb['cells'])}",
                            "metadata": {"tags": ["wrong-answer"]}, "outputs": [], "source": source})  # fmt: skip
    return nb


def _printed(cell) -> str:
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []) if o["output_type"] == "stream")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=IDS)
def test_a_student_working_the_exercise(solution, tmp_path):
    """Natural answers pass every check (en); each typical wrong answer gets its message in the notebook; no crash."""
    nbclient = pytest.importorskip("nbclient")
    nb = _filled(solution, "en")
    import nbformat

    notebook = nbformat.from_dict(nb)
    nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    lesson_id = solution.name.split("_")[0]
    answered = [c for c in notebook.cells if c.cell_type == "code" and _src(c).startswith("check(")]
    assert len(answered) == len(LESSONS[lesson_id][1])
    for cell in answered:
        assert _printed(cell).startswith("✓"), (_src(cell), _printed(cell))
    wrong = [c for c in notebook.cells if "wrong-answer" in c.metadata.get("tags", [])]
    cases = [w for w in WRONG if w[0] == lesson_id]
    for cell, (_, key, answer, says) in zip(wrong, cases, strict=False):
        assert says in _printed(cell), (key, answer, _printed(cell))
    if lesson_id == "T2":
        assert "not a province, left off the map: 境外" in _printed(wrong[-1])
    for cell in notebook.cells:
        assert all(o["output_type"] != "error" for o in cell.get("outputs", [])), _src(cell)[:80]
