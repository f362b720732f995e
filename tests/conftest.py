"""Shared test machinery: ``@pytest.mark.provokes(kind, ...)`` declares the validation problem kinds a test makes the
validator report; the declaration is checked while the test runs (test_validation_kinds.py checks that every kind
is declared by some test)."""

import pytest

from ipanalysis.messages import ProblemLog


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
