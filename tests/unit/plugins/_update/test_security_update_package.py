# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SU/HU package decisions (plugins/plugin_utils/_update/package.py): which build a package belongs to, and
install / nothing / refuse before any change."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._update.package import (
    INSTALL,
    NONE,
    NOTHING,
    REFUSE,
    check_shape,
    decide,
    kb_of,
    target_build,
    updates_with_kb,
)

SHA = "a" * 64
SE_AUG26 = {"path": "\\\\files\\exchange\\ExchangeSE-KB5121573-x64-en.exe", "sha256": SHA}
CU14_AUG26 = {"path": "C:\\Install\\Exchange2019-KB5121575-x64-en.exe", "sha256": SHA}
SE_JUL26 = {"path": "C:\\Install\\ExchangeSE-KB5103212-x64-en.exe", "sha256": SHA}


def test_kb_from_the_file_name():
    assert kb_of("\\\\s\\r\\ExchangeSE-KB5121573-x64-en.exe") == "KB5121573"
    assert kb_of("C:/x/exchange2019-kb5049233-x64-en.exe") == "KB5049233"
    assert kb_of("C:\\x\\update.exe") is None


def test_the_catalogue_has_se_aug26su():
    rows = updates_with_kb("KB5121573")
    assert [(row.label, row.version_text) for row in rows] == [("SE RTM Aug26SU", "15.2.2562.46")]
    # A KB shared by two CUs (Nov24SUv2): one row per CU.
    assert {row.label for row in updates_with_kb("KB5049233")} == {"2019 CU13 Nov24SUv2", "2019 CU14 Nov24SUv2"}


@pytest.mark.parametrize("value", [None, {}, ""])
def test_no_update_is_no_problem(value):
    assert check_shape(value) == ()
    assert decide(value, installed=None, media="15.2.2562.17").action == NONE


@pytest.mark.parametrize("value, code", [
    ("C:\\x.exe", "security_update_not_a_dict"),
    ({"path": "ExchangeSE-KB5121573-x64-en.exe", "sha256": SHA}, "security_update_path_not_absolute"),
    ({"path": "C:\\x\\ExchangeSE-KB5121573-x64-en.msp", "sha256": SHA}, "security_update_not_exe"),
    ({"path": "C:\\x\\update.exe", "sha256": SHA}, "security_update_no_kb"),
    ({"path": "C:\\x\\ExchangeSE-KB1234567-x64-en.exe", "sha256": SHA}, "security_update_unknown_kb"),
    ({"path": "C:\\x\\ExchangeSE-KB5121573-x64-en.exe"}, "security_update_sha256"),
    ({"path": "C:\\x\\ExchangeSE-KB5121573-x64-en.exe", "sha256": "xyz"}, "security_update_sha256"),
    ({"path": "C:\\x\\ExchangeSE-KB5121573-x64-en.exe", "sha256": SHA, "version": 1}, "security_update_unknown_key"),
])
def test_malformed_values_are_refused_naming_the_variable(value, code):
    problems = check_shape(value)
    assert code in {problem.code for problem in problems}
    assert all(problem.name.startswith("rpi_exchange_security_update") for problem in problems)
    decision = decide(value)
    assert decision.action == REFUSE and "rpi_exchange_security_update" in decision.message("es")


def test_target_is_the_media_when_setup_moves_the_server_forward():
    assert target_build(None, "15.2.2562.17") == (15, 2, 2562, 17)
    assert target_build("15.2.1748.10", "15.2.2562.17") == (15, 2, 2562, 17)
    # Same CU on the media as installed (a re-run): the installed build, SU included, stays.
    assert target_build("15.2.2562.46", "15.2.2562.17") == (15, 2, 2562, 46)
    assert target_build("15.2.1748.49", None) == (15, 2, 1748, 49)


def test_install_se_and_its_su_in_one_run():
    decision = decide(SE_AUG26, installed=None, media="15.2.2562.17", actual_sha256=SHA.upper())
    assert decision.action == INSTALL
    assert decision.update.label == "SE RTM Aug26SU" and decision.update_version == "15.2.2562.46"
    assert decision.target.label == "SE RTM" and decision.kb == "KB5121573"


def test_su_alone_on_a_server_at_the_right_cu():
    assert decide(SE_AUG26, installed="15.2.2562.17").action == INSTALL
    # An older SU of the same CU is below the package: install.
    assert decide(SE_AUG26, installed="15.2.2562.43").action == INSTALL


def test_nothing_to_do_when_the_server_is_at_the_update():
    decision = decide(SE_AUG26, installed="15.2.2562.46", media="15.2.2562.17")
    assert decision.action == NOTHING
    assert "ya tiene" in decision.message("es") and "already has" in decision.message("en")


def test_an_update_older_than_installed_is_refused():
    decision = decide(SE_JUL26, installed="15.2.2562.46", media="15.2.2562.17")
    assert decision.action == REFUSE
    assert decision.problems[0].code == "security_update_older"
    message = decision.message("es")
    assert "SE RTM Jul26SU" in message and "15.2.2562.46" in message and "rpi_exchange_security_update" in message


def test_an_update_for_another_cu_is_refused_naming_both_builds():
    # A 2019 CU15 server and an SU for CU14.
    decision = decide(CU14_AUG26, installed="15.2.1748.10")
    assert decision.action == REFUSE and decision.problems[0].code == "security_update_other_build"
    message = decision.message("es")
    assert "2019 CU14 Aug26SU" in message and "2019 CU15" in message
    assert "another build" in decision.message("en")


def test_the_su_of_the_installed_cu_is_refused_when_setup_moves_to_another():
    # CU15 installed, SE media: the CU15 SU would not apply after the upgrade.
    cu15 = {"path": "C:\\x\\Exchange2019-KB5121574-x64-en.exe", "sha256": SHA}
    decision = decide(cu15, installed="15.2.1748.10", media="15.2.2562.17")
    assert decision.action == REFUSE and "SE RTM" in decision.message("es")


def test_a_shared_kb_resolves_to_the_targets_cu():
    shared = {"path": "C:\\x\\Exchange2019-KB5049233-x64-en.exe", "sha256": SHA}
    decision = decide(shared, installed="15.2.1544.4")
    assert decision.action == INSTALL and decision.update.label == "2019 CU14 Nov24SUv2"
    assert decide(shared, installed="15.2.1748.10").action == REFUSE


def test_the_file_version_decides_when_read():
    shared = {"path": "C:\\x\\Exchange2019-KB5049233-x64-en.exe", "sha256": SHA}
    decision = decide(shared, installed="15.2.1258.12", file_version="15.02.1544.014")
    assert decision.action == REFUSE and "2019 CU14 Nov24SUv2" in decision.message("es")


def test_a_hash_mismatch_is_refused():
    decision = decide(SE_AUG26, installed=None, media="15.2.2562.17", actual_sha256="b" * 64)
    assert decision.action == REFUSE and decision.problems[0].code == "security_update_sha256_mismatch"
    assert "Get-FileHash" in decision.message("es")
    assert decision.problems[0].name == "rpi_exchange_security_update.sha256"


def test_decision_as_dict_is_plain():
    data = decide(SE_AUG26, media="15.2.2562.17").as_dict()
    assert data["update_version"] == "15.2.2562.46" and data["target_label"] == "SE RTM" and data["action"] == INSTALL
