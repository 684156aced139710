"""Every notebook runs top to bottom on a fresh kernel (via `python -m helpers notebooks`), with no error, no
missing-glyph warning and no warning of any kind in its outputs, and writes its HTML copy."""

from __future__ import annotations

import json

import pytest

from helpers import paths
from helpers.run_notebooks import discover, output_path, run_all

NOTEBOOKS = discover()


@pytest.fixture(scope="module")
def executed(collection):
    return collection


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_notebook_runs_clean(executed, nb):
    status, messages = executed
    name = str(nb.relative_to(paths.PROJECT_ROOT))
    failures = [m for m in messages if "FAILED" in m and name in m]
    assert not failures, "\n".join(failures)
    out = output_path(nb)
    assert out.exists() and out.with_suffix(".html").exists()
    data = json.loads(out.read_text(encoding="utf-8"))
    for i, cell in enumerate(data["cells"]):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"cell {i} raised"
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = "".join(output.get("text", ""))
                assert "Warning" not in text and "warning" not in text, f"cell {i} warned: {text[:300]}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_every_saved_chart_is_also_shown_in_the_notebook_and_its_html(executed, nb):
    if nb.stem.endswith("_exercises"):
        pytest.skip("exercise notebooks draw their charts only once the student has answered")
    data = json.loads(output_path(nb).read_text(encoding="utf-8"))
    for i, cell in enumerate(data["cells"]):
        source = "".join(cell.get("source", ""))
        if cell["cell_type"] != "code" or "save_figure(" not in source:
            continue
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        assert len(images) >= source.count("save_figure("), f"cell {i} saves a chart but shows none inline"
    html = output_path(nb).with_suffix(".html").read_text(encoding="utf-8")
    saved = sum("save_figure(" in "".join(c.get("source", "")) for c in data["cells"] if c["cell_type"] == "code")
    assert html.count("<img") >= saved


def test_index_page_links_every_notebook(executed):
    index = (paths.BUILD_DIR / "index.html").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        rel = output_path(nb).relative_to(paths.BUILD_DIR).with_suffix(".html").as_posix()
        assert f'href="{rel}"' in index, rel
    assert "clusters.xlsx" in index or not (paths.CLEAN_DIR / "clusters.xlsx").exists()


def test_a_failing_notebook_is_named_with_its_cell(tmp_path, monkeypatch):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('lang = "zh"\noutput_dir = None', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('boom')"),
    ]
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    nbformat.write(nb, nb_dir / "99_broken.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nb_dir)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path / "build")
    monkeypatch.setattr(paths, "BUILD_NOTEBOOKS_DIR", tmp_path / "build" / "notebooks")
    monkeypatch.setattr(paths, "FIGURES_DIR", tmp_path / "build" / "figures")
    messages: list[str] = []
    status = run_all(jobs=1, progress=messages.append)
    assert status == 1
    failed = [m for m in messages if "FAILED" in m and "99_broken.ipynb" in m]
    assert failed and "ValueError" in failed[0] and "boom" in failed[0] and "cell" in failed[0], messages
