"""Decodes the payloads captured from real ansible-core 2.19 and 2.21 runs (tests/fixtures/payloads)."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from simulator.payload import decode, decode_details
from simulator.wsman import load_recording

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "payloads"
VERSIONS = {"2.19": "2.19.14", "2.21": "2.21.5"}
BECOME_PASSWORD = "BecomePass-Test1!"  # the test value capture.py uses


def _load(version: str, name: str):
    return decode_details(*load_recording(FIXTURES / version / f"{name}.json.gz"))


@pytest.fixture(name="version", params=sorted(VERSIONS))
def fixture_version(request) -> str:
    return request.param


def test_every_fixture_decodes(version: str) -> None:
    names = sorted(p.name for p in (FIXTURES / version).glob("*.json.gz"))
    assert len(names) >= 12
    for path in (FIXTURES / version).glob("*.json.gz"):
        decode(*load_recording(path))


def test_win_ping(version: str) -> None:
    decoded = _load(version, "win_ping")
    inv = decoded.invocation
    assert (inv.kind, inv.module_name, inv.args) == ("module", "ansible.windows.win_ping", {"data": "fixture"})
    assert inv.core_version == VERSIONS[version]
    assert inv.ansible_vars["_ansible_module_name"] == "ansible.windows.win_ping"
    assert inv.check_mode is False
    assert (inv.become_user, inv.become_password, inv.async_jid) == ("", None, "")
    assert inv.params["Script"] == "ansible_collections.ansible.windows.plugins.modules.win_ping.ps1"
    assert "Ansible.Basic.cs" in inv.params["CSharpModules"]
    assert decoded.actions == ["module_wrapper.ps1"]
    assert decoded.format == version
    assert ("PwshPath" in decoded.bootstrap_params) == (version == "2.21")


def test_become(version: str) -> None:
    decoded = _load(version, "become")
    inv = decoded.invocation
    assert inv.module_name == "ansible.windows.win_command"
    assert inv.args == {"_raw_params": "whoami /all"}
    assert inv.become_user == "RPI\\svc-fixture"
    assert inv.become_password == BECOME_PASSWORD
    assert BECOME_PASSWORD not in repr(inv)  # the dataclass keeps it out of its repr
    assert decoded.actions == ["become_wrapper.ps1", "module_wrapper.ps1"]


def test_async(version: str) -> None:
    decoded = _load(version, "async")
    inv = decoded.invocation
    assert inv.module_name == "ansible.windows.win_command"
    assert inv.args == {"_raw_params": "ping -n 1 127.0.0.1"}
    assert inv.async_jid.startswith("j") and inv.async_jid[1:].isdigit()
    assert inv.async_timeout == 45
    assert decoded.actions == ["async_wrapper.ps1", "async_watchdog.ps1", "module_wrapper.ps1"]
    assert "AsyncDir" in decoded.wrapper_params["async_wrapper.ps1"]


def test_win_copy_query_and_single(version: str) -> None:
    query = _load(version, "win_copy_query").invocation
    assert query.module_name == "ansible.windows.win_copy" and query.args["_copy_mode"] == "query"
    assert query.args["files"][0]["dest"] == "fixture.txt"
    single = _load(version, "win_copy_single").invocation
    assert single.args["_copy_mode"] == "single"
    assert single.args["dest"] == "C:\\Users\\administrator\\fixture.txt"
    assert single.args["src"].endswith("\\source")


def test_put_file(version: str) -> None:
    inv = _load(version, "put_file").invocation
    assert inv.kind == "put_file"
    assert inv.params["Path"].endswith("\\source")
    assert inv.input_data == b"fixture file\r\n"


def test_mkdtemp_expand_user_and_fetch(version: str) -> None:
    mkdtemp = _load(version, "mkdtemp").invocation
    assert mkdtemp.kind == "mkdtemp" and mkdtemp.params["Directory"] == "%TEMP%"
    assert mkdtemp.params["Name"].startswith("ansible-tmp-")
    assert mkdtemp.core_version == version
    expand = _load(version, "expand_user").invocation
    assert (expand.kind, expand.params) == ("expand_user", {"Path": "~\\fixture.txt"})
    fetch = _load(version, "fetch_file").invocation
    assert fetch.kind == "fetch_file"
    assert fetch.params == {"Path": "C:\\Users\\administrator\\fixture.txt", "BufferSize": 524288, "Offset": 0}


def test_win_stat_name_comes_from_the_script_not_the_legacy_alias(version: str) -> None:
    inv = _load(version, "win_stat").invocation
    assert inv.ansible_vars["_ansible_module_name"] == "ansible.legacy.stat"
    assert inv.module_name == "ansible.windows.win_stat"
    assert inv.args["get_checksum"] is True


def test_raw_and_cleanup(version: str) -> None:
    raw = _load(version, "raw")
    assert (raw.invocation.kind, raw.invocation.script, raw.invocation.core_version) == ("raw", "Get-Service MSExchangeIS", "")
    cleanup = _load(version, "cleanup").invocation
    assert cleanup.kind == "raw"
    # 2.19: "Remove-Item '<p>' -Force -Recurse;" (its StrictMode/exit-code framing stripped); 2.21: unquoted.
    expected_start = "Remove-Item 'C:\\Users" if version == "2.19" else "Remove-Item C:\\Users"
    assert cleanup.script.startswith(expected_start)
    assert "-Force -Recurse" in cleanup.script and "Set-StrictMode" not in cleanup.script


def test_command_line_layout_differs_by_version(version: str) -> None:
    command_line = load_recording(FIXTURES / version / "win_ping.json.gz")[0]
    if version == "2.19":
        assert command_line.startswith("PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ")
        assert len(command_line) == 4000
    else:
        assert command_line.startswith("powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ")
        assert _load(version, "win_ping").command.script.startswith("param([string]$InputFile)")


def test_2_21_with_powershell_shell_type_quotes_the_base64() -> None:
    command_line = load_recording(FIXTURES / "2.21" / "win_ping_shell_powershell.json.gz")[0]
    assert " -EncodedCommand '" in command_line
    assert _load("2.21", "win_ping_shell_powershell").invocation.module_name == "ansible.windows.win_ping"


def test_synthetic_2_22_compressed_manifest_with_argument_json() -> None:
    """2.22 (not installed here): base64(gzip(manifest)), DecompressInput, ArgumentJSON; built from a 2.21 capture."""
    command_line, stdin = load_recording(FIXTURES / "2.21" / "win_ping.json.gz")
    first, manifest_text = stdin.split(b"\n\0\0\0\0\n")
    bootstrap = json.loads(first)
    bootstrap["params"]["DecompressInput"] = True
    manifest = json.loads(manifest_text)
    module = manifest["actions"][-1]["params"]
    args = module.pop("Variables")[0]["Value"]
    module["ArgumentJSON"] = json.dumps(args)
    packed = base64.b64encode(gzip.compress(json.dumps(manifest).encode()))
    decoded = decode_details(command_line, json.dumps(bootstrap).encode() + b"\n\0\0\0\0\n" + packed)
    assert decoded.format == "2.22"
    assert decoded.invocation.module_name == "ansible.windows.win_ping"
    assert decoded.invocation.args == {"data": "fixture"}
    assert "ArgumentJSON" not in decoded.invocation.params


def test_fixtures_stay_small_and_hold_no_connection_password() -> None:
    paths = list(FIXTURES.rglob("*.json.gz"))
    assert sum(p.stat().st_size for p in paths) < 3_000_000
    for path in paths:
        assert b"Passw0rd!" not in gzip.decompress(path.read_bytes())
