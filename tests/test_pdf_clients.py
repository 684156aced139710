"""Chart and brief PDFs in the PDF readers people use: Ghostscript (printing, ImageMagick), MuPDF (SumatraPDF,
zathura) and poppler (pdftoppm, pdftotext; most Linux viewers).

Each renderer must draw the page without a warning or an error, draw something (not a blank page), and draw the
same page as the others: Ghostscript draws garbage silently (no warning) when a font is declared TrueType but
holds CFF outlines, so its page is compared with poppler's, 8-pixel block by block. The text must be extractable.
The tools are Debian packages (ghostscript, mupdf-tools, poppler-utils); each test skips, saying how to install
them, when one is missing.
"""

from __future__ import annotations

import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from helpers import brief, charts, export

PACKAGES = {"gs": "ghostscript", "mutool": "mupdf-tools", "pdftoppm": "poppler-utils", "pdftotext": "poppler-utils"}
#: Printed by Debian's mupdf-tools for every file (built without colour management); says nothing about ours.
IGNORED = {"warning: ICC support is not available"}
DPI = 100
TITLE_ZH = "集群产值"
NAMES_ZH = ["义乌小商品", "绍兴纺织", "诸城汽车", "大唐袜业", "东莞电子", "宝应玻璃", "寿光蔬菜", "邵东打火机"]


def need(exe: str) -> str:
    path = shutil.which(exe)
    if path is None:
        pytest.skip(
            f"{exe} (Debian package {PACKAGES[exe]}) is not installed: `apt-get install {PACKAGES[exe]}`, or run "
            "`CLUSTERS_INSTALL_SYSTEM_PACKAGES=1 python3 tasks.py test` as root, which installs it"
        )
    return path


@pytest.fixture(scope="module")
def chart_pdf(tmp_path_factory):
    """A ranked-bar chart in Chinese (title, names, values, qualifier marks, footer), saved as PDF and PNG."""
    n = len(NAMES_ZH)
    df = pd.DataFrame(
        {
            "name_zh": NAMES_ZH,
            "name_en": [None] * n,
            "metric": ["output_value"] * n,
            "value_std": np.linspace(2.0e11, 1.5e10, n),
            "unit_std": ["CNY"] * n,
            "qualifier": ["more_than", "approx", "exact", "at_least"] * 2,
            "kind": ["actual"] * n,
            "year": ["2010"] * n,
            "year_reliable": [True] * n,
        }
    )
    fig, _ax = charts.bar_ranked(df, lang="zh", unit="亿元", title=(TITLE_ZH, "Cluster output"))
    out = export.save_figure(fig, "clients_chart", out_dir=tmp_path_factory.mktemp("chart"), formats=("png", "pdf"))
    plt.close(fig)
    return out["pdf"]


@pytest.fixture(scope="module")
def brief_pdf(tmp_path_factory):
    """A Chinese briefing pack: page 1 is text (title, key-figure table, caveats), pages 2–3 charts."""
    return brief.make_brief(province="浙江", lang="zh", out_root=tmp_path_factory.mktemp("briefs")) / "brief.pdf"


def render(tool: str, pdf, out, page: int = 1) -> tuple[np.ndarray, list[str]]:
    """Page ``page`` of ``pdf`` rendered by ``tool`` at :data:`DPI`, as grey levels 0–1, and what the tool printed
    (warnings, errors; lines in :data:`IGNORED` dropped)."""
    exe = need(tool)
    if tool == "gs":
        cmd = [exe, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{DPI}", f"-dFirstPage={page}",
               f"-dLastPage={page}", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sOutputFile={out}",
               str(pdf)]  # fmt: skip
    elif tool == "mutool":
        cmd = [exe, "draw", "-q", "-r", str(DPI), "-c", "gray", "-o", str(out), str(pdf), str(page)]
    else:
        cmd = [exe, "-r", str(DPI), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
               str(out.with_suffix(""))]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    said = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    said = [line for line in said if line not in IGNORED]
    assert done.returncode == 0, f"{tool} failed on {pdf.name} (exit {done.returncode}): {said[:5]}"
    with Image.open(out) as im:
        return np.asarray(im.convert("L"), dtype=float) / 255, said


def block_differences(a: np.ndarray, b: np.ndarray, size: int = 8) -> np.ndarray:
    """Mean grey level per ``size``-pixel block of ``a`` minus that of ``b`` (absolute), on their common area.

    Anti-aliasing and hinting differ between renderers by a few per cent of a block; a glyph drawn as garbage or
    missing changes its blocks by 20–60 %."""
    h, w = (min(a.shape[0], b.shape[0]) // size) * size, (min(a.shape[1], b.shape[1]) // size) * size
    blocks = [x[:h, :w].reshape(h // size, size, w // size, size).mean(axis=(1, 3)) for x in (a, b)]
    return np.abs(blocks[0] - blocks[1])


def check_page(tool: str, pdf, tmp_path, page: int = 1) -> None:
    image, said = render(tool, pdf, tmp_path / f"{tool}-{page}.png", page)
    assert said == [], f"{tool} on {pdf.name}, page {page}: {said[:5]}"
    ink = float((image < 0.5).mean())
    assert ink > 0.005, f"{tool} drew page {page} of {pdf.name} (nearly) blank: {ink:.2%} dark pixels"
    reference, poppler_said = render("pdftoppm", pdf, tmp_path / f"poppler-{page}.png", page)
    assert poppler_said == [], f"pdftoppm on {pdf.name}: {poppler_said[:5]}"  # e.g. font type mismatch
    assert abs(image.shape[0] - reference.shape[0]) <= 2 and abs(image.shape[1] - reference.shape[1]) <= 2
    diff = block_differences(image, reference)
    differing = float((diff > 0.1).mean())
    assert diff.max() < 0.3 and differing < 0.05, (
        f"{tool} and poppler draw page {page} of {pdf.name} differently: largest block difference {diff.max():.2f}, "
        f"{differing:.1%} of 8-px blocks differ by more than 10 % (garbled or missing glyphs?)"
    )


@pytest.mark.parametrize("tool", ["gs", "mutool"])
def test_chart_pdf_renders_in_ghostscript_and_mupdf_as_in_poppler(chart_pdf, tmp_path, tool):
    check_page(tool, chart_pdf, tmp_path)


@pytest.mark.parametrize("tool", ["gs", "mutool"])
def test_brief_pdf_renders_in_ghostscript_and_mupdf_as_in_poppler(brief_pdf, tmp_path, tool):
    check_page(tool, brief_pdf, tmp_path, page=1)  # the text page: title, key figures, caveats


@pytest.mark.parametrize("tool", ["gs", "mutool"])
def test_every_brief_page_renders_without_warnings(brief_pdf, tmp_path, tool):
    need("pdftotext")
    pages = subprocess.run(["pdfinfo", str(brief_pdf)], capture_output=True, text=True).stdout
    n_pages = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    for page in range(1, n_pages + 1):
        image, said = render(tool, brief_pdf, tmp_path / f"{tool}-{page}.png", page)
        assert said == [], f"{tool} on brief page {page}: {said[:5]}"
        assert (image < 0.5).mean() > 0.005, f"{tool} drew brief page {page} blank"


def _text(tool: str, pdf) -> str:
    exe = need(tool)
    cmd = [exe, "-layout", str(pdf), "-"] if tool == "pdftotext" else [exe, "draw", "-q", "-F", "txt", str(pdf)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.mark.parametrize("tool", ["pdftotext", "mutool"])
def test_chart_pdf_text_is_extractable(chart_pdf, tool):
    text = _text(tool, chart_pdf)
    assert TITLE_ZH in text
    assert all(name in text for name in NAMES_ZH), text
    assert "资料来源" in text


@pytest.mark.parametrize("tool", ["pdftotext", "mutool"])
def test_brief_pdf_text_is_extractable(brief_pdf, tool):
    text = _text(tool, brief_pdf)
    assert "浙江产业集群简报" in text  # the title
    assert "资料来源" in text
