"""The scaled data folders of `make bench-validate` (timed there, not here): copies validate like the original."""

import csv

import ipanalysis
from ipanalysis.config import DATA_DIR
from ipanalysis.validation.benchmark import SHARED, scaled_copy


def count_rows(folder, name):
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def test_a_scaled_folder_validates_with_every_copy_under_its_own_ids(tmp_path):
    folder = tmp_path / "data"
    rows = scaled_copy(DATA_DIR, folder, 3)
    result = ipanalysis.validate(folder)
    assert [p.format() for p in result.problems] == []
    for name in ("documents", "targets", "outcomes", "policy_units", "observations"):
        assert len(result.tables[name].rows) == 3 * count_rows(DATA_DIR, name), name
    for name in SHARED:
        assert len(result.tables[name].rows) == count_rows(DATA_DIR, name), name
    assert len(result.document_texts) == 3 * count_rows(DATA_DIR, "documents")
    assert rows == sum(len(table.rows) for table in result.tables.values())
