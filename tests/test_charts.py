"""Chart helpers in both languages: names, qualifier marks, source line, units, no missing glyphs."""

from __future__ import annotations

import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from helpers import charts, export

LANGS = ["zh", "en"]


def facts() -> pd.DataFrame:
    """A hand-made slice of the clean facts table (values in yuan), joined to cluster names."""
    return pd.DataFrame(
        {
            "fact_id": [f"a-00{i}" for i in range(1, 7)],
            "cluster_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
            "name_zh": ["义乌小商品", "绍兴纺织", "诸城汽车", "大唐袜业", "东莞电子", "宝应玻璃"],
            "name_en": ["Yiwu commodities", "Shaoxing textiles", "Zhucheng autos", "Datang socks", "Dongguan IT", None],
            "province_zh": ["浙江", "浙江", "山东", "浙江", "广东", "江苏"],
            "province_en": ["Zhejiang", "Zhejiang", "Shandong", "Zhejiang", "Guangdong", "Jiangsu"],
            "metric": ["output_value"] * 6,
            "value_std": [1.2e11, 8.5e10, 3.0e10, 1.5e10, 2.2e11, 4.5e9],
            "unit_std": ["CNY"] * 6,
            "value_low_std": [1.2e11, np.nan, 2.5e10, np.nan, 2.2e11, np.nan],
            "value_high_std": [np.nan, np.nan, 3.5e10, np.nan, np.nan, 4.5e9],
            "qualifier": ["more_than", "approx", "range", "exact", "at_least", "less_than"],
            "kind": ["actual", "actual", "actual", "target", "actual", "actual"],
            "year": ["2010", "2010", "2006-2010", "2015", "2010", "2003"],
            "year_reliable": [True, True, True, True, True, False],
        }
    )


def _save_cleanly(fig, tmp_path, name):
    """Save in all formats, failing on any glyph / font warning or log record."""
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logging.getLogger("matplotlib").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = export.save_figure(fig, name, out_dir=tmp_path, formats=export.FORMATS)
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    problems = [str(w.message) for w in caught] + [r for r in records if "font" in r.lower()]
    assert problems == []
    plt.close(fig)
    return out


def _footer(fig) -> str:
    return fig._house_source.get_text().replace("\n", "")


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0.5]


@pytest.mark.parametrize("lang", LANGS)
def test_bar_ranked_names_order_and_marks(tmp_path, lang):
    fig, ax = charts.bar_ranked(facts(), lang=lang, unit="亿元", title=("产值", "Output"))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    positions = list(ax.get_yticks())
    assert positions == sorted(positions, reverse=True)  # first label is the top bar
    if lang == "zh":
        assert ticks == ["东莞电子", "义乌小商品", "绍兴纺织", "诸城汽车", "大唐袜业", "宝应玻璃"]
    else:
        # top to bottom; the missing English name falls back to Chinese
        assert ticks == [
            "Dongguan IT",
            "Yiwu commodities",
            "Shaoxing textiles",
            "Zhucheng autos",
            "Datang socks",
            "宝应玻璃",
        ]
    assert ax.get_title(loc="left") == ("产值" if lang == "zh" else "Output")
    labels = [t.get_text() for t in ax.texts]
    assert any(t.startswith("≥2,200") for t in labels)
    assert any(t.startswith(">1,200") for t in labels)
    assert any(t.startswith("~850") for t in labels)
    assert any(t.startswith("250–350") for t in labels)
    assert any(t.startswith("<45") and "2003?" in t for t in labels)
    assert any(("目标" if lang == "zh" else "target") in t for t in labels)
    bars = {round(b.get_width() / 1e8): b for b in _bars(ax)}
    assert bars[2200].get_hatch() and bars[1200].get_hatch() == bars[2200].get_hatch()
    assert bars[300].get_hatch() is None  # plain bar, range shown by whisker
    assert bars[150].get_facecolor()[:3] == (1.0, 1.0, 1.0)  # target: hollow
    assert bars[1200].get_facecolor()[:3] != (1.0, 1.0, 1.0)
    # every value label fits inside the axes
    fig.canvas.draw()
    right = ax.get_window_extent().x1
    assert all(t.get_window_extent().x1 <= right + 1 for t in ax.texts)
    footer = _footer(fig)
    if lang == "zh":
        assert footer.startswith("资料来源：") and "下限" in footer and "约数" in footer and "未经核实" in footer
    else:
        assert footer.startswith("Source: ") and "lower bound" in footer and "approximate" in footer
        assert "year as printed, unverified" in footer and "target" in footer
    xlabel = ax.get_xlabel()
    assert xlabel == ("产值（亿元）" if lang == "zh" else "Gross output value (CNY 100 m)")
    _save_cleanly(fig, tmp_path, f"bar_{lang}")


def test_bar_ranked_plain_values_have_no_marks_or_notes():
    df = facts().assign(qualifier="exact", kind="actual", year="2010", year_reliable=True)
    fig, ax = charts.bar_ranked(df, lang="en", unit="CNY bn", top=3)
    assert len(_bars(ax)) == 3
    assert all(b.get_hatch() is None for b in _bars(ax))
    assert "Notes" not in _footer(fig)
    assert [t.get_text() for t in ax.texts] == ["220 (2010)", "120 (2010)", "85 (2010)"]
    plt.close(fig)


def test_no_year_note_when_years_are_not_shown():
    df = facts()
    fig, _ = charts.bar_ranked(df, lang="en", unit="亿元", show_year=False)
    assert "unverified" not in _footer(fig)  # the "?" mark belongs to the year label, which is hidden
    plt.close(fig)
    fig, _ = charts.bar_ranked(df, lang="en", unit="亿元", show_year=True)
    assert "unverified" in _footer(fig)
    plt.close(fig)


def test_bar_ranked_refuses_mixed_units_and_metrics():
    with pytest.raises(ValueError, match="display unit"):
        charts.bar_ranked(facts(), unit="USD m")
    mixed = facts()
    mixed.loc[0, "metric"] = "revenue"
    with pytest.raises(ValueError, match="one metric"):
        charts.bar_ranked(mixed)


def growth() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "province_zh": ["浙江", "江苏", "广东", "山东"],
            "province_en": ["Zhejiang", "Jiangsu", "Guangdong", "Shandong"],
            "stated": [0.15, 0.22, 0.08, -0.02],
            "recomputed": [0.12, 0.25, 0.09, 0.01],
            "qualifier": ["approx", "exact", "more_than", "exact"],
            "kind": ["actual", "target", "actual", "actual"],
        }
    )


@pytest.mark.parametrize("lang", LANGS)
def test_compare_points(tmp_path, lang):
    fig, ax = charts.compare_points(growth(), lang=lang, unit="%", title=("增长率", "Growth"))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == (
        ["江苏", "浙江", "广东", "山东"] if lang == "zh" else ["Jiangsu", "Zhejiang", "Guangdong", "Shandong"]
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == (["报告值", "重算值"] if lang == "zh" else ["Stated", "Recomputed"])
    stated = [line for line in ax.lines if line.get_marker() in ("o", ">", "<") and len(line.get_xdata()) == 1]
    by_x = {round(float(line.get_xdata()[0]), 2): line for line in stated}
    assert by_x[0.08].get_marker() == ">"  # lower bound
    assert by_x[0.22].get_markerfacecolor() == "white"  # target: hollow
    assert by_x[0.15].get_markerfacecolor() != "white"
    fig.canvas.draw()
    assert "15" in [t.get_text() for t in ax.get_xticklabels()]  # ratio shown as %
    assert ("▶" in _footer(fig)) and ("~" in _footer(fig))
    _save_cleanly(fig, tmp_path, f"cmp_{lang}")


def series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name_zh": ["义乌"] * 5 + ["绍兴"] * 3,
            "name_en": ["Yiwu"] * 5 + ["Shaoxing"] * 3,
            "metric": ["output_value"] * 8,
            "unit_std": ["CNY"] * 8,
            "year": ["2001", "2003", "2005", "2008", "2015", "2002", "2006-2010", "2012"],
            "value_std": [2e10, 3e10, 4.2e10, 6e10, 1.2e11, 1e10, 2e10, 3e10],
            "kind": ["actual"] * 4 + ["target"] + ["actual"] * 3,
            "qualifier": ["exact", "approx", "exact", "more_than", "exact", "exact", "exact", "exact"],
            "year_reliable": [True, True, False, True, True, True, True, True],
        }
    )


@pytest.mark.parametrize("lang", LANGS)
def test_series_line(tmp_path, lang):
    fig, ax = charts.series_line(series(), lang=lang, unit="亿元" if lang == "zh" else "CNY bn")
    fig.canvas.draw()
    xticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "2004" in xticks and not any("," in t for t in xticks)  # years without separators
    yticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ("1,200" if lang == "zh" else "120") in yticks
    assert ax.get_ylim()[0] == 0
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == (["义乌", "绍兴"] if lang == "zh" else ["Yiwu", "Shaoxing"])
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and list(dashed[0].get_xdata()) == [2008.0, 2015.0]  # last actual to target
    period = [line for line in ax.lines if list(line.get_xdata()) == [2006.0, 2010.0]]
    assert len(period) == 1
    tags = [t.get_text() for t in ax.texts]
    assert "~" in tags and ">" in tags and "?" in tags
    footer = _footer(fig)
    assert ("整个时期" in footer) if lang == "zh" else ("whole period" in footer)
    _save_cleanly(fig, tmp_path, f"series_{lang}")


def test_parse_year_and_value_label():
    assert charts.parse_year("2003") == (2003, 2003)
    assert charts.parse_year("2006-2010") == (2006, 2010)
    assert charts.parse_year("2006—2010年") == (2006, 2010)
    assert all(np.isnan(v) for v in charts.parse_year("十一五"))
    marks = charts.qualifier_marks(facts())
    assert list(marks["prefix"]) == [">", "~", "", "", "≥", "<"]
    assert list(marks["hollow"]) == [False, False, False, True, False, False]
    assert list(marks["year_unverified"]) == [False] * 5 + [True]
    assert set(charts.notes_for(marks)) == {
        "lower_bound",
        "upper_bound",
        "approx",
        "range",
        "target",
        "year_unverified",
    }


def test_chart_helpers_reject_unknown_language():
    with pytest.raises(ValueError):
        charts.bar_ranked(facts(), lang="de")


def test_metric_label_comes_from_the_clean_metrics_table_not_data_raw():
    import inspect

    from helpers import load

    assert "RAW_DIR" not in inspect.getsource(charts) and "data/raw" not in inspect.getsource(charts)
    row = load.metrics().set_index("metric").loc["output_value"]
    df = pd.DataFrame({"metric": ["output_value"]})
    assert charts.metric_label(df, "zh") == str(row["description_zh"]).split("/")[0].strip() == "产值"
    assert charts.metric_label(df, "en").startswith("Gross output value")
    assert charts.metric_label(pd.DataFrame({"metric": ["no_such_metric"]}), "en") == "Value"
