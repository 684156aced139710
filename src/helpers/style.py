"""House chart style: CJK-capable fonts, sizes, the Okabe–Ito palette, bilingual labels and unit formatters.

Call :func:`use_house_style` once (it is idempotent) before drawing. All chart helpers in
:mod:`helpers.charts` and :mod:`helpers.maps` call it themselves.

Units: values in the clean facts table are in standard units (``value_std`` in ``unit_std``: CNY yuan, USD,
ratio 0–1, count, persons, t, mu, m2, km2, m3). A *display unit* (see :data:`UNITS`) says how to show them,
e.g. ``"亿元"`` divides yuan by 1e8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter

LANGS = ("zh", "en")

#: Okabe & Ito (2008) colour-blind-safe palette (black moved last; yellow kept for accents only).
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black", "yellow")]
#: Neutral greys for context (basemaps, grids, missing data).
GREY = {"light": "#E6E6E6", "mid": "#BDBDBD", "dark": "#595959", "text": "#333333"}

#: CJK families preferred when the system has them, in order; the bundled Noto Sans CJK SC is the fallback.
CJK_CANDIDATES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "PingFang SC",
    "Microsoft YaHei",
)
BUNDLED_FAMILY = "Noto Sans CJK SC"

#: Font sizes in points, chosen for a 16.5 cm briefing column printed at 100 %.
SIZES = {"base": 8.5, "title": 10.5, "label": 8.5, "tick": 7.5, "legend": 7.5, "source": 6.5, "value": 7.0}

_STATE: dict[str, object] = {}


def label(zh: object, en: object, lang: str = "zh") -> str:
    """Pick the Chinese or English text for ``lang`` ("zh" or "en").

    Falls back to the other language when the wanted one is missing (None, NaN or empty), and returns ""
    when both are. No units involved.
    """
    check_lang(lang)
    first, second = (zh, en) if lang == "zh" else (en, zh)
    for text in (first, second):
        if text is None or (isinstance(text, float) and math.isnan(text)):
            continue
        text = str(text).strip()
        if text and text.lower() not in {"nan", "<na>", "none"}:
            return text
    return ""


def check_lang(lang: str) -> str:
    """Validate a language code; returns it, raises ValueError unless it is "zh" or "en"."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


# --- fonts -----------------------------------------------------------------------------------------------


def bundled_font_path() -> Path | None:
    """Path of the Noto Sans CJK ``.ttc`` shipped by the ``noto-cjk-sans-otc`` package, or None."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


def cjk_family() -> str:
    """Name of the CJK font family the house style uses, registering the bundled font if needed.

    A system CJK font from :data:`CJK_CANDIDATES` wins when installed; otherwise the ``.ttc`` from the
    ``noto-cjk-sans-otc`` package is registered with ``fontManager.addfont`` (matplotlib's configuration files
    are never edited). Raises RuntimeError when neither is available.
    """
    if "family" in _STATE:
        return str(_STATE["family"])
    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((name for name in CJK_CANDIDATES if name in installed), None)
    if family is None:
        path = bundled_font_path()
        if path is None:
            raise RuntimeError("No CJK font found: install the 'noto-cjk-sans-otc' package")
        font_manager.fontManager.addfont(str(path))
        family = BUNDLED_FAMILY
    _STATE["family"] = family
    return family


def font_families() -> list[str]:
    """The house font families in fallback order: the CJK family, then DejaVu Sans."""
    return [cjk_family(), "DejaVu Sans"]


#: How PDFs embed the fonts: Type 3, matplotlib's own embedding of glyph outlines as PDF drawing procedures.
#: Type 42 (TrueType) declares a TrueType font (CIDFontType2 / FontFile2) but copies the CFF outlines of the bundled
#: Noto Sans CJK OTC into it: poppler copes with a warning, Ghostscript and MuPDF draw garbage. Type 3 renders in
#: Ghostscript, MuPDF, poppler and pdfium, keeps the text extractable (ToUnicode), needs no font file built or
#: cached, and is the fastest route. PDF write time of one ranked-bar chart in Chinese (12 bars, title, footer),
#: measured 2026-12-01 on the 2-core project machine (busy: three runs, median of 5 saves each), with the time spent
#: embedding fonts in brackets:
#:   Type 3, full font ............................................ 0.46-0.57 s (0.02 s)       renders everywhere
#:   Type 42, full font ........................................... 1.36-3.0 s  (0.94-2.2 s)   garbage in gs, MuPDF
#:   Type 42, cached 2,684-glyph subset (the former machinery) .... 0.70-1.36 s (0.22-0.32 s)  garbage in gs, MuPDF
#:   Type 42, that subset converted to TrueType (glyf) outlines ... 0.47-1.47 s (0.12-0.46 s)  renders everywhere,
#:     but only after building the subset (~4 s) and converting it (2.6 s) once per character set, cached in build/
#: Ghostscript draws Type 3 glyphs from its glyph cache slightly heavier at screen resolutions (150 dpi and below);
#: at printer resolutions the difference is a fraction of a pixel.
PDF_FONTTYPE = 3


def house_rc() -> dict[str, object]:
    """The rcParams of the house style (sizes in points, widths in points)."""
    families = font_families()
    return {
        # A list of families (not "sans-serif") so that matplotlib falls back glyph by glyph along it.
        "font.family": families,
        "font.sans-serif": families,
        "font.weight": "normal",
        "font.size": SIZES["base"],
        "axes.titlesize": SIZES["title"],
        "axes.titleweight": "normal",
        "axes.titlelocation": "left",
        "axes.titlepad": 8.0,
        "axes.labelsize": SIZES["label"],
        "axes.labelweight": "normal",
        "axes.labelcolor": GREY["text"],
        "axes.edgecolor": GREY["dark"],
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "axes.unicode_minus": True,
        "axes.formatter.use_locale": False,
        "figure.titlesize": SIZES["title"],
        "figure.titleweight": "normal",
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "figure.constrained_layout.use": True,
        "grid.color": GREY["light"],
        "grid.linewidth": 0.6,
        "xtick.labelsize": SIZES["tick"],
        "ytick.labelsize": SIZES["tick"],
        "xtick.color": GREY["dark"],
        "ytick.color": GREY["dark"],
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.fontsize": SIZES["legend"],
        "legend.frameon": False,
        "lines.linewidth": 1.6,
        "lines.markersize": 5.0,
        "hatch.linewidth": 0.6,
        "hatch.color": "edge",
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "svg.fonttype": "path",
        # Fixed salt for the ids in SVG files, so that the same chart gives the same file (ids are random without).
        "svg.hashsalt": "china-industrial-clusters",
        "pdf.fonttype": PDF_FONTTYPE,
        # matplotlib 3.11's PDF backend sizes its font subsets from ps.fonttype (256 glyphs for Type 3): the two
        # must agree, or text outside Latin-1 cannot be written.
        "ps.fonttype": PDF_FONTTYPE,
        "image.cmap": "cividis",
    }


def use_house_style() -> dict[str, object]:
    """Apply the house style to matplotlib's rcParams (idempotent; safe to call before every chart).

    Registers the CJK font (see :func:`cjk_family`), sets sizes in points, the Okabe–Ito colour cycle, normal
    font weight everywhere (the bundled CJK font has no bold face), SVG text as paths and Type 3 fonts in PDF
    (see :data:`PDF_FONTTYPE`). Returns the rcParams it set.
    """
    rc = house_rc()
    mpl.rcParams.update(rc)
    _STATE["applied"] = True
    return rc


# --- units -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A display unit: values in ``std`` (a ``unit_std`` of the facts table) are divided by ``factor``."""

    std: str
    factor: float
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        """Label of the unit in ``lang`` (e.g. "亿元" / "CNY 100 m")."""
        return label(self.zh, self.en, lang)


#: Display units by name. Values are divided by ``factor`` (e.g. yuan / 1e8 = 亿元).
UNITS: dict[str, Unit] = {
    "元": Unit("CNY", 1.0, "元", "CNY"),
    "CNY": Unit("CNY", 1.0, "元", "CNY"),
    "万元": Unit("CNY", 1e4, "万元", "CNY 10,000"),
    "CNY m": Unit("CNY", 1e6, "百万元", "CNY m"),
    "亿元": Unit("CNY", 1e8, "亿元", "CNY 100 m"),
    "CNY bn": Unit("CNY", 1e9, "十亿元", "CNY bn"),
    "万亿元": Unit("CNY", 1e12, "万亿元", "CNY trn"),
    "USD": Unit("USD", 1.0, "美元", "USD"),
    "万美元": Unit("USD", 1e4, "万美元", "USD 10,000"),
    "USD m": Unit("USD", 1e6, "百万美元", "USD m"),
    "亿美元": Unit("USD", 1e8, "亿美元", "USD 100 m"),
    "USD bn": Unit("USD", 1e9, "十亿美元", "USD bn"),
    "%": Unit("ratio", 0.01, "%", "%"),
    "ratio": Unit("ratio", 1.0, "", ""),
    "count": Unit("count", 1.0, "个", "number"),
    "家": Unit("count", 1.0, "家", "firms"),
    "万个": Unit("count", 1e4, "万个", "10,000"),
    "persons": Unit("persons", 1.0, "人", "persons"),
    "人": Unit("persons", 1.0, "人", "persons"),
    "万人": Unit("persons", 1e4, "万人", "10,000 persons"),
    "t": Unit("t", 1.0, "吨", "t"),
    "万吨": Unit("t", 1e4, "万吨", "10,000 t"),
    "Mt": Unit("t", 1e6, "百万吨", "Mt"),
    "mu": Unit("mu", 1.0, "亩", "mu"),
    "万亩": Unit("mu", 1e4, "万亩", "10,000 mu"),
    "m2": Unit("m2", 1.0, "平方米", "m²"),
    "万平方米": Unit("m2", 1e4, "万平方米", "10,000 m²"),
    "km2": Unit("km2", 1.0, "平方公里", "km²"),
    "m3": Unit("m3", 1.0, "立方米", "m³"),
}


def get_unit(unit: str | Unit) -> Unit:
    """Look up a display unit by name (see :data:`UNITS`); raises ValueError for unknown names."""
    if isinstance(unit, Unit):
        return unit
    try:
        return UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown display unit {unit!r}; known: {', '.join(UNITS)}") from None


def format_number(value: float, decimals: int | None = None) -> str:
    """Format a number (already in display units) with thousands separators, e.g. 12345.6 -> "12,346".

    ``decimals=None`` picks 0 decimals from 100 up, 1 from 10, 2 below; "−" (U+2212) for negatives.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if decimals is None:
        size = abs(value)
        decimals = 0 if size >= 100 or size == 0 else 1 if size >= 10 else 2
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "\u2212")


def axis_formatter(unit: str | Unit = "亿元", decimals: int | None = None) -> FuncFormatter:
    """Tick formatter showing standard-unit values (e.g. yuan) in the display ``unit``, with separators."""
    u = get_unit(unit)

    def fmt(x: float, _pos: int | None = None) -> str:
        return format_number(x / u.factor, decimals if decimals is not None else _tick_decimals(x / u.factor))

    return FuncFormatter(fmt)


def _tick_decimals(v: float) -> int:
    if float(round(v, 6)).is_integer():
        return 0
    return 1 if abs(v) >= 1 else 2


def format_axis_cny(ax, unit: str = "亿元", lang: str = "zh", axis: str = "y", decimals: int | None = None) -> str:
    """Show an axis of yuan values in ``unit`` ("元", "万元", "亿元", "CNY m", "CNY bn", …) with separators.

    The plotted data stay in yuan; only the tick labels are divided (亿元 = 1e8 yuan, 万元 = 1e4 yuan,
    CNY bn = 1e9 yuan). Works for any unit in :data:`UNITS` (e.g. "USD m", "%", "万吨"). Returns the unit's
    label in ``lang`` (e.g. "亿元" or "CNY 100 m") for use in the axis title.
    """
    check_lang(lang)
    if axis not in ("x", "y"):
        raise ValueError("axis must be 'x' or 'y'")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(axis_formatter(unit, decimals))
    return get_unit(unit).text(lang)


def format_axis_thousands(ax, axis: str = "y") -> None:
    """Thousands separators on an axis of plain numbers (no unit conversion). Not for years."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda x, _p=None: format_number(x, _tick_decimals(x))))


def axis_title(text_zh: str, text_en: str, unit: str | Unit | None, lang: str) -> str:
    """Axis title with the unit in brackets: "产值（亿元）" or "Output (CNY 100 m)"."""
    base = label(text_zh, text_en, lang)
    if unit is None:
        return base
    unit_text = get_unit(unit).text(lang)
    if not unit_text:
        return base
    return f"{base}（{unit_text}）" if lang == "zh" else f"{base} ({unit_text})"
