"""WinRM's configuration before setup (plugin_utils/_server/winrm_config.py): restore as ExchangeDsc does, keeping the listeners."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import winrm_config as winrm

THUMB = "4F1E0C2B9A7D3E5F6A8B0C1D2E3F405162738495"
HTTPS = winrm.Listener("HTTPS", 5986, "rpi-exch01.rpi.gob.gt", THUMB)
HTTP = winrm.Listener("HTTP", 5985)


def test_nothing_to_do_with_updated_config():
    decided = winrm.plan(True, {"HTTPS": HTTPS}, "https")
    assert decided.action == winrm.NONE and "UpdatedConfig" in decided.message_es


def test_without_updated_config_the_restore_creates_every_listener_again_connection_first():
    decided = winrm.plan(False, {"HTTP": HTTP, "HTTPS": HTTPS}, "https")
    assert decided.action == winrm.RESTORE and decided.reason == "updated_config_missing"
    assert [item.transport for item in decided.listeners] == ["HTTPS", "HTTP"]
    assert "ExchangeDsc" in decided.message_es and "HTTPS en el puerto 5986 con el certificado " + THUMB in decided.message_es
    task = decided.task_arguments()
    assert task["username"] == "SYSTEM" and task["logon_type"] == "service_account" and task["triggers"] == []
    assert "password" not in task
    assert [action["arguments"] for action in task["actions"]] == [
        "invoke Restore winrm/config @{}",
        f'create winrm/config/Listener?Address=*+Transport=HTTPS @{{Hostname="rpi-exch01.rpi.gob.gt";CertificateThumbprint="{THUMB}";'
        'Port="5986"}',
        'create winrm/config/Listener?Address=*+Transport=HTTP @{Port="5985"}']
    assert all(action["path"] == r"%windir%\System32\winrm.cmd" and action["working_directory"] == r"%windir%\System32\inetsrv"
               for action in task["actions"])


def test_a_connection_through_a_listener_not_in_winrms_configuration_is_refused_before_any_change():
    decided = winrm.plan(False, {"HTTP": HTTP}, "https")
    assert decided.action == winrm.REFUSE and decided.reason == "connection_listener_not_found"
    assert "WSMAN\\Listener\\*+HTTPS" in decided.message_es and "No se cambió nada." in decided.message_es
    assert "winrm invoke Restore winrm/config @{}" in decided.message_es and "El administrador" not in decided.message_en
    assert "el administrador debe ejecutar" in decided.message_es


@pytest.mark.parametrize("listener, problem", [
    (winrm.Listener("HTTPS", 5986, "rpi-exch01.rpi.gob.gt", ""), "no certificate thumbprint"),
    (winrm.Listener("HTTPS", 5986, "rpi-exch01.rpi.gob.gt", 'ABC";x'), "certThumbprint"),
    (winrm.Listener("HTTPS", 5986, 'evil" & calc', THUMB), "hostname"),
    (winrm.Listener("HTTPS", 70000, "", THUMB), "port"),
])
def test_a_listener_that_cannot_be_created_again_exactly_is_refused(listener, problem):
    decided = winrm.plan(False, {"HTTPS": listener}, "https")
    assert decided.action == winrm.REFUSE and decided.reason == "listener_not_recreatable"
    assert problem in decided.message_en


def test_listeners_from_reg_stat_and_facts():
    stat = {"exists": True, "properties": {"Port": {"raw_value": 5986, "type": "REG_DWORD", "value": 5986},
                                           "certThumbprint": {"raw_value": THUMB.lower(), "type": "REG_SZ", "value": THUMB.lower()},
                                           "hostname": {"raw_value": "rpi-exch01.rpi.gob.gt", "type": "REG_SZ", "value": "x"}}}
    assert winrm.listener_from_reg_stat("HTTPS", stat) == winrm.Listener("HTTPS", 5986, "rpi-exch01.rpi.gob.gt", THUMB.lower())
    assert winrm.listener_from_reg_stat("HTTPS", {"exists": False}) is None
    assert winrm.listeners_from_facts({"HTTPS": {"port": 5986, "hostname": "h", "cert_thumbprint": THUMB}}) == {
        "HTTPS": winrm.Listener("HTTPS", 5986, "h", THUMB)}


def test_verify_after_the_restore():
    decided = winrm.plan(False, {"HTTPS": HTTPS}, "https")
    back = {"HTTPS": {"exists": True, "properties": {"Port": {"raw_value": 5986}, "certThumbprint": {"raw_value": THUMB}}}}
    assert winrm.verify(decided, {"exists": True}, back) == []
    assert winrm.verify(decided, {"exists": False}, {"HTTPS": {"exists": False}}) == ["WSMAN\\UpdatedConfig", "*+HTTPS"]


class _Connection:
    def __init__(self, transport, **options):
        self.transport, self.options = transport, options

    def get_option(self, name):
        if name not in self.options:
            raise KeyError(name)
        return self.options[name]


@pytest.mark.parametrize("connection, expected", [
    (_Connection("ansible.builtin.winrm", scheme="https", port=5986), "HTTPS"),
    (_Connection("winrm", scheme=None, port=5985), "HTTP"),
    (_Connection("winrm", scheme=None, port=None), "HTTPS"),
    (_Connection("ansible.builtin.psrp", protocol="http", port=5985), "HTTP"),
    (_Connection("ssh"), ""),
])
def test_the_connection_transport(connection, expected):
    assert winrm.connection_transport(connection) == expected
