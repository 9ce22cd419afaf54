"""Which connections to the server the run accepts (plugins/plugin_utils/_preflight/connection_security.py)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.connection_security import assess, decide


def winrm(**options):
    extras = options.pop("extras", {})
    return assess("ansible.builtin.winrm", {"scheme": None, "port": 5986, "transport": ["ntlm"], "_extras": extras, **options})


def test_https_with_validation_is_secure():
    found = winrm(scheme="https", extras={"ansible_winrm_server_cert_validation": "validate"})
    assert found.secure and found.scheme == "https" and found.port == 5986
    decision = decide(found, insecure_lab=False)
    assert decision.allowed and decision.evidence["level"] == "ok"


def test_the_plugins_default_is_https_on_5986_with_validation():
    assert winrm().secure


@pytest.mark.parametrize("options, setting", [
    ({"scheme": "http", "port": 5985}, "ansible_winrm_scheme"),
    ({"scheme": None, "port": 5985}, "ansible_winrm_scheme"),  # port 5985 alone means http, as the plugin resolves it
    ({"extras": {"ansible_winrm_server_cert_validation": "ignore"}}, "ansible_winrm_server_cert_validation"),
    ({"extras": {"ansible_winrm_message_encryption": "never"}}, "ansible_winrm_message_encryption"),
])
def test_each_weakness_is_refused_naming_the_setting(options, setting):
    found = winrm(**options)
    assert setting in [finding.setting for finding in found.findings]
    decision = decide(found, insecure_lab=False)
    assert not decision.allowed
    assert setting in decision.message_es and "rpi_exchange_insecure_lab" in decision.message_es
    assert "No se envió nada" in decision.message_es


def test_basic_over_http_is_called_out():
    found = winrm(scheme="http", port=5985, transport=["basic"])
    assert "ansible_winrm_transport" in [finding.setting for finding in found.findings]


def test_a_declared_lab_goes_on_and_the_report_says_so():
    decision = decide(winrm(extras={"ansible_winrm_server_cert_validation": "ignore"}), insecure_lab=True)
    assert decision.allowed
    assert (decision.evidence["kind"], decision.evidence["level"]) == ("notice", "warning")
    assert "AJUSTE INSEGURO DE LABORATORIO" in decision.evidence["summary_es"]
    assert decision.evidence["details"]["insecure_lab"] is True


def test_psrp_is_judged_by_its_own_options():
    assert assess("psrp", {"protocol": "https", "port": 5986, "cert_validation": "validate", "auth": "negotiate"}).secure
    found = assess("ansible.builtin.psrp", {"protocol": None, "port": None, "cert_validation": "ignore", "auth": "negotiate"})
    assert [finding.setting for finding in found.findings] == ["ansible_psrp_cert_validation"]


def test_ssh_is_secure_and_an_unknown_plugin_is_not_assumed_so():
    assert assess("ssh", {}).secure
    assert not assess("community.general.unknown", {}).secure
