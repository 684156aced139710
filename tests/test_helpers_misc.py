"""Small public helpers not exercised elsewhere, on hand-made cases."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers import charts, export, load, maps, style


def test_format_number_and_axis_thousands():
    assert style.format_number(12345.6) == "12,346"
    assert style.format_number(12.34) == "12.3"
    assert style.format_number(-1.234) == "\u22121.23"
    assert style.format_number(float("nan")) == ""
    fig, ax = plt.subplots()
    ax.plot([0, 20000], [0, 30000])
    style.format_axis_thousands(ax, "y")
    fig.canvas.draw()
    assert any("," in t.get_text() for t in ax.get_yticklabels())
    plt.close(fig)


def test_check_lang_and_figure_size():
    assert style.check_lang("en") == "en"
    with pytest.raises(ValueError):
        style.check_lang("fr")
    w, h = export.figure_size("full", aspect=0.5)
    assert w == pytest.approx(16.5 / 2.54) and h == pytest.approx(16.5 / 2.54 / 2)
    assert export.figure_size(10, height_cm=5) == (pytest.approx(10 / 2.54), pytest.approx(5 / 2.54))


def test_metric_label_from_the_vocabulary():
    df = pd.DataFrame({"metric": ["revenue", "revenue"]})
    assert "revenue" in charts.metric_label(df, "en").lower()
    assert charts.metric_label(pd.DataFrame({"metric": ["revenue", "profit"]}), "en") == "Value"


def test_clear_cache_rereads():
    load.facts()
    assert load._read.cache_info().currsize > 0
    load.clear_cache()
    assert load._read.cache_info().currsize == 0
    assert len(load.facts()) > 0


def test_draw_base_draws_every_province():
    style.use_house_style()
    fig, ax = plt.subplots()
    maps.draw_base(ax, lang="en")
    assert len(ax.collections) > 0 or len(ax.patches) > 0
    plt.close(fig)
