"""`make bench-validate`: validate data folders 1x, 10x and 100x the size of data/ and print rows and seconds, to
show that validation time grows in proportion to the number of rows.

A scaled folder holds `factor` copies of every document and of everything tied to one (its source text, targets,
outcomes, milestones, policy units and codes, its regions, and the observation layer's snapshots and observations),
each copy under its own ids; the catalogues (indicators, codebook, agencies, keywords) and the problem register are
shared, the register's `affects` naming every copy's rows. Every copy validates, so the benchmark times the full set
of checks.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..config import DATA_DIR, SNAPSHOTS_SUBDIR, SOURCES_SUBDIR
from ..schema import read_datapackage
from . import validate

FACTORS = (1, 10, 100)
SHARED = ("indicators", "indicator_lineage", "agencies", "codebook", "precoder_keywords", "theme_keywords", "source_problems")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def two_letters(number: int) -> str:
    return chr(ord("a") + number // 26) + chr(ord("a") + number % 26)


class Copier:
    """Rewrites the ids of one copy: document ids get new letters; regions (but the national level, which every copy
    shares), commitments, sources and files a copy number."""

    def __init__(self, source: Path, copy: int):
        self.copy = copy
        prefixes = sorted({row[0][:2] for row in read_rows(source / "documents.csv")[1]})
        free = [letters for letters in map(two_letters, range(26 * 26)) if letters not in prefixes]
        self.prefixes = dict(zip(prefixes, free[(copy - 1) * len(prefixes): copy * len(prefixes)], strict=True))
        self.document = re.compile(r"(?<![a-z0-9])(" + "|".join(prefixes) + r")([0-9]{4})(?![0-9])")
        header, regions = read_rows(source / "regions.csv")
        self.national = {row[0] for row in regions if not row[header.index("parent_region")]}
        sources_file = source / "observation_sources.csv"
        sources = sorted((row[0] for row in read_rows(sources_file)[1]), key=len, reverse=True) if sources_file.is_file() else []
        self.source = re.compile(r"(?<![a-z0-9-])(" + "|".join(map(re.escape, sources)) + r")(?![a-z0-9])") if sources else None

    def ids(self, text: str) -> str:
        """Document ids (and the row ids built on them) and source ids in any cell."""
        text = self.document.sub(lambda m: self.prefixes[m.group(1)] + m.group(2), text)
        return self.source.sub(lambda m: f"{m.group(1)}-x{self.copy}", text) if self.source else text

    def region(self, region_id: str) -> str:
        return region_id if not region_id or region_id in self.national else f"{region_id}_x{self.copy}"

    def commitment(self, commitment_id: str) -> str:
        return f"c{self.copy:03d}{commitment_id[1:]}" if commitment_id else commitment_id


def scaled_copy(source: Path, target: Path, factor: int) -> int:
    """Write a data folder with `factor` copies of `source` (see the module docstring); return its number of rows."""
    schemas = read_datapackage(source / "datapackage.json")
    shutil.copytree(source, target)
    copiers = [Copier(source, copy) for copy in range(1, factor)]
    rows_total = 0
    for name, schema in schemas.items():
        path = source / schema.path
        if not path.is_file():
            continue
        header, rows = read_rows(path)
        if name not in SHARED:
            copies = (copy_row(name, header, row, copier, target) for copier in copiers for row in rows)
            rows = rows + [row for row in copies if row is not None]
        elif "affects" in header:  # the shared register names the rows of every copy, as each copy's rows cite it
            column = header.index("affects")
            for row in rows:
                row[column] = ";".join(item for item in [row[column], *(c.ids(row[column]) for c in copiers)] if item)
        write_rows(target / schema.path, header, rows)
        rows_total += len(rows)
    return rows_total


def copy_row(table: str, header: list[str], row: list[str], copier: Copier, target: Path) -> list[str] | None:
    """One row of a copy (None for the shared national region), and a copy of the file it names."""
    cells = dict(zip(header, row, strict=True))
    if table == "regions" and cells["region_id"] in copier.national:
        return None
    rewrite: dict[str, Callable[[str], str]] = {"region": copier.region, "region_id": copier.region,
                                                "parent_region": copier.region, "commitment_id": copier.commitment}
    for column, value in cells.items():
        cells[column] = rewrite[column](value) if column in rewrite else copier.ids(value)
    if table == "documents":
        cells["source_file"] = copy_file(target / SOURCES_SUBDIR, row[header.index("source_file")], copier.copy)
        cells["label_zh"], cells["label_en"] = f"{cells['label_zh']} #{copier.copy}", f"{cells['label_en']} #{copier.copy}"
    if table == "observation_sources":
        cells["file"] = copy_file(target / SNAPSHOTS_SUBDIR, row[header.index("file")], copier.copy)
    return [cells[column] for column in header]


def copy_file(folder: Path, name: str, copy: int) -> str:
    new = f"x{copy}_{name}"
    shutil.copyfile(folder / name, folder / new)
    return new


def main() -> int:
    print(f"validating {DATA_DIR} scaled {', '.join(f'{factor}x' for factor in FACTORS)} (generated in a temporary folder);"
          " CPU seconds, best of 3, so that other work on the machine counts as little as it can")
    baseline = None
    for factor in FACTORS:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "data"
            rows = scaled_copy(DATA_DIR, folder, factor)
            runs = []
            for _ in range(3):
                started, wall = time.process_time(), time.perf_counter()
                result = validate(folder)
                runs.append((time.process_time() - started, time.perf_counter() - wall))
            if result.problems:
                print("\n".join(problem.format() for problem in result.problems[:20]), file=sys.stderr)
                return 1
        seconds, wall = min(runs)
        baseline = baseline or seconds / rows
        print(f"{factor:4d}x {rows:8,d} rows {seconds:7.2f} s CPU ({wall:6.2f} s wall)"
              f"  {1e6 * seconds / rows:4.0f} ms per 1000 rows  ({seconds / rows / baseline:4.2f} x the 1x rate)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
