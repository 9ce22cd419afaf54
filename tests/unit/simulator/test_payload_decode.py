"""Payload adapter edge cases: command-line forms, unknown formats (never silent), output helpers."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from simulator.invocation import Invocation
from simulator.payload import (
    PayloadError,
    decode,
    decode_details,
    expand_env_vars,
    expand_user_path,
    fetch_file_result,
    mkdtemp_path,
    module_name_from_script,
    module_result,
    put_file_result,
)
from simulator.payload.cmdline import parse_command_line

BOOTSTRAP = 'param([string]$InputFile)\n$x = foreach ($in in $input) { if ([string]::Equals($in, "`0`0`0`0")) { break } }\nConvertFrom-Json'
SEP = b"\n\0\0\0\0\n"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-16-le")).decode()


def _command(script: str = BOOTSTRAP) -> str:
    return f"powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand {_b64(script)}"


def _stdin(actions: list[dict], piped: bytes | None = None, **params: object) -> bytes:
    head = json.dumps({"name": "exec_wrapper", "script": "", "params": {"TempPath": None, **params}}).encode()
    manifest = json.dumps({"scripts": {}, "actions": actions, "signed_hashlist": []}).encode()
    data = head + SEP + manifest
    return data + SEP + piped if piped is not None else data


def _action(name: str, **params: object) -> dict:
    return {"name": name, "params": params, "secure_params": {}}


@pytest.mark.parametrize("quote", ["", "'", '"', '^"'])
def test_encoded_command_with_any_quoting(quote: str) -> None:
    closing = quote
    line = f"powershell -NoProfile -EncodedCommand {quote}{_b64('Get-Date')}{closing}"
    assert decode(line) == Invocation(kind="raw", script="Get-Date")


def test_cmd_shell_quoted_arguments_are_unquoted() -> None:
    line = f'"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ^"-EncodedCommand^" ^"{_b64("hostname")}^"'
    parsed = parse_command_line(line)
    assert parsed.executable.endswith("powershell.exe") and parsed.script == "hostname"


def test_encoded_arguments_clixml_is_decoded() -> None:
    clixml = ('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0">'
              '<TN RefId="0"><T>System.Collections.ArrayList</T></TN><LST><S>C:\\a b</S><S>x_x000A_y</S></LST></Obj></Objs>')
    line = f"powershell -EncodedCommand {_b64('$args')} -EncodedArguments {_b64(clixml)}"
    inv = decode(line)
    assert inv.params == {"EncodedArguments": ["C:\\a b", "x\ny"]}


def test_plain_cmd_command_is_raw_verbatim() -> None:
    assert decode("ipconfig /all") == Invocation(kind="raw", script="ipconfig /all")


def test_2_19_encode_script_framing_is_stripped_from_raw() -> None:
    script = ("Set-StrictMode -Version Latest\nRemove-Item 'C:\\t' -Force -Recurse;\n"
              "If (-not $?) { If (Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue) { exit $LASTEXITCODE } Else { exit 1 } }")
    assert decode(_command(script)).script == "Remove-Item 'C:\\t' -Force -Recurse;"


@pytest.mark.parametrize(
    ("command", "stdin", "message"),
    [
        (_command(), b"", "bootstrap wrapper without exec manifest"),
        (_command(), b"garbage", "does not start with the exec_wrapper JSON line"),
        (_command(), b"Set-StrictMode\r\n\0\0\0\0{\"module_entry\": \"x\"}", "2.18 payload"),
        (_command("Get-Date"), _stdin([_action("module_wrapper.ps1")]), "not ansible-core's bootstrap wrapper"),
        (_command(), _stdin([_action("psrp_put_file.ps1", Path="C:\\x")]), "unknown final action 'psrp_put_file.ps1'"),
        (_command(), _stdin([_action("evil_wrapper.ps1"), _action("module_wrapper.ps1")]), "unknown wrapper action"),
        (_command(), b'{"name": "exec_wrapper", "params": {}}' + SEP + b"{not json", "exec manifest is not valid JSON"),
        (_command(), b'{"name": "exec_wrapper", "params": {}}' + SEP + b"not json", "neither JSON nor base64(gzip(JSON))"),
        (_command(), b'{"name": "exec_wrapper", "params": {}}' + SEP + b'{"actions": []}', "no 'actions' list"),
        (_command(), b'{"name": "exec_wrapper", "params": {}}', "no manifest separator"),
        (_command(), _stdin([_action("winrm_put_file.ps1", Path="C:\\x")], b"!!notbase64!!\r\n"), "put_file input line is not base64"),
        ("powershell -EncodedCommand ###", b"", "-EncodedCommand is not base64"),
        ("powershell -EncodedCommand", b"", "-EncodedCommand without a value"),
    ],
)
def test_unknown_formats_raise_a_clear_error(command: str, stdin: bytes, message: str) -> None:
    with pytest.raises(PayloadError, match=re.escape(message)):
        decode(command, stdin)


def test_put_file_joins_piped_base64_lines() -> None:
    chunks = [b"a" * 10, b"\x00\xff" * 5, b""]
    piped = b"".join(base64.b64encode(c) + b"\r\n" for c in chunks)
    inv = decode(_command(), _stdin([_action("winrm_put_file.ps1", Path="C:\\f.bin")], piped))
    assert (inv.kind, inv.params, inv.input_data) == ("put_file", {"Path": "C:\\f.bin"}, b"a" * 10 + b"\x00\xff" * 5)


def test_script_action_of_ansible_builtin_script() -> None:
    body = base64.b64encode(b"& C:\\run.ps1; exit $LASTEXITCODE").decode()
    stdin = _stdin([_action("module_wrapper.ps1", Script="ansible.builtin.script.run.ps1", Environment={})])
    stdin = stdin.replace(b'"scripts": {}', b'"scripts": {"ansible.builtin.script.run.ps1": {"path": "run.ps1", "script": "' + body.encode() + b'"}}')
    inv = decode(_command(), stdin)
    assert (inv.kind, inv.module_name, inv.script) == ("module", "ansible.builtin.script", "& C:\\run.ps1; exit $LASTEXITCODE")


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("ansible_collections.ansible.windows.plugins.modules.win_ping.ps1", "ansible.windows.win_ping"),
        ("ansible_collections.rpi.exchange.plugins.modules.exchange_setup.ps1", "rpi.exchange.exchange_setup"),
        ("ansible_collections.community.windows.plugins.modules.win_lineinfile.cs", "community.windows.win_lineinfile"),
        ("ansible.modules.async_status.ps1", "ansible.builtin.async_status"),
        ("something_else.ps1", "something_else"),
    ],
)
def test_module_name_from_script(key: str, name: str) -> None:
    assert module_name_from_script(key) == name


def test_details_never_expose_secure_params() -> None:
    stdin = _stdin([
        {"name": "become_wrapper.ps1", "params": {"BecomeUser": "svc"}, "secure_params": {"BecomePassword": "Test-Only-1"}},
        _action("module_wrapper.ps1", Script="x.ps1", Variables=[{"Name": "complex_args", "Value": {"a": 1, "_ansible_check_mode": True}}]),
    ])
    decoded = decode_details(_command(), stdin)
    assert decoded.invocation.become_password == "Test-Only-1"
    assert decoded.invocation.check_mode is True and decoded.invocation.args == {"a": 1}
    assert "Test-Only-1" not in repr(decoded)


def test_output_helpers_match_what_ansible_checks() -> None:
    data = b"0123456789" * 100
    put = put_file_result(data)
    assert put.rc == 0 and json.loads(put.stdout) == {"sha1": hashlib.sha1(data).hexdigest()}
    fetch = Invocation(kind="fetch_file", params={"Path": "C:\\f", "BufferSize": 300, "Offset": 900})
    assert base64.b64decode(fetch_file_result(fetch, data).stdout) == data[900:]
    fetch.params["Offset"] = 1000
    assert fetch_file_result(fetch, data).stdout == b""
    assert fetch_file_result(fetch, None).rc == 1 and b"C:\\f does not exist" in fetch_file_result(fetch, None).stderr
    assert fetch_file_result(fetch, None, is_dir=True).stdout == b"[DIR]\r\n"
    assert module_result({"failed": True, "msg": "x"}).rc == 1 and module_result({"changed": False}).rc == 0
    mk = Invocation(kind="mkdtemp", params={"Directory": "%temp%\\", "Name": "ansible-tmp-1"})
    assert mkdtemp_path(mk, {"TEMP": "C:\\T"}) == "C:\\T\\ansible-tmp-1"
    assert expand_env_vars("%UNKNOWN%\\x", {}) == "%UNKNOWN%\\x"
    assert expand_user_path("~", "C:\\Users\\a") == "C:\\Users\\a"
    assert expand_user_path("~\\x\\y", "C:\\Users\\a") == "C:\\Users\\a\\x\\y"
    assert expand_user_path("D:\\z", "C:\\Users\\a") == "D:\\z"
