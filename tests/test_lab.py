"""`python3 tasks.py lab`: works as root, passes extra arguments on, and saves notebooks without outputs (the
pre-save hook in jupyter_config/); committed notebooks carry the metadata JupyterLab writes."""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import re
import runpy

import pytest
from traitlets.config import Config

from helpers import paths
from helpers.exercises import EXERCISES_SUFFIX

ROOT = paths.PROJECT_ROOT
CONFIG_FILE = ROOT / "jupyter_config" / "jupyter_server_config.py"


def _config() -> dict:
    config = Config()
    return {**runpy.run_path(str(CONFIG_FILE), init_globals={"get_config": lambda: config}), "config": config}


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook_model() -> dict:
    nb = json.loads((paths.NOTEBOOKS_DIR / "04_growth.ipynb").read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-12-01T00:00:00Z"}
        if cell["cell_type"] == "code":
            cell["execution_count"] = i + 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]
    return {"type": "notebook", "format": "json", "content": nb}


def test_the_config_registers_the_pre_save_hook():
    loaded = _config()
    assert loaded["config"].ContentsManager.pre_save_hook is loaded["clear_outputs"]


def test_pre_save_hook_clears_outputs_and_execution_counts():
    model = _notebook_model()
    before = copy.deepcopy(model)
    _config()["clear_outputs"](model=model, path="04_growth.ipynb", contents_manager=None)
    cells = model["content"]["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert not any("execution" in c["metadata"] for c in cells)
    assert [c["source"] for c in cells] == [c["source"] for c in before["content"]["cells"]]
    assert model["content"]["metadata"] == before["content"]["metadata"]
    committed = json.loads((paths.NOTEBOOKS_DIR / "04_growth.ipynb").read_text(encoding="utf-8"))
    assert model["content"] == committed, "a run and saved notebook is what is committed"


def test_pre_save_hook_leaves_other_files_alone():
    model = {"type": "file", "format": "text", "content": "outputs"}
    _config()["clear_outputs"](model=model, path="notes.txt", contents_manager=None)
    assert model == {"type": "file", "format": "text", "content": "outputs"}


@pytest.mark.parametrize("euid,expected", [(0, ["--allow-root"]), (1000, [])], ids=["root", "user"])
def test_lab_adds_allow_root_as_root_and_passes_arguments_on(monkeypatch, euid, expected, capsys):
    tasks = _tasks()
    calls = []
    monkeypatch.setattr(tasks, "setup", lambda level="run": ROOT / ".venv" / "bin" / "python")
    monkeypatch.setattr(tasks, "run", lambda cmd, **kwargs: calls.append((list(map(str, cmd)), kwargs)) or 0)
    monkeypatch.setattr(tasks.os, "geteuid", lambda: euid, raising=False)
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    assert tasks.cmd_lab(argparse.Namespace(extra=["--port", "8890", "--no-browser"])) == 0
    cmd, kwargs = calls[-1]
    assert cmd[-3 - len(expected) :] == ["--port", "8890", "--no-browser", *expected]
    assert kwargs["env"]["JUPYTER_CONFIG_PATH"] == str(CONFIG_FILE.parent)
    assert ("adding --allow-root" in capsys.readouterr().out) == bool(expected)


def _ipykernel_metadata() -> tuple[dict, dict]:
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    return kernelspec, dict(IPythonKernel.language_info)


COMMITTED = sorted(p for p in paths.NOTEBOOKS_DIR.rglob("*.ipynb") if not p.name.endswith(EXERCISES_SUFFIX))


@pytest.mark.parametrize("nb", COMMITTED, ids=lambda p: str(p.relative_to(paths.NOTEBOOKS_DIR)))
def test_committed_metadata_is_what_jupyterlab_writes(nb):
    """JupyterLab sets kernelspec and language_info from the kernel when a notebook opens; equal values do not mark
    it modified. language_info's version is the kernel's Python: the notebooks carry the project machine's.
    (Exercise notebooks are generated from their solutions, and not committed.)"""
    kernelspec, language_info = _ipykernel_metadata()
    metadata = json.loads(nb.read_text(encoding="utf-8"))["metadata"]
    assert metadata["kernelspec"] == kernelspec
    assert {k: v for k, v in metadata["language_info"].items() if k != "version"} == {
        k: v for k, v in language_info.items() if k != "version"
    }
    assert re.fullmatch(r"3\.\d+\.\d+", metadata["language_info"]["version"])
