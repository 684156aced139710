"""House chart style: CJK-capable fonts, sizes, the Okabe–Ito palette, bilingual labels and unit formatters.

Call :func:`use_house_style` once (it is idempotent) before drawing. All chart helpers in
:mod:`helpers.charts` and :mod:`helpers.maps` call it themselves.

Units: values in the clean facts table are in standard units (``value_std`` in ``unit_std``: CNY yuan, USD,
ratio 0–1, count, persons, t, mu, m2, km2, m3). A *display unit* (see :data:`UNITS`) says how to show them,
e.g. ``"亿元"`` divides yuan by 1e8.
"""

from __future__ import annotations

import hashlib
import math
import os
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
        import noto_cjk_sans_otc  # noqa: PLC0415
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
    """The house font families in fallback order: the subset of the bundled font (when it is in use, see
    :func:`house_font_subset`), the CJK family, then DejaVu Sans."""
    family = cjk_family()
    families = [family, "DejaVu Sans"]
    if family == BUNDLED_FAMILY:
        subset = house_font_subset()
        if subset is not None:
            if not _STATE.get("subset_registered"):
                font_manager.fontManager.addfont(str(subset))
                _STATE["subset_registered"] = True
            families.insert(0, SUBSET_FAMILY)
    return families


#: Family name of the house subset of the bundled font (see :func:`house_font_subset`).
SUBSET_FAMILY = "Noto Sans CJK SC House Subset"
_SUBSET_PS_NAME = "NotoSansCJKsc-HouseSubset"
#: Always in the subset: Latin with accents, general punctuation, CJK punctuation, full-width forms.
_SUBSET_RANGES = ((0x20, 0x250), (0x2000, 0x2070), (0x2100, 0x2200), (0x3000, 0x3040), (0xFF00, 0xFFF0))


def _subset_characters() -> str:
    """Characters of the clean tables, the notebooks and the library's labels, plus :data:`_SUBSET_RANGES`."""
    from helpers import paths  # noqa: PLC0415

    chars = {chr(c) for lo, hi in _SUBSET_RANGES for c in range(lo, hi)}
    sources = [*paths.CLEAN_DIR.glob("*.csv"), *paths.NOTEBOOKS_DIR.rglob("*.ipynb"), *paths.PACKAGE_DIR.glob("*.py")]
    for path in sources:
        if ".ipynb_checkpoints" not in path.parts:
            chars.update(path.read_text(encoding="utf-8-sig", errors="ignore"))
    return "".join(sorted(c for c in chars if c.isprintable() and not c.isspace() or c == " "))


def _subset_target(source: Path, text: str) -> Path:
    from helpers import paths  # noqa: PLC0415

    key = hashlib.sha256(f"{source.name}:{source.stat().st_size}:{text}".encode()).hexdigest()[:16]
    return paths.CACHE_DIR / "fonts" / f"house-subset-{key}.otf"


def subset_is_built() -> bool:
    """True when :func:`house_font_subset` would find its file ready (no build needed)."""
    source = bundled_font_path()
    return source is not None and _subset_target(source, _subset_characters()).is_file()


def house_font_subset() -> Path | None:
    """Path of a small copy of the bundled Noto Sans CJK SC holding only the characters the project uses (its
    data, notebooks and labels, plus Latin and punctuation), built once into ``build/cache/fonts``.

    Why: every PDF embeds the glyphs it uses, and cutting them out of the 65,000-glyph bundled font takes
    0.5–1 s per PDF; from this ~2,000-glyph copy (~0.5 MB) it takes ~0.05 s. Any other character falls back to
    the full font (the house style lists both), so nothing goes missing. A new copy is built (~4 s) only when the
    character set changes; older copies stay in the cache folder (safe to delete when no kernel is running).
    None when the bundled font is not installed or the copy cannot be written.
    """
    if "subset" in _STATE:
        return _STATE["subset"]  # type: ignore[return-value]
    _STATE["subset"] = None
    source = bundled_font_path()
    if source is None:
        return None
    text = _subset_characters()
    target = _subset_target(source, text)
    try:
        if not target.is_file():
            _write_subset(source, text, target.parent, target)
    except Exception as exc:  # noqa: BLE001 - read-only project, damaged font, fontTools error: use the full font
        _STATE["subset_error"] = f"{type(exc).__name__}: {exc}"
        return None
    _STATE["subset"] = target
    return target


def _write_subset(source: Path, text: str, folder: Path, target: Path) -> None:
    from fontTools import subset  # noqa: PLC0415
    from fontTools.ttLib import TTCollection, TTFont  # noqa: PLC0415

    names = [f["name"].getDebugName(1) for f in TTCollection(str(source), lazy=True).fonts]
    font = TTFont(str(source), fontNumber=names.index(BUNDLED_FAMILY), lazy=False)
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = SUBSET_FAMILY
        elif record.nameID in (3, 6):
            record.string = _SUBSET_PS_NAME
    # Copies for earlier character sets are kept: a kernel still open may have registered one of them.
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    font.save(str(partial))
    os.replace(partial, target)  # atomic: a process running beside this one sees the whole file or none


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
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "image.cmap": "cividis",
    }


def use_house_style() -> dict[str, object]:
    """Apply the house style to matplotlib's rcParams (idempotent; safe to call before every chart).

    Registers the CJK font (see :func:`cjk_family`), sets sizes in points, the Okabe–Ito colour cycle, normal
    font weight everywhere (the bundled CJK font has no bold face), SVG text as paths and TrueType (type 42)
    fonts in PDF. Returns the rcParams it set.
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
