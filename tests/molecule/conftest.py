"""Fixtures of tests/molecule: the plans of test_scenarios.py, run concurrently (see molecule_lab.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# molecule_lab sits beside this file; appended (not prepended) so that `conftest` still means tests/conftest.py.
if str(Path(__file__).parent) not in sys.path:
    sys.path.append(str(Path(__file__).parent))

from molecule_lab import BIN, JOBS, Lab, Plans, core_version  # noqa: E402  pylint: disable=wrong-import-position


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "molecule_plan(function): the molecule plan (tests/molecule) a test checks")
    config.addinivalue_line("markers", "every_core: also run on the ansible-core 2.21 line (tools/run-tests.sh molecule-2.21)")


@pytest.fixture(scope="session")
def plans(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Plans:
    if not (BIN / "molecule").exists():
        pytest.skip(f"molecule is not installed beside {sys.executable} (requirements-dev.txt)")
    # A folder of this session's own (pytest keeps the last few): two sessions on one checkout never share one.
    runner = Plans(tmp_path_factory.mktemp(f"molecule-{core_version()}-", numbered=True), JOBS)
    wanted = {marker.args[0] for item in request.session.items for marker in item.iter_markers("molecule_plan")}
    for function in sorted(wanted, key=lambda f: -f.weight):
        runner.submit(function)
    yield runner
    runner.close()


@pytest.fixture
def lab(request: pytest.FixtureRequest, plans: Plans) -> Lab:
    """The finished plan of the test's molecule_plan marker."""
    marker = request.node.get_closest_marker("molecule_plan")
    assert marker is not None, "a test using `lab` needs @pytest.mark.molecule_plan(<plan>)"
    return plans.result(marker.args[0])
