"""pyproject.toml is the source of truth; requirements.lock pins it exactly; environment.yml lists the same."""

from __future__ import annotations

import re
import tomllib

from helpers import paths

ROOT = paths.PROJECT_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return {_name(s): s.replace(" ", "") for s in specs}


def _environment_yml() -> dict[str, str]:
    deps = {}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s+- ([A-Za-z0-9_.\-]+[^\s#]*)\s*$", line)
        if m and not m.group(1).startswith("--") and m.group(1) != "pip:":
            deps[_name(m.group(1))] = m.group(1)
    deps.pop("python", None)
    deps.pop("pip", None)
    return deps


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock line is not an exact pin: {line}"
            pins[_name(name)] = version
    return pins


def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert _environment_yml() == _pyproject()


def test_lock_pins_every_declared_dependency_within_its_range():
    from packaging.specifiers import SpecifierSet

    lock = _lock()
    for name, spec in _pyproject().items():
        assert name in lock, f"{name} missing from requirements.lock: run `python3 tasks.py lock`"
        specifier = SpecifierSet(spec[len(name) :]) if spec[len(name) :] else SpecifierSet()
        assert lock[name] in specifier, f"{name}=={lock[name]} does not satisfy {spec}"


def test_user_asked_for_packages_are_declared():
    declared = _pyproject()
    for name in ("jupyterlab", "pandas", "matplotlib", "seaborn", "geopandas", "openpyxl"):
        assert name in declared
