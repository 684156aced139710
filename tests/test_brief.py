"""Briefing packs: the PDF, its charts and workbook, the text it shows, and clear errors for unknown names."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers import brief

POPPLER_MISSING = (
    "(Debian package poppler-utils) is not installed: `apt-get install poppler-utils`, or run "
    "`CLUSTERS_INSTALL_SYSTEM_PACKAGES=1 python3 tasks.py test` as root, which installs it"
)


@pytest.fixture(scope="module")
def zhejiang(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefs")
    folder = brief.make_brief(province="浙江", lang="en", out_root=out)
    return folder


def _pdf_text(pdf) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip(f"pdftotext {POPPLER_MISSING}")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_brief_files(zhejiang):
    assert (zhejiang / "brief.pdf").stat().st_size > 10_000
    pngs = sorted(zhejiang.glob("*.png"))
    assert 2 <= len(pngs) <= 4
    for png in pngs:  # every chart: vector copy, its data and its citation in both languages
        assert png.with_suffix(".svg").exists()
        data = pd.read_csv(png.with_suffix(".csv"), encoding="utf-8-sig")
        assert len(data) >= brief.MIN_CHART_ITEMS
        cite = (png.parent / f"{png.stem}.cite.txt").read_text(encoding="utf-8")
        assert "China industrial clusters notebooks" in cite and len(cite.splitlines()) == 2  # zh and en
        if "fact_id" in data:  # a chart of figures names the articles it draws on
            assert "China overview" in cite and "中国产业集群" in cite
    wb = load_workbook(zhejiang / "figures.xlsx")
    assert {"key_figures", "goals", "all_figures", "clusters", "findings"} <= set(wb.sheetnames)
    assert wb["all_figures"].max_row - 1 == len(brief.select(province="浙江").facts)
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)  # never a formula


def test_textiles_select_the_same_clusters_in_both_languages():
    zh, en = brief.select(industry="纺织"), brief.select(industry="textiles")
    assert set(zh.clusters["cluster_id"]) == set(en.clusters["cluster_id"])
    assert {"shaoxing-textiles", "datang-socks", "ningbo-apparel", "shengzhou-ties"} <= set(zh.clusters["cluster_id"])
    assert "17" in zh.how_zh and "18" in en.how_en  # the brief says how it chose
    assert set(brief.select(industry="农业").clusters["cluster_id"]) == set(
        brief.select(industry="agriculture").clusters["cluster_id"]
    )


def test_every_cluster_division_has_industry_terms():
    from helpers import load

    used = set(load.clusters()["gbt4754_division"].astype("string").fillna("")) - {""}
    assert used <= set(load.industry_terms()["gbt4754_division"])


@pytest.mark.parametrize("kwargs", [{"province": "浙江"}, {"industry": "纺织"}, {"cluster": "shengzhou-ties"}])
def test_key_figures_are_whole_cluster_actuals_one_basis_per_table(kwargs):
    sel = brief.select(**kwargs)
    for kt in brief.key_tables(sel):
        assert set(kt.rows["kind"].astype(str)) == {"actual"}
        assert set(kt.rows["scope"].astype(str)) == {"cluster"}
        assert kt.rows["basis"].astype(str).nunique() <= 1
        assert kt.rows["cluster_id"].is_unique


@pytest.mark.parametrize(
    ("value", "unit_std", "printed", "zh", "en"),
    [
        (6e7, "count", "万株", "60,000,000株", "60,000,000 plants"),  # the counting word, without its magnitude
        (120, "count", "家", "120家", "120 firms"),
        (1.6e5, "t", "万公斤", "160,000吨", "160,000 t"),  # a measure: named from the standard unit, not as printed
        (8, "t", "公斤", "8吨", "8 t"),
        (7.5e5, "mu", "万亩", "750,000亩", "750,000 mu"),
        (1.06e6, "person_times", "万人次", "1,060,000人次", "1,060,000 person-times"),
        (649, "km2", "平方公里", "649平方公里", "649 km²"),
        (4, "count", "", "4", "4"),
    ],
)
def test_amounts_carry_their_unit(value, unit_std, printed, zh, en):
    assert brief._amount(value, unit_std, "zh", printed) == zh
    assert brief._amount(value, unit_std, "en", printed) == en


def test_qualifiers_are_kept_in_the_value_shown():
    row = {"figure_text": "20多", "unit": "亿元", "value_std": 2e9, "unit_std": "CNY", "qualifier": "more_than"}
    assert brief.standard_value(row, "en") == "more than CNY 2 bn"
    assert brief.standard_value(row, "zh") == ">20亿元"
    assert brief.printed_value(row) == "20多亿元"
    assert brief.half_width("73７。８") == "737.8"
    assert brief.count(1, "cluster", "en") == "1 cluster" and brief.count(2, "cluster", "en") == "2 clusters"


def test_table_and_chart_agree_for_shengzhou():
    """One value per quantity: the chart draws the rows the key-figure table lists (Table 2's 90 %, with the
    text's 80 % reported as a discrepancy)."""
    sel = brief.select(cluster="shengzhou-ties")
    tables = {(kt.metric, kt.basis): kt for kt in brief.key_tables(sel)}
    for chart in brief.make_charts(sel, list(tables.values())):
        if chart.name == "brief_map":
            continue
        mine = chart.rows[chart.rows["cluster_id"].eq("shengzhou-ties")].iloc[0]
        kt = tables[(mine["metric"], mine["basis"])]
        assert kt.rows.iloc[0]["fact_id"] == mine["fact_id"]
    share = tables[("market_share_national", "sales")].rows.iloc[0]
    assert share["value_std"] == pytest.approx(0.9)
    found = brief.contradictions(sel, {share["fact_id"]})
    assert "china-overview-c07" in set(found["check_id"]) and set(found["status"]) <= set(brief.GRADES)


def test_findings_never_include_definition_checks():
    sel = brief.select(province="浙江")
    assert "definition_check" not in set(brief.contradictions(sel)["status"].astype(str))


def test_pdf_is_a4_with_one_to_three_pages(zhejiang, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip(f"pdftoppm {POPPLER_MISSING}")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(zhejiang / "brief.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 3
    from PIL import Image

    w, h = Image.open(pages[0]).size
    assert abs(h / w - 297 / 210) < 0.01  # A4 portrait


def test_pdf_text_shows_the_key_figures_and_findings_in_english_only(zhejiang):
    import re

    text = _pdf_text(zhejiang / "brief.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert "Industrial clusters in Zhejiang" in text and "Headline" in text and "Clusters included" in text
    sel = brief.select(province="浙江")
    for kt in brief.key_tables(sel):
        for row in kt.rows.head(brief.TABLE_ROWS).to_dict("records"):
            assert brief.standard_value(row, "en") in flat, row["fact_id"]
    assert "Discrepancy" in text and "003:" not in text and "1 clusters" not in text
    # no Chinese outside brackets (article titles are given in brackets), no full-width digits
    outside = re.sub(r"[(（][^()（）]*[)）]", "", flat)
    assert not re.search(r"[\u4e00-\u9fff０-９]", outside), re.findall(r".{20}[\u4e00-\u9fff０-９].{5}", outside)[:3]


def test_chinese_brief_has_chinese_text(tmp_path):
    folder = brief.make_brief(cluster="datang-socks", lang="zh", out_root=tmp_path)
    text = _pdf_text(folder / "brief.pdf")
    assert "集群简报" in text and "主要数据" in text and "注意事项" in text and "要点" in text
    assert "中国产业集群笔记本" not in text  # our name spelt one way: as in the chart footers


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"province": "Zhejang"}, "Zhejiang (浙江)"),
        ({"province": "浙"}, "浙江"),
        ({"cluster": "datang-sock"}, "datang-socks"),
        ({"industry": "quantum computing"}, "unknown industry"),
    ],
)
def test_unknown_names_list_close_matches_and_leave_nothing(tmp_path, kwargs, expected):
    with pytest.raises(brief.SelectionError) as info:
        brief.make_brief(lang="en", out_root=tmp_path, **kwargs)
    assert expected in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_brief_exit_status(tmp_path):
    import sys

    ok = subprocess.run([sys.executable, "-m", "helpers", "brief", "--cluster", "datang-socks", "--out", str(tmp_path)],
                        capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "helpers", "brief", "--province", "Atlantis"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown province 'Atlantis'" in bad.stderr
