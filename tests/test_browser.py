"""The rendered collection in headless Chromium: the index opens, every link resolves, every image loads, the
Chinese titles are in the page text, no console errors; a screenshot of the index is taken (in the session's
temporary build folder, like everything the tests build)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from helpers.run_notebooks import discover, notebook_title, output_path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed: `apt-get install chromium`, or run "
    "`CLUSTERS_INSTALL_SYSTEM_PACKAGES=1 python3 tasks.py test` as root, which installs it",
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def _fontconfig(tmp: Path) -> dict[str, str]:
    """Let Chromium use the CJK font the project ships (pip package noto-cjk-sans-otc) on a machine without a
    system CJK font, without installing anything system-wide: a fontconfig file adding the package's folder."""
    from helpers.style import bundled_font_path

    font = bundled_font_path()
    if font is None:
        return {}
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{font.parent}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="module")
def browser(collection, tmp_path_factory):
    import os

    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is a test dependency: `python3 tasks.py test` installs it"
    )
    env = {**os.environ, **_fontconfig(tmp_path_factory.mktemp("fonts"))}
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)
        yield b
        b.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


def _broken_images(page) -> list[str]:
    return page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")


def test_index_opens_with_everything_resolving(browser, build_root):
    index = build_root / "index.html"
    page, problems = _open(browser, index)
    text = page.inner_text("body")
    assert "中国产业集群" in text
    for nb in discover():
        assert notebook_title(nb) in text, notebook_title(nb)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert len(hrefs) >= len(discover())
    missing = [h for h in hrefs if urlparse(h).scheme == "file" and not Path(unquote(urlparse(h).path)).exists()]
    assert not missing, missing
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("load")
    for img in page.query_selector_all("img"):
        img.scroll_into_view_if_needed()
    assert page.evaluate("document.images.length") > 0
    assert not _broken_images(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(build_root / "index-screenshot.png"), full_page=False)
    assert (build_root / "index-screenshot.png").stat().st_size > 10_000
    assert not problems, problems


@pytest.mark.parametrize("nb", discover(), ids=lambda p: p.stem)
def test_notebook_page_renders_offline(browser, build_root, nb):
    html = output_path(nb, build_root).with_suffix(".html")
    page, problems = _open(browser, html)
    text = page.inner_text("body")
    title = notebook_title(nb)
    assert title.split("·")[0].strip() in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), "no Chinese text on the page"
    assert not _broken_images(page)
    assert not problems, problems
