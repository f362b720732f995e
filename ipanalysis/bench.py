"""`make bench`: time a clean `make report`, a no-op `make report`, and the naive pipeline a user would otherwise
run (`jupyter nbconvert --to html --execute` of each notebook in turn), all building into .bench/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .config import PROJECT_ROOT
from .report import notebook_sources

BENCH_DIR = PROJECT_ROOT / ".bench"


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, **(env or {})}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    make = ["make", "--no-print-directory", "report", f"REPORTS={BENCH_DIR / 'reports'}", f"FIGURES={BENCH_DIR / 'figures'}"]
    full = timed(make)
    noop = timed(make)
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    naive_env = {"IPANALYSIS_FIGURES_DIR": str(BENCH_DIR / "naive-figures")}
    naive = sum(timed([jupyter, "nbconvert", "--to", "html", "--execute", "--output-dir", str(BENCH_DIR / "naive"), str(source)],
                      naive_env) for source in notebook_sources())
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    print(f"clean make report:   {full:6.1f} s")
    print(f"no-op make report:   {noop:6.2f} s")
    print(f"naive nbconvert:     {naive:6.1f} s  ({len(notebook_sources())} notebooks, one by one)")
    print(f"ratio full / naive:  {full / naive:6.2f}  (goal <= 0.50); no-op goal < 1 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
