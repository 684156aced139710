"""Figure sizes for a briefing page and export to PNG (300 dpi) and SVG, and PDF on request, in ``build/figures``.

Widths: ``"full"`` = 16.5 cm (one text column of an A4 briefing), ``"half"`` = 8 cm (half a column, or
a margin figure). Heights follow from ``aspect`` (height / width) or ``height_cm``.

Formats: :func:`save_figure` writes :data:`DEFAULT_FORMATS` (PNG and SVG) unless told otherwise, either by its
``formats`` argument or, for a whole run, by the environment variable ``CLUSTERS_FIGURE_FORMATS`` (e.g.
``png,svg,pdf``), which ``python -m helpers notebooks --formats …`` sets for the notebook kernels.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

from helpers import paths

CM = 1 / 2.54  # inches per centimetre
#: Figure widths in centimetres.
WIDTHS_CM = {"full": 16.5, "half": 8.0}
#: Raster resolution of the PNG export, dots per inch.
PNG_DPI = 300
#: Formats :func:`save_figure` can write.
FORMATS = ("png", "svg", "pdf")
#: Formats written when neither the call nor ``CLUSTERS_FIGURE_FORMATS`` says otherwise: PNG (what the notebooks'
#: HTML shows) and SVG (the vector format for Word, PowerPoint and Inkscape). PDF is written on request.
DEFAULT_FORMATS = ("png", "svg")
#: Environment variable holding the default formats, comma-separated (e.g. "png,svg,pdf").
FORMATS_ENV = "CLUSTERS_FIGURE_FORMATS"


class MissingSourceWarning(UserWarning):
    """A figure is saved without a source line (see :func:`helpers.charts.add_source`)."""


class MissingDataWarning(UserWarning):
    """A figure is saved without the rows it draws (see :func:`helpers.charts.attach_data`), so neither its data
    (``<name>.csv``) nor its citation (``<name>.cite.txt``) can be written."""


def figure_size(width: str | float = "full", aspect: float = 0.62, height_cm: float | None = None):
    """Figure size in inches for a width name ("full" 16.5 cm, "half" 8 cm) or a width in cm.

    ``aspect`` is height / width (dimensionless); ``height_cm`` (cm) overrides it.
    """
    if isinstance(width, str) and width not in WIDTHS_CM:
        raise ValueError(f"width must be one of {list(WIDTHS_CM)} or a number of cm")
    width_cm = WIDTHS_CM[width] if isinstance(width, str) else float(width)
    h_cm = height_cm if height_cm is not None else width_cm * aspect
    return (width_cm * CM, h_cm * CM)


def new_figure(width: str | float = "full", aspect: float = 0.62, height_cm: float | None = None, **subplots):
    """Create ``(fig, ax)`` sized for the briefing page, with the house style applied.

    ``width``: "full" (16.5 cm), "half" (8 cm) or a width in cm; ``aspect``: height / width;
    ``height_cm``: height in cm (overrides aspect). Extra keyword arguments go to ``plt.subplots``.
    """
    import matplotlib.pyplot as plt

    from helpers.style import use_house_style

    if isinstance(width, str) and width not in WIDTHS_CM:
        raise ValueError(f"width must be one of {list(WIDTHS_CM)} or a number of cm")
    use_house_style()
    subplots.setdefault("layout", "constrained")
    fig, ax = plt.subplots(figsize=figure_size(width, aspect, height_cm), **subplots)
    return fig, ax


def parse_formats(text: str) -> tuple[str, ...]:
    """``"png,svg,pdf"`` -> ``("png", "svg", "pdf")``; raises ValueError for an empty list or an unknown format."""
    formats = tuple(dict.fromkeys(part.strip().lower().lstrip(".") for part in str(text).split(",") if part.strip()))
    bad = [fmt for fmt in formats if fmt not in FORMATS]
    if bad or not formats:
        raise ValueError(f"formats must be a comma-separated list of {', '.join(FORMATS)}, not {text!r}")
    return formats


def default_formats() -> tuple[str, ...]:
    """The formats :func:`save_figure` writes by default: ``$CLUSTERS_FIGURE_FORMATS`` when set, else
    :data:`DEFAULT_FORMATS`."""
    text = os.environ.get(FORMATS_ENV, "").strip()
    if not text:
        return DEFAULT_FORMATS
    try:
        return parse_formats(text)
    except ValueError as exc:
        raise ValueError(f"{FORMATS_ENV}: {exc}") from None


def _safe_name(name: str) -> str:
    stem = Path(str(name)).name
    stem = re.sub(r"\.(png|svg|pdf)$", "", stem, flags=re.IGNORECASE)
    stem = re.sub(r"[^\w\-.]+", "_", stem).strip("._")
    if not stem:
        raise ValueError(f"unusable figure name {name!r}")
    return stem


def save_figure(
    fig,
    name: str,
    width: str | float | None = None,
    out_dir: str | Path | None = None,
    formats: tuple[str, ...] | None = None,
    title: tuple[str, str] | None = None,
    show: bool | None = None,
) -> dict[str, Path]:
    """Write ``fig`` as PNG (300 dpi) and SVG, and PDF on request, to ``helpers.paths.FIGURES_DIR`` (created if
    missing).

    ``name``: file stem (no folder; an extension is dropped). ``width``: "full" (16.5 cm), "half" (8 cm),
    a width in cm, or None to keep the figure's size; resizing keeps the height / width ratio. The page size
    of every file is the figure size (no tight cropping), so a full-width figure is 16.5 cm wide in the
    PDF and 1949 px wide in the PNG. SVG text is drawn as paths and PDF embeds the glyphs it uses (Type 3
    fonts, see :data:`helpers.style.PDF_FONTTYPE`), so Chinese shows everywhere. Metadata dates are left out so
    re-running gives identical SVG and PDF files. ``formats``: any of "png", "svg", "pdf"; None means
    :func:`default_formats` (PNG and SVG unless ``$CLUSTERS_FIGURE_FORMATS`` says otherwise).
    When the chart keeps its rows (the house charts do, see :func:`helpers.charts.attach_data`), they are written
    beside it as ``<name>.csv`` (UTF-8 with BOM) with fact ids, figures as printed, file and line, and its citation
    as ``<name>.cite.txt`` (:func:`helpers.cite.citation`: zh and en, the project and dataset version, the chart's
    file, the articles, printed tables and the sources they quote, files and lines; ``title``, ``(zh, en)``, heads
    it). ``show``: in a notebook with the inline backend (Jupyter's default), the saved PNG is shown as the cell's
    output and the figure is closed, so it is not rendered a second time for the screen (None = do so when the
    inline backend is active and a PNG was written; False = leave the figure to the backend, e.g. to keep
    changing it in a later cell). Returns ``{format: Path}``, e.g. ``{"png": Path, "svg": Path, "csv": Path,
    "cite": Path}``. Warns
    (MissingSourceWarning) when the figure has no source line, and (MissingDataWarning) when it carries no rows.
    """
    import matplotlib as mpl

    from helpers.style import use_house_style

    use_house_style()
    if width is not None:
        w_in, h_in = fig.get_size_inches()
        new_w = figure_size(width)[0]
        fig.set_size_inches(new_w, h_in * new_w / w_in)
    if not getattr(fig, "_house_source", None):
        warnings.warn(
            f"figure {name!r} has no source line: call helpers.charts.add_source(fig, ...)",
            MissingSourceWarning,
            stacklevel=2,
        )
    folder = Path(out_dir) if out_dir is not None else paths.FIGURES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = _safe_name(name)
    formats = default_formats() if formats is None else tuple(formats)
    bad = [fmt for fmt in formats if fmt not in FORMATS]
    if bad:
        raise ValueError(f"format must be one of {FORMATS}, not {bad}")
    # The layout (constrained) runs once here rather than once per format, so the files share one layout. It runs
    # at the PNG's resolution: text measured at screen resolution comes out a little narrower than at 300 dpi,
    # and the longest labels would be clipped in the PNG.
    # The engine is then removed for the saves, not set to "none": "none" leaves a placeholder engine, and savefig
    # gives any engine an extra (non-rendering) drawing per file. Measured on a 20-panel chart (2026-12-02, one
    # run each): its PNG 1.6 → 1.15 s, the whole save_figure 5.2 → 3.9 s. The rcParams stay off while saving,
    # because savefig restores the engine it found with set_layout_engine, which would otherwise read them and
    # bring constrained layout back for the next file.
    engine = fig.get_layout_engine()
    if engine is not None:
        screen_dpi = fig.dpi
        fig.set_dpi(PNG_DPI)
        try:
            engine.execute(fig)  # the layout alone: the PNG's drawing follows
        finally:
            fig.set_dpi(screen_dpi)
    try:
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            if engine is not None:
                fig.set_layout_engine(None)  # None with both rcParams off: no engine at all
            saved = {fmt: _save_one(fig, folder / f"{stem}.{fmt}", fmt) for fmt in formats}
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    data = getattr(fig, "_house_data", None)
    if data is not None:
        # The chart's figures beside it, with their sources (file, line, figure as printed), for citing.
        saved["csv"] = folder / f"{stem}.csv"
        data.to_csv(saved["csv"], index=False, encoding="utf-8-sig")
        from helpers.cite import citation

        shown = f"{stem}.{formats[0]}" if formats else stem
        saved["cite"] = save_citation(folder / f"{stem}.cite.txt", citation(data, shown, *(title or ("", ""))))
    else:
        warnings.warn(
            f"figure {name!r} carries no rows, so no data or citation is written beside it: call "
            "helpers.charts.attach_data(fig, rows) with the rows it draws",
            MissingDataWarning,
            stacklevel=2,
        )
    if show is None:
        show = _inline_backend()
    if show and "png" in saved:
        _show_saved_png(fig, saved["png"])
    return saved


def _inline_backend() -> bool:
    """Whether figures are shown by Jupyter's inline backend (the default in a notebook kernel)."""
    import matplotlib

    return "inline" in matplotlib.get_backend().lower()


def _show_saved_png(fig, png: Path) -> None:
    """Show the saved PNG as the cell's output, at the figure's screen size, and close the figure so the inline
    backend does not draw it again. Without this, each chart was drawn three more times for the screen (a redraw
    after the cell, and two passes for a tight-cropped PNG): notebook 08's chart cell took 14.9 s, and 7.7 s
    showing the saved file (profiled, 2026-12-02)."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    width_px = round(fig.get_size_inches()[0] * fig.dpi)
    display(Image(filename=str(png), width=width_px, alt=_alt_text(fig, png)))
    plt.close(fig)


def _alt_text(fig, png: Path) -> str:
    """The chart's title for the shown image's alt text (screen readers, the HTML pages): the figure's title,
    else its panels' titles, else the file name."""
    titles = [fig.get_suptitle()] + [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")]
    seen = list(dict.fromkeys(" ".join(t.split()) for t in titles if t and t.strip()))
    return " · ".join(seen[:4]) or png.stem


def _save_one(fig, path: Path, fmt: str) -> Path:
    kwargs: dict[str, object] = {"format": fmt, "facecolor": "white", "bbox_inches": None}
    if fmt == "png":
        kwargs["dpi"] = PNG_DPI
        # Fast zlib level: ~40 % less time per PNG for files ~20 % larger (charts stay near 150 kB).
        kwargs["pil_kwargs"] = {"compress_level": 1}
    elif fmt == "pdf":
        kwargs["metadata"] = {"CreationDate": None, "ModDate": None}
    elif fmt == "svg":
        kwargs["metadata"] = {"Date": None}
    fig.savefig(path, **kwargs)
    return path


def save_citation(path: str | Path, text: str) -> Path:
    """Write a chart's citation text (Chinese and English lines, UTF-8) beside it, e.g. ``<name>.cite.txt``; the
    chart's data is ``<name>.csv`` (see :func:`save_figure`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path
