"""pyproject.toml is the source of truth; requirements.lock pins its runtime dependencies exactly and
requirements-test.lock the same pins plus the test tools; environment.yml lists the same packages; every pin admits
the oldest Python the project promises."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import sys
import tomllib

import pytest
from packaging.markers import Marker, default_environment
from packaging.specifiers import SpecifierSet

from helpers import paths

ROOT = paths.PROJECT_ROOT
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"


def _name(spec: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0]).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _specs(group: str) -> dict[str, str]:
    project = _project()
    specs = project["dependencies"] if group == "run" else project["optional-dependencies"]["test"]
    return {_name(s): s.replace(" ", "") for s in specs}


def _pyproject() -> dict[str, str]:
    return {**_specs("run"), **_specs("test")}


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


def _lock(path=RUNTIME_LOCK) -> dict[str, tuple[str, str]]:
    """name → (version, marker) for every pin; a package pinned twice (a Python-dependent fork) fails."""
    pins: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        if not requirement:
            continue
        spec, _, marker = (part.strip() for part in requirement.partition(";"))
        name, _, version = spec.partition("==")
        assert version, f"{path.name} line is not an exact pin: {line}"
        assert _name(name) not in pins, f"{path.name} pins {name} twice: one version per package"
        pins[_name(name)] = (version.strip(), marker)
    return pins


def _floor() -> str:
    requires = _project()["requires-python"]
    m = re.fullmatch(r">=\s*(\d+\.\d+(?:\.\d+)?)", requires)
    assert m, f"requires-python should be a plain lower bound, not {requires!r}"
    return m.group(1) + ".0" * (2 - m.group(1).count("."))


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert _environment_yml() == _pyproject()


@pytest.mark.parametrize("group,lock", [("run", RUNTIME_LOCK), ("test", TEST_LOCK)], ids=["runtime", "test"])
def test_lock_pins_every_declared_dependency_within_its_range(group, lock):
    pins = _lock(lock)
    wanted = _specs("run") if group == "run" else _pyproject()
    for name, spec in wanted.items():
        assert name in pins, f"{name} missing from {lock.name}: run `python3 tasks.py lock`"
        rest = spec[len(name) :] if spec.lower().startswith(name) else re.sub(r"^[A-Za-z0-9_.\-]+", "", spec)
        assert pins[name][0] in SpecifierSet(rest), f"{name}=={pins[name][0]} does not satisfy {spec}"


def test_the_test_lock_keeps_the_runtime_pins_and_run_installs_no_test_tools():
    runtime, full = _lock(RUNTIME_LOCK), _lock(TEST_LOCK)
    changed = {n: (v, full.get(n)) for n, v in runtime.items() if full.get(n) != v}
    assert not changed, f"requirements-test.lock differs from requirements.lock: {changed}"
    for name in _specs("test"):
        assert name not in runtime, f"{name} is a test tool: `run` should not install it"


def test_python_floor_agrees_in_pyproject_tasks_and_locks():
    floor = _floor()
    assert ".".join(map(str, _tasks().PYTHON_FLOOR)) == floor
    for lock in (RUNTIME_LOCK, TEST_LOCK):
        assert f"for CPython {floor} and newer" in lock.read_text(encoding="utf-8").splitlines()[0]


def test_every_pinned_package_admits_the_python_floor():
    """Read from the installed distributions' metadata (``python3 tasks.py test`` installed the test lock): each
    pin that applies here is what is installed, and its Requires-Python admits the floor (e.g. 3.11.0, where
    Debian 12 ships 3.11.2). Pins for other platforms or Pythons are not installed here; uv resolved them for the
    same floor (``tasks.py lock``: --python-version)."""
    floor = _floor()
    here = default_environment()
    at_floor = {**here, "python_version": ".".join(floor.split(".")[:2]), "python_full_version": floor}
    checked, refused, not_installed = 0, [], []
    for name, (version, marker) in _lock(TEST_LOCK).items():
        applies_here = not marker or Marker(marker).evaluate(here)
        if not applies_here:
            if Marker(marker).evaluate(at_floor):
                not_installed.append(name)  # e.g. a Python < 3.12-only pin when the tests run on 3.12
            continue
        try:
            installed = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"{name}=={version} is not installed: run `python3 tasks.py test`")
        assert installed.version == version, f"{name} {installed.version} installed, {version} pinned"
        requires = installed.metadata.get("Requires-Python")
        if requires and not SpecifierSet(requires).contains(floor, prereleases=True):
            refused.append(f"{name}=={version} (Requires-Python {requires})")
        checked += 1
    assert not refused, f"pins that refuse Python {floor}: {refused}"
    assert checked > 100
    if not_installed and sys.version_info[:2] == tuple(map(int, floor.split(".")[:2])):
        pytest.fail(f"pins for Python {floor} that are not installed here: {not_installed}")


def test_user_asked_for_packages_are_declared():
    declared = _pyproject()
    for name in ("jupyterlab", "pandas", "matplotlib", "seaborn", "geopandas", "openpyxl", "frictionless", "duckdb"):
        assert name in declared


def _tasks_module():
    spec = importlib.util.spec_from_file_location("tasks", paths.PROJECT_ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_uv_compiles_bytecode_at_install_only_where_python_will_not_cache_it():
    """With PYTHONDONTWRITEBYTECODE set every kernel would compile the libraries again, so uv compiles them once
    at install (pip does so by default); without it Python caches them on first import and setup stays fast."""
    tasks = _tasks_module()
    lock = tasks.LOCKS["run"]
    plain = tasks.uv_install_command("uv", sys.executable, lock, environ={})
    assert plain[:3] == ["uv", "pip", "install"] and "--compile-bytecode" not in plain
    assert ["-r", lock] == plain[plain.index("-r") : plain.index("-r") + 2] and plain[-2:] == ["-e", "."]
    compiled = tasks.uv_install_command("uv", sys.executable, lock, environ={"PYTHONDONTWRITEBYTECODE": "1"})
    assert compiled == [*plain, "--compile-bytecode"]
