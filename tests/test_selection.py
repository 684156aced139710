"""The one selection: one comparable figure per cluster, one scope and basis, never the largest value by default,
and the cases the economist's review found wrong come out right."""

from __future__ import annotations

import pytest

from helpers import load, selection


def test_one_actual_figure_per_cluster_of_the_whole_cluster_scope():
    for metric in ("output_value", "revenue", "firms", "employees"):
        sel = selection.comparable(metric)
        assert sel["cluster_id"].is_unique, metric
        assert set(sel["kind"]) <= {"actual"} and set(sel["scope"]) <= {"cluster"}, metric
        assert sel["why"].str.len().gt(0).all() and sel["source"].str.len().gt(0).all()


def test_zhongguancun_is_not_ranked_by_its_computer_parts_sellers():
    # 上万家电脑配件销售公司 (003:215) are traders: a segment, never "firms" of the whole cluster.
    sellers = load.facts(metric="firms")
    sellers = sellers[sellers["figure_text"].str.contains("上万家") & sellers["source_line"].eq(215)]
    assert not sellers.empty and set(sellers["scope"]) == {"segment"}
    assert not selection.comparable("firms")["fact_id"].isin(sellers["fact_id"]).any()


def test_yueqing_firms_are_firms_not_household_workshops():
    firms = selection.comparable("firms").set_index("cluster_id")
    yueqing = [c for c in firms.index if c.startswith("yueqing")]
    assert yueqing, "Yueqing has a whole-cluster firm count"
    assert firms.loc[yueqing[0], "figure_text"] == "2300多家"
    assert "9" in firms.loc[yueqing[0], "also_printed"] and "segment" in firms.loc[yueqing[0], "also_printed"]


def test_yongan_forestry_total_and_industrial_output_are_two_bases():
    facts = load.facts(cluster_id="yongan-forestry-bamboo", metric="output_value")
    out = facts[facts["kind"].eq("actual") & facts["value"].isin(["15.4", "8.8"])]
    bases = dict(zip(out["value"], out["basis"], strict=True))
    assert bases.get("15.4") == "total_output" and bases.get("8.8") == "gross_industrial_output", bases
    industrial = selection.comparable("output_value", basis="gross_industrial_output")
    assert not industrial["fact_id"].isin(out.loc[out["basis"].eq("total_output"), "fact_id"]).any()


def test_shengzhou_ties_take_table_2_when_the_chart_is_table_2():
    sel = selection.comparable("output_value", basis="output_unspecified").set_index("cluster_id")
    shengzhou = [c for c in sel.index if c.startswith("shengzhou")]
    assert shengzhou and sel.loc[shengzhou[0], "printed_table"] == "table-2"
    assert sel.loc[shengzhou[0], "figure_text"] == "10０"
    assert "54亿元" in sel.loc[shengzhou[0], "also_printed"]  # the 2004 text figure is shown beside it
    assert selection.mix(sel.reset_index()).one_scope_and_basis


def test_zhucheng_food_firms_of_two_definitions_are_never_compared():
    facts = load.facts(metric="firms")
    food = facts[facts["cluster_id"].astype(str).str.contains("zhucheng-food")]
    scopes = set(food.loc[food["figure_text"].str.contains("153|73"), "scope"])
    assert {"above_designated_size", "above_quota"} <= scopes, scopes
    for scope in ("above_designated_size", "above_quota"):
        sel = selection.comparable("firms", scope=scope)
        assert set(sel["scope"]) == {scope}


def test_a_curated_selection_wins_and_says_why(monkeypatch):
    sel = selection.comparable("employees")
    row = sel.iloc[0]
    others = load.facts(metric="employees", cluster_id=row["cluster_id"])
    others = others[others["kind"].eq("actual") & others["scope"].eq("cluster") & others["fact_id"].ne(row["fact_id"])]
    if others.empty:
        pytest.skip("no second whole-cluster figure to choose")
    chosen = others.iloc[0]["fact_id"]
    curated = load.selections()
    extra = {"cluster_id": row["cluster_id"], "metric": "employees", "fact_id": chosen, "reason_en": "test"}
    import pandas as pd

    monkeypatch.setattr(load, "selections", lambda: pd.concat([curated, pd.DataFrame([extra])], ignore_index=True))
    again = selection.comparable("employees").set_index("cluster_id")
    assert again.loc[row["cluster_id"], "fact_id"] == chosen
    assert again.loc[row["cluster_id"], "why"] == "curated: test"


def test_mix_reports_scopes_bases_and_kinds():
    facts = load.facts(metric="output_value")
    m = selection.mix(facts)
    assert not m.one_scope_and_basis and len(m.bases) > 1 and "target" in m.kinds
