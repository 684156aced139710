"""Command line: ``python -m helpers <command>``; every command has ``--help``.

- ``build``      raw → clean tables (data/clean/)
- ``notebooks``  execute every notebook on a fresh kernel into build/notebooks/ (+ HTML, index page)
- ``site``       build/site/: zh and en pages, cluster and province profiles, the fact explorer
- ``all``        build, notebooks and site, plus the exports; prints where the outputs are
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
    from .build import BuildError, RawDataError, ReportsNotFound, build

    say = Progress(args.quiet)
    say("build: data/raw → data/clean")
    try:
        result = build(
            raw_dir=Path(args.raw) if args.raw else None,
            out_dir=Path(args.out) if args.out else None,
            reports_folder=Path(args.reports) if args.reports else None,
            binary=not args.no_binary,
            progress=lambda m: say(f"build: {m}"),
            skip_line_checks=args.skip_line_checks,
            allow_dropped_facts=args.allow_dropped_facts,
        )
    except (ReportsNotFound, BuildError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except RawDataError as exc:
        print(
            f"build failed: {len(exc.problems)} problem(s) in data/raw; data/clean left unchanged:",
            file=sys.stderr,
        )
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v}" for k, v in result.items() if type(v) is int)
    say(f"build: wrote {result['out_dir']} ({counts}) in {result['seconds']:.2f}s")
    if not result["lines_checked"]:
        print("build: the source reports were not found: no figure was checked against its line "
              "(datapackage.json says lines_checked: false)", file=sys.stderr)  # fmt: skip
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from .run_notebooks import run_all

    say = Progress(args.quiet)
    return run_all(jobs=args.jobs, pattern=args.only, lang=args.lang, progress=say, formats=args.formats,
                   force=args.force)  # fmt: skip


def cmd_brief(args: argparse.Namespace) -> int:
    from .brief import SelectionError, make_brief

    say = Progress(args.quiet)
    what = args.province or args.industry or args.cluster
    say(f"brief: {what} ({args.lang})")
    try:
        folder = make_brief(args.province, args.industry, args.cluster, lang=args.lang,
                            out_root=Path(args.out) if args.out else None)  # fmt: skip
    except SelectionError as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    say(f"brief: wrote {folder}/brief.pdf, charts (PNG, SVG) and figures.xlsx")
    return 0


def cmd_exercises(args: argparse.Namespace) -> int:
    from .exercises import write_all

    say = Progress(args.quiet)
    return write_all(out_dir=Path(args.out) if args.out else None, force=args.force, progress=say)


def cmd_bench(args: argparse.Namespace) -> int:
    import runpy

    script = paths.PROJECT_ROOT / "benchmarks" / "bench.py"
    sys.argv = [str(script), "--only", args.only]
    runpy.run_path(str(script), run_name="__main__")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .site import build_site

    say = Progress(args.quiet)
    build_site(out_dir=Path(args.out) if args.out else None, progress=say, execute=not args.no_execute,
               jobs=args.jobs, formats=getattr(args, "formats", None))  # fmt: skip
    return 0


def cmd_all(args: argparse.Namespace) -> int:
    say = Progress(args.quiet)
    args.raw = args.out = args.reports = None
    args.no_binary = args.skip_line_checks = args.allow_dropped_facts = False
    status = cmd_build(args)
    if status:
        return status
    status = cmd_notebooks(args)
    args.out, args.no_execute = None, False
    status = cmd_site(args) or status
    from .export import default_formats

    say("outputs:")
    for label, path in (
        ("clean tables (CSV, Parquet, xlsx)", paths.CLEAN_DIR),
        ("executed notebooks and HTML", paths.BUILD_NOTEBOOKS_DIR),
        (f"figures ({', '.join(f.upper() for f in args.formats or default_formats())})", paths.FIGURES_DIR),
        ("index page", paths.BUILD_DIR / "index.html"),
        ("site (zh and en, opens from file://)", paths.BUILD_DIR / "site" / "index.html"),
    ):
        print(f"  {label:36s} {path}")
    return status


def _formats(text: str) -> tuple[str, ...]:
    from .export import parse_formats

    try:
        return parse_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    p.add_argument("--raw", help="folder of the curated tables (default: data/raw)")
    p.add_argument("--out", help="output folder (default: data/clean)")
    p.add_argument(
        "--reports", help="folder of the source reports (default: $CLUSTERS_REPORTS_DIR or ../shared/reports)"
    )
    p.add_argument("--no-binary", action="store_true", help="skip the Parquet and Excel files")
    p.add_argument("--skip-line-checks", action="store_true",
                   help="build even without the source reports (no figure is checked against its line; "
                   "datapackage.json records it)")  # fmt: skip
    p.add_argument("--allow-dropped-facts", action="store_true",
                   help="publish even if facts now in data/clean/facts.csv would disappear")  # fmt: skip
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")
    p.set_defaults(func=cmd_build)

    def notebook_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("-j", "--jobs", type=int, default=0, help="notebooks run at once (default: number of cores)")
        p.add_argument("--only", default="", help="run only notebooks whose path contains this text")
        p.add_argument("--lang", choices=("zh", "en"), default=None, help="label language passed to every notebook")
        p.add_argument("--formats", type=_formats, default=None, metavar="LIST",
                       help="chart formats the notebooks write, comma-separated from png,svg,pdf (default: png,svg; "
                       "passed to the kernels as CLUSTERS_FIGURE_FORMATS), e.g. --formats png,svg,pdf")  # fmt: skip
        p.add_argument("--force", action="store_true",
                       help="execute every notebook, even those whose code, parameters and inputs are unchanged "
                       "since their last run (by default those are reused from build/cache/notebooks)")  # fmt: skip
        p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")

    p = sub.add_parser("notebooks", help="execute every notebook into build/notebooks (+ HTML and index)",
                       description="Execute every notebook in notebooks/ on a fresh kernel, in parallel, into "
                       "build/notebooks/, with HTML copies and build/index.html. A notebook whose code, parameters and "
                       "inputs (data/clean, the helper library, language, formats) are unchanged since its last run "
                       "is reused, not executed (--force executes all). Exits non-zero naming the notebook and cell "
                       "on failure.")  # fmt: skip
    notebook_args(p)
    p.set_defaults(func=cmd_notebooks)

    p = sub.add_parser(
        "all",
        help="build, run the notebooks, write every export, and say where they are",
        description="Run `build`, `notebooks` and `site`, then print where the outputs are.",
    )
    notebook_args(p)
    p.set_defaults(func=cmd_all)

    p = sub.add_parser("site", help="write build/site: zh and en pages, cluster profiles, provinces, fact explorer",
                       description="Write build/site/ (static, opens from file://, no network): a language choice, "
                       "and per language the notebooks' HTML with their figures, a profile page per cluster, a page "
                       "per province, facts.html (filter, sort, CSV download), the briefs and the downloads. "
                       "build/notebooks holds one language; the other is executed into build/site-work/<lang>/ "
                       "(unchanged notebooks reused) unless --no-execute.")  # fmt: skip
    p.add_argument("--out", help="output folder (default build/site)")
    p.add_argument("--no-execute", action="store_true",
                   help="do not execute the notebooks of a language missing from build/notebooks (its notebook "
                   "pages then say how to build them)")  # fmt: skip
    p.add_argument("-j", "--jobs", type=int, default=0, help="notebooks run at once (default: number of cores)")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser(
        "brief",
        help="write a briefing pack (A4 PDF, charts, xlsx) for a province, an industry or a cluster",
        description="Write build/briefs/<selection>_<lang>/: brief.pdf (A4, key figures with sources, charts, "
        "caveats), the charts as PNG and SVG, and figures.xlsx. Unknown names list the close matches.",
    )
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--province", help="province: 浙江, 浙江省 or Zhejiang")
    group.add_argument("--industry", help="text in the industry or sector: 纺织, textiles, software")
    group.add_argument("--cluster", help="cluster id or name: datang-socks, 诸暨大唐镇袜业")
    p.add_argument("--lang", choices=("zh", "en"), default="en", help="label language (default en)")
    p.add_argument("--out", help="parent folder (default build/briefs)")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser(
        "bench",
        help="run the benchmarks (benchmarks/bench.py) and print the figures",
        description="Run benchmarks/bench.py: data build, synthetic builds, import time, notebooks.",
    )
    p.add_argument("--only", default="build,import,notebooks,brief", help="comma-separated parts to run")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser(
        "exercises",
        help="write the exercise notebooks from their solutions (notebooks/teaching/*_exercises.ipynb)",
        description="Write each teaching exercise notebook from its solution notebook: cells tagged `solution` "
        "become blank answers. A copy edited since it was generated is kept unless --force.",
    )
    p.add_argument("--out", help="folder to write into instead of notebooks/ (same layout below it)")
    p.add_argument("--force", action="store_true", help="overwrite exercise notebooks edited since generated")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")
    p.set_defaults(func=cmd_exercises)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
