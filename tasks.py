#!/usr/bin/env python3
"""Set up and run the project with nothing but CPython 3.11.0+ and pip (standard library only).

    python3 tasks.py run     # create .venv if needed, install the runtime dependencies, build data, run notebooks
    python3 tasks.py test    # same setup plus the test dependencies, then the whole test suite
    python3 tasks.py lab     # open JupyterLab on notebooks/ with the project's environment
    python3 tasks.py lock    # maintainers: re-resolve requirements.lock and requirements-test.lock

Packages are installed with uv when it can be had (on PATH, or bootstrapped into .venv with pip), else with pip;
CLUSTERS_INSTALLER=pip forces pip. Installing is skipped when pyproject.toml and the lock files have not changed
since the last install.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
#: What ``run`` installs (the runtime dependencies) and what ``test`` installs (the same pins plus the test tools).
LOCKS = {"run": ROOT / "requirements.lock", "test": ROOT / "requirements-test.lock"}
LOCK = LOCKS["run"]
STAMP_NAME = ".clusters-installed"
#: The oldest CPython the project supports; the locks are resolved for it (pyproject's requires-python agrees).
PYTHON_FLOOR = (3, 11, 0)
#: The uv release bootstrapped into the environment with pip when no uv is on PATH.
UV_VERSION = "0.13.9"
#: JupyterLab's extra configuration folder: the pre-save hook that clears outputs and execution counts.
JUPYTER_CONFIG = ROOT / "jupyter_config"
T0 = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - T0:6.1f}s] {message}", flush=True)


def venv_python(env: Path = VENV) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(cmd: list[str], **kwargs) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kwargs)


def check(cmd: list[str], **kwargs) -> None:
    status = run(cmd, **kwargs)
    if status:
        sys.exit(f"command failed ({status}): {' '.join(map(str, cmd))}")


def fingerprint(level: str) -> str:
    """What an install of ``level`` depends on: pyproject.toml and the lock files it reads."""
    digest = hashlib.sha256()
    for path in (PYPROJECT, LOCKS["run"], *([LOCKS["test"]] if level == "test" else [])):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_stamp(env: Path) -> dict:
    try:
        stamp = json.loads((env / STAMP_NAME).read_text())
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def uv_env() -> dict[str, str]:
    """The environment for uv: pip's index settings carried over (uv does not read them), no Python downloads."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    for pip_name, uv_name in (("PIP_INDEX_URL", "UV_INDEX_URL"), ("PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL")):
        if pip_name in os.environ and uv_name not in os.environ:
            env[uv_name] = os.environ[pip_name]
    return env


def find_uv(python: Path, env: Path = VENV) -> str | None:
    """uv on PATH, else the one in the environment, else bootstrap it there with pip; None means use pip."""
    if os.environ.get("CLUSTERS_INSTALLER", "").lower() == "pip":
        return None
    found = shutil.which("uv")
    if found:
        return found
    inside = env / ("Scripts/uv.exe" if os.name == "nt" else "bin/uv")
    if not inside.exists():
        t = time.perf_counter()
        say(f"setup: bootstrapping uv {UV_VERSION} into {env.name}/ with pip")
        status = run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"uv=={UV_VERSION}"])
        if status or not inside.exists():
            say("setup: could not install uv; using pip")
            return None
        say(f"setup: uv ready ({time.perf_counter() - t:.1f} s)")
    return str(inside)


def uv_install_command(uv: str, python: Path, lock: Path, environ: dict | None = None) -> list:
    """uv's install of ``lock`` and the project (editable). With PYTHONDONTWRITEBYTECODE set, Python caches no
    compiled modules itself, so every kernel would compile pandas, matplotlib and the rest again (importing them
    took 11.0 s against 6.1 s compiled, 2026-12-02): uv then compiles them once at install (about 18 s), as pip
    does by default."""
    environ = os.environ if environ is None else environ
    cmd = [uv, "pip", "install", "--python", python, "-r", lock, "-e", "."]
    if environ.get("PYTHONDONTWRITEBYTECODE"):
        cmd.append("--compile-bytecode")
    return cmd


def install(python: Path, level: str, env: Path) -> str:
    """Install the lock of ``level`` and the project (editable) into ``env``; returns the installer used."""
    lock = LOCKS[level]
    uv = find_uv(python, env)
    if uv is not None:
        if run(uv_install_command(uv, python, lock), env=uv_env()) == 0:
            return "uv"
        say("setup: uv failed; trying again with pip")
    say("setup: installing with pip (a minute or two the first time)")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    check([*pip, "-r", lock])
    check([*pip, "--no-deps", "-e", "."])
    return "pip"


def setup(level: str = "run", env: Path = VENV) -> Path:
    """Create ``env`` when absent and install the locked ``level`` ("run" or "test") and the project, unless the
    same pyproject.toml and locks were installed there already (a "test" install also satisfies "run")."""
    if sys.version_info < PYTHON_FLOOR[:2]:  # tasks.py runs on whatever python3 the user has
        sys.exit(f"CPython 3.11.0 or newer is needed (this is {sys.version.split()[0]})")
    t_setup = time.perf_counter()
    python = venv_python(env)
    if not python.exists():
        t = time.perf_counter()
        say(f"setup: creating {env.name}/")
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
        say(f"setup: {env.name}/ created ({time.perf_counter() - t:.1f} s)")
    stamp = read_stamp(env)
    wanted = fingerprint(level)
    if stamp.get(level) == wanted:
        say(f"setup: {'runtime' if level == 'run' else 'runtime and test'} dependencies up to date")
        return python
    lock = LOCKS[level]
    t = time.perf_counter()
    say(f"setup: installing {lock.name} ({'runtime' if level == 'run' else 'runtime and test'} dependencies)")
    installer = install(python, level, env)
    say(f"setup: installed with {installer} ({time.perf_counter() - t:.1f} s)")
    stamp = {key: value for key, value in stamp.items() if key in LOCKS and value == fingerprint(key)}
    stamp[level] = wanted
    if level == "test":
        stamp["run"] = fingerprint("run")  # the test lock holds the runtime pins too
    (env / STAMP_NAME).write_text(json.dumps(stamp))
    say(f"setup: done ({time.perf_counter() - t_setup:.1f} s)")
    return python


def cmd_run(args: argparse.Namespace) -> int:
    python = setup("run")
    t = time.perf_counter()
    say("run: python -m helpers all")
    status = run([python, "-m", "helpers", "all", *args.extra])
    say(f"run: finished ({time.perf_counter() - t:.1f} s; {time.perf_counter() - T0:.1f} s in all)")
    return status


#: Debian packages the browser and PDF tests use (headless Chromium; pdftoppm and pdftotext; Ghostscript and
#: MuPDF, the PDF renderers behind printing, ImageMagick, SumatraPDF and zathura).
SYSTEM_PACKAGES = {
    "chromium": "chromium",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "gs": "ghostscript",
    "mutool": "mupdf-tools",
}


def install_system_packages() -> None:
    """Install Chromium and poppler-utils with apt when they are missing and we may (root, or CI). Elsewhere the
    tests that need them skip with a reason; nothing is installed behind a user's back."""
    missing = sorted({pkg for exe, pkg in SYSTEM_PACKAGES.items() if shutil.which(exe) is None})
    if not missing:
        return
    can_apt = shutil.which("apt-get") is not None and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt or not (os.environ.get("CI") or os.environ.get("CLUSTERS_INSTALL_SYSTEM_PACKAGES")):
        say(
            f"test: {', '.join(missing)} not installed: browser/PDF tests will skip "
            f"(`apt-get install {' '.join(missing)}`, or as root "
            "`CLUSTERS_INSTALL_SYSTEM_PACKAGES=1 python3 tasks.py test`)"
        )
        return
    say(f"test: installing {', '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.call(["apt-get", "update", "-qq"], env=env) or subprocess.call(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env, stdout=subprocess.DEVNULL
    ):
        say("test: apt-get failed; browser/PDF tests will skip")


def cmd_test(args: argparse.Namespace) -> int:
    python = setup("test")
    install_system_packages()
    t = time.perf_counter()
    say("test: python -m pytest")
    status = run([python, "-m", "pytest", *args.extra])
    say(f"test: finished ({time.perf_counter() - t:.1f} s)")
    if status == 5:
        print("pytest collected no tests: that is a failure here", file=sys.stderr)
        return 1
    return status


def cmd_lab(args: argparse.Namespace) -> int:
    """JupyterLab on notebooks/; extra arguments go to JupyterLab (e.g. --port 8890 --no-browser)."""
    python = setup("run")
    say("lab: python -m helpers exercises (exercise notebooks from their solutions; edited copies are kept)")
    run([python, "-m", "helpers", "exercises"])  # a failure is reported; JupyterLab starts all the same
    extra = list(args.extra)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        say("lab: running as root, so adding --allow-root")
        extra.append("--allow-root")
    config_path = [str(JUPYTER_CONFIG), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]
    env = {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(config_path)}
    say(f"lab: saving clears outputs and execution counts ({JUPYTER_CONFIG.name}/jupyter_server_config.py)")
    say("lab: starting JupyterLab on notebooks/ (Ctrl-C to stop)")
    return run([python, "-m", "jupyterlab", "--notebook-dir", str(ROOT / "notebooks"), *extra], env=env)


def _pins(text: str) -> list[str]:
    return [line.split("==")[0].strip().lower() for line in text.splitlines() if "==" in line.split("#")[0]]


def cmd_lock(args: argparse.Namespace) -> int:
    """Resolve requirements.lock (runtime) and requirements-test.lock (runtime + test, the same runtime pins) with
    uv, for every platform and every CPython from PYTHON_FLOOR on, one version per package. Pins already in the
    locks are kept where pyproject.toml still allows them; extra arguments go to ``uv pip compile`` (``--upgrade``,
    ``--upgrade-package NAME``)."""
    python = setup("run")
    uv = find_uv(python)
    if uv is None:
        sys.exit("lock: uv is needed to resolve the locks for every platform and Python (pip install uv)")
    floor = ".".join(map(str, PYTHON_FLOOR))
    header = (
        "# Exact versions of every package {what}, for CPython {floor} and newer on any OS\n"
        "# (one version per package; markers select platform-only packages).\n"
        "# Generated by `python3 tasks.py lock` from pyproject.toml; do not edit by hand.\n"
    )
    what = {"run": "the project needs to run", "test": "the project and its tests use"}
    with tempfile.TemporaryDirectory() as tmp:
        for level, extra in (("run", []), ("test", ["--extra", "test", "-c", str(LOCKS["run"])])):
            t = time.perf_counter()
            out = Path(tmp) / LOCKS[level].name
            if LOCKS[level].exists():
                shutil.copyfile(LOCKS[level], out)  # uv prefers the versions already in its output file
            say(f"lock: resolving {LOCKS[level].name}")
            cmd = [uv, "pip", "compile", "pyproject.toml", *extra, "--universal", "--fork-strategy", "fewest"]
            cmd += ["--python-version", floor, "--annotation-style", "line", "--no-header", "--quiet"]
            check([*cmd, "-o", out, *args.extra], env=uv_env())
            text = out.read_text()
            names = _pins(text)
            forked = sorted({n for n in names if names.count(n) > 1})
            if forked:
                sys.exit(f"lock: {', '.join(forked)} pinned twice (Python-dependent); try --upgrade-package")
            LOCKS[level].write_text(header.format(what=what[level], floor=floor) + text)
            say(f"lock: wrote {LOCKS[level].name} ({len(names)} packages, {time.perf_counter() - t:.1f} s)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, func, text in (
        ("run", cmd_run, "set up, build data/clean, execute every notebook, write figures, HTML and the workbook"),
        (
            "test",
            cmd_test,
            "set up with the test dependencies, then run the whole test suite (extra arguments go to pytest)",
        ),
        ("lab", cmd_lab, "set up, then open JupyterLab on notebooks/ (extra arguments go to JupyterLab)"),
        ("lock", cmd_lock, "maintainers: regenerate the lock files (extra arguments go to uv pip compile)"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("extra", nargs=argparse.REMAINDER, help="passed on to the underlying command")
        p.set_defaults(func=func)
    args, unknown = parser.parse_known_args()
    args.extra = [*unknown, *args.extra]  # options such as -x or -k for pytest
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
