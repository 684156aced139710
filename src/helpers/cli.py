"""Command line: ``python -m helpers <command>``; every command has ``--help``.

- ``build``      raw → clean tables (data/clean/)
- ``notebooks``  execute every notebook on a fresh kernel into build/notebooks/ (+ HTML, index page)
- ``all``        both, plus the exports; prints where the outputs are
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import paths


class Progress:
    """Prints ``[  1.2s] step: message`` lines so long work shows where it is."""

    def __init__(self, quiet: bool = False):
        self.t0 = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.t0:6.1f}s] {message}", flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import RawDataError, build

    say = Progress(args.quiet)
    say("build: data/raw → data/clean")
    try:
        result = build(
            out_dir=Path(args.out) if args.out else None,
            reports_folder=Path(args.reports) if args.reports else None,
            binary=not args.no_binary,
            progress=lambda m: say(f"build: {m}"),
        )
    except RawDataError as exc:
        print(
            f"build failed: {len(exc.problems)} problem(s) in data/raw; data/clean left unchanged:",
            file=sys.stderr,
        )
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v}" for k, v in result.items() if isinstance(v, int))
    say(f"build: wrote {result['out_dir']} ({counts}) in {result['seconds']:.2f}s")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from .run_notebooks import run_all

    say = Progress(args.quiet)
    return run_all(jobs=args.jobs, pattern=args.only, lang=args.lang, progress=say)


def cmd_all(args: argparse.Namespace) -> int:
    say = Progress(args.quiet)
    args.out = None
    args.reports = None
    args.no_binary = False
    status = cmd_build(args)
    if status:
        return status
    status = cmd_notebooks(args)
    say("outputs:")
    for label, path in (
        ("clean tables (CSV, Parquet, xlsx)", paths.CLEAN_DIR),
        ("executed notebooks and HTML", paths.BUILD_NOTEBOOKS_DIR),
        ("figures (PNG, SVG, PDF)", paths.FIGURES_DIR),
        ("index page", paths.BUILD_DIR / "index.html"),
    ):
        print(f"  {label:36s} {path}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description="China industrial clusters notebooks: build the clean tables, run the notebooks.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "build",
        help="validate data/raw and write data/clean",
        description="Validate the hand-curated tables in data/raw and write the clean tables to data/clean. On any "
        "problem nothing is written and every problem is listed as FILE:ROW: COLUMN: message.",
    )
    p.add_argument("--out", help="output folder (default: data/clean)")
    p.add_argument(
        "--reports", help="folder of the source reports (default: $CLUSTERS_REPORTS_DIR or ../shared/reports)"
    )
    p.add_argument("--no-binary", action="store_true", help="skip the Parquet and Excel files")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=cmd_build)

    def notebook_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("-j", "--jobs", type=int, default=0, help="notebooks run at once (default: number of cores)")
        p.add_argument("--only", default="", help="run only notebooks whose path contains this text")
        p.add_argument("--lang", choices=("zh", "en"), default=None, help="label language passed to every notebook")
        p.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    p = sub.add_parser("notebooks", help="execute every notebook into build/notebooks (+ HTML and index)",
                       description="Execute every notebook in notebooks/ on a fresh kernel, in parallel, into "
                       "build/notebooks/, with HTML copies and build/index.html. Exits non-zero naming the "
                       "notebook and cell on failure.")  # fmt: skip
    notebook_args(p)
    p.set_defaults(func=cmd_notebooks)

    p = sub.add_parser(
        "all",
        help="build, run the notebooks, write every export, and say where they are",
        description="Run `build` and then `notebooks`, then print where the outputs are.",
    )
    notebook_args(p)
    p.set_defaults(func=cmd_all)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
