"""Exercise notebooks are generated from their solution notebooks: one committed source per lesson.

``notebooks/teaching/T1_growth_solutions.ipynb`` is the source; ``T1_growth_exercises.ipynb`` beside it is
generated (and ignored by git). Three rules make the exercise from the solution:

1. A cell tagged ``solution`` is replaced by the text in its metadata ``"exercise"`` when it has one (a title,
   the "how to work" note); otherwise a code cell becomes one blank line per answer it assigns
   (``answer_1 = None  # your code here``) and a markdown cell is left out.
2. A self-check cell ``assert check(...)`` becomes ``check(...);``: the solutions fail when an answer stops
   matching the data, the exercise only prints "✗ not yet" with a hint.
3. Everything else is copied as it is, outputs cleared.

The exercise records a fingerprint of what was generated, so a copy a student has edited is never overwritten
(``python -m helpers exercises --force`` replaces it). ``python -m helpers notebooks`` always executes a freshly
generated exercise, never the copy on disk.

>>> cells = [{"cell_type": "code", "metadata": {"tags": ["solution"]}, "source": "x = 2\\nanswer_1 = x * x"},
...          {"cell_type": "code", "metadata": {}, "source": "assert check(answer_1, '1', 'square it')"}]
>>> [c["source"] for c in generate({"cells": cells, "metadata": {}})["cells"]]
['answer_1 = None  # your code here', "check(answer_1, '1', 'square it');"]
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import unicodedata
from pathlib import Path

from . import paths

SOLUTIONS_SUFFIX = "_solutions.ipynb"
EXERCISES_SUFFIX = "_exercises.ipynb"
TAG = "solution"
STUB = "{name} = None  # your code here"
_ANSWER = re.compile(r"^(answer_\w+)\s*(?::[^=\n]*)?=(?!=)", flags=re.M)
_CHECK = "assert check("
LINE_LENGTH = 120  # pyproject.toml [tool.ruff]


def exercise_path(solution: Path) -> Path:
    """``…/T1_growth_solutions.ipynb`` → ``…/T1_growth_exercises.ipynb``."""
    return solution.with_name(solution.name[: -len(SOLUTIONS_SUFFIX)] + EXERCISES_SUFFIX)


def solution_path(exercise: Path) -> Path:
    return exercise.with_name(exercise.name[: -len(EXERCISES_SUFFIX)] + SOLUTIONS_SUFFIX)


def is_generated(nb: Path) -> bool:
    """Whether ``nb`` is an exercise generated from a solution notebook beside it (on disk or not)."""
    return nb.name.endswith(EXERCISES_SUFFIX) and solution_path(nb).exists()


def collection(found: list[Path]) -> list[Path]:
    """The notebooks to run: ``found`` without exercise copies on disk, plus the exercise of every solution
    notebook (generated when run), in name order."""
    kept = [p for p in found if not is_generated(p)]
    return sorted({*kept, *(exercise_path(p) for p in kept if p.name.endswith(SOLUTIONS_SUFFIX))})


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def answers(source: str) -> list[str]:
    """The ``answer_…`` names a cell assigns, in order."""
    return list(dict.fromkeys(_ANSWER.findall(source)))


def _width(text: str) -> int:
    """Columns as ruff counts them: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _report_only(source: str) -> str:
    """``assert check(...)`` → ``check(...);``, laid out as ``ruff format`` would (the call is 6 characters
    shorter, so arguments that had to wrap may fit on the line now)."""
    source = source.replace(_CHECK, "check(", 1).rstrip().removesuffix(";")
    lines = source.split("\n")
    if len(lines) == 3 and lines[0] == "check(" and lines[2] == ")" and not lines[1].endswith(","):
        joined = f"check({lines[1].strip()})"
        if _width(joined) + 1 <= LINE_LENGTH:
            source = joined
    return source + ";"


def _exercise_cell(cell: dict, index: int, solution_name: str) -> dict | None:
    cell = copy.deepcopy(cell)
    meta = cell.setdefault("metadata", {})
    tags = meta.get("tags", [])
    source = cell_source(cell)
    if TAG in tags:
        meta["tags"] = [t for t in tags if t != TAG]
        if not meta["tags"]:
            del meta["tags"]
        stub = meta.pop("exercise", None)
        if stub is None and cell["cell_type"] != "code":
            return None
        if stub is None:
            names = answers(source)
            if not names:
                raise ValueError(
                    f"{solution_name}: cell {index} is tagged {TAG!r} but assigns no answer_… name; "
                    'give it the text of the exercise in its metadata "exercise"'
                )
            stub = "\n".join(STUB.format(name=n) for n in names)
        source = "".join(stub) if isinstance(stub, list) else stub
    elif cell["cell_type"] == "code" and source.lstrip().startswith(_CHECK):
        source = _report_only(source)
    cell["source"] = source
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def fingerprint(nb: dict) -> str:
    """A digest of the cells' types and sources (not their outputs): what generation decides."""
    cells = [[c["cell_type"], cell_source(c)] for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def generate(solution: dict, solution_name: str = "solutions notebook") -> dict:
    """The exercise notebook (a dict in nbformat 4) made from a solution notebook by the rules above."""
    out = {k: copy.deepcopy(v) for k, v in solution.items() if k != "cells"}
    cells = (_exercise_cell(c, i, solution_name) for i, c in enumerate(solution.get("cells", [])))
    out["cells"] = [c for c in cells if c is not None]
    meta = out.setdefault("metadata", {})
    meta["exercise"] = {"generated_from": solution_name, "fingerprint": fingerprint(out)}
    return out


def _read(nb: Path) -> dict:
    return json.loads(nb.read_text(encoding="utf-8"))


def generate_file(solution: Path) -> dict:
    return generate(_read(solution), solution.name)


def load(nb: Path) -> dict:
    """A notebook of the collection as a dict: a generated exercise is generated afresh from its solution."""
    return generate_file(solution_path(nb)) if is_generated(nb) else _read(nb)


def dumps(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def edited(exercise: Path) -> bool:
    """Whether an exercise on disk differs from what was generated for it (a student's work, or not generated)."""
    try:
        data = _read(exercise)
    except (OSError, ValueError):
        return True
    recorded = data.get("metadata", {}).get("exercise", {}).get("fingerprint")
    return recorded != fingerprint(data)


def write(solution: Path, out_dir: Path | None = None, force: bool = False) -> tuple[Path, str]:
    """Write the exercise of ``solution`` (beside it, or at the same place under ``out_dir``); returns the path
    and what happened: ``"written"``, ``"up to date"`` or ``"kept"`` (edited since it was generated)."""
    target = exercise_path(solution)
    if out_dir is not None:
        target = out_dir / target.relative_to(paths.NOTEBOOKS_DIR)
    text = dumps(generate_file(solution))
    if target.exists() and not force:
        if target.read_text(encoding="utf-8") == text:
            return target, "up to date"
        if edited(target):
            return target, "kept"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)  # atomic: a notebook open in JupyterLab never sees half a file
    return target, "written"


WHAT = {"written": "wrote", "up to date": "up to date:", "kept": "kept"}
KEPT = ": it differs from what was generated (a student's work?); --force replaces it"


def solutions() -> list[Path]:
    return sorted(p for p in paths.NOTEBOOKS_DIR.rglob("*" + SOLUTIONS_SUFFIX) if ".ipynb_checkpoints" not in p.parts)


def write_all(out_dir: Path | None = None, force: bool = False, progress=print) -> int:
    """Write every exercise notebook; one progress line each. Returns 1 if a solution notebook breaks a rule."""
    status = 0
    for solution in solutions():
        try:
            target, what = write(solution, out_dir, force)
        except ValueError as exc:
            progress(f"exercises: FAILED {exc}")
            status = 1
            continue
        shown = target.relative_to(paths.PROJECT_ROOT) if target.is_relative_to(paths.PROJECT_ROOT) else target
        progress(f"exercises: {WHAT[what]} {shown}" + (KEPT if what == "kept" else f" (from {solution.name})"))
    return status
