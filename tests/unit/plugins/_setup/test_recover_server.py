"""/Mode:RecoverServer for a lost server: only when the IT Head ordered it (norm 5.6), with AD's install path (mode.py, 7)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.mode import decide_mode

CU14, CU15, SE = "15.2.1544.4", "15.2.1748.10", "15.2.2562.17"
BARE = {
    "os": {"name": "Windows Server 2022", "build": 20348, "version": "10.0.20348"},
    "computer": {"hostname": "RPI-EXCH01", "fqdn": "RPI-EXCH01.rpi.gob.gt"},
    "exchange": {"installed": False, "present": False, "version": None, "roles": [], "interrupted": {}, "setup_running": False},
}
LOST = {"exists": True, "install_path": "D:\\Exchange Server\\V15\\", "version": SE}


def installed(version):
    facts = copy.deepcopy(BARE)
    facts["exchange"].update(installed=True, present=True, version=version, roles=["Mailbox"])
    return facts


def test_a_lost_server_without_the_instruction_is_refused_saying_what_was_found():
    decision = decide_mode(BARE, SE, server_object=LOST, purpose="")
    assert (decision.mode, decision.reason, decision.runs_setup) == ("refuse", "recover_not_instructed", False)
    for words in ("D:\\Exchange Server\\V15", "15.2.2562.17", "no hay Exchange instalado", "norma 5.6",
                  "purpose: recover_server", "rpi_exchange_instruction"):
        assert words in decision.message_es
    assert "purpose: recover_server" in decision.message_en
    assert decision.as_dict()["server_object"] == LOST


@pytest.mark.parametrize("purpose", ["recover_server", " Recover_Server "])
def test_an_ordered_recovery_runs_recoverserver_in_the_path_ad_recorded(purpose):
    decision = decide_mode(BARE, SE, server_object=LOST, purpose=purpose)
    assert (decision.mode, decision.setup_mode, decision.reason) == ("recoverserver", "RecoverServer", "recover_server")
    assert decision.target_dir == "D:\\Exchange Server\\V15"  # no trailing backslash: it would escape /TargetDir's quote
    assert decision.as_dict()["target_dir"] == "D:\\Exchange Server\\V15"
    assert any("msExchInstallPath" in note for note in decision.notes_es)


def test_server_object_in_ad_alone_still_decides_and_an_unknown_path_leaves_setup_its_default():
    decision = decide_mode(BARE, SE, server_object_in_ad=True, purpose="recover_server")
    assert decision.mode == "recoverserver" and decision.target_dir is None and decision.notes_es == ()


def test_no_object_in_ad_is_a_fresh_install():
    assert decide_mode(BARE, SE, server_object={"exists": False}, purpose="").mode == "install"


def test_without_a_purpose_given_setups_runner_follows_activity_3s_decision():
    # Activity 8's exchange_setup decides again, without the instruction: the gate was activity 3's.
    decision = decide_mode(BARE, SE, server_object_in_ad=True)
    assert decision.mode == "recoverserver" and decision.target_dir is None


@pytest.mark.parametrize("facts, media, server_object, found", [
    (BARE, SE, {"exists": False}, "Active Directory no tiene un objeto"),   # nothing to recover: it would install
    (installed(CU14), CU15, LOST, "se actualizará"),                         # Exchange is there: it would upgrade
])
def test_an_ordered_recovery_of_a_server_that_needs_something_else_is_refused(facts, media, server_object, found):
    decision = decide_mode(facts, media, server_object=server_object, purpose="recover_server")
    assert (decision.mode, decision.reason) == ("refuse", "recover_not_needed")
    assert found in decision.message_es and "norma 5.6" in decision.message_es


def test_an_ordered_recovery_already_done_is_nothing_to_do():
    assert decide_mode(installed(SE), SE, server_object=LOST, purpose="recover_server").mode == "nothing"
