# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rpi_exchange_security_update in activity 2's check of the run's inputs (plugins/plugin_utils/_preflight/run_inputs.py):
declared by roles/await_installation, malformed values refused before any change."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.run_inputs import check_run_inputs, declarations

SHA = "c" * 64
FRESH = {"exchange": {"installed": False, "present": False, "version": None, "roles": [], "interrupted": {},
                      "setup_task": {"exists": False}}}


def test_declared_by_activity_9_as_an_optional_dict():
    declaration = declarations()["rpi_exchange_security_update"]
    assert declaration.type == "dict" and 9 in declaration.activities


ACCOUNT = {"rpi_exchange_setup_user": "RPI\\svc-exchange", "rpi_exchange_setup_password": "Contrasena-De-Prueba-9"}


def _codes(value):
    outcome = check_run_inputs(dict(ACCOUNT, rpi_exchange_security_update=value), facts=FRESH, activities=(9,))
    return outcome, {problem.code for problem in outcome.problems}


def test_absent_or_empty_is_no_update():
    assert check_run_inputs(ACCOUNT, facts=FRESH, activities=(9,)).ok
    assert _codes({})[0].ok


def test_a_good_value_passes():
    assert _codes({"path": "\\\\files\\exchange\\ExchangeSE-KB5121573-x64-en.exe", "sha256": SHA})[0].ok


def test_malformed_values_are_refused_in_spanish_naming_the_variable():
    outcome, codes = _codes({"path": "ExchangeSE-KB1234567-x64-en.exe", "sha256": "abc"})
    assert not outcome.ok
    assert {"security_update_path_not_absolute", "security_update_unknown_kb", "security_update_sha256"} <= codes
    message = outcome.message("es")
    assert "rpi_exchange_security_update.path" in message and "Corríjalos" in message
