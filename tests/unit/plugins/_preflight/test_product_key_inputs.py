# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rpi_exchange_product_key in activity 2's check of the run's inputs: declared by activity 10 as a secret, a malformed
key refused before any change, naming the variable and never showing the key."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.run_inputs import check_run_inputs, declarations

FRESH = {"exchange": {"installed": False, "present": False, "version": None, "roles": [], "interrupted": {},
                      "setup_task": {"exists": False}}}
ACCOUNT = {"rpi_exchange_setup_user": "RPI\\svc-exchange", "rpi_exchange_setup_password": "Contrasena-De-Prueba-9"}
BAD = "ABCDE-12345-FGHIJ-67890"


def test_declared_by_activity_10_as_an_optional_secret():
    declaration = declarations()["rpi_exchange_product_key"]
    assert declaration.type == "str" and declaration.no_log and 10 in declaration.activities
    edition = declarations()["rpi_exchange_product_edition"]
    assert tuple(edition.choices) == ("Standard", "Enterprise")


def test_absent_or_well_formed_passes():
    assert check_run_inputs(ACCOUNT, facts=FRESH, activities=(10,)).ok
    assert check_run_inputs(dict(ACCOUNT, rpi_exchange_product_key="abcde-12345-FGHIJ-67890-KLMNO"), facts=FRESH,
                            activities=(10,)).ok


def test_a_malformed_key_is_refused_naming_the_variable_without_the_key():
    outcome = check_run_inputs(dict(ACCOUNT, rpi_exchange_product_key=BAD), facts=FRESH, activities=(10,))
    assert [problem.code for problem in outcome.problems] == ["product_key_malformed"]
    for language in ("es", "en"):
        message = outcome.message(language)
        assert "rpi_exchange_product_key" in message and BAD not in message and "XXXXX-XXXXX" in message
    assert "ansible-vault edit" in outcome.message("es")
    assert BAD not in repr(outcome.as_dict())
