"""The shape of the library: no import cycle, only the build reads data/raw, one declaration feeds every output,
and notebooks hold no curated values."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from pathlib import Path

import pytest

from helpers import paths, schema, write

PACKAGE = paths.PACKAGE_DIR
#: The build pipeline: the only modules that may read data/raw (cli passes --raw on to the build).
PIPELINE = {"build", "validate", "transform", "write", "publish", "schema", "paths", "cli", "docs"}


def _imports(path: Path) -> set[str]:
    """Sibling modules of helpers that ``path`` imports (relative or absolute, at any depth of the file)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(a.name for a in node.names)
            elif node.module and node.module.startswith("helpers."):
                found.add(node.module.split(".")[1])
            elif node.module == "helpers":
                found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("helpers."))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {p.stem: p for p in PACKAGE.glob("*.py")}
    return {name: _imports(path) & set(modules) - {name} for name, path in modules.items()}


def test_the_import_graph_of_helpers_has_no_cycle():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert "build" not in graph["schema"] and not graph["schema"] - {"paths"}, "schema imports the pipeline"


def test_only_the_build_reads_data_raw():
    for path in PACKAGE.glob("*.py"):
        if path.stem in PIPELINE:
            continue
        code = ast.unparse(ast.parse(path.read_text(encoding="utf-8")))  # code only: docstrings may name data/raw
        names = {n.attr for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Attribute)}
        assert not names & {"RAW_DIR", "RAW_FACTS_DIR"}, f"{path.name} reads data/raw: go through helpers.load"
        assert "'raw'" not in code and '"raw"' not in code, path.name


def test_one_declaration_feeds_the_package_the_dictionary_and_the_workbook(monkeypatch):
    """Change a column's description in the schema: datapackage.json, data/README.md and the workbook's README sheet
    all say the new words."""
    marker = "A DESCRIPTION CHANGED IN THE SCHEMA ONLY"
    facts = schema.TABLES["facts"]
    fields = tuple(dataclasses.replace(f, description=marker) if f.name == "figure_text" else f for f in facts.fields)
    monkeypatch.setitem(schema.TABLES, "facts", dataclasses.replace(facts, fields=fields))
    tables = {name: [] for name in schema.TABLES}
    package = write.datapackage(tables, [], "0", True)
    described = {f["name"]: f["description"] for f in package["resources"][0]["schema"]["fields"]}
    assert described["figure_text"].startswith(marker)
    assert f"| `figure_text` | string |  | {marker}" in schema.dictionary_markdown()
    assert ["facts", "figure_text", "string", "", marker] in write._readme_rows()


def test_vocabularies_are_frictionless_constraints_and_every_reference_a_foreign_key():
    package = json.loads((paths.CLEAN_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    facts = {f["name"]: f for f in resources["facts"]["schema"]["fields"]}
    assert facts["qualifier"]["constraints"]["enum"] == list(schema.QUALIFIERS)
    assert facts["scope"]["constraints"]["enum"] == list(schema.SCOPES)
    assert all(r["profile"] == "tabular-data-resource" for r in resources.values())
    keys = {(name, tuple(fk["fields"]), fk["reference"]["resource"])
            for name, r in resources.items() for fk in r["schema"].get("foreignKeys", [])}  # fmt: skip
    for needed in [("facts", ("cluster_id",), "clusters"), ("facts", ("metric",), "metrics"),
                   ("facts", ("article_id",), "articles"), ("clusters", ("province_code",), "provinces"),
                   ("cluster-mentions", ("cluster_id",), "clusters")]:  # fmt: skip
        assert needed in keys, needed
    assert "unit_or_vocabulary" not in json.dumps(package)


# --- notebooks hold analysis, prose and assertions; curated values live in data/raw ---------------------------

#: An id of a fact, cluster or check (lowercase words joined by '-'); a short Chinese name (a place, an industry).
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
_NAME_ZH = re.compile(r"^[\u4e00-\u9fff]{1,8}$")


def _curated_literals(source: str) -> list[str]:
    """Top-level assignments of a literal that curates: three or more ids of facts, clusters or checks (pairs,
    swaps, picks, labels keyed by fact), or a list or set of three or more Chinese names (a region's cities).
    Chart labels and axis units in zh and en are presentation, not curation."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        return []
    found = []
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        value = node.value
        if not isinstance(value, ast.Dict | ast.List | ast.Set | ast.Tuple):
            continue
        strings = [n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        ids = [s for s in strings if _ID.match(s)]
        names = [e.value for e in getattr(value, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str)
                 and _NAME_ZH.match(e.value)] if isinstance(value, ast.List | ast.Set) else []  # fmt: skip
        if len(ids) >= 3 or len(names) >= 3:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            example = (ids or names)[0]
            found.append(f"{ast.unparse(target)} = … ({len(ids) or len(names)} curated values, e.g. {example!r})")
    return found


def _notebooks() -> list[Path]:
    from helpers.exercises import is_generated

    return [p for p in sorted(paths.NOTEBOOKS_DIR.rglob("*.ipynb")) if not is_generated(p)]


@pytest.mark.parametrize("nb", _notebooks(), ids=lambda p: p.name)
def test_no_notebook_defines_curated_values(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    found = [f"cell {i}: {hit}" for i, c in enumerate(cells) if c["cell_type"] == "code"
             for hit in _curated_literals("".join(c["source"]))]  # fmt: skip
    assert not found, "curated values belong in data/raw (validated, read through helpers.load):\n" + "\n".join(found)


def test_the_curated_values_check_can_fail():
    assert _curated_literals('PAIRS = [("yongan-three-031", "yongan-three-019"), ("a-b-1", "x")]')
    assert _curated_literals('EN = {"china-overview-003": "x", "china-overview-018": "y", "yongan-three-005": "z"}')
    assert _curated_literals('PRD = {"广州", "深圳", "珠海", "佛山"}')
    assert not _curated_literals('METRICS = ["output_value", "revenue", "firms", "employees"]')
    assert not _curated_literals('UNITS = {"CNY": (1e8, "亿元", "100m yuan"), "ratio": (0.01, "%", "%")}')
