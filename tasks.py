#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+ and pip (standard library only).

    python3 tasks.py run     # create .venv if needed, install pinned dependencies, build data, run notebooks
    python3 tasks.py test    # same setup, then the whole test suite
    python3 tasks.py lab     # open JupyterLab on notebooks/ with the project's environment
    python3 tasks.py lock    # maintainers: re-resolve requirements.lock from pyproject.toml

Installing is skipped when pyproject.toml and requirements.lock have not changed since the last install.
"""

from __future__ import annotations

import argparse
import hashlib
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
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".clusters-installed"
T0 = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - T0:6.1f}s] {message}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(cmd: list[str], **kwargs) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kwargs)


def check(cmd: list[str]) -> None:
    status = run(cmd)
    if status:
        sys.exit(f"command failed ({status}): {' '.join(map(str, cmd))}")


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (PYPROJECT, LOCK):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def setup() -> Path:
    """Create .venv when absent and install the locked dependencies and the project (skipped when unchanged)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs on whatever python3 the user has
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    python = venv_python()
    if not python.exists():
        say(f"setup: creating {VENV.name}/")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    fingerprint = install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        say("setup: dependencies up to date")
        return python
    say("setup: installing pinned dependencies from requirements.lock (about a minute the first time)")
    check([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK])
    check([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", "."])
    STAMP.write_text(fingerprint)
    say("setup: done")
    return python


def cmd_run(args: argparse.Namespace) -> int:
    python = setup()
    say("run: python -m helpers all")
    return run([python, "-m", "helpers", "all", *args.extra])


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
            f"(apt-get install {' '.join(missing)})"
        )
        return
    say(f"test: installing {', '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.call(["apt-get", "update", "-qq"], env=env) or subprocess.call(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env, stdout=subprocess.DEVNULL
    ):
        say("test: apt-get failed; browser/PDF tests will skip")


def cmd_test(args: argparse.Namespace) -> int:
    python = setup()
    install_system_packages()
    say("test: python -m pytest")
    status = run([python, "-m", "pytest", *args.extra])
    if status == 5:
        print("pytest collected no tests: that is a failure here", file=sys.stderr)
        return 1
    return status


def cmd_lab(args: argparse.Namespace) -> int:
    python = setup()
    say("lab: python -m helpers exercises (exercise notebooks from their solutions; edited copies are kept)")
    run([python, "-m", "helpers", "exercises"])  # a failure is reported; JupyterLab starts all the same
    say("lab: starting JupyterLab on notebooks/ (Ctrl-C to stop)")
    return run([python, "-m", "jupyterlab", "--notebook-dir", str(ROOT / "notebooks"), *args.extra])


def cmd_lock(args: argparse.Namespace) -> int:
    """Resolve the newest versions allowed by pyproject.toml in a scratch venv and write requirements.lock."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(scratch)
        py = scratch / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        say("lock: resolving pyproject.toml[test] in a scratch venv")
        check([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", ".[test]"])
        frozen = subprocess.run(
            [str(py), "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    lines = sorted(
        (ln for ln in frozen.splitlines() if ln and not ln.lower().startswith("china-clusters-helpers")),
        key=str.lower,
    )
    header = (
        "# Exact versions of every package the project and its tests use (Python 3.11, any OS).\n"
        "# Generated by `python3 tasks.py lock` from pyproject.toml; do not edit by hand.\n"
    )
    LOCK.write_text(header + "\n".join(lines) + "\n")
    say(f"lock: wrote {LOCK.name} ({len(lines)} packages)")
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
        ("test", cmd_test, "set up, then run the whole test suite (extra arguments go to pytest)"),
        ("lab", cmd_lab, "set up, then open JupyterLab on notebooks/"),
        ("lock", cmd_lock, "maintainers: regenerate requirements.lock from pyproject.toml"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("extra", nargs=argparse.REMAINDER, help="passed on to the underlying command")
        p.set_defaults(func=func)
    args, unknown = parser.parse_known_args()
    args.extra = [*unknown, *args.extra]  # options such as -x or -k for pytest
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
