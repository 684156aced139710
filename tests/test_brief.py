"""Briefing packs: the PDF, its charts and workbook, the text it shows, and clear errors for unknown names."""

from __future__ import annotations

import shutil
import subprocess

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
    assert 3 <= len(pngs) <= 4
    for png in pngs:
        assert png.with_suffix(".svg").exists()
    wb = load_workbook(zhejiang / "figures.xlsx")
    assert {"key_figures", "all_figures", "clusters", "contradictions"} <= set(wb.sheetnames)
    assert wb["all_figures"].max_row - 1 == len(brief.select(province="浙江").facts)


def test_pdf_is_a4_with_one_to_three_pages(zhejiang, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip(f"pdftoppm {POPPLER_MISSING}")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(zhejiang / "brief.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 3
    from PIL import Image

    w, h = Image.open(pages[0]).size
    assert abs(h / w - 297 / 210) < 0.01  # A4 portrait


def test_pdf_text_shows_the_key_figures_and_contradictions(zhejiang):
    text = _pdf_text(zhejiang / "brief.pdf")
    assert "Industrial clusters in Zhejiang" in text
    table = brief.key_figures(brief.select(province="浙江"), "en")
    for row in table.itertuples():
        assert row.as_printed[:8] in text, row.as_printed  # the figure as printed, full-width digits and all
        assert row.source in text
    for check in brief.contradictions(brief.select(province="浙江"))["check_id"][:8]:
        assert check in text


def test_chinese_brief_has_chinese_text(tmp_path):
    folder = brief.make_brief(cluster="datang-socks", lang="zh", out_root=tmp_path)
    text = _pdf_text(folder / "brief.pdf")
    assert "集群简报" in text and "主要数据" in text and "注意事项" in text


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
