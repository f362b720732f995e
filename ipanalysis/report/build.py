"""`make report`: decide whether anything changed, build every output once into a staging folder, and replace the
outputs only when every step succeeded. A failure or Ctrl-C at any step leaves the previous report and figures
as they were. The steps themselves (and their heavy imports) are in ``steps``, loaded only when a build runs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..config import DATA_DIR, FIGURES_DIR
from . import state
from .state import Layout

Log = Callable[[str], None]


class BuildError(RuntimeError):
    """A step failed on the data, a notebook or a figure; the message says which and why."""


def _logger() -> Log:
    started = time.perf_counter()
    return lambda message: print(f"[report] {message} ({time.perf_counter() - started:.1f} s)", flush=True)


def staging_folder(layout: Layout) -> Path:
    """Beside the reports folder, on the same file system as every output, so replacing them is a rename."""
    return layout.reports_dir.parent / f".{layout.reports_dir.name}.building"


def _replace_outputs(layout: Layout, staged: Layout, trash: Path) -> None:
    """Swap the staged outputs in by renaming; the old ones go to trash."""
    if layout.reports_dir == layout.out_dir:
        pairs = [(staged.out_dir, layout.out_dir)]
    else:
        pairs = [(staged.figures_dir / item, layout.figures_dir / item) for item in state.FIGURE_ITEMS]
        pairs.append((staged.reports_dir, layout.reports_dir))
    trash.mkdir()
    for number, (new, old) in enumerate(pairs):
        old.parent.mkdir(parents=True, exist_ok=True)
        if old.exists():
            old.rename(trash / str(number))
        new.rename(old)


def build_report(layout: Layout, force: bool = False, log: Log | None = None) -> bool:
    """Bring the outputs of `layout` up to date; return False when they already were.

    Raises BuildError (invalid data, a failing notebook or figure) or KeyboardInterrupt after removing the staging
    folder: the previous outputs are then untouched.
    """
    log = log or _logger()
    inputs = state.input_hashes(layout)
    staleness = state.Staleness(no_record=True) if force else state.staleness(layout, inputs)
    if staleness.up_to_date:
        log(f"up to date: {layout.reports_dir / 'index.html'}")
        return False
    log(f"building: {staleness.describe()}")
    # jsonschema (imported by nbformat) imports rfc3987_syntax, if installed, for the "iri" format, which notebooks do
    # not use; building that package's grammar takes about 3 s of CPU at import, so the build does without it.
    sys.modules.setdefault("rfc3987_syntax", None)
    from . import steps  # the heavy imports (pandas, matplotlib, Jupyter) only when something is to be built

    staging = staging_folder(layout)
    shutil.rmtree(staging, ignore_errors=True)
    staged = layout.staged(staging / "out")
    try:
        steps.run(layout, staged, staging, staleness, log)
        state.write_record(staged, inputs)
        _replace_outputs(layout, staged, staging / "previous")
    except steps.FAILURES as error:
        raise BuildError(str(error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log(f"complete: {layout.reports_dir / 'index.html'}")
    return True


def verify_figures(log: Log | None = None) -> int:
    """`make verify`: build from scratch into a temporary folder and compare its figures with the committed ones."""
    from .figures import compare_figures

    log = log or _logger()
    with tempfile.TemporaryDirectory() as folder:
        layout = Layout.for_data(DATA_DIR, Path(folder) / "out")
        build_report(layout, log=log)
        differences = compare_figures(layout.figures_dir, FIGURES_DIR)
    for difference in differences:
        print(f"[verify] {difference}")
    if differences:
        print("[verify] the committed figures differ from a clean rebuild: run make report and commit figures/")
        return 1
    print("[verify] a clean rebuild reproduces every committed figure and the manifest byte for byte")
    return 0
