"""Where a build reads and writes, and its record (BUILD.json in the reports folder): the SHA-256 of every input
it read and every output it wrote.

A build is up to date when every input hashes as recorded and every output is present with its recorded bytes.
Anything else rebuilds: an added, edited or deleted data file, source document, notebook, library file or lock
file; a deleted or altered table, workbook, figure, executed notebook or page. When only notebooks changed and
every output is intact, just those notebooks run again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..config import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT

RECORD = "BUILD.json"
LIBRARY_DIR = PROJECT_ROOT / "ipanalysis"
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
FIGURE_ITEMS = ("en", "zh", "MANIFEST.sha256")  # what a build writes into figures/ (its README stays)


@dataclass(frozen=True)
class Layout:
    """A build's folders: the data it reads, the notebooks it runs, and its output root, which holds figures/ and
    the reports folder (the project: reports/ beside figures/; a DATA build: the output root itself)."""

    data_dir: Path
    out_dir: Path
    reports_subdir: str
    notebooks_dir: Path = NOTEBOOKS_DIR

    @property
    def figures_dir(self) -> Path:
        return self.out_dir / "figures"

    @property
    def reports_dir(self) -> Path:
        return self.out_dir / self.reports_subdir

    @classmethod
    def for_data(cls, data_dir: Path = DATA_DIR, out_dir: Path | None = None, notebooks_dir: Path = NOTEBOOKS_DIR) -> Layout:
        """The project's data builds into reports/ and figures/; any other data folder (or an explicit out_dir)
        into its own output folder, by default <data folder>-report beside it."""
        data_dir, notebooks_dir = Path(data_dir).absolute(), Path(notebooks_dir).absolute()
        if out_dir is None and data_dir.resolve() == DATA_DIR.resolve():
            return cls(data_dir, PROJECT_ROOT, "reports", notebooks_dir)
        out = Path(out_dir).absolute() if out_dir is not None else data_dir.parent / f"{data_dir.name}-report"
        if out.resolve().is_relative_to(data_dir.resolve()):
            raise ValueError(f"the output folder {out} is inside the data folder {data_dir}: choose another (OUT=...)")
        return cls(data_dir, out, "", notebooks_dir)

    def staged(self, out_dir: Path) -> Layout:
        """The same layout with its outputs under out_dir (the staging folder)."""
        return Layout(self.data_dir, out_dir, self.reports_subdir, self.notebooks_dir)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path, skip: Path | None = None) -> list[Path]:
    """Every file under folder except hidden ones, caches and the subtree skip."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts)
        and (skip is None or not path.is_relative_to(skip))
    )


def notebook_sources(folder: Path) -> list[Path]:
    """The numbered notebooks of a folder, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def input_hashes(layout: Layout) -> dict[str, str]:
    """SHA-256 of everything a build reads: the data folder (tables, contract, source documents), the numbered
    notebooks, the library (code and its text files) and the lock file."""
    hashes = {f"data/{p.relative_to(layout.data_dir).as_posix()}": _digest(p) for p in _files(layout.data_dir)}
    hashes |= {f"notebooks/{p.name}": _digest(p) for p in notebook_sources(layout.notebooks_dir)}
    hashes |= {f"ipanalysis/{p.relative_to(LIBRARY_DIR).as_posix()}": _digest(p) for p in _files(LIBRARY_DIR)}
    hashes["requirements.lock"] = _digest(LOCK_FILE)
    return hashes


def output_hashes(layout: Layout) -> dict[str, str]:
    """SHA-256 of everything a build wrote (the record itself aside), keyed by path relative to the output root."""
    paths = [p for p in _files(layout.reports_dir, skip=layout.figures_dir) if p.name != RECORD]
    for item in FIGURE_ITEMS:
        target = layout.figures_dir / item
        paths += _files(target) if target.is_dir() else [target] if target.is_file() else []
    return {p.relative_to(layout.out_dir).as_posix(): _digest(p) for p in paths}


def write_record(layout: Layout, inputs: dict[str, str]) -> Path:
    """Record the inputs a build read and the outputs it wrote (relative paths only)."""
    record = {"inputs": inputs, "outputs": output_hashes(layout)}
    path = layout.reports_dir / RECORD
    path.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@dataclass
class Staleness:
    """What differs from the last build's record; empty lists mean up to date."""

    changed_inputs: list[str] = field(default_factory=list)
    changed_outputs: list[str] = field(default_factory=list)
    no_record: bool = False

    @property
    def up_to_date(self) -> bool:
        return not (self.no_record or self.changed_inputs or self.changed_outputs)

    @property
    def notebooks_only(self) -> bool:
        """Only notebook sources changed (added, edited or deleted) and every output is intact."""
        return (
            not self.no_record
            and not self.changed_outputs
            and all(name.startswith("notebooks/") for name in self.changed_inputs)
        )

    def describe(self) -> str:
        if self.no_record:
            return "no complete earlier build"
        changes = [f"changed input {name}" for name in self.changed_inputs]
        changes += [f"missing or altered output {name}" for name in self.changed_outputs]
        shown = ", ".join(changes[:5])
        return shown + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")


def _differences(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    return sorted(name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name))


def staleness(layout: Layout, inputs: dict[str, str]) -> Staleness:
    """Compare the current inputs and outputs with the record of the last complete build."""
    path = layout.reports_dir / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        recorded_inputs, recorded_outputs = record["inputs"], record["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return Staleness(no_record=True)
    return Staleness(_differences(recorded_inputs, inputs), _differences(recorded_outputs, output_hashes(layout)))
