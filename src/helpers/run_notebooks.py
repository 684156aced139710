"""Execute every notebook on a fresh kernel, in parallel, into ``build/notebooks/``, with HTML copies and an index.

Each notebook gets its tagged ``parameters`` cell overridden (papermill) with ``output_dir`` and, when given,
``lang``. A notebook fails on any error and on any missing-glyph warning in its outputs; the failure names the
notebook and the cell. The index page ``build/index.html`` links the notebooks, the figures, the workbook and CSVs.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import exercises, paths
from .export import FORMATS_ENV

GLYPH_WARNING = re.compile(r"Glyph \d+ .*missing from (current )?font|findfont: Font family .* not found")


@dataclass
class NotebookResult:
    notebook: str
    seconds: float
    ok: bool
    message: str = ""


def discover(pattern: str = "") -> list[Path]:
    """Notebooks under notebooks/ (teaching ones included), in name order; ``pattern`` filters by path text.
    Exercise notebooks are those generated from their solutions (:mod:`helpers.exercises`), not the copies on disk."""
    found = sorted(p for p in paths.NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    found = exercises.collection(found)
    return [p for p in found if pattern in str(p.relative_to(paths.NOTEBOOKS_DIR))]


def output_path(nb: Path) -> Path:
    return paths.BUILD_NOTEBOOKS_DIR / nb.relative_to(paths.NOTEBOOKS_DIR)


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


def execute_one(
    nb: Path, lang: str | None = None, timeout: int = 600, formats: tuple[str, ...] | None = None
) -> NotebookResult:
    """Run one notebook with papermill on a fresh kernel; write the executed copy and its HTML.

    ``formats`` (e.g. ``("png", "svg", "pdf")``) are the chart formats the kernel's ``export.save_figure`` writes
    by default, passed in the environment variable ``CLUSTERS_FIGURE_FORMATS``; None keeps the inherited value (or
    PNG and SVG)."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out = output_path(nb)
    out.parent.mkdir(parents=True, exist_ok=True)
    params = {"output_dir": str(paths.FIGURES_DIR)}
    if lang:
        params["lang"] = lang
    t0 = time.perf_counter()
    name = str(nb.relative_to(paths.PROJECT_ROOT))
    env_backup = os.environ.get("MPLBACKEND")
    formats_backup = os.environ.get(FORMATS_ENV)
    if formats:
        os.environ[FORMATS_ENV] = ",".join(formats)  # the kernel inherits it: save_figure's default formats
    # Charts are shown inline in the executed notebook and its HTML, as in JupyterLab, whatever backend the
    # calling process uses (the test suite sets Agg).
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # The kernel process inherits this worker's stderr: send its log lines (transport notices, shutdown
    # messages) to a file beside the executed notebook instead of the user's terminal.
    kernel_log = open(out.with_suffix(".kernel.log"), "w", encoding="utf-8")
    saved_stderr = os.dup(2)
    os.dup2(kernel_log.fileno(), 2)
    try:
        papermill.execute_notebook(
            nbformat.from_dict(exercises.load(nb)) if exercises.is_generated(nb) else str(nb),
            str(out),
            parameters=params,
            kernel_name="python3",
            language="python",
            progress_bar=False,
            log_output=False,
            cwd=str(paths.BUILD_DIR),  # not the notebook's folder: paths must come from helpers.paths
            execution_timeout=timeout,
            # Every cell has run and its outputs are collected (figures saved) when the kernel is stopped, so it
            # is stopped at once rather than gracefully (a graceful stop sometimes stalled for seconds).
            shutdown_kernel="immediate",
        )
    except Exception as exc:  # papermill.PapermillExecutionError names the cell
        index = getattr(exc, "cell_index", None)
        first_line = (getattr(exc, "source", "") or "").strip().splitlines()[:1]
        where = "setup"
        if index is not None:
            # cell_index counts the cells of the executed copy (papermill adds one for injected parameters)
            where = f"cell {index} of {out.name} ({first_line[0][:60]!r})" if first_line else f"cell {index}"
        detail = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', str(exc))}"
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
    executed = json.loads(out.read_text(encoding="utf-8"))
    glyphs = _glyph_problems(executed)
    body, _ = HTMLExporter().from_notebook_node(nbformat.reads(json.dumps(executed), as_version=4))
    out.with_suffix(".html").write_text(offline_html(body), encoding="utf-8")
    seconds = time.perf_counter() - t0
    if glyphs:
        return NotebookResult(name, seconds, False, "missing glyphs: " + "; ".join(glyphs[:3]))
    return NotebookResult(name, seconds, True)


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


def write_index(results: list[NotebookResult]) -> Path:
    """``build/index.html``: links to every executed notebook (HTML and .ipynb), figure, the workbook and CSVs."""
    data_out = paths.BUILD_DIR / "data"
    data_out.mkdir(parents=True, exist_ok=True)
    for f in sorted(paths.CLEAN_DIR.glob("*")):
        if f.suffix in {".csv", ".xlsx", ".json", ".parquet"}:
            shutil.copy2(f, data_out / f.name)
    ok = {r.notebook: r for r in results}
    rows = []
    for nb in discover():
        rel = output_path(nb).relative_to(paths.BUILD_DIR).as_posix()
        res = ok.get(str(nb.relative_to(paths.PROJECT_ROOT)))
        status = "" if res is None else (f"{res.seconds:.1f} s" if res.ok else "FAILED")
        rows.append(
            f'<li><a href="{html.escape(rel[:-6])}.html">{html.escape(notebook_title(nb))}</a> '
            f'<small>(<a href="{html.escape(rel)}">ipynb</a>, {status})</small></li>'
        )
    figs = sorted(paths.FIGURES_DIR.glob("*.png")) if paths.FIGURES_DIR.exists() else []
    fig_items = "".join(
        f'<figure><a href="figures/{html.escape(f.name)}"><img src="figures/{html.escape(f.name)}" '
        f'alt="{html.escape(f.stem)}" loading="lazy"></a><figcaption>{html.escape(f.stem)}{_other_formats(f)}'
        "</figcaption></figure>"
        for f in figs
    )
    data_items = "".join(
        f'<li><a href="data/{html.escape(f.name)}">{html.escape(f.name)}</a></li>' for f in sorted(data_out.glob("*"))
    )
    page = f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>中国产业集群 · China industrial clusters notebooks</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
figure {{ display: inline-block; width: 22rem; margin: .5rem; vertical-align: top; }}
figure img {{ width: 100%; border: 1px solid #ddd; }}
figcaption {{ font-size: .8rem; }}
</style></head><body>
<h1>中国产业集群笔记本 · China industrial clusters notebooks</h1>
<p>Figures curated from Chinese reports on industrial clusters (产业集群); every figure carries its source file,
line and text as printed. Data licence CC BY 4.0, code MIT.</p>
<h2>笔记本 · Notebooks</h2><ul>{"".join(rows)}</ul>
<h2>数据 · Data</h2><ul>{data_items}</ul>
<h2>图表 · Figures</h2>{fig_items}
</body></html>
"""
    index = paths.BUILD_DIR / "index.html"
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


def run_all(
    jobs: int = 0, pattern: str = "", lang: str | None = None, progress=print, formats: tuple[str, ...] | None = None
) -> int:
    """Execute the notebooks in parallel; print one line per notebook with its time; 1 if any failed.

    ``formats``: chart formats the notebooks write (default PNG and SVG; see :func:`execute_one`)."""
    notebooks = discover(pattern)
    if not notebooks:
        progress(f"notebooks: none match {pattern!r}")
        return 1
    paths.BUILD_NOTEBOOKS_DIR.mkdir(parents=True, exist_ok=True)
    paths.FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    t0 = time.perf_counter()
    exercises.write_all(progress=progress)  # beside their solutions, for JupyterLab; edited copies are kept
    progress(f"notebooks: running {len(notebooks)} on {jobs} worker(s)")
    results: list[NotebookResult] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(execute_one, nb, lang, formats=formats): nb for nb in notebooks}
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            mark = "ok" if res.ok else "FAILED"
            progress(
                f"notebooks: {mark:6s} {res.notebook} ({res.seconds:.1f}s){'  ' + res.message if res.message else ''}"
            )
    index = write_index(results)
    failed = [r for r in results if not r.ok]
    progress(
        f"notebooks: {len(results) - len(failed)} ok, {len(failed)} failed in {time.perf_counter() - t0:.1f}s; {index}"
    )
    for r in failed:
        progress(f"notebooks: FAILED {r.notebook}: {r.message}")
    return 1 if failed else 0
