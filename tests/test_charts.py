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
from helpers.parse import year_bounds

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
    # The test rows include a target (drawn hollow): a mixed ranking must say so (mixed=True).
    fig, ax = charts.bar_ranked(facts(), lang=lang, unit="亿元", title=("产值", "Output"), mixed=True)
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
    fig, _ = charts.bar_ranked(df, lang="en", unit="亿元", show_year=False, mixed=True)
    assert "unverified" not in _footer(fig)  # the "?" mark belongs to the year label, which is hidden
    plt.close(fig)
    fig, _ = charts.bar_ranked(df, lang="en", unit="亿元", show_year=True, mixed=True)
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


def test_year_bounds_and_value_label():
    assert year_bounds("2003") == (2003, 2003)
    assert year_bounds("2006-2010") == (2006, 2010)
    assert year_bounds("2006—2010年") == (2006, 2010)
    assert year_bounds("十一五") == (None, None)
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


def _period_facts() -> pd.DataFrame:
    """Output figures of one scope and basis from two periods, one a lower bound."""
    return pd.DataFrame(
        {
            "fact_id": ["t-001", "t-002", "t-003", "t-004"],
            "name_zh": ["绍兴纺织", "宁波服装", "晋江鞋业", "小榄五金"],
            "name_en": ["Shaoxing textiles", "Ningbo apparel", "Jinjiang shoes", "Xiaolan hardware"],
            "metric": ["output_value"] * 4,
            "value_std": [7.378e10, 5.0e10, 1.5e10, 1.738e10],
            "unit_std": ["CNY"] * 4,
            "qualifier": ["exact", "exact", "more_than", "exact"],
            "kind": ["actual"] * 4,
            "scope": ["cluster"] * 4,
            "basis": ["output_unspecified"] * 4,
            "period_zh": ["表 2（约 2003 年）", "表 2（约 2003 年）", "未注年份", "表 2（约 2003 年）"],
            "period_en": ["Table 2 (c. 2003)", "Table 2 (c. 2003)", "no year printed", "Table 2 (c. 2003)"],
        }
    )


@pytest.mark.parametrize("lang", LANGS)
def test_dot_chart_groups_by_period_and_ranks_within(tmp_path, lang):
    fig, ax = charts.dot_chart(_period_facts(), lang=lang, group_cols=("period_zh", "period_en"),
                               title=("产值", "Output"))  # fmt: skip
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    if lang == "en":
        # ranked within each group; the groups keep their first-seen order
        assert ticks == ["Shaoxing textiles", "Ningbo apparel", "Xiaolan hardware", "Jinjiang shoes"]
        headings = [t.get_text() for t in ax.texts]
        assert "Table 2 (c. 2003)" in headings and "no year printed" in headings
        assert ">150" in headings
    footer = _footer(fig)
    assert ("口径" in footer) if lang == "zh" else ("basis: output value (kind not stated)" in footer)
    out = _save_cleanly(fig, tmp_path, f"dots_{lang}")
    rows = pd.read_csv(out["csv"], encoding="utf-8-sig")
    assert list(rows["fact_id"]) == ["t-001", "t-002", "t-004", "t-003"]


def test_dot_chart_refuses_a_ranking_of_mixed_scopes_but_draws_bands_in_order():
    mixed = _period_facts().assign(scope=["cluster", "cluster", "segment", "cluster"])
    with pytest.raises(ValueError, match="scopes"):
        charts.dot_chart(mixed, lang="en")
    bands = pd.DataFrame(
        {
            "band_zh": ["≥5000万元", "≥1000万元", "全部企业"],
            "band_en": ["≥ CNY 50 m", "≥ CNY 10 m", "all firms"],
            "value_std": [4, 20, 200],
            "unit_std": ["count"] * 3,
            "qualifier": ["exact", "more_than", "more_than"],
            "scope": ["size_band", "size_band", "cluster"],
            "printed": ["4家", "20多家", "2/3"],
        }
    )
    fig, ax = charts.dot_chart(bands, name_cols=("band_zh", "band_en"), lang="en", unit="家", sort=False, log=True,
                               label_col="printed")  # fmt: skip
    assert [t.get_text() for t in ax.get_yticklabels()] == ["≥ CNY 50 m", "≥ CNY 10 m", "all firms"]
    assert ax.get_xscale() == "log" and "log scale" in ax.get_xlabel()
    assert "2/3" in [t.get_text() for t in ax.texts]  # a label as printed, not 66.7
    assert list(fig._house_data["value_std"]) == [4, 20, 200]
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_dumbbell_two_ends_ranked_by_the_end_with_its_data(tmp_path, lang):
    pairs = pd.DataFrame(
        {
            "name_zh": ["小榄五金", "嵊州领带"],
            "name_en": ["Xiaolan hardware", "Shengzhou ties"],
            "start": [4525e4 / 4552, 1.2e8 / 4383],
            "end": [1.738e10 / 82456, 5.4e9 / 20147],
            "unit_std": ["CNY", "CNY"],
            "cagr_text": ["17.4%", "12.9%"],
        }
    )
    fig, ax = charts.dumbbell(pairs, lang=lang, unit="万元", log=True, annotate_col="cagr_text",
                              series_labels=(("1985年", "1985"), ("2004年", "2004")))  # fmt: skip
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] in {"嵊州领带", "Shengzhou ties"}  # the larger 2004 value first
    texts = [t.get_text() for t in ax.texts]
    assert "17.4%" in texts and "26.8" in texts and "0.99" in texts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == (["1985年", "2004年"] if lang == "zh" else
                                                                 ["1985", "2004"])  # fmt: skip
    out = _save_cleanly(fig, tmp_path, f"dumbbell_{lang}")
    assert out["csv"].exists()


def test_dumbbell_refuses_rows_of_different_bases():
    pairs = pd.DataFrame({"name_en": ["a", "b"], "start": [1.0, 2.0], "end": [3.0, 4.0],
                          "basis": ["gross_industrial_output", "total_output"]})  # fmt: skip
    with pytest.raises(ValueError, match="bases"):
        charts.dumbbell(pairs, name_cols=("name_en",), lang="en", unit="元")


def test_compare_points_and_series_line_keep_their_rows():
    df = facts()
    fig, _ax = charts.compare_points(df.assign(stated=df["value_std"], recomputed=df["value_std"] * 1.1),
                                     lang="en", unit="亿元")  # fmt: skip
    assert list(fig._house_data["fact_id"]) == list(df.sort_values("value_std", ascending=False)["fact_id"])
    plt.close(fig)
    fig, _ax = charts.series_line(df[df["kind"].eq("actual")].iloc[:2], lang="en", unit="亿元")
    assert set(fig._house_data["fact_id"]) == {"a-001", "a-002"}
    plt.close(fig)


def test_a_ranking_refuses_mixed_scopes_bases_and_targets_unless_marked():
    df = facts().assign(kind="actual", scope="cluster", basis="output_unspecified")
    charts.bar_ranked(df, lang="en")  # one scope, one basis, actual only
    for col, other in (("scope", "segment"), ("basis", "gross_industrial_output"), ("kind", "target")):
        mixed = df.copy()
        mixed.loc[mixed.index[0], col] = other
        with pytest.raises(ValueError, match="compares like with like"):
            charts.bar_ranked(mixed, lang="en")
    marked = df.copy()
    marked.loc[marked.index[0], "scope"] = "segment"
    fig, ax = charts.bar_ranked(marked, lang="en", mixed=True)
    assert any("[one segment of the cluster]" in t.get_text() for t in ax.get_yticklabels())
    plt.close(fig)
    restricted = df.assign(scope="above_quota")
    fig, _ = charts.bar_ranked(restricted, lang="en")
    assert "scope: firms above quota" in _footer(fig) and "basis: output value (kind not stated)" in _footer(fig)
    plt.close(fig)


def test_saved_chart_writes_its_rows_beside_it(tmp_path):
    df = facts().assign(kind="actual", scope="cluster", source_file="x.txt", source_line=3)
    fig, _ = charts.bar_ranked(df, lang="en")
    out = export.save_figure(fig, "rows", out_dir=tmp_path, formats=("png",))
    plt.close(fig)
    rows = pd.read_csv(out["csv"], encoding="utf-8-sig")
    assert len(rows) == len(df) and {"fact_id", "value_std", "source_file", "source_line"} <= set(rows.columns)


def test_saved_chart_writes_its_citation_beside_it_and_a_chart_without_rows_warns(tmp_path):
    import warnings

    from helpers import load

    f = load.facts()
    df = f[
        f["article_id"].eq("china-overview")
        & f["printed_table"].eq("table-2")
        & f["metric"].eq("market_share_national")
    ].head(4)
    fig, _ = charts.bar_ranked(df.assign(kind="actual", scope="cluster"), lang="zh", unit="%")
    out = export.save_figure(fig, "cited", out_dir=tmp_path, formats=("png",))
    plt.close(fig)
    zh, en = out["cite"].read_text(encoding="utf-8").splitlines()
    lines = sorted(df["source_line"].astype(int))
    for text in (zh, en):
        assert "cited.png" in text and "China industrial clusters notebooks" in text and "数据集版本" not in en
        assert "《小康》" in text and "003_ea17d757428fd9bd.txt" in text and "浙江主要块状经济发展情况" in text
    assert "中国产业集群的兴起、分布与问题" in zh and "表2" in zh and f"第{lines[0]}" in zh
    assert "China overview, Table 2" in en and f"lines {lines[0]}" in en
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    charts.add_source(fig, lang="en")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = export.save_figure(fig, "bare", out_dir=tmp_path, formats=("png",))
    plt.close(fig)
    assert "cite" not in out and any(issubclass(w.category, export.MissingDataWarning) for w in caught)
