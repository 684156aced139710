"""Every notebook runs top to bottom on a fresh kernel (via `python -m helpers notebooks`, into the session's
temporary build folder), with no error, no missing-glyph warning and no warning of any kind in its outputs, and
writes its HTML copy: titled by the notebook, linking back to the index, with the CJK web font, and no absolute path
of the machine in any output."""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path

import pytest

from helpers import paths
from helpers import run_notebooks as rn
from helpers.run_notebooks import discover, notebook_title, output_path, run_all

NOTEBOOKS = discover()


@pytest.fixture(scope="module")
def executed(collection):
    return collection


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_notebook_runs_clean(executed, build_root, nb):
    status, messages = executed
    name = str(nb.relative_to(paths.PROJECT_ROOT))
    failures = [m for m in messages if "FAILED" in m and name in m]
    assert not failures, "\n".join(failures)
    out = output_path(nb, build_root)
    assert out.exists() and out.with_suffix(".html").exists()
    data = json.loads(out.read_text(encoding="utf-8"))
    for i, cell in enumerate(data["cells"]):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"cell {i} raised"
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = "".join(output.get("text", ""))
                assert "Warning" not in text and "warning" not in text, f"cell {i} warned: {text[:300]}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_every_saved_chart_is_also_shown_in_the_notebook_and_its_html(executed, build_root, nb):
    if nb.stem.endswith("_exercises"):
        pytest.skip("exercise notebooks draw their charts only once the student has answered")
    data = json.loads(output_path(nb, build_root).read_text(encoding="utf-8"))
    for i, cell in enumerate(data["cells"]):
        source = "".join(cell.get("source", ""))
        if cell["cell_type"] != "code" or "save_figure(" not in source:
            continue
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        assert len(images) >= source.count("save_figure("), f"cell {i} saves a chart but shows none inline"
    html = output_path(nb, build_root).with_suffix(".html").read_text(encoding="utf-8")
    saved = sum("save_figure(" in "".join(c.get("source", "")) for c in data["cells"] if c["cell_type"] == "code")
    assert html.count("<img") >= saved
    # Every image shown is a PNG the notebook saved, with its title as alt text (a figure the inline backend drew
    # for the screen would have none), in the notebook and in the HTML page.
    shown = [o for c in data["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    alts = [(o.get("metadata", {}).get("image/png") or {}).get("alt") for o in shown]
    assert all(alts) and len(shown) >= saved, alts
    page_alts = re.findall(r'<img alt="([^"]*)"', html)
    assert [html_module.unescape(a) for a in page_alts] == alts


def test_every_chart_the_collection_writes_has_its_data_and_citation_beside_it(executed, build_root):
    """Beside every PNG in figures/: ``<name>.csv`` (the rows drawn, with fact ids, files and lines) and
    ``<name>.cite.txt`` (zh and en lines naming the project, the chart's file and the files it draws on)."""
    pngs = sorted((build_root / "figures").glob("*.png"))
    assert pngs, "the collection wrote no chart"
    lacking = [p.name for p in pngs if not (p.with_suffix(".csv").is_file() and p.with_suffix(".cite.txt").is_file())]
    assert not lacking, f"charts without data or citation beside them: {lacking}"
    for png in pngs:
        zh, en = png.with_suffix(".cite.txt").read_text(encoding="utf-8").splitlines()[:2]
        assert png.name in zh and png.name in en and "数据集版本" in zh and "dataset version" in en, png.name


def test_index_page_links_every_notebook(executed, build_root):
    index = (build_root / "index.html").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        rel = output_path(nb, build_root).relative_to(build_root).with_suffix(".html").as_posix()
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
    messages: list[str] = []
    status = run_all(jobs=1, progress=messages.append, output_root=tmp_path / "build")
    assert status == 1
    failed = [m for m in messages if "FAILED" in m and "99_broken.ipynb" in m]
    assert failed and "ValueError" in failed[0] and "boom" in failed[0] and "cell" in failed[0], messages


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_html_page_is_titled_links_the_index_and_ships_its_cjk_font(executed, build_root, nb):
    from fontTools.ttLib import TTFont

    page_path = output_path(nb, build_root).with_suffix(".html")
    page = page_path.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S).group(1)
    assert title.strip() == notebook_title(nb).replace("&", "&amp;") and title.strip() != "Notebook"
    back = re.search(r'<nav class="clusters-back"[^>]*><a href="([^"]+)"', page)
    assert back and (page_path.parent / back.group(1)).resolve() == (build_root / "index.html").resolve()
    face = re.search(r'@font-face \{[^}]*src: url\("([^"]+)"\) format\("(woff2?)"\)', page)
    assert face, "no @font-face for the CJK web font"
    font_file = page_path.parent / face.group(1)
    assert font_file.is_file() and font_file.suffix == "." + face.group(2)
    covered = set(TTFont(str(font_file)).getBestCmap())
    cjk = set(rn._page_chars(page))
    assert cjk, "no Chinese text on the page"
    missing = sorted(ch for ch in cjk if ord(ch) not in covered and ord(ch) in _bundled_cmap())
    assert not missing, f"web font lacks {''.join(missing[:40])}"


_CMAP: list[set[int]] = []


def _bundled_cmap() -> set[int]:
    """The characters the bundled font has (the subset can only cover those)."""
    if not _CMAP:
        from fontTools.ttLib import TTFont

        from helpers.style import bundled_font_path

        _CMAP.append(set(TTFont(str(bundled_font_path()), fontNumber=rn.WEB_FONT_FACE, lazy=True).getBestCmap()))
    return _CMAP[0]


def test_no_output_holds_an_absolute_path_of_the_machine(executed, build_root):
    """The injected parameters, papermill's metadata and every printed path are relative: no page or executed
    notebook names the project folder, the build folder, or a home or temporary folder."""
    needles = {str(paths.PROJECT_ROOT), str(build_root), "/root/", "/home/", "/tmp/"}  # allow-absolute-path
    built = sorted(build_root.rglob("*.html")) + sorted((build_root / "notebooks").rglob("*.ipynb"))
    assert len(built) > len(NOTEBOOKS)
    found = []
    for f in built:
        if "cache" in f.relative_to(build_root).parts:
            continue  # the cache holds the same files
        text = f.read_text(encoding="utf-8")
        for needle in needles:
            if needle in text:
                at = text.index(needle)
                found.append(f"{f.relative_to(build_root)}: {text[max(0, at - 80) : at + 80]!r}")
    assert not found, "\n".join(found[:10])


def test_index_says_which_notebooks_ran_and_has_the_font(executed, build_root):
    index = (build_root / "index.html").read_text(encoding="utf-8")
    assert "@font-face" in index and f"fonts/{rn.WEB_FONT_NAME}" in index
    assert (build_root / "fonts" / rn.WEB_FONT_NAME).is_file()
    assert "executed" in index and "reused from the cache" in index
    assert not Path(paths.BUILD_DIR / "index.html").is_relative_to(build_root)
