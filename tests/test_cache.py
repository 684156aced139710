"""The execution cache of `python -m helpers notebooks`: a notebook whose code, parameters and inputs are unchanged
is reused, not executed; a change to the data, to a helper module or to the language invalidates it, an edit to
another notebook does not. Tiny synthetic notebooks in a temporary project (the real ones are slow and may be
mid-edit), run through the real runner and real kernels."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from helpers import paths
from helpers import run_notebooks as rn


def _notebook(title: str, code: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\n说明文字 · prose"),
        nbformat.v4.new_code_cell('lang = "zh"\noutput_dir = None', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(code),
    ]
    return nb


FIGURE = (
    "from pathlib import Path\n"
    "Path(output_dir).mkdir(exist_ok=True)\n"
    "Path(output_dir, '{stem}_' + lang + '.svg').write_text('<svg/>')\n"
    "print('标签', lang)"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """notebooks/a.ipynb, notebooks/b.ipynb, a one-file data/clean and a one-module helper "library"."""
    nb_dir, clean, library = tmp_path / "notebooks", tmp_path / "clean", tmp_path / "library"
    for d in (nb_dir, clean, library):
        d.mkdir()
    nbformat.write(_notebook("甲 · Notebook A", FIGURE.format(stem="a")), nb_dir / "a.ipynb")
    nbformat.write(_notebook("乙 · Notebook B", FIGURE.format(stem="b")), nb_dir / "b.ipynb")
    (clean / "facts.csv").write_text("fact_id,value\nx-001,1\n", encoding="utf-8")
    (library / "metrics.py").write_text("def growth(a, b):\n    return b / a - 1\n", encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nb_dir)
    monkeypatch.setattr(paths, "CLEAN_DIR", clean)
    monkeypatch.setattr(paths, "PACKAGE_DIR", library)
    monkeypatch.setattr(rn, "write_web_font", lambda chars, layout: None)  # slow, and tested with the collection
    return tmp_path


def _run(project, **kw) -> rn.RunReport:
    messages: list[str] = []
    report = rn.run_collection(jobs=2, progress=messages.append, output_root=project / "out", **kw)
    assert report.status == 0, messages
    return report


def _executed(report: rn.RunReport) -> set[str]:
    return {name.split("/")[-1] for name in report.executed}


def test_cache_reuses_unchanged_notebooks_and_is_invalidated_by_data_helpers_and_language(project):
    out = project / "out"
    assert _executed(_run(project)) == {"a.ipynb", "b.ipynb"}
    html_a = (out / "notebooks" / "a.html").read_text(encoding="utf-8")
    assert (out / "figures" / "a_zh.svg").is_file()

    # nothing changed: nothing executed, outputs as they were, and the index says so
    second = _run(project)
    assert _executed(second) == set() and len(second.reused) == 2
    assert (out / "notebooks" / "a.html").read_text(encoding="utf-8") == html_a
    assert "reused" in (out / "index.html").read_text(encoding="utf-8")

    # outputs deleted by the user are restored from the cache, without executing
    (out / "figures" / "a_zh.svg").unlink()
    (out / "notebooks" / "a.html").unlink()
    assert _executed(_run(project)) == set()
    assert (out / "figures" / "a_zh.svg").is_file() and (out / "notebooks" / "a.html").is_file()

    # an edit to b's code re-runs b only: a is unrelated
    nb_b = project / "notebooks" / "b.ipynb"
    b = nbformat.read(nb_b, as_version=4)
    b.cells[2].source += "\nprint('changed')"
    nbformat.write(b, nb_b)
    assert _executed(_run(project)) == {"b.ipynb"}

    # a prose-only edit executes nothing, and the page shows the new prose
    b.cells[0].source = "# 乙 · Notebook B\n\n新的说明 · new prose"
    nbformat.write(b, nb_b)
    prose = _run(project)
    assert _executed(prose) == set()
    page = (out / "notebooks" / "b.html").read_text(encoding="utf-8")
    assert "new prose" in page and "新的说明" in page and "changed" in page  # new prose, the code's old outputs

    # the data
    (paths.CLEAN_DIR / "facts.csv").write_text("fact_id,value\nx-001,2\n", encoding="utf-8")
    assert _executed(_run(project)) == {"a.ipynb", "b.ipynb"}
    assert _executed(_run(project)) == set()

    # a helper module
    (paths.PACKAGE_DIR / "metrics.py").write_text("def growth(a, b):\n    return (b - a) / a\n", encoding="utf-8")
    assert _executed(_run(project)) == {"a.ipynb", "b.ipynb"}

    # the language; then back to the default, whose entries are still cached
    assert _executed(_run(project, lang="en")) == {"a.ipynb", "b.ipynb"}
    assert (out / "figures" / "a_en.svg").is_file()
    assert "标签 en" in (out / "notebooks" / "a.ipynb").read_text(encoding="utf-8")
    assert _executed(_run(project)) == set()
    assert "标签 zh" in (out / "notebooks" / "a.ipynb").read_text(encoding="utf-8")

    # --force (the figure formats are part of the key: see the next test)
    assert _executed(_run(project, force=True)) == {"a.ipynb", "b.ipynb"}


def test_execution_key_covers_code_parameters_formats_and_inputs():
    nb = json.loads(nbformat.writes(_notebook("甲", "x = 1")))
    inputs = {"data": "d", "helpers": "h", "python": "3.11", "packages": "p"}
    key = rn.execution_key(nb, None, ("png", "svg"), inputs)
    assert rn.execution_key(nb, None, ("png", "svg"), dict(inputs)) == key
    prose = json.loads(json.dumps(nb))
    prose["cells"][0]["source"] = "# 乙"
    assert rn.execution_key(prose, None, ("png", "svg"), inputs) == key  # prose only
    assert rn.notebook_keys(prose)[1] != rn.notebook_keys(nb)[1]  # … which the full key sees
    code = json.loads(json.dumps(nb))
    code["cells"][2]["source"] = "x = 2"
    changed = [
        rn.execution_key(code, None, ("png", "svg"), inputs),
        rn.execution_key(nb, "en", ("png", "svg"), inputs),
        rn.execution_key(nb, None, ("png", "svg", "pdf"), inputs),
        rn.execution_key(nb, None, ("png", "svg"), {**inputs, "data": "d2"}),
        rn.execution_key(nb, None, ("png", "svg"), {**inputs, "helpers": "h2"}),
    ]
    assert key not in changed and len(set(changed)) == len(changed)


def test_injected_parameters_carry_no_absolute_path(project):
    _run(project)
    executed = json.loads((project / "out" / "notebooks" / "a.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and 'output_dir = "figures"' in "".join(injected[0]["source"])
    text = (project / "out" / "notebooks" / "a.ipynb").read_text(encoding="utf-8")
    text += (project / "out" / "notebooks" / "a.html").read_text(encoding="utf-8")
    assert str(project) not in text and not re.search(r"/(root|home|tmp)/", text)
