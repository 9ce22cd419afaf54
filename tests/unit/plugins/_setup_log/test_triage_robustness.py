# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The triage never raises and stays fast, whatever it is given."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import OUTCOMES, triage

FIXTURES = Path(__file__).parent / "fixtures"
# A guard, not the performance target (measured figures are far lower; see the catalogue report).
TIME_GUARD_SECONDS = 2.0


def _garbage(size: int, seed: int) -> bytes:
    generator = random.Random(seed)
    return bytes(generator.getrandbits(8) for _index in range(size))


@pytest.mark.parametrize("value", [None, "", "   \n\r\n", "\x00\x01\x02", "[", "[01/02/2025 10:00:00.0000] [", 42, b"",
                                   "Starting Microsoft Exchange Server 2019 Setup", "] [0] Setup version: ."])
def test_nothing_to_read(value):
    result = triage(value)
    assert result["outcome"] in OUTCOMES and result["advice"]["es"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_garbage_bytes(seed):
    data = _garbage(200_000, seed)
    for value in (data, data.decode("utf-8", errors="replace"), data.decode("latin-1")):
        result = triage(value)
        assert result["outcome"] in OUTCOMES


def test_utf16_log_is_read():
    text = (FIXTURES / "cu_upgrade_msi_1603.log").read_text(encoding="utf-8")
    assert triage(text.encode("utf-16"))["category"] == "msi_installer"


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.log")))
def test_every_cut_of_a_project_log(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for cut in range(0, len(text), max(1, len(text) // 40)):
        assert triage(text[:cut])["outcome"] in OUTCOMES
        assert triage(text[cut:])["outcome"] in OUTCOMES


def test_half_of_a_real_log(shared_dir):
    text = (shared_dir / "fixtures" / "exchange-setup-logs" / "ExchangeSetup_Service_Disabled.log").read_text(encoding="utf-8")
    first, second = text[:len(text) // 2], text[len(text) // 2:]
    head = triage(first)
    assert head["outcome"] == "incomplete" and head["setup_version"] == "15.1.2106.2"
    tail = triage(second)
    assert tail["outcome"] == "failed" and tail["setup_version"] is None and tail["category"] == "service_disabled"


def _synthetic_log(size: int) -> str:
    """A realistic long run: the header, a long readiness check and configuration, a failure at the end."""
    header = (FIXTURES / "cu_upgrade_msi_1603.log").read_text(encoding="utf-8").split("[03/03/2025 22:01:30.0000]")[0]
    block = "".join(
        f"[03/03/2025 22:{minute % 60:02d}:00.0000] [1] Evaluated [Rule:Rule{minute}] [HasException:False] [Value:\"False\"] "
        "[ParentValue:\"<NULL>\"] [Thread:9] [Duration:00:00:00.0010000]\n"
        f"[03/03/2025 22:{minute % 60:02d}:00.0001] [2] Active Directory session settings for 'Get-ExchangeServer' are: View "
        "Entire Forest: 'True', Configuration Domain Controller: 'DC01.rpi.local'\n"
        f"[03/03/2025 22:{minute % 60:02d}:00.0002] [1] Executing:\n          $RoleDomainController = 'DC01.rpi.local'\n"
        for minute in range(200))
    failure = (FIXTURES / "recoverserver_missing_directory.log").read_text(encoding="utf-8").split("[10/01/2025 19:52:10.0000]")[1]
    body = block * (size // len(block) + 1)
    return header + body + "[10/01/2025 19:52:10.0000]" + failure


def test_five_megabytes_in_well_under_a_second():
    text = _synthetic_log(5_000_000)
    assert len(text) >= 5_000_000
    started = time.perf_counter()
    result = triage(text)
    elapsed = time.perf_counter() - started
    assert result["outcome"] == "failed" and result["category"] == "missing_directory"
    assert elapsed < TIME_GUARD_SECONDS


def test_five_megabytes_of_errors_stay_linear():
    line = "[03/03/2025 22:00:00.0000] [2] [ERROR] Access to the path 'C:\\x' " + "product package .msi " * 40 + "\n"
    text = line * (5_000_000 // len(line) + 1)
    started = time.perf_counter()
    result = triage(text)
    assert time.perf_counter() - started < TIME_GUARD_SECONDS
    assert result["outcome"] == "incomplete"


def test_crlf_and_lf_logs_read_the_same():
    text = (FIXTURES / "cu_upgrade_msi_1603.log").read_text(encoding="utf-8")
    assert triage(text.replace("\n", "\r\n")) == triage(text)
