# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance of the triage with Microsoft's real setup logs kept in the steering repo.

The logs live in ../shared/fixtures/exchange-setup-logs (not shipped, not copied here);
expected.yml says what a correct reading finds. Without that folder every test skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import SHARED  # the same folder the shared_dir fixture guards

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage

LOGS = Path("fixtures") / "exchange-setup-logs"


def _cases() -> list:
    expected = SHARED / LOGS / "expected.yml"
    if not expected.is_file():
        return [pytest.param(None, id="shared-fixtures-absent")]
    return [pytest.param(case, id=case["file"]) for case in yaml.safe_load(expected.read_text(encoding="utf-8"))]


def _read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("case", _cases())
def test_log_reads_as_expected(case, shared_dir):
    result = triage(_read(shared_dir / LOGS, case["file"]))
    outcome = case["outcome"]
    accepted = ("failed", "incomplete") if outcome == "failed_or_incomplete" else (outcome,)
    assert result["outcome"] in accepted
    assert result["setup_version"] == case["setup_version"]
    assert result["operation"] == case["operation"]
    assert sorted(result["failed_rules"]) == sorted(case["failed_rules"])
    assert result["category"] == case["category"]
    assert result["error"] and case["error_contains"] in result["error"]
    assert result["advice"]["es"] and result["advice"]["en"]


def test_every_log_in_the_folder_is_expected_and_triaged(shared_dir):
    folder = shared_dir / LOGS
    expected = {case["file"] for case in yaml.safe_load(_read(folder, "expected.yml"))}
    logs = {path.name for path in folder.glob("*.log")}
    assert logs == expected
    for name in sorted(logs):
        assert triage(_read(folder, name))["outcome"] in ("failed", "incomplete")
