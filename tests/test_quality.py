"""Quality gates: lint and format, notebooks committed clean, no absolute paths, every command has --help."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from helpers import paths

ROOT = paths.PROJECT_ROOT
CODE_DIRS = ["src", "tests", "benchmarks", "tasks.py"]


def _ruff() -> list[str]:
    exe = shutil.which("ruff", path=str(Path_bin())) or shutil.which("ruff")
    if exe is None:
        pytest.fail("ruff is not installed: it is a test dependency (pyproject.toml [test])")
    return [exe]


def Path_bin():
    from pathlib import Path

    return Path(sys.executable).parent


def _targets() -> list[str]:
    return [d for d in CODE_DIRS + ["notebooks"] if (ROOT / d).exists()]


def test_ruff_lint():
    proc = subprocess.run([*_ruff(), "check", *_targets()], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format():
    proc = subprocess.run([*_ruff(), "format", "--check", *_targets()], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, "run `ruff format`:\n" + proc.stdout + proc.stderr


def _notebooks():
    return sorted(paths.NOTEBOOKS_DIR.rglob("*.ipynb"))


def test_there_are_notebooks():
    assert _notebooks(), "notebooks/ holds no notebook"


@pytest.mark.parametrize("nb", _notebooks(), ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_notebooks_are_committed_without_outputs(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    for i, cell in enumerate(data["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


ABSOLUTE = re.compile(r"""["'](/(home|root|work|Users|tmp|mnt|opt)/|[A-Za-z]:\\\\)""")


def _text_files():
    for base in ["src", "tests", "notebooks", "benchmarks"]:
        for p in (ROOT / base).rglob("*"):
            if p.suffix in {".py", ".ipynb"} and ".ipynb_checkpoints" not in p.parts:
                yield p


def test_no_absolute_paths_in_code_or_notebooks():
    offenders = []
    for p in _text_files():
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
            if ABSOLUTE.search(line) and "allow-absolute-path" not in line:
                offenders.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not offenders, "absolute paths found:\n" + "\n".join(offenders)


#: Free-text columns of the raw tables; names and titles (name_zh, name_printed, title_zh …) may carry over.
OWN_WORDS_COLUMNS = {"note", "entity_zh", "description"}


def test_no_report_sentences_copied_into_the_project():
    """Notes, descriptions, docs and code are our own words: no run of 16+ Chinese characters from a report."""
    import csv

    folder = paths.reports_dir()
    if not folder.is_dir():
        pytest.skip(f"source reports not found at {folder} (set CLUSTERS_REPORTS_DIR to run this test)")
    report_text = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.txt"))
    runs = re.compile(r"[\u4e00-\u9fff，、；：“”（）]{16,}")
    offenders = []

    # Short titles may carry over (they name the articles); sentences may not.
    with (paths.RAW_DIR / "articles.csv").open(encoding="utf-8") as fh:
        titles = [row["title_zh"].strip("[]") for row in csv.DictReader(fh)]

    def scan(where: str, text: str) -> None:
        for m in runs.finditer(text):
            run = m.group(0)
            if run in report_text and not any(run in t for t in titles):
                offenders.append(f"{where}: {run}")

    for p in sorted(paths.RAW_DIR.rglob("*.csv")):
        with p.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for col in OWN_WORDS_COLUMNS & set(row):
                    scan(f"{p.relative_to(ROOT)} {col}", row[col] or "")
    docs = [*paths.RAW_DIR.rglob("*.md"), ROOT / "README.md", paths.DATA_DIR / "README.md", *_text_files()]
    for p in docs:
        if p.exists():
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
                scan(f"{p.relative_to(ROOT)}:{n}", line)
    assert not offenders, "text copied from the reports:\n" + "\n".join(offenders[:30])


@pytest.mark.parametrize("command", [[], ["build"], ["notebooks"], ["all"], ["brief"], ["bench"]])
def test_every_command_has_help(command):
    proc = subprocess.run(
        [sys.executable, "-m", "helpers", *command, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0 and "usage:" in proc.stdout, proc.stderr


def test_tasks_script_has_help():
    proc = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "run" in proc.stdout and "test" in proc.stdout
