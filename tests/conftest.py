"""Shared test machinery. ``@pytest.mark.provokes(kind, ...)`` declares the validation problem kinds a test makes the
validator report; the declaration is checked while the test runs (test_validation_kinds.py checks that every kind
is declared by some test). ``report_build``: one clean build of the whole report per session, through the command
line as `make report DATA=...` runs it; test_report checks its outputs and test_figures its figure files, so every
figure file is drawn once per session."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest

from ipanalysis.config import DATA_DIR, PROJECT_ROOT
from ipanalysis.messages import ProblemLog
from ipanalysis.report.state import Layout


def pytest_configure(config):
    config.addinivalue_line("markers", "provokes(*kinds): the test makes the validator report these problem kinds")


@pytest.fixture(autouse=True)
def _check_provoked_kinds(request, monkeypatch):
    """Fail a test that declares a kind the validator did not report while it ran."""
    declared = {kind for marker in request.node.iter_markers("provokes") for kind in marker.args}
    if not declared:
        yield
        return
    reported: set[str] = set()
    add = ProblemLog.add

    def recording_add(self, file, line, column, key, /, **params):
        reported.add(key)
        add(self, file, line, column, key, **params)

    monkeypatch.setattr(ProblemLog, "add", recording_add)
    yield
    missing = declared - reported
    assert not missing, f"declared as provoked but never reported: {sorted(missing)}"


@dataclass(frozen=True)
class ReportBuild:
    layout: Layout
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def report_build(tmp_path_factory) -> ReportBuild:
    """`python -m ipanalysis report --data "<copy of data/>"`: a data folder whose name has a space, HOME set to a file
    (nothing can be written there: matplotlib and IPython then warn with machine paths unless the build keeps them
    off the home folder), and a fixed string-hash seed (test_report writes the tables again with another)."""
    folder = tmp_path_factory.mktemp("build")
    data = folder / "my data"
    shutil.copytree(DATA_DIR, data)
    home = folder / "home-is-a-file"
    home.write_text("not a folder")
    variables = {"HOME": str(home), "MPLCONFIGDIR": str(home / "matplotlib"), "PYTHONHASHSEED": "3"}
    result = subprocess.run([sys.executable, "-m", "ipanalysis", "report", "--data", str(data)], capture_output=True,
                            text=True, env={**os.environ, **variables}, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return ReportBuild(Layout.for_data(data), result.stdout, result.stderr)
