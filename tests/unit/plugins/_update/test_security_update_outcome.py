# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Triage of a security update's run (plugins/plugin_utils/_update/outcome.py)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._update.outcome import (
    NEWER_PRESENT,
    NOT_ELEVATED,
    OTHER_BUILD,
    SERVICES_DISABLED,
    exit_code_text,
    read_outcome,
)

EXPECTED = "15.2.2562.46"


@pytest.mark.parametrize("code", [0, 3010])
def test_success_reaches_the_build_and_asks_for_a_restart(code):
    outcome = read_outcome(exit_code=code, build_after="15.02.2562.046", expected=EXPECTED)
    assert outcome.ok and outcome.reboot_required and outcome.build_after == "15.2.2562.46"
    assert "15.2.2562.46" in outcome.message("es")


def test_success_without_the_new_build_reads_as_not_elevated():
    outcome = read_outcome(exit_code=0, build_after="15.2.2562.17", expected=EXPECTED)
    assert not outcome.ok and outcome.category == NOT_ELEVATED
    assert "OWA" in outcome.message("es") and "elevat" in outcome.message("en")


def test_disabled_services_fail_the_update_with_advice():
    outcome = read_outcome(exit_code=1603, build_after="15.2.2562.17", expected=EXPECTED,
                           services={"MSExchangeIS": "Disabled", "MSExchangeTransport": "Auto"})
    assert not outcome.ok and outcome.category == SERVICES_DISABLED and outcome.disabled_services == ("MSExchangeIS",)
    assert "Automático" in outcome.message("es") and "MSExchangeIS" in outcome.message("es")


def test_the_log_names_the_failure():
    outcome = read_outcome(exit_code=1603, build_after="15.2.2562.46", expected="15.2.2562.45",
                           log_lines=["Product: Microsoft Exchange Server -- A newer version of this update is already installed."])
    assert outcome.category == NEWER_PRESENT and "rpi_exchange_security_update" in outcome.message("es")


def test_patch_target_not_found_is_another_build():
    assert read_outcome(exit_code=1642, build_after="15.2.1748.10", expected=EXPECTED).category == OTHER_BUILD


def test_exit_code_words():
    assert "3010" in exit_code_text(3010, "es") and "restart" in exit_code_text(3010, "en")
    assert "77" in exit_code_text(77, "es")


def test_activity_10_expects_the_updates_build():
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server.verification import check_version
    assert check_version("15.2.2562.46", "15.2.2562.46").ok
    behind = check_version("15.2.2562.46", "15.2.2562.17")
    assert not behind.ok and "KB5121573" in behind.message_es
    # The media's build alone still accepts any SU of its CU.
    assert check_version("15.2.2562.17", "15.2.2562.46").ok


def test_many_disabled_services_are_named_by_the_first_five_and_counted():
    services = {f"MSExchangeS{number:02d}": "Disabled" for number in range(12)}
    message = read_outcome(exit_code=1603, build_after="15.2.2562.17", expected=EXPECTED, services=services).message("es")
    assert "MSExchangeS04" in message and "MSExchangeS05" not in message and "y 7 más" in message
