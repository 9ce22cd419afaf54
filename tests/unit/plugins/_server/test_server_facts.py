"""Interpretation of the raw probe answer (plugins/plugin_utils/_server/facts.py)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import facts as server_facts

DOTNET_KEY = r"HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full"

BASE_PROBE = {
    "os": {"caption": "Microsoft Windows Server 2022 Standard", "version": "10.0.20348", "build": 20348,
           "edition_id": "ServerStandard", "installation_type": "Server", "last_boot_time": "2026-11-27T10:00:00Z"},
    "computer": {"hostname": "RPI-EXCH01", "dns_hostname": "RPI-EXCH01", "primary_dns_suffix": "rpi.gob.gt",
                 "domain": "rpi.gob.gt", "part_of_domain": True, "domain_role": 3},
    "hardware": {"sockets": 1, "cores": 8, "logical_processors": 8, "memory_bytes": 128 * 2**30},
    "page_files": [{"path": "C:\\pagefile.sys", "initial_mb": 32768, "maximum_mb": 32768}],
    "page_file_automatic": False,
    "volumes": [{"drive_letter": "C", "label": "Sistema", "file_system": "NTFS", "drive_type": "Fixed",
                 "size_bytes": 200 * 2**30, "free_bytes": 150 * 2**30}],
    "network": [{"description": "vmxnet3", "ipv4": ["10.10.0.25"], "dhcp_enabled": False}],
    "registry": {DOTNET_KEY: {"Release": 533320}},
    "uninstall_entries": [],
    "features": [{"name": "Web-Server", "installed": True}, {"name": "Server-Media-Foundation", "installed": False}],
    "pending_reboot": {"session_manager": False, "component_based_servicing": True, "windows_update": False, "update_exe_volatile": False},
    "exchange": {"setup_key": None, "role_keys": {}, "uninstall_key": None, "exsetup_file_version": None, "setup_processes": []},
    "winrm": {"updated_config_present": True, "execution_policy_gpo": None, "remote_registry_start_mode": "Auto"},
    "setup_log": {"path": "C:\\ExchangeSetupLogs\\ExchangeSetup.log", "exists": False, "size_bytes": 0, "tail": ""},
}


def probe(**changes):
    data = copy.deepcopy(BASE_PROBE)
    for dotted, value in changes.items():
        target = data
        *parents, leaf = dotted.split("__")
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    return data


def test_probe_arguments_come_from_the_catalogue():
    args = server_facts.probe_arguments("Mailbox")
    assert DOTNET_KEY in args["registry_keys"]
    assert any("UCMA" in key for key in args["registry_keys"])
    assert "Microsoft Visual C++ 2013 x64*" in args["uninstall_display_names"]
    assert args["service_names"] == ["RemoteRegistry", "W3SVC", "Winmgmt", "pla"]
    assert "Server-Media-Foundation" in args["feature_names"]
    assert server_facts.probe_arguments("EdgeTransport")["feature_names"] == ["ADLDS"]


def test_fresh_windows_server_2022():
    facts = server_facts.interpret(probe())
    assert facts["os"]["key"] == "WS2022"
    assert facts["os"]["installation_type"] == "DesktopExperience"
    assert facts["os"]["edition"] == "Standard"
    assert facts["computer"] == {"hostname": "RPI-EXCH01", "fqdn": "RPI-EXCH01.rpi.gob.gt", "domain": "rpi.gob.gt",
                                 "domain_joined": True, "primary_dns_suffix": "rpi.gob.gt",
                                 "is_domain_controller": False}
    assert facts["hardware"]["memory_gb"] == 128.0
    assert facts["page_file"]["recommended_mb"] == 32768
    assert facts["dotnet"] == {"release": 533320, "version": "4.8.1"}
    assert facts["pending_reboot"] == {"pending": True, "sources": ["component_based_servicing"]}
    assert facts["features"]["missing"] == ["Server-Media-Foundation"]
    assert facts["network"]["static_ip"] is True
    assert facts["exchange"]["installed"] is False and facts["exchange"]["present"] is False
    assert not any(item["installed"] for item in facts["prerequisites"].values())


def test_server_core_and_domain_controller_and_dhcp():
    facts = server_facts.interpret(probe(os__installation_type="Server Core", computer__domain_role=5,
                                         network=[{"ipv4": ["10.0.0.9"], "dhcp_enabled": True}]))
    assert facts["os"]["installation_type"] == "ServerCore"
    assert facts["computer"]["is_domain_controller"] is True
    assert facts["network"]["static_ip"] is False


def test_prerequisites_detected_by_registry_and_uninstall_entries():
    registry = dict(BASE_PROBE["registry"])
    registry[r"HKLM:\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}"] = {"Version": "5.0.8308.0"}
    registry[r"HKLM:\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite"] = {"Version": "7.2.1993"}
    entries = [{"display_name": "Microsoft Visual C++ 2013 x64 Minimum Runtime - 12.0.40664", "version": 201367256, "registry_view": "64"},
               {"display_name": "Microsoft Visual C++ 2012 x64 Minimum Runtime - 11.0.50727", "version": 184610000, "registry_view": "64"}]
    facts = server_facts.interpret(probe(registry=registry, uninstall_entries=entries))
    prereqs = {key: item["installed"] for key, item in facts["prerequisites"].items()}
    # VC++ 2012 is present but older than the build Microsoft's tools expect: not good enough.
    assert prereqs == {"vcredist2012": False, "vcredist2013": True, "ucma4": True, "urlrewrite21": True}


@pytest.mark.parametrize("file_version, label, edition", [
    ("15.02.1748.010", "2019 CU15", "2019"),
    ("15.2.2562.17", "SE RTM", "SE"),
    ("15.2.1544.44", "2019 CU14 Aug26SU", "2019"),
])
def test_installed_exchange(file_version, label, edition):
    exchange = {
        "setup_key": {"MsiInstallPath": "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\", "MsiProductMajor": 15,
                      "MsiProductMinor": 2, "MsiBuildMajor": 1748, "MsiBuildMinor": 10},
        "role_keys": {"MailboxRole": {"ConfiguredVersion": "15.2.1748.10", "UnpackedVersion": "15.2.1748.10"},
                      "AdminTools": {"ConfiguredVersion": "15.2.1748.10"}},
        "uninstall_key": {"DisplayVersion": "15.2.1748.10"},
        "exsetup_file_version": file_version,
        "setup_processes": [],
    }
    facts = server_facts.interpret(probe(exchange=exchange))["exchange"]
    assert facts["installed"] is True
    assert facts["label"] == label
    assert facts["edition"] == edition
    assert facts["roles"] == ["Mailbox", "ManagementTools"]
    assert facts["interrupted"] == {}


def test_interrupted_setup_is_not_installed():
    exchange = {
        "setup_key": {"MsiInstallPath": "C:\\X\\", "MsiProductMajor": 15, "MsiProductMinor": 2, "MsiBuildMajor": 1748, "MsiBuildMinor": 10},
        "role_keys": {"MailboxRole": {"UnpackedVersion": "15.2.1748.10", "Action": "Install",
                                      "Watermark": "SystemAttendantDependent___1DEE95834DBA48F2BB211C2FB6765A5A"}},
        "uninstall_key": {"DisplayVersion": "15.2.1748.10"},
        "setup_processes": [{"name": "ExSetup.exe", "pid": 4242}],
    }
    facts = server_facts.interpret(probe(exchange=exchange))["exchange"]
    assert facts["installed"] is False and facts["present"] is True
    assert facts["interrupted"]["MailboxRole"]["action"] == "Install"
    assert facts["setup_running"] is True


def test_winrm_gotchas():
    facts = server_facts.interpret(probe(winrm={"updated_config_present": False, "execution_policy_gpo": "RemoteSigned",
                                                "remote_registry_start_mode": "Disabled"}))
    assert facts["winrm"]["issues"] == ["wsman_updated_config_missing", "execution_policy_gpo_defined", "remote_registry_not_automatic"]


def test_missing_sections_do_not_raise():
    facts = server_facts.interpret({})
    assert facts["exchange"]["installed"] is False
    assert facts["pending_reboot"]["pending"] is False


def test_the_probe_asks_for_the_setup_task_exchange_setup_registers():
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server import facts as server_facts  # pylint: disable=import-outside-toplevel
    from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import runner as setup_runner  # pylint: disable=import-outside-toplevel

    assert server_facts.probe_arguments()["setup_task"] == setup_runner.task_path() == server_facts.SETUP_TASK_PATH


@pytest.mark.parametrize("raw, expected", [
    (None, {"exists": False, "running": False, "last_task_result": None, "last_run_time": None}),
    ({"path": "\\RPI\\rpi-exchange-setup", "exists": False}, {"exists": False, "running": False, "last_task_result": None, "last_run_time": None}),
    ({"exists": True, "state": "Running", "last_task_result": 267009, "last_run_time": "2026-11-27T18:00:00Z"},
     {"exists": True, "running": True, "last_task_result": 267009, "last_run_time": "2026-11-27T18:00:00Z"}),
    ({"exists": True, "state": "Ready", "last_task_result": 0, "last_run_time": "2026-11-27T18:00:00Z"},
     {"exists": True, "running": False, "last_task_result": 0, "last_run_time": "2026-11-27T18:00:00Z"}),
])
def test_a_setup_task_left_by_an_earlier_run_is_read(raw, expected):
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import _setup_task  # pylint: disable=import-outside-toplevel

    assert _setup_task(raw) == expected
