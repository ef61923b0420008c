"""Record benchmark runs in docs/performance.md: each named benchmark runs in full (or with the
arguments given after ``--``), and its section of the page is replaced by the run's verbatim output,
its command, the date and the machine's load, so the figures the docs quote come from a run and
say when and where it was made.  The other sections are kept as they were.

Run from the project root on an idle machine:

    .venv/bin/python scripts/record_benchmarks.py routing simulation capacity
    .venv/bin/python scripts/record_benchmarks.py scale -- --only capacity
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "performance.md"
HEAD = """# Performance: recorded benchmark runs

Each section below is the verbatim output of one benchmark in `benchmarks/`, with the command, the
date and the load of the machine it ran on; `scripts/record_benchmarks.py NAME` replaces a section
with a new run.  Each benchmark prints our figure beside a peer's measured in the same run, and ends
with one JSON line per comparison (`ratio` = peer time / ours).  What each one measures, and why, is
in its module docstring and in the engine's page; the `--quick` form of every benchmark runs in the
test suite (`tests/test_benchmarks.py`), these full runs do not.
"""
SECTION = re.compile(r"^## `benchmarks/(\w+)\.py`$", re.M)


def sections(text: str) -> dict[str, str]:
    """The page's sections by benchmark name, each with its heading, in page order."""
    found = list(SECTION.finditer(text))
    return {
        m.group(1): text[m.start() : found[i + 1].start() if i + 1 < len(found) else len(text)].rstrip() + "\n"
        for i, m in enumerate(found)
    }


def render(recorded: dict[str, str]) -> str:
    return HEAD + "".join("\n" + recorded[name] for name in sorted(recorded))


def record(name: str, args: list[str], output: str, *, started: dt.datetime, seconds: float, load: str) -> str:
    command = " ".join([".venv/bin/python", f"benchmarks/{name}.py", *args])
    return (
        f"## `benchmarks/{name}.py`\n\n"
        f"Recorded {started:%Y-%m-%d %H:%M} UTC · `{command}` · {seconds:,.0f} s · {os.cpu_count()} cores, "
        f"load average {load} at the start · Python {platform.python_version()}\n\n"
        "```text\n" + output.rstrip() + "\n```\n"
    )


def write_atomically(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as f:
        f.write(text)
    os.replace(f.name, path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="+", help="benchmarks to run (file names in benchmarks/ without .py)")
    ap.add_argument("--page", type=Path, default=PAGE, help="the page to update (default: docs/performance.md)")
    opts = ap.parse_args(argv)
    known = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    unknown = sorted(set(opts.names) - known)
    if unknown:
        ap.error(f"no such benchmark: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    recorded = sections(opts.page.read_text(encoding="utf-8")) if opts.page.exists() else {}
    for name in opts.names:
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        started = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        print(f"running benchmarks/{name}.py {' '.join(extra)}".rstrip(), file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, f"benchmarks/{name}.py", *extra], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            print(f"benchmarks/{name}.py failed (exit {proc.returncode}); the page is unchanged", file=sys.stderr)
            print(proc.stderr[-3000:], file=sys.stderr)
            return 1
        recorded[name] = record(name, extra, proc.stdout, started=started, seconds=time.perf_counter() - t0, load=load)
        write_atomically(opts.page, render(recorded))  # each finished run is kept, even if a later one fails
    return 0


if __name__ == "__main__":
    sys.exit(main())
