"""The static site (``python -m helpers site``), built into the test session's temporary folder from the
session's notebook run (zh) and an English run beside it: every page in both languages, every link resolving,
every cluster page listing exactly its figures; in headless Chromium (skipped when absent) the pages open from
file:// with no console error and no request leaving the machine, the fact explorer filters to the right number
of rows and downloads exactly those rows as CSV. Screenshots are written into the temporary folder."""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from helpers import load, paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = (
    "Debian's chromium is not installed: `apt-get install chromium` as root, or run "
    "`CLUSTERS_INSTALL_SYSTEM_PACKAGES=1 python3 tasks.py test` as root, which installs it"
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def site(collection, build_root, tmp_path_factory):
    """The site of this session: zh notebooks from the session's run, en ones run into a folder of their own."""
    from helpers.run_notebooks import run_collection
    from helpers.site import build_site

    en_root = tmp_path_factory.mktemp("build-en")
    report = run_collection(lang="en", progress=lambda m: None, output_root=en_root)
    assert report.status == 0, [r.message for r in report.results if not r.ok]
    out = tmp_path_factory.mktemp("site")
    messages: list[str] = []
    build_site(out_dir=out, roots={"zh": [build_root], "en": [en_root]}, briefs_dir=out / "no-briefs",
               progress=messages.append, execute=False)  # fmt: skip
    return out


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") == "alternate"):
                self.links.append(a[key])


def _parse(page: Path) -> _Links:
    p = _Links()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_page_exists_in_both_languages(site):
    zh = {p.relative_to(site / "zh") for p in _pages(site / "zh")}
    en = {p.relative_to(site / "en") for p in _pages(site / "en")}
    assert zh == en
    clusters = set(load.clusters()["cluster_id"])
    assert {p.stem for p in zh if p.parent == Path("clusters")} == clusters | {"index"}
    assert {Path("index.html"), Path("facts.html"), Path("clusters/index.html"), Path("provinces/index.html")} <= zh
    from helpers.run_notebooks import _rel, discover
    from helpers.site import T

    for lang in ("zh", "en"):
        for nb in discover():
            page = (site / lang / "notebooks" / _rel(nb).with_suffix(".html")).read_text(encoding="utf-8")
            assert T["nb_missing"][1] not in page and "jp-Notebook" in page, (lang, nb.name)
    assert (site / "index.html").is_file()


def test_no_broken_link_and_no_request_off_the_machine(site):
    """Every href and src of every page resolves to a file of the site (fragments to an id of their page); none
    points off the machine (no http(s), no protocol-relative URL)."""
    parsed: dict[Path, _Links] = {}
    problems = []
    for page in _pages(site):
        parsed[page] = links = _parse(page)
        for link in links.links:
            url = urlparse(link)
            if url.scheme in ("data", "mailto"):
                continue
            if url.scheme or link.startswith("//"):
                problems.append(f"{page.relative_to(site)}: external {link}")
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: missing {link}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed.get(target) or _parse(target)
                parsed[target] = ids
                if url.fragment not in ids.ids and unquote(url.fragment) not in ids.ids:
                    problems.append(f"{page.relative_to(site)}: no #{url.fragment} in {target.name}")
    assert not problems, problems[:20]


def test_no_absolute_path_in_any_page(site):
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        for folder in {str(paths.PROJECT_ROOT), str(site)}:
            assert folder not in text, f"{page.relative_to(site)} shows {folder}"


_FACTS_TABLE = re.compile(r'<table class="facts">.*?</table>', re.S)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_cluster_page_lists_exactly_its_facts(site, lang):
    facts = load.facts()
    mentions = load.cluster_mentions()
    for cid in load.clusters()["cluster_id"]:
        text = (site / lang / "clusters" / f"{cid}.html").read_text(encoding="utf-8")
        tables = _FACTS_TABLE.findall(text)
        shown = set(re.findall(r'href="\.\./facts\.html#([^"]+)"', "".join(tables)))
        expected = set(facts.loc[facts["cluster_id"] == cid, "fact_id"])
        assert shown == expected, cid
        n_mentions = int((mentions["cluster_id"] == cid).sum())
        assert re.search(r'id="mentions">[^<]*\((\d+)\)</h2>', text).group(1) == str(n_mentions), cid


def test_facts_page_holds_every_fact_as_an_anchor(site):
    ids = _parse(site / "zh" / "facts.html").ids
    assert set(load.facts()["fact_id"]) <= ids
    assert "china-overview-054" in ids


def test_figure_captions_are_chart_titles(site):
    text = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "Number of firms in clusters" in text
    zh = (site / "zh" / "index.html").read_text(encoding="utf-8")
    assert "产业集群企业数" in zh


# --- in the browser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    import os

    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is a test dependency: `python3 tasks.py test` installs it"
    )
    # No system CJK font is needed: the pages bring their web font. (No fontconfig trick here, on purpose.)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=dict(os.environ))
        yield b
        b.close()


def _open(browser, path: Path, fragment: str = ""):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))

    def guard(route):
        if route.request.url.split(":", 1)[0] in ("file", "data", "blob"):
            route.continue_()
        else:
            problems.append(f"request off the machine: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.goto(path.as_uri() + fragment, wait_until="load")
    return page, problems


def _broken_images(page) -> list[str]:
    page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    page.wait_for_load_state("load")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    return page.evaluate("Array.from(document.images).filter(i => !(i.naturalWidth > 0)).map(i => i.src)")


def _sample_pages(site: Path) -> list[tuple[str, Path]]:
    clusters = load.clusters()
    with_facts = clusters[clusters["n_facts"] > 0]
    pages = [("root", site / "index.html")]
    for lang in ("zh", "en"):
        pages += [
            (f"{lang}-index", site / lang / "index.html"),
            (f"{lang}-facts", site / lang / "facts.html"),
            (f"{lang}-clusters", site / lang / "clusters" / "index.html"),
            (f"{lang}-province", site / lang / "provinces" / "330000.html"),
            (f"{lang}-notebook", site / lang / "notebooks" / "01_tour.html"),
            (f"{lang}-teaching", site / lang / "notebooks" / "teaching" / "T1_growth_solutions.html"),
        ]
        for kind in ("manufacturing", "agriculture", "services", "mixed"):
            of_kind = with_facts[with_facts["cluster_type"] == kind]
            of_kind = of_kind if len(of_kind) else clusters[clusters["cluster_type"] == kind]
            cid = of_kind.sort_values("n_facts", ascending=False)["cluster_id"].iloc[0]
            pages.append((f"{lang}-{kind}", site / lang / "clusters" / f"{cid}.html"))
        only_mentions = clusters[clusters["n_facts"] == 0]["cluster_id"].iloc[0]
        pages.append((f"{lang}-mentions-only", site / lang / "clusters" / f"{only_mentions}.html"))
    return pages


def test_pages_open_offline_without_errors(browser, site):
    shots = site.parent / f"{site.name}-screenshots"
    shots.mkdir(exist_ok=True)
    for name, path in _sample_pages(site):
        page, problems = _open(browser, path)
        assert not _broken_images(page), name
        text = page.inner_text("body")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), name
        page.screenshot(path=str(shots / f"{name}.png"))
        assert not problems, (name, problems)
        page.context.close()


def _shown_ids(page) -> list[str]:
    return page.eval_on_selector_all("#facts tbody tr:not([hidden])", "rows => rows.map(r => r.id)")


QUERIES = [  # (global words, {column index: text}, expected fact ids from the data)
    ("shouguang-vegetables", {}, lambda f: f["fact_id"].str.contains("shouguang-vegetables", regex=False)),
    ("", {11: "003_ea17d757428fd9bd.txt:"}, lambda f: f["source_file"] == "003_ea17d757428fd9bd.txt"),
    ("zhucheng-three", {0: "-00"}, lambda f: f["fact_id"].str.startswith("zhucheng-three-00")),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explorer_filters_sorts_and_downloads(browser, site, lang, tmp_path):
    facts = load.facts()
    page, problems = _open(browser, site / lang / "facts.html")
    assert len(_shown_ids(page)) == len(facts)
    kind_word = {"zh": "目标", "en": "target"}[lang]
    queries = [*QUERIES, ("", {6: kind_word}, lambda f: f["kind"] == "target")]
    for words, cols, expected in queries:
        page.click("#clear")
        page.fill("#q", words) if words else None
        for col, text in cols.items():
            page.fill(f'thead input[data-col="{col}"]', text)
        want = set(facts.loc[expected(facts), "fact_id"])
        shown = _shown_ids(page)
        assert set(shown) == want, (words, cols)
        assert page.get_attribute("#count", "data-shown") == str(len(want))
    with page.expect_download() as info:
        page.click("#download")
    got = tmp_path / "download.csv"
    info.value.save_as(got)
    rows = list(csv.DictReader(io.StringIO(got.read_text(encoding="utf-8-sig"))))
    published = {
        r["fact_id"]: r for r in csv.DictReader(io.StringIO((paths.CLEAN_DIR / "facts.csv").read_text("utf-8-sig")))
    }
    assert [r["fact_id"] for r in rows] == _shown_ids(page)
    assert rows == [published[r["fact_id"]] for r in rows]
    page.click("#clear")
    page.click('th.sortable[data-col="0"]')
    page.click('th.sortable[data-col="0"]')
    ids = _shown_ids(page)
    assert ids == sorted(ids, reverse=True)
    page.fill("#q", "武汉 天堂")  # words that match nothing: empty table, no error
    assert _shown_ids(page) == []
    page.fill("#q", "china-overview")
    page.screenshot(path=str(site.parent / f"{site.name}-screenshots-explorer-{lang}.png"))
    assert not problems, problems
    page.context.close()


def test_fact_anchor_opens_its_row(browser, site):
    page, problems = _open(browser, site / "en" / "facts.html", "#china-overview-054")
    assert page.evaluate("document.querySelector('tr:target') && document.querySelector('tr:target').id") == (
        "china-overview-054"
    )
    assert not problems, problems
    page.context.close()
