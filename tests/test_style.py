"""House style: CJK font, no missing glyphs or bold look-ups in PNG/SVG/PDF, unit formatters, export sizes."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib import font_manager
from PIL import Image

from helpers import charts, export, paths, style

#: These tests draw bare sample figures with no data rows: no CSV or citation is expected beside them.
pytestmark = pytest.mark.filterwarnings("ignore::helpers.export.MissingDataWarning")

ZH = "产业集群产值 1,234 亿元 ≥ ~ −5"
EN = "Cluster output 1,234 CNY 100 m ≥ ~ −5"


@contextmanager
def font_problems():
    """Collect glyph and font warnings, whether raised as warnings or logged (findfont logs)."""
    found: list[str] = []

    class Grab(logging.Handler):
        def emit(self, record):
            found.append(record.getMessage())

    handler = Grab(level=logging.DEBUG)
    logger = logging.getLogger("matplotlib")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
        found.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    found[:] = [m for m in found if re.search(r"glyph|missing|findfont|font", m, re.IGNORECASE)]


def _figure_with(text: str, title_weight=None):
    fig, ax = export.new_figure("half")
    ax.set_title(text) if title_weight is None else ax.set_title(text, fontweight=title_weight)
    ax.set_xlabel(text)
    ax.plot([0, 1], [-1, 2])
    charts.add_source(fig, ["lower_bound", "approx"], "zh" if text == ZH else "en")
    return fig


def test_use_house_style_is_idempotent_and_registers_cjk_once():
    first = dict(style.use_house_style())
    n_fonts = len(font_manager.fontManager.ttflist)
    second = dict(style.use_house_style())
    assert first == second
    assert len(font_manager.fontManager.ttflist) == n_fonts
    family = style.cjk_family()
    assert family in {f.name for f in font_manager.fontManager.ttflist}
    assert mpl.rcParams["font.family"] == style.font_families() == mpl.rcParams["font.sans-serif"]
    assert family in mpl.rcParams["font.family"]
    assert mpl.rcParams["svg.fonttype"] == "path"
    assert mpl.rcParams["pdf.fonttype"] == mpl.rcParams["ps.fonttype"] == 3  # Type 3: see style.PDF_FONTTYPE
    for key in ("font.weight", "axes.titleweight", "axes.labelweight", "figure.titleweight"):
        assert mpl.rcParams[key] == "normal", key
    assert [c.lower() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"][:3]] == [
        "#0072b2",
        "#e69f00",
        "#009e73",
    ]


def test_bundled_font_is_found():
    path = style.bundled_font_path()
    assert path is not None and path.suffix == ".ttc" and path.stat().st_size > 1_000_000


@pytest.mark.parametrize("text", [ZH, EN], ids=["zh", "en"])
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_no_missing_glyphs_or_font_fallback(tmp_path, text, fmt):
    style.use_house_style()
    fig = _figure_with(text)
    with font_problems() as problems:
        fig.savefig(tmp_path / f"x.{fmt}", format=fmt)
    plt.close(fig)
    assert problems == []


def test_detector_catches_missing_glyphs_and_bold(tmp_path):
    """The check above can fail: without a CJK font, Chinese text warns; asking for bold logs findfont."""
    style.use_house_style()
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}), font_problems() as problems:
        fig, ax = plt.subplots()  # (not new_figure, which re-applies the house fonts)
        ax.set_title(ZH)  # text takes its font families when it is created
        fig.savefig(tmp_path / "bad.png")
    plt.close(fig)
    assert any("missing" in m.lower() for m in problems)
    fig = _figure_with(EN, title_weight="bold")
    cached = getattr(font_manager.fontManager, "_findfont_cached", None)
    if cached is not None:
        cached.cache_clear()  # findfont logs once per look-up; make it look again
    with font_problems() as problems:
        fig.savefig(tmp_path / "bold.png")
    plt.close(fig)
    if style.cjk_family() == style.BUNDLED_FAMILY:
        assert any("bold" in m for m in problems)


def test_chinese_text_is_in_the_figure_and_embedded(tmp_path):
    style.use_house_style()
    fig = _figure_with(ZH)
    texts = [t.get_text() for t in fig.findobj(mpl.text.Text)]
    assert any("产业集群" in t for t in texts)
    assert any(t.startswith(charts.SOURCE_TEXT["zh"][:5]) for t in texts)
    out = export.save_figure(fig, "zh_sample", out_dir=tmp_path, formats=export.FORMATS)
    plt.close(fig)
    svg = out["svg"].read_text(encoding="utf-8")
    assert "<text" not in svg  # text drawn as paths: shows without the font installed
    family_id = style.cjk_family().replace(" ", "")
    assert len(re.findall(r'<path id="[^"]*' + family_id[:8], svg, flags=re.IGNORECASE)) >= 10
    pdf = out["pdf"].read_bytes()
    assert b"/Subtype /Type3" in pdf and b"/ToUnicode" in pdf  # glyphs embedded as drawings, text extractable
    assert b"/FontFile2" not in pdf  # no TrueType declaration holding CFF outlines (garbage in gs and MuPDF)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+" + family_id[:8].encode(), pdf, flags=re.IGNORECASE)


@pytest.mark.parametrize(("width", "cm"), [("full", 16.5), ("half", 8.0)])
def test_save_figure_sizes_and_dpi(tmp_path, width, cm):
    fig, ax = export.new_figure(width, aspect=0.5)
    ax.plot([1, 2], [3, 4])
    charts.add_source(fig, [], "en")
    out = export.save_figure(fig, f"size_{width}.png", out_dir=tmp_path, formats=("png", "svg", "pdf"))
    plt.close(fig)
    assert set(out) == {"png", "svg", "pdf"} and all(p.is_file() for p in out.values())
    assert out["png"].name == f"size_{width}.png"
    with Image.open(out["png"]) as im:
        assert abs(im.size[0] - cm / 2.54 * 300) <= 1
        assert abs(im.size[1] - cm * 0.5 / 2.54 * 300) <= 1
        assert round(im.info["dpi"][0]) == 300
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", out["pdf"].read_bytes())
    assert abs(float(box.group(1)) - cm / 2.54 * 72) < 0.5
    svg_width = re.search(r'<svg[^>]*width="([\d.]+)pt"', out["svg"].read_text(encoding="utf-8"))
    assert abs(float(svg_width.group(1)) - cm / 2.54 * 72) < 0.5


def test_save_figure_defaults_to_figures_dir_and_resizes(tmp_path):
    # The default folder comes from helpers.paths, which CLUSTERS_PROJECT_ROOT moves (no global is patched).
    code = (
        "from helpers import charts, export\n"
        "fig, _ax = export.new_figure('full', aspect=0.5)\n"
        "charts.add_source(fig, [], 'zh')\n"
        "print(export.save_figure(fig, 'resized', width='half', formats=('png',))['png'])\n"
    )
    env = {**os.environ, "CLUSTERS_PROJECT_ROOT": str(tmp_path), "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    png = Path(proc.stdout.strip())
    assert png.parent == tmp_path / "build" / "figures"
    with Image.open(png) as im:
        assert abs(im.size[0] - 8.0 / 2.54 * 300) <= 1
        assert abs(im.size[1] - 4.0 / 2.54 * 300) <= 1


def test_save_figure_warns_without_source_line(tmp_path):
    fig, _ax = export.new_figure("half")
    with pytest.warns(export.MissingSourceWarning):
        export.save_figure(fig, "nosource", out_dir=tmp_path, formats=("png",))
    plt.close(fig)


def test_label_and_lang():
    assert style.label("浙江", "Zhejiang", "zh") == "浙江"
    assert style.label("浙江", "Zhejiang", "en") == "Zhejiang"
    assert style.label("宝应", float("nan"), "en") == "宝应"
    assert style.label(None, "Hebei", "zh") == "Hebei"
    assert style.label(None, None, "zh") == ""
    with pytest.raises(ValueError):
        style.label("a", "b", "fr")


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        ("亿元", 1.5e11, "1,500"),
        ("亿元", 2.5e8, "2.5"),
        ("万元", 12_340_000, "1,234"),
        ("CNY bn", 1.5e11, "150"),
        ("%", 0.125, "12.5"),
        ("USD m", -2.0e9, "\u22122,000"),
    ],
)
def test_axis_formatter_converts_from_standard_units(unit, value, expected):
    assert style.axis_formatter(unit)(value, 0) == expected


def test_format_axis_cny_sets_ticks_and_returns_unit_label():
    fig, ax = export.new_figure("half")
    ax.plot([0, 1], [0, 3e11])
    assert style.format_axis_cny(ax, "亿元", "zh") == "亿元"
    assert style.format_axis_cny(ax, "亿元", "en") == "CNY 100 m"
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "3,000" in labels
    plt.close(fig)
    assert style.axis_title("产值", "Output", "CNY bn", "en") == "Output (CNY bn)"
    assert style.axis_title("产值", "Output", "亿元", "zh") == "产值（亿元）"
    with pytest.raises(ValueError):
        style.get_unit("lakh")


def test_add_source_footer_text_notes_and_replacement():
    fig, _ax = export.new_figure("half")
    charts.add_source(fig, ["lower_bound", "approx", "approx", "year as printed, unverified"], "en")
    charts.add_source(fig, ["lower_bound", "target"], "zh")
    footers = [t for t in fig.texts if t is getattr(fig, "_house_source", None)]
    assert len(fig.texts) == 1 and len(footers) == 1
    text = footers[0].get_text().replace("\n", "")
    assert text.startswith("资料来源：")
    assert "下限" in text and "目标" in text and "Source" not in text
    plt.close(fig)
    fig, _ax = export.new_figure("half")
    charts.add_source(fig, ["approx", "approx"], "en")
    text = fig._house_source.get_text().replace("\n", " ")
    assert text.startswith("Source: Chinese reports on industrial clusters")
    assert text.count("~: approximate") == 1
    # wrapped to the figure width: every line fits inside 8 cm
    assert all(charts._text_width_pt(line, style.SIZES["source"]) < 8 / 2.54 * 72 for line in fig._house_source_lines)
    plt.close(fig)


def _env():
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(paths.PROJECT_ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def test_import_helpers_stays_cheap():
    code = (
        "import sys, helpers, helpers.style, helpers.charts, helpers.export, helpers.maps;"
        "heavy = [m for m in ('geopandas', 'seaborn') if m in sys.modules];"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env())
    assert done.stdout.strip() == "[]"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, helpers; print(sorted(m for m in sys.modules if m.startswith('helpers.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    for mine in ("helpers.style", "helpers.charts", "helpers.export", "helpers.maps"):
        assert mine not in done.stdout


def test_save_figure_lays_out_once_for_the_saved_size_and_restores_the_layout_engine(tmp_path):
    fig, ax = export.new_figure("full", aspect=0.5)
    ax.barh(["一个很长很长的产业集群名称", "短名"], [3, 4])
    ax.set_xlabel("亿元")
    charts.add_source(fig, [], "zh")
    fig.draw_without_rendering()
    full_x0 = ax.get_position().x0
    engine = fig.get_layout_engine()
    export.save_figure(fig, "layout", width="half", out_dir=tmp_path, formats=("png", "svg"))
    assert fig.get_layout_engine() is engine
    saved = ax.get_position().bounds
    fig.set_dpi(export.PNG_DPI)  # the shared layout is computed at the PNG's resolution
    fig.draw_without_rendering()  # constrained layout again, at the half width: nothing should move
    assert ax.get_position().bounds == pytest.approx(saved, abs=1e-9)
    assert saved[0] > full_x0  # the long names take a larger share of the narrower figure
    plt.close(fig)


def test_save_figure_draws_each_file_once_without_layout_again(tmp_path, monkeypatch):
    """After the one layout, each format is drawn once: no layout engine runs inside savefig (a placeholder engine
    left by set_layout_engine("none") would cost every file an extra drawing pass), and the SVG shares the PNG's
    layout rather than laying out again at 72 dpi."""
    from matplotlib.figure import Figure

    fig, ax = export.new_figure("full", aspect=0.5)
    ax.barh(["一个很长很长的产业集群名称", "短名"], [3, 4])
    charts.add_source(fig, [], "zh")
    draws, positions = [], []
    real_draw = Figure.draw

    def counting_draw(self, renderer):
        draws.append(self.get_layout_engine())
        real_draw(self, renderer)
        positions.append(ax.get_position().bounds)

    monkeypatch.setattr(Figure, "draw", counting_draw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", export.MissingDataWarning)
        export.save_figure(fig, "draws", out_dir=tmp_path, formats=("png", "svg"))
    assert len(draws) == 2 and draws == [None, None]  # one drawing per file, with no engine to run
    assert positions[0] == positions[1]
    assert fig.get_layout_engine() is not None  # restored for the user
    plt.close(fig)


def test_save_figure_in_a_notebook_shows_the_saved_png_and_closes_the_figure(tmp_path, monkeypatch):
    """With Jupyter's inline backend the saved PNG is the cell's output (alt text: the chart's title) and the figure
    is closed, so it is not drawn again for the screen; show=False leaves it open; off a notebook nothing is shown."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    monkeypatch.setattr(export, "_inline_backend", lambda: True)

    def chart():
        fig, ax = export.new_figure("half")
        ax.bar(["甲", "乙"], [1, 2])
        ax.set_title("两个集群的产值", loc="left")
        charts.add_source(fig, [], "zh")
        charts.attach_data(fig, pd.DataFrame({"name": ["甲", "乙"], "value": [1, 2]}))
        return fig

    fig = chart()
    out = export.save_figure(fig, "shown", out_dir=tmp_path)
    assert len(shown) == 1 and shown[0].data == out["png"].read_bytes()
    assert shown[0].alt == "两个集群的产值" and shown[0].width == round(fig.get_size_inches()[0] * fig.dpi)
    assert not plt.fignum_exists(fig.number)

    kept = chart()
    export.save_figure(kept, "kept", out_dir=tmp_path, show=False)
    assert len(shown) == 1 and plt.fignum_exists(kept.number)
    export.save_figure(kept, "svg_only", out_dir=tmp_path, formats=("svg",))  # no PNG to show: left to the backend
    assert len(shown) == 1 and plt.fignum_exists(kept.number)
    plt.close(kept)

    monkeypatch.setattr(export, "_inline_backend", lambda: False)
    other = chart()
    export.save_figure(other, "script", out_dir=tmp_path)
    assert len(shown) == 1 and plt.fignum_exists(other.number)
    plt.close(other)


def test_any_character_of_the_font_draws_in_every_format_without_a_font_cache(tmp_path):
    """Charts draw from the full CJK font (no subset built and cached in build/): a character found nowhere in the
    project's data or notebooks (龘) draws like any other, and the PDF keeps it as text."""
    style.use_house_style()
    assert mpl.rcParams["font.family"] == [style.cjk_family(), "DejaVu Sans"]
    assert not hasattr(style, "house_font_subset")
    fig, ax = export.new_figure("half")
    ax.set_title("龘 产业集群 Cluster 45%")
    charts.add_source(fig, [], "zh")
    with font_problems() as problems:
        out = export.save_figure(fig, "any_char", out_dir=tmp_path, formats=export.FORMATS)
    plt.close(fig)
    assert not problems
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
        assert "龘 产业集群 Cluster 45%" in text


def test_save_figure_writes_png_and_svg_unless_asked_for_pdf(tmp_path, monkeypatch):
    monkeypatch.delenv(export.FORMATS_ENV, raising=False)
    fig, _ax = export.new_figure("half")
    charts.add_source(fig, [], "en")
    assert export.default_formats() == ("png", "svg")
    assert set(export.save_figure(fig, "default", out_dir=tmp_path)) == {"png", "svg"}
    assert not (tmp_path / "default.pdf").exists()
    monkeypatch.setenv(export.FORMATS_ENV, "png, PDF")  # what `python -m helpers notebooks --formats` passes on
    assert set(export.save_figure(fig, "asked", out_dir=tmp_path)) == {"png", "pdf"}
    assert set(export.save_figure(fig, "explicit", out_dir=tmp_path, formats=("svg",))) == {"svg"}  # argument wins
    monkeypatch.setenv(export.FORMATS_ENV, "png,gif")
    with pytest.raises(ValueError, match=export.FORMATS_ENV):
        export.save_figure(fig, "bad", out_dir=tmp_path)
    plt.close(fig)
    assert export.parse_formats("png,svg,pdf") == export.FORMATS
    with pytest.raises(ValueError):
        export.parse_formats("")


def test_saved_png_keeps_the_longest_label_inside_the_figure(tmp_path):
    """The shared layout is computed at the PNG's resolution: at screen resolution text measures narrower and the
    longest tick label came out clipped at the left edge of the 300-dpi PNG."""
    import numpy as np

    fig, ax = export.new_figure("full", aspect=0.4)
    ax.barh(["诸城食品包装机械（规模/限额以上）", "沁阳铝及铝加工", "海淀中关村"], [10, 20, 30])
    charts.add_source(fig, [], "zh")
    out = export.save_figure(fig, "long_label", out_dir=tmp_path, formats=("png",))
    plt.close(fig)
    with Image.open(out["png"]) as im:
        grey = np.asarray(im.convert("L"))
    inked = np.where((grey < 200).any(axis=0))[0]
    assert inked.min() >= 3, "the leftmost label touches the figure's edge (clipped)"
