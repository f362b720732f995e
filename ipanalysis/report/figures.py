"""Draw every figure file once, in both languages and every format, in a pool of worker processes, and list
their checksums in MANIFEST.sha256.

Each worker registers the CJK font itself (matplotlib's font registration is per process) and ignores Ctrl-C:
the build stops the pool, so an interrupted build prints no worker tracebacks.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from pathlib import Path

from .. import plotting, style
from ..config import FIGURES_DIR
from ..dataset import Dataset, load

MANIFEST = "MANIFEST.sha256"
WORKERS = 2
_worker_dataset: Dataset | None = None


class FigureError(RuntimeError):
    """Drawing or saving a figure failed; the message names the figure and language."""


def _start_worker(data_dir: Path) -> None:
    global _worker_dataset
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _worker_dataset is None:  # started without fork: load the data here
        _worker_dataset = load(data_dir)
    style.register_font()


def _work(name: str, lang: str, out_dir: Path) -> list[Path]:
    try:
        return plotting.write_figure(name, _worker_dataset, lang, out_dir)
    except Exception as error:
        raise FigureError(f"figure {name} ({lang}): {type(error).__name__}: {error}") from None


def _expected_cost(job: tuple[str, str, Path]) -> int:
    """The size of the committed SVG: a fair estimate of a figure's drawing time. The pool takes the largest jobs
    first, so that the last ones are short and both workers finish at about the same time."""
    svg = FIGURES_DIR / job[1] / f"{job[0]}.svg"
    return svg.stat().st_size if svg.exists() else 0


def _pool_context():
    """fork where the platform has it (the workers inherit the loaded data and imports), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


@contextmanager
def drawing(dataset: Dataset, data_dir: Path, out_dir: Path, workers: int = WORKERS) -> Iterator[AsyncResult]:
    """Start drawing every figure of plotting.FIGURES in both languages into out_dir/<lang>/; yield the pending
    result (its .get() returns the written paths or raises FigureError). Leaving the block early stops the pool."""
    global _worker_dataset
    _worker_dataset = dataset
    jobs = sorted(((name, lang, out_dir) for name in plotting.FIGURES for lang in plotting.LANGUAGES), key=_expected_cost,
                  reverse=True)
    pool = _pool_context().Pool(workers, initializer=_start_worker, initargs=(data_dir,))
    try:
        yield pool.starmap_async(_work, jobs, chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _worker_dataset = None


def write_manifest(folder: Path) -> Path:
    """SHA-256 of every file in folder's language subfolders, in `sha256sum --check` format."""
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}"
        for lang in plotting.LANGUAGES
        for path in sorted((folder / lang).iterdir())
        if path.is_file()
    ]
    manifest = folder / MANIFEST
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def compare_figures(built: Path, committed: Path) -> list[str]:
    """Every difference between two figure folders (language subfolders and manifest), as readable lines."""
    differences = []
    for lang in plotting.LANGUAGES:
        names = {p.name for p in (built / lang).iterdir()} | {p.name for p in (committed / lang).glob("*")}
        for name in sorted(names):
            new, old = built / lang / name, committed / lang / name
            if not old.exists():
                differences.append(f"{lang}/{name}: built but not committed")
            elif not new.exists():
                differences.append(f"{lang}/{name}: committed but no longer built")
            elif new.read_bytes() != old.read_bytes():
                differences.append(f"{lang}/{name}: bytes differ")
    manifest = committed / MANIFEST
    if not manifest.exists() or manifest.read_bytes() != (built / MANIFEST).read_bytes():
        differences.append(f"{MANIFEST}: differs")
    return differences
