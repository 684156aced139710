"""Jupyter Server configuration for `python3 tasks.py lab` (which puts this folder on JUPYTER_CONFIG_PATH).

Notebooks are committed without outputs or execution counts (tests/test_quality.py checks it), so every save from
JupyterLab, autosave included, goes through ``clear_outputs``: the notebook on disk stays committable while the
outputs stay visible in the open tab. A configuration of your own (~/.jupyter/jupyter_server_config.py) is still
read, and takes precedence.
"""

from __future__ import annotations

#: Cell metadata that only records one execution (JupyterLab's "record timing" setting, papermill's runner).
TRANSIENT_CELL_METADATA = ("execution", "papermill")


def clear_outputs(model: dict, **kwargs) -> None:
    """Pre-save hook: empty the outputs and execution counts of a notebook model's code cells, in place.

    Called by Jupyter Server as ``hook(model=..., path=..., contents_manager=...)`` before it writes a file; other
    files (``model["type"] != "notebook"``) are left alone.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        metadata = cell.get("metadata", {})
        for key in TRANSIENT_CELL_METADATA:
            metadata.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.ContentsManager.pre_save_hook = clear_outputs
