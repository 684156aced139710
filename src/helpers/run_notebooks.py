"""Execute every notebook on a fresh kernel, in parallel, into an output folder (``build/`` by default), with HTML
copies, a web font for their Chinese text and an index page; unchanged notebooks are not executed again.

Layout of the output folder (``run_all(output_root=…)``; tests use a temporary one, never the user's ``build/``)::

    notebooks/<name>.ipynb, .html   executed notebooks and their HTML (titled by the notebook, linking the index)
    figures/                        the charts the notebooks write (PNG and SVG; PDF with --formats …,pdf)
    fonts/                          the CJK web font: the bundled Noto Sans CJK SC cut to the pages' characters
    data/                           the clean tables, copied for the index's links
    index.html                      links to all of the above; says which notebooks were reused
    cache/notebooks/                the execution cache (safe to delete)

**Execution.** nbclient runs each notebook on a fresh kernel; its tagged ``parameters`` cell is overridden the
papermill way (an ``injected-parameters`` cell after it, ``metadata.papermill.parameters``) with
``output_dir = "figures"`` and, when given, ``lang``. Charts are shown as the PNG the notebook saved (see
:func:`helpers.export.save_figure`), so no chart is drawn a second time for the page. The kernel runs in the
notebook's cache entry (below), so the relative ``figures`` lands there: the injected cell and every path a
notebook prints carry no absolute path of the builder's machine.

**Execution cache.** A notebook is executed only when its *execution key* changed: a SHA-256 of its code cells
(and the sequence of cell types), the injected parameters, the chart formats, the web-font format, every file of
``data/clean/``, every source file of the helper library (``src/helpers/``, geodata included), and the Python and
main package versions. Entry ``cache/notebooks/<name>/<key>/`` holds the executed notebook, its HTML, the figures
it wrote and ``manifest.json``; a run whose key has an entry copies those into place instead of executing (a
few milliseconds), so switching ``--lang`` back and forth reuses both languages. An edit to the prose only
(markdown cells) keeps the key: the cached outputs are reused with the new markdown and the HTML is rendered
again, so the page shows the new prose. Editing one notebook re-runs at most that notebook; a change to the data
or to any helper module re-runs all of them (a helper change may alter any chart). ``--force`` executes
everything. A failed run leaves no entry.

*Why not jupyter-cache* (as Jupyter Book uses): it hashes only a notebook's code cells and kernelspec and runs
them with its own executor, so the parameter injection, the notebook's external inputs (data, helper
library, formats) and the figures the kernel writes beside the notebook would all have to be bolted on (the inputs
smuggled in as an extra cell, the figures as artifacts of its temporary folder), and it would be one more pinned
dependency with SQLAlchemy under it. A content-hash key over exactly those inputs is about a hundred lines here.

A notebook fails on any error and on any missing-glyph warning in its outputs; the failure names the notebook and
the cell, and its executed copy (up to the failing cell) is left in ``notebooks/`` for inspection.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata as _metadata
from pathlib import Path

from . import exercises, paths
from .export import FORMATS_ENV, default_formats

GLYPH_WARNING = re.compile(r"Glyph \d+ .*missing from (current )?font|findfont: Font family .* not found")

#: Bumped when the layout of a cache entry or what it depends on changes.
CACHE_VERSION = 1
#: Entries kept per notebook (the newest), e.g. its zh and en runs.
CACHE_ENTRIES_KEPT = 4
#: The ``output_dir`` parameter injected into every notebook: relative to the kernel's working directory.
FIGURES_PARAM = "figures"
#: Packages whose version is part of the execution key (they draw or compute what the notebooks show).
KEY_PACKAGES = ("numpy", "pandas", "pyarrow", "matplotlib", "seaborn", "geopandas", "shapely", "nbconvert")

#: The web font: family name in the pages' CSS, the face of the bundled collection (2 = Noto Sans CJK SC) and the
#: ranges it is used for (CJK punctuation, kana, ideographs, full-width forms); other characters keep the
#: system's fonts.
WEB_FONT_FAMILY = "Clusters Noto Sans CJK SC"
WEB_FONT_FACE = 2
CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _has_brotli() -> bool:
    """Whether fontTools can write WOFF2 (it compresses with ``brotli`` or ``brotlicffi``)."""
    import importlib

    for name in ("brotli", "brotlicffi"):
        try:
            if hasattr(importlib.import_module(name), "compress"):  # not a stray folder of that name
                return True
        except ImportError:
            continue
    return False


#: WOFF2 when a brotli module is installed (fontTools compresses WOFF2 with it), otherwise WOFF (zlib), which every
#: browser of the last ten years reads too, about a quarter larger.
WEB_FONT_FORMAT = "woff2" if _has_brotli() else "woff"
WEB_FONT_NAME = f"NotoSansCJKsc-subset.{WEB_FONT_FORMAT}"


@dataclass
class NotebookResult:
    notebook: str
    seconds: float
    ok: bool
    message: str = ""
    reused: bool = False
    chars: str = ""  # the CJK characters of its HTML page (for the web font)


@dataclass(frozen=True)
class Layout:
    """Where one run writes: the output root and its parts."""

    root: Path
    notebooks: Path
    figures: Path
    cache: Path
    fonts: Path

    @classmethod
    def of(cls, root: Path | None = None) -> Layout:
        if root is None:  # the project's build/ (as patched in helpers.paths)
            root = paths.BUILD_DIR
            return cls(root, paths.BUILD_NOTEBOOKS_DIR, paths.FIGURES_DIR, root / "cache" / "notebooks", root / "fonts")
        root = Path(root)
        return cls(root, root / "notebooks", root / "figures", root / "cache" / "notebooks", root / "fonts")


def discover(pattern: str = "") -> list[Path]:
    """Notebooks under notebooks/ (teaching ones included), in name order; ``pattern`` filters by path text.
    Exercise notebooks are those generated from their solutions (:mod:`helpers.exercises`), not the copies on disk."""
    found = sorted(p for p in paths.NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    found = exercises.collection(found)
    return [p for p in found if pattern in str(p.relative_to(paths.NOTEBOOKS_DIR))]


def _rel(nb: Path) -> Path:
    return nb.relative_to(paths.NOTEBOOKS_DIR)


def display_name(nb: Path) -> str:
    """``notebooks/01_tour.ipynb``: how messages and the index name a notebook."""
    return (Path(paths.NOTEBOOKS_DIR.name) / _rel(nb)).as_posix()


def output_path(nb: Path, root: Path | None = None) -> Path:
    """The executed copy of ``nb`` in the output folder ``root`` (default ``build/``)."""
    return Layout.of(root).notebooks / _rel(nb)


# --- the execution key ---------------------------------------------------------------------------------------


def _hash_files(files: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.relative_to(base).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def inputs_fingerprint() -> dict[str, str]:
    """What every notebook's results depend on besides its own code: the clean data, the helper library's source,
    the interpreter and the main packages."""
    data = [f for f in paths.CLEAN_DIR.rglob("*") if f.is_file()] if paths.CLEAN_DIR.is_dir() else []
    library = [
        f for f in paths.PACKAGE_DIR.rglob("*") if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"
    ]
    versions = []
    for name in KEY_PACKAGES:
        try:
            versions.append(f"{name}=={_metadata.version(name)}")
        except _metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return {
        "data": _hash_files(data, paths.CLEAN_DIR),
        "helpers": _hash_files(library, paths.PACKAGE_DIR),
        "python": sys.version,
        "packages": ";".join(versions),
    }


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def notebook_keys(nb_json: dict) -> tuple[str, str]:
    """(code, full) digests of a notebook: ``code`` covers its code cells, the sequence of cell types and its
    kernelspec, so a prose-only edit leaves it unchanged; ``full`` covers everything (outputs excluded)."""
    cells = [[c["cell_type"], _source(c) if c["cell_type"] == "code" else ""] for c in nb_json["cells"]]
    code = {"cells": cells, "kernel": nb_json.get("metadata", {}).get("kernelspec", {}).get("name", "")}
    stripped = {**nb_json, "cells": [{k: v for k, v in c.items() if k not in ("outputs", "execution_count")}
                                     for c in nb_json["cells"]]}  # fmt: skip
    return _digest(code), _digest(stripped)


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parameters(lang: str | None) -> dict[str, str]:
    params = {"output_dir": FIGURES_PARAM}
    if lang:
        params["lang"] = lang
    return params


def execution_key(nb_json: dict, lang: str | None, formats: tuple[str, ...], inputs: dict[str, str]) -> str:
    code, _ = notebook_keys(nb_json)
    return _digest(
        {
            "version": CACHE_VERSION,
            "code": code,
            "parameters": parameters(lang),
            "formats": list(formats),
            "font": WEB_FONT_FORMAT,
            "inputs": inputs,
        }
    )


# --- one notebook -----------------------------------------------------------------------------------------------


def _entry_dir(layout: Layout, nb: Path, key: str) -> Path:
    return layout.cache / _rel(nb) / key[:24]


def _glyph_problems(nb_json: dict) -> list[str]:
    found = []
    for i, cell in enumerate(nb_json.get("cells", [])):
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            if isinstance(text, list):
                text = "".join(text)
            if GLYPH_WARNING.search(text):
                found.append(f"cell {i}: {GLYPH_WARNING.search(text).group(0)}")
    return found


_CJK_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES) + "]")


def _page_chars(page: str) -> str:
    """The page's characters in :data:`CJK_RANGES`, sorted, each once (what its web font must hold). A regex: the
    pages carry their charts as base64 (2 MB a page), too long to test character by character."""
    return "".join(sorted(set(_CJK_CHAR.findall(page))))


def render_html(executed: dict, nb: Path, layout: Layout, lang: str | None) -> str:
    """The HTML page of an executed notebook: titled by the notebook, a link back to the index, the web font, and
    no script from a CDN."""
    import nbformat
    from nbconvert import HTMLExporter

    title = notebook_title(nb)
    page_dir = (layout.notebooks / _rel(nb)).parent
    exporter = HTMLExporter(language_code="en" if lang == "en" else "zh")
    body, _ = exporter.from_notebook_node(
        nbformat.reads(json.dumps(executed), as_version=4), resources={"metadata": {"name": title}}
    )
    body = _with_alt_text(body, executed)
    to_root = os.path.relpath(layout.root, page_dir).replace(os.sep, "/")
    body = offline_html(body)
    body = body.replace("</head>", web_font_css(f"{to_root}/fonts/{WEB_FONT_NAME}", code=True) + "</head>", 1)
    nav = (
        '<nav class="clusters-back" style="max-width:1200px;margin:.5rem auto;padding:0 1rem;font-size:.9rem;'
        'font-family:var(--jp-ui-font-family)">'
        f'<a href="{html.escape(to_root)}/index.html">← 目录 · Index</a></nav>'
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)


#: The alt text nbconvert gives every image it finds without one.
NBCONVERT_NO_ALT = 'alt="No description has been provided for this image"'


def _with_alt_text(body: str, executed: dict) -> str:
    """The charts' alt text in the page: nbconvert ignores the ``alt`` that :func:`helpers.export.save_figure`
    records with each shown PNG (output metadata) and writes a placeholder instead. The images are matched in
    order; when their number differs from the outputs', the page is left as nbconvert wrote it."""
    alts = [
        (out.get("metadata", {}).get("image/png") or {}).get("alt")
        for cell in executed.get("cells", [])
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    parts = body.split(NBCONVERT_NO_ALT)
    if len(parts) - 1 != len(alts):
        return body
    out = [parts[0]]
    for alt, rest in zip(alts, parts[1:], strict=True):
        out.append(f'alt="{html.escape(alt)}"' if alt else NBCONVERT_NO_ALT)
        out.append(rest)
    return "".join(out)


def web_font_css(url: str, code: bool = False) -> str:
    """A ``<style>`` with the @font-face of the web font (used for CJK characters only, by ``unicode-range``) and
    the page's font families with it first; ``code``: also JupyterLab's variables (prose, UI, code cells)."""
    ranges = ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in CJK_RANGES)
    sans = f'"{WEB_FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif'
    mono = f'"{WEB_FONT_FAMILY}", SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace'
    css = (
        f'@font-face {{ font-family: "{WEB_FONT_FAMILY}"; src: url("{url}") format("{WEB_FONT_FORMAT}"); '
        f"font-display: swap; unicode-range: {ranges}; }}\n"
    )
    if code:
        css += (
            f":root {{ --jp-content-font-family: {sans}; --jp-ui-font-family: {sans};\n"
            f"  --jp-code-font-family-default: {mono}; --jp-code-font-family: {mono}; }}\n"
        )
    else:
        css += f"body {{ font-family: {sans}; }}\n"
    return f"<style>\n{css}</style>\n"


def _relative_metadata(executed: dict, nb: Path) -> None:
    """papermill records the input and output paths (absolute, or for a generated exercise the whole notebook):
    keep them relative."""
    pm = executed.get("metadata", {}).get("papermill")
    if isinstance(pm, dict):
        pm["input_path"] = display_name(nb)
        pm["output_path"] = display_name(nb)


def _install(entry: Path, nb: Path, layout: Layout, figures: list[str]) -> None:
    """Copy a cache entry's executed notebook, HTML and figures into the output folder (skipping files already in
    place: same size and modification time, as copy2 leaves them)."""
    out = layout.notebooks / _rel(nb)
    out.parent.mkdir(parents=True, exist_ok=True)
    layout.figures.mkdir(parents=True, exist_ok=True)
    pairs = [(entry / "executed.ipynb", out), (entry / "page.html", out.with_suffix(".html"))]
    pairs += [(entry / "figures" / name, layout.figures / name) for name in figures]
    for src, dst in pairs:
        s = src.stat()
        try:
            d = dst.stat()
            if d.st_size == s.st_size and d.st_mtime_ns == s.st_mtime_ns:
                continue
        except FileNotFoundError:
            pass
        shutil.copy2(src, dst)


def _parameterized(nb_json: dict, params: dict[str, str]):
    """The notebook (a NotebookNode) with papermill's injected-parameters cell after its ``parameters`` cell and
    the parameters in ``metadata.papermill.parameters``, as papermill writes them."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    node = nbformat.reads(json.dumps(nb_json), as_version=4)  # sources as strings, as nbclient needs them
    for cell in node.cells:
        cell.metadata.setdefault("tags", [])
    node.metadata.setdefault("papermill", {})
    return parameterize_notebook(node, params, kernel_name="python3", language="python")


def execute_one(
    nb: Path,
    lang: str | None = None,
    timeout: int = 600,
    formats: tuple[str, ...] | None = None,
    output_root: Path | None = None,
    key: str | None = None,
) -> NotebookResult:
    """Run one notebook with nbclient on a fresh kernel into its cache entry (parameters injected as papermill
    does, see :func:`_parameterized`); install its executed copy, HTML and
    figures in the output folder.

    ``formats`` (e.g. ``("png", "svg", "pdf")``) are the chart formats the kernel's ``export.save_figure`` writes
    by default, passed in the environment variable ``CLUSTERS_FIGURE_FORMATS``; None keeps the inherited value (or
    PNG and SVG). ``key``: the execution key (computed here when None)."""
    import nbformat
    from nbclient import NotebookClient

    layout = Layout.of(output_root)
    nb_json = exercises.load(nb)
    if key is None:
        key = execution_key(nb_json, lang, tuple(formats or default_formats()), inputs_fingerprint())
    entry = _entry_dir(layout, nb, key)
    shutil.rmtree(entry, ignore_errors=True)
    (entry / FIGURES_PARAM).mkdir(parents=True)
    executed_path = entry / "executed.ipynb"
    t0 = time.perf_counter()
    name = display_name(nb)
    env_backup = os.environ.get("MPLBACKEND")
    formats_backup = os.environ.get(FORMATS_ENV)
    if formats:
        os.environ[FORMATS_ENV] = ",".join(formats)  # the kernel inherits it: save_figure's default formats
    # Charts are shown inline in the executed notebook and its HTML, as in JupyterLab, whatever backend the
    # calling process uses (the test suite sets Agg).
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # The kernel process inherits this worker's stderr: send its log lines (transport notices, shutdown
    # messages) to a file in the cache entry instead of the user's terminal.
    kernel_log = open(entry / "kernel.log", "w", encoding="utf-8")
    saved_stderr = os.dup(2)
    os.dup2(kernel_log.fileno(), 2)
    nb_node = _parameterized(nb_json, parameters(lang))
    # nbclient, not papermill's executor: papermill writes the whole notebook out at the start and end of every cell
    # (about 80 writes of a notebook holding its charts), which cost 1.5 s of CPU per chart notebook against 0.2 s,
    # competing with the kernels for the cores. The parameters are still injected the papermill way (above).
    client = NotebookClient(
        nb_node,
        timeout=timeout,
        kernel_name="python3",
        # The cache entry: output_dir="figures" lands in it. Not the notebook's folder: paths must come from
        # helpers.paths.
        resources={"metadata": {"path": str(entry)}},
        # Every cell has run and its outputs are collected (figures saved) when the kernel is stopped, so it is
        # stopped at once rather than gracefully (a graceful stop sometimes stalled for seconds).
        shutdown_kernel="immediate",
    )
    try:
        client.execute()
    except Exception as exc:  # nbclient's CellExecutionError; the failing cell holds the error output
        index = next(
            (
                i
                for i, cell in enumerate(nb_node.cells)
                if any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            ),
            None,
        )
        where = "setup"
        if index is not None:
            # the index counts the cells of the executed copy (with the injected parameters cell)
            first_line = "".join(nb_node.cells[index].get("source", "")).strip().splitlines()[:1]
            where = f"cell {index} of {nb.name} ({first_line[0][:60]!r})" if first_line else f"cell {index}"
        detail = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', str(exc))}"
        if index is not None:  # the copy up to the failing cell, for inspection
            out = layout.notebooks / _rel(nb)
            out.parent.mkdir(parents=True, exist_ok=True)
            failed = json.loads(nbformat.writes(nb_node))
            _relative_metadata(failed, nb)
            out.write_text(json.dumps(failed, ensure_ascii=False, indent=1), encoding="utf-8")
        return NotebookResult(name, time.perf_counter() - t0, False, f"{where}: {detail.strip()[:400]}")
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        kernel_log.close()
        if env_backup is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backup
        if formats_backup is None:
            os.environ.pop(FORMATS_ENV, None)
        else:
            os.environ[FORMATS_ENV] = formats_backup
    executed = json.loads(nbformat.writes(nb_node))
    _relative_metadata(executed, nb)
    executed_path.write_text(json.dumps(executed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    glyphs = _glyph_problems(executed)
    page = render_html(executed, nb, layout, lang)
    (entry / "page.html").write_text(page, encoding="utf-8")
    figures = sorted(f.name for f in (entry / FIGURES_PARAM).iterdir() if f.is_file())
    _install(entry, nb, layout, figures)
    seconds = time.perf_counter() - t0
    if glyphs:
        return NotebookResult(name, seconds, False, "missing glyphs: " + "; ".join(glyphs[:3]))
    manifest = {
        "notebook": name,
        "key": key,
        "full": notebook_keys(nb_json)[1],
        "lang": lang,
        "figures": figures,
        "chars": _page_chars(page),
        "seconds": round(seconds, 2),
    }
    (entry / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _prune(entry.parent)
    return NotebookResult(name, seconds, True, chars=manifest["chars"])


def refresh_prose(nb: Path, lang: str | None, output_root: Path | None, key: str) -> NotebookResult:
    """A cached notebook whose prose changed: its cached outputs with the new markdown cells, the HTML rendered
    again, the entry updated and installed (no kernel)."""
    t0 = time.perf_counter()
    layout = Layout.of(output_root)
    entry = _entry_dir(layout, nb, key)
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    nb_json = exercises.load(nb)
    executed = json.loads((entry / "executed.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in executed["cells"] if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    for new, old in zip(nb_json["cells"], cells, strict=True):  # same sequence of cell types (the key says so)
        if new["cell_type"] == "markdown":
            old["source"] = new["source"]
            old["metadata"] = new.get("metadata", {})
            if "attachments" in new:
                old["attachments"] = new["attachments"]
    (entry / "executed.ipynb").write_text(json.dumps(executed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    page = render_html(executed, nb, layout, lang)
    (entry / "page.html").write_text(page, encoding="utf-8")
    manifest.update(full=notebook_keys(nb_json)[1], chars=_page_chars(page))
    (entry / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _install(entry, nb, layout, manifest["figures"])
    message = "outputs reused, prose updated"
    return NotebookResult(display_name(nb), time.perf_counter() - t0, True, message, True, manifest["chars"])


def _cached(layout: Layout, nb: Path, key: str) -> dict | None:
    """The manifest of a complete cache entry for ``key``, or None."""
    entry = _entry_dir(layout, nb, key)
    try:
        manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    needed = [entry / "executed.ipynb", entry / "page.html", *(entry / "figures" / f for f in manifest["figures"])]
    if manifest.get("key") != key or not all(p.is_file() for p in needed):
        return None
    return manifest


def _prune(folder: Path) -> None:
    """Keep the newest :data:`CACHE_ENTRIES_KEPT` entries of one notebook."""
    entries = sorted((d for d in folder.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime, reverse=True)
    for old in entries[CACHE_ENTRIES_KEPT:]:
        shutil.rmtree(old, ignore_errors=True)


_REMOTE_SCRIPT = re.compile(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>\s*')


def offline_html(body: str) -> str:
    """Drop the template's scripts loaded from a CDN (require.js, MathJax): the pages need none of them, and a
    shared copy of the collection must open with no network (no failed requests, no console errors)."""
    return _REMOTE_SCRIPT.sub("", body)


def notebook_title(nb: Path) -> str:
    data = exercises.load(nb)
    for cell in data["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"])
            m = re.search(r"^#\s+(.+)$", src, flags=re.M)
            if m:
                return m.group(1).strip()
    return nb.stem


# --- the web font -----------------------------------------------------------------------------------------------


def write_web_font(chars: str, layout: Layout) -> Path | None:
    """``fonts/NotoSansCJKsc-subset.woff2`` (or ``.woff``): the bundled Noto Sans CJK SC cut to ``chars``. Kept
    when it already covers these characters (cutting takes seconds: an edit that drops characters does not redo
    it). None when the font package is missing."""
    from .style import bundled_font_path

    font_path = bundled_font_path()
    if font_path is None:
        return None
    target = layout.fonts / WEB_FONT_NAME
    stamp = layout.fonts / "subset.json"
    wanted = {"chars": chars, "font": font_path.name, "size": font_path.stat().st_size, "face": WEB_FONT_FACE}
    try:
        have = json.loads(stamp.read_text(encoding="utf-8"))
        same_font = {k: v for k, v in have.items() if k != "chars"} == {k: v for k, v in wanted.items() if k != "chars"}
        if target.is_file() and same_font and set(chars) <= set(have["chars"]):
            return target
    except (OSError, ValueError, KeyError):
        pass
    from fontTools import subset
    from fontTools.ttLib import TTFont

    layout.fonts.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.flavor = WEB_FONT_FORMAT
    options.hinting = False  # browsers rasterise CJK well without it; a third smaller
    options.name_IDs = ["*"]  # keep the copyright and licence (SIL OFL 1.1) records
    options.name_languages = ["*"]
    font = TTFont(str(font_path), fontNumber=WEB_FONT_FACE, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars] or [0x4E00])
    subsetter.subset(font)
    font.flavor = WEB_FONT_FORMAT
    tmp = target.with_suffix(".tmp")
    font.save(str(tmp))
    os.replace(tmp, target)
    stamp.write_text(json.dumps(wanted, ensure_ascii=False), encoding="utf-8")
    _copy_font_licence(layout.fonts / "LICENSE-NotoSansCJK.txt")
    return target


def _copy_font_licence(dest: Path) -> None:
    """The SIL Open Font License travels with the font (the subset keeps its name records too)."""
    try:
        files = _metadata.distribution("noto-cjk-sans-otc").files or []
    except _metadata.PackageNotFoundError:
        return
    for f in files:
        if Path(str(f)).name.upper().startswith(("LICENSE", "OFL")):
            shutil.copy2(Path(str(f.locate())), dest)
            return


# --- the index --------------------------------------------------------------------------------------------------


def write_index(results: list[NotebookResult], output_root: Path | None = None) -> Path:
    """``index.html``: links to every executed notebook (HTML and .ipynb), figure, the workbook and CSVs; says
    which notebooks were reused from the cache."""
    layout = Layout.of(output_root)
    data_out = layout.root / "data"
    data_out.mkdir(parents=True, exist_ok=True)
    for f in sorted(paths.CLEAN_DIR.glob("*")):
        if f.suffix in {".csv", ".xlsx", ".json", ".parquet"}:
            shutil.copy2(f, data_out / f.name)
    ok = {r.notebook: r for r in results}
    rows = []
    for nb in discover():
        rel = (layout.notebooks / _rel(nb)).relative_to(layout.root).as_posix()
        res = ok.get(display_name(nb))
        if res is None:
            status = ""
        elif not res.ok:
            status = "FAILED"
        elif res.reused:
            status = "reused: unchanged since its last run" + (", prose updated" if res.message else "")
        else:
            status = f"run, {res.seconds:.1f} s"
        rows.append(
            f'<li><a href="{html.escape(rel[:-6])}.html">{html.escape(notebook_title(nb))}</a> '
            f'<small>(<a href="{html.escape(rel)}">ipynb</a>, {status})</small></li>'
        )
    figs = sorted(layout.figures.glob("*.png")) if layout.figures.exists() else []
    fig_items = "".join(
        f'<figure><a href="figures/{html.escape(f.name)}"><img src="figures/{html.escape(f.name)}" '
        f'alt="{html.escape(f.stem)}" loading="lazy"></a><figcaption>{html.escape(f.stem)}{_other_formats(f)}'
        "</figcaption></figure>"
        for f in figs
    )
    data_items = "".join(
        f'<li><a href="data/{html.escape(f.name)}">{html.escape(f.name)}</a></li>' for f in sorted(data_out.glob("*"))
    )
    reused = sum(r.reused for r in results)
    summary = (
        f"<p><small>This build: {len(results) - reused} notebook(s) executed, {reused} reused from the cache "
        "(unchanged code, parameters and inputs).</small></p>"
        if results
        else ""
    )
    page = f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>中国产业集群 · China industrial clusters notebooks</title>
{web_font_css(f"fonts/{WEB_FONT_NAME}")}<style>
body {{ max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
figure {{ display: inline-block; width: 22rem; margin: .5rem; vertical-align: top; }}
figure img {{ width: 100%; border: 1px solid #ddd; }}
figcaption {{ font-size: .8rem; }}
</style></head><body>
<h1>中国产业集群笔记本 · China industrial clusters notebooks</h1>
<p>Figures curated from Chinese reports on industrial clusters (产业集群); every figure carries its source file,
line and text as printed. Data licence CC BY 4.0, code MIT.</p>
<h2>笔记本 · Notebooks</h2><ul>{"".join(rows)}</ul>{summary}
<h2>数据 · Data</h2><ul>{data_items}</ul>
<h2>图表 · Figures</h2>{fig_items}
</body></html>
"""
    index = layout.root / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _other_formats(png: Path) -> str:
    """Links to the chart's SVG and PDF where they were written with this PNG (a PDF left from an earlier
    ``--formats …,pdf`` run is older than the PNG and not linked)."""
    links = [
        f'<a href="figures/{html.escape(png.stem)}.{fmt}">{fmt.upper()}</a>'
        for fmt in ("svg", "pdf")
        if (other := png.with_suffix(f".{fmt}")).is_file() and other.stat().st_mtime >= png.stat().st_mtime
    ]
    return f" ({', '.join(links)})" if links else ""


# --- the collection ---------------------------------------------------------------------------------------------


@dataclass
class RunReport:
    status: int
    results: list[NotebookResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def executed(self) -> list[str]:
        return [r.notebook for r in self.results if not r.reused]

    @property
    def reused(self) -> list[str]:
        return [r.notebook for r in self.results if r.reused]


def run_collection(
    jobs: int = 0,
    pattern: str = "",
    lang: str | None = None,
    progress=print,
    formats: tuple[str, ...] | None = None,
    output_root: Path | None = None,
    force: bool = False,
) -> RunReport:
    """Execute the notebooks whose execution key changed (all with ``force``), in parallel; reuse the others;
    write the web font and the index. One line per notebook with its time or "reused"."""
    t0 = time.perf_counter()
    layout = Layout.of(output_root)
    notebooks = discover(pattern)
    if not notebooks:
        progress(f"notebooks: none match {pattern!r}")
        return RunReport(1)
    layout.notebooks.mkdir(parents=True, exist_ok=True)
    layout.figures.mkdir(parents=True, exist_ok=True)
    exercises.write_all(progress=progress)  # beside their solutions, for JupyterLab; edited copies are kept
    resolved_formats = tuple(formats or default_formats())
    inputs = inputs_fingerprint()
    results: list[NotebookResult] = []
    to_run: list[tuple[Path, str]] = []
    to_refresh: list[tuple[Path, str]] = []
    for nb in notebooks:
        nb_json = exercises.load(nb)
        key = execution_key(nb_json, lang, resolved_formats, inputs)
        manifest = None if force else _cached(layout, nb, key)
        if manifest is None:
            to_run.append((nb, key))
        elif manifest["full"] != notebook_keys(nb_json)[1]:
            to_refresh.append((nb, key))
        else:
            _install(_entry_dir(layout, nb, key), nb, layout, manifest["figures"])
            os.utime(_entry_dir(layout, nb, key))  # the newest entry of this notebook (pruning keeps it)
            results.append(NotebookResult(display_name(nb), 0.0, True, reused=True, chars=manifest["chars"]))
            progress(f"notebooks: reused {display_name(nb)} (unchanged code, parameters and inputs)")
    jobs = jobs or os.cpu_count() or 1
    if to_run or to_refresh:
        workers = min(jobs, len(to_run) + len(to_refresh))
        progress(f"notebooks: running {len(to_run)}, reusing {len(results) + len(to_refresh)} on {workers} worker(s)")
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(execute_one, nb, lang, formats=formats, output_root=output_root, key=key)
                for nb, key in to_run
            ] + [pool.submit(refresh_prose, nb, lang, output_root, key) for nb, key in to_refresh]
            for fut in as_completed(futures):
                res = fut.result()
                results.append(res)
                mark = "ok" if res.ok else "FAILED"
                if res.reused:
                    mark = "reused"
                progress(
                    f"notebooks: {mark:6s} {res.notebook} ({res.seconds:.1f}s)"
                    + (f"  {res.message}" if res.message else "")
                )
    results.sort(key=lambda r: r.notebook)
    chars = "".join(sorted({ch for r in results for ch in r.chars}))
    index = write_index(results, output_root)
    chars = "".join(sorted(set(chars) | set(_page_chars(index.read_text(encoding="utf-8")))))
    font = write_web_font(chars, layout)
    if font is None:
        progress("notebooks: the noto-cjk-sans-otc package is missing: no web font (Chinese needs a system font)")
    failed = [r for r in results if not r.ok]
    seconds = time.perf_counter() - t0
    reused = sum(r.reused for r in results)
    progress(
        f"notebooks: {len(results) - len(failed)} ok ({reused} reused), {len(failed)} failed in {seconds:.1f}s; {index}"
    )
    for r in failed:
        progress(f"notebooks: FAILED {r.notebook}: {r.message}")
    return RunReport(1 if failed else 0, results, seconds)


def run_all(
    jobs: int = 0,
    pattern: str = "",
    lang: str | None = None,
    progress=print,
    formats: tuple[str, ...] | None = None,
    output_root: Path | None = None,
    force: bool = False,
) -> int:
    """Execute the notebooks in parallel into ``output_root`` (default ``build/``); print one line per notebook
    with its time; 1 if any failed. Unchanged notebooks are reused from the cache unless ``force``.

    ``formats``: chart formats the notebooks write (default PNG and SVG; see :func:`execute_one`)."""
    return run_collection(jobs, pattern, lang, progress, formats, output_root, force).status
