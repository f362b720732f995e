"""`make bench`: in one run, time a clean `make report`, a no-op `make report`, and the naive pipeline, all into .bench/.

The naive pipeline is what a user would run without the build: `jupyter nbconvert --to html --execute` of each
notebook in turn, with each figure drawn and saved the way the notebooks did before the build drew them (both
languages, every format, inside the notebook's kernel). It writes no tables, workbook or combined page, which the
clean build does as well, so the comparison favours the naive pipeline.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .config import NOTEBOOKS_DIR, PROJECT_ROOT
from .report.state import notebook_sources

BENCH_DIR = PROJECT_ROOT / ".bench"
GOAL = 0.35
NAIVE_PUBLISH = """%matplotlib inline
from pathlib import Path as _Path

from ipanalysis import plotting as _plotting


def _publish(name, dataset):
    \"\"\"Draw, caption and save a figure in every language, as the notebooks did; show the English one.\"\"\"
    shown = {{}}
    for lang in _plotting.LANGUAGES:
        figure, data = _plotting.draw(name, dataset, lang)
        caption = _plotting.caption(name, dataset, lang, data)
        _plotting.save_figure(figure, data, name, lang, _Path({out!r}), caption)
        shown[lang] = figure
    return shown["en"]
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, of every process the command started) of one command."""
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=PROJECT_ROOT, env=os.environ, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def naive_notebook(source: Path, target: Path, figures_dir: Path) -> Path:
    """A copy of a notebook whose figure cells draw and save every figure file in the kernel."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["source"] = "".join(cell["source"]).replace("display.figure(", "_publish(")
    setup = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": NAIVE_PUBLISH.format(out=str(figures_dir))}
    notebook["cells"].insert(0, setup)
    target.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    return target


def main() -> int:
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    (BENCH_DIR / "naive").mkdir(parents=True)
    make = ["make", "--no-print-directory", "report", f"OUT={BENCH_DIR / 'out'}"]
    full, full_cpu = timed(make)
    noop, _ = timed(make)
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    sources = notebook_sources(NOTEBOOKS_DIR)
    naive_sources = [naive_notebook(s, BENCH_DIR / "naive" / s.name, BENCH_DIR / "naive-figures") for s in sources]
    runs = [timed([jupyter, "nbconvert", "--to", "html", "--execute", f"--ExecutePreprocessor.cwd={NOTEBOOKS_DIR}", str(s)])
            for s in naive_sources]
    naive, naive_cpu = sum(wall for wall, _ in runs), sum(cpu for _, cpu in runs)
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    print(f"clean make report:   {full:6.1f} s  (CPU {full_cpu:.1f} s)")
    print(f"no-op make report:   {noop:6.2f} s")
    print(f"naive nbconvert:     {naive:6.1f} s  (CPU {naive_cpu:.1f} s; {len(sources)} notebooks one by one)")
    print(f"ratio full / naive:  {full / naive:6.2f}  (goal <= {GOAL}; CPU ratio {full_cpu / naive_cpu:.2f}); no-op goal < 1 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
