"""Reads the WinRS command line: which PowerShell script (-EncodedCommand) it runs.

Forms seen on the wire:
  2.19: PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand <b64>
        (sent as rsp:Command 'PowerShell' + rsp:Arguments; joined with a space by the endpoint)
  2.21: powershell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand <b64>
        in rsp:Command alone; quoted '<b64>' when ansible_shell_type=powershell, and cmd-quoted
        (^"...^") arguments when the cmd shell had to escape something.
  ansible.windows win_reboot sends its own 'PowerShell ... -EncodedCommand <b64>' one-liners.
A command line without -EncodedCommand is a plain cmd.exe command (pywinrm run_cmd).
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .errors import PayloadError

# PowerShell accepts unambiguous prefixes of its parameters; these are the spellings in use.
_ENCODED_COMMAND = {"-encodedcommand", "-enc", "-ec", "-e", "/encodedcommand"}
_ENCODED_ARGUMENTS = {"-encodedarguments", "-ea", "-encodeda"}
_CLIXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass
class CommandLine:
    """A parsed command line."""

    raw: str
    executable: str = ""
    script: str | None = None  # the decoded -EncodedCommand text; None when not an encoded PowerShell command
    arguments: list[str] = field(default_factory=list)  # decoded -EncodedArguments (2.21 CLIXML), if any


def _unquote(token: str) -> str:
    """Strip cmd (^"..^", "..") and PowerShell ('..') quoting around one token."""
    if token.startswith('^"') and token.endswith('^"') and len(token) >= 4:
        token = token[2:-2]
    elif len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        token = token[1:-1]
    # cmd escapes metacharacters with ^ inside quotes; base64 never contains them.
    return token.replace("^", "")


def _b64_utf16(value: str, what: str) -> str:
    try:
        return base64.b64decode(value, validate=True).decode("utf-16-le")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise PayloadError(f"{what} is not base64 of UTF-16LE text: {exc}") from None


def _clixml_strings(clixml: str) -> list[str]:
    """The <S> strings of a CLIXML ArrayList, as -EncodedArguments carries them."""
    try:
        root = ET.fromstring(clixml)
    except ET.ParseError as exc:
        raise PayloadError(f"-EncodedArguments is not CLIXML: {exc}") from None
    values = []
    for node in root.iter():
        if node.tag.rsplit("}", 1)[-1] == "S":
            values.append(_CLIXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), node.text or ""))
    return values


def parse_command_line(command_line: str) -> CommandLine:
    tokens = command_line.split()
    parsed = CommandLine(raw=command_line, executable=_unquote(tokens[0]) if tokens else "")
    lowered = [_unquote(t).lower() for t in tokens]
    for index, token in enumerate(lowered):
        if index + 1 >= len(tokens):
            break
        if token in _ENCODED_COMMAND:
            parsed.script = _b64_utf16(_unquote(tokens[index + 1]), "-EncodedCommand")
        elif token in _ENCODED_ARGUMENTS:
            parsed.arguments = _clixml_strings(_b64_utf16(_unquote(tokens[index + 1]), "-EncodedArguments"))
    if parsed.script is None and any(t in _ENCODED_COMMAND for t in lowered):
        raise PayloadError("-EncodedCommand without a value")
    return parsed


def is_bootstrap_wrapper(script: str) -> bool:
    """ansible-core's bootstrap_wrapper.ps1 (2.19 and 2.21 forms): reads the exec_wrapper JSON from stdin."""
    return "ConvertFrom-Json" in script and "`0`0`0`0" in script
