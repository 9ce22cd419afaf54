"""SOAP envelopes of WS-Management, as pywinrm and the ansible-core winrm plugin send them.

Parsing keeps only what the WinRS operations need; building writes replies shaped like the
ones Windows sends (prefixes s/a/w/rsp, RelatesTo on every reply) because clients find nodes
by local name and attribute rather than by a schema.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
}

ACTION_CREATE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"
ACTION_DELETE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete"
ACTION_COMMAND = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command"
ACTION_SEND = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send"
ACTION_RECEIVE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive"
ACTION_SIGNAL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal"
ACTION_FAULT = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"

SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
STATE_DONE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"
STATE_RUNNING = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

DEFAULT_MAX_ENVELOPE = 153600
DEFAULT_OPERATION_TIMEOUT = 60.0

_DURATION = re.compile(r"^PT(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?$")


class SoapParseError(ValueError):
    """The request body is not a WS-Man SOAP envelope we can read."""


@dataclass
class Request:
    """The parts of one WS-Man request that the endpoint acts on."""

    action: str
    message_id: str
    resource_uri: str = ""
    selectors: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    max_envelope_size: int = DEFAULT_MAX_ENVELOPE
    operation_timeout: float = DEFAULT_OPERATION_TIMEOUT
    body: ET.Element | None = None

    @property
    def shell_id(self) -> str:
        return self.selectors.get("ShellId", "")

    @property
    def short_action(self) -> str:
        """'Create', 'Command', ... for logs."""
        return self.action.rsplit("/", 1)[-1] if self.action else "?"


def parse_duration(text: str, default: float) -> float:
    """xs:duration as pywinrm writes it ('PT20S'); other shapes fall back to `default`."""
    match = _DURATION.match((text or "").strip())
    if not match or not any(match.groupdict().values()):
        return default
    hours, minutes, seconds = (float(match.group(k) or 0) for k in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def _text(parent: ET.Element, path: str) -> str:
    node = parent.find(path, NS)
    return (node.text or "").strip() if node is not None else ""


def parse_request(data: bytes) -> Request:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SoapParseError(f"malformed XML: {exc}") from None
    header = root.find("s:Header", NS)
    if root.tag != f"{{{NS['s']}}}Envelope" or header is None:
        raise SoapParseError("not a SOAP 1.2 envelope")
    selectors = {
        node.get("Name", ""): (node.text or "").strip()
        for node in header.findall("w:SelectorSet/w:Selector", NS)
    }
    options = {
        node.get("Name", ""): (node.text or "").strip()
        for node in header.findall("w:OptionSet/w:Option", NS)
    }
    try:
        max_env = int(_text(header, "w:MaxEnvelopeSize") or DEFAULT_MAX_ENVELOPE)
    except ValueError:
        max_env = DEFAULT_MAX_ENVELOPE
    return Request(
        action=_text(header, "a:Action"),
        message_id=_text(header, "a:MessageID"),
        resource_uri=_text(header, "w:ResourceURI"),
        selectors=selectors,
        options=options,
        max_envelope_size=max_env,
        operation_timeout=parse_duration(_text(header, "w:OperationTimeout"), DEFAULT_OPERATION_TIMEOUT),
        body=root.find("s:Body", NS),
    )


def new_guid() -> str:
    # Windows writes ShellId/CommandId as upper-case GUIDs.
    return str(uuid.uuid4()).upper()


def envelope(action: str, relates_to: str, body: str = "", extra_header: str = "") -> bytes:
    """A reply envelope; `body` and `extra_header` are already-serialised XML fragments."""
    namespaces = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NS.items())
    relates = f"<a:RelatesTo>{escape(relates_to)}</a:RelatesTo>" if relates_to else ""
    text = (
        f'<s:Envelope xml:lang="en-US" {namespaces}>'
        "<s:Header>"
        f"<a:Action>{escape(action)}</a:Action>"
        f"<a:MessageID>uuid:{new_guid()}</a:MessageID>"
        f"<a:To>{ANONYMOUS}</a:To>"
        f"{relates}{extra_header}"
        "</s:Header>"
        f"<s:Body>{body}</s:Body>"
        "</s:Envelope>"
    )
    return text.encode("utf-8")


def create_response(relates_to: str, endpoint: str, shell_id: str, owner: str, client_ip: str) -> bytes:
    body = (
        "<x:ResourceCreated>"
        f"<a:Address>{escape(endpoint)}</a:Address>"
        "<a:ReferenceParameters>"
        f"<w:ResourceURI>{SHELL_URI}</w:ResourceURI>"
        f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet>'
        "</a:ReferenceParameters>"
        "</x:ResourceCreated>"
        "<rsp:Shell>"
        f"<rsp:ShellId>{shell_id}</rsp:ShellId>"
        f"<rsp:ResourceUri>{SHELL_URI}</rsp:ResourceUri>"
        f"<rsp:Owner>{escape(owner)}</rsp:Owner>"
        f"<rsp:ClientIP>{escape(client_ip)}</rsp:ClientIP>"
        "<rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut>"
        "<rsp:InputStreams>stdin</rsp:InputStreams>"
        "<rsp:OutputStreams>stdout stderr</rsp:OutputStreams>"
        "<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime>"
        "<rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity>"
        "</rsp:Shell>"
    )
    return envelope(ACTION_CREATE + "Response", relates_to, body)


def command_response(relates_to: str, command_id: str) -> bytes:
    body = f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>"
    return envelope(ACTION_COMMAND + "Response", relates_to, body)


def send_response(relates_to: str) -> bytes:
    return envelope(ACTION_SEND + "Response", relates_to, "<rsp:SendResponse/>")


def signal_response(relates_to: str) -> bytes:
    return envelope(ACTION_SIGNAL + "Response", relates_to, "<rsp:SignalResponse/>")


def delete_response(relates_to: str) -> bytes:
    return envelope(ACTION_DELETE + "Response", relates_to)


def receive_response(relates_to: str, command_id: str, streams: list[tuple[str, str, bool]], exit_code: int | None) -> bytes:
    """`streams` holds (name, base64 text, end) tuples; `exit_code` None means still Running."""
    cid = quoteattr(command_id)
    parts = ["<rsp:ReceiveResponse>"]
    for name, b64, end in streams:
        end_attr = ' End="true"' if end else ""
        parts.append(f'<rsp:Stream Name="{name}" CommandId={cid}{end_attr}>{b64}</rsp:Stream>')
    if exit_code is None:
        parts.append(f'<rsp:CommandState CommandId={cid} State="{STATE_RUNNING}"/>')
    else:
        parts.append(f'<rsp:CommandState CommandId={cid} State="{STATE_DONE}"><rsp:ExitCode>{exit_code}</rsp:ExitCode></rsp:CommandState>')
    parts.append("</rsp:ReceiveResponse>")
    return envelope(ACTION_RECEIVE + "Response", relates_to, "".join(parts))


# The fixed part of a Receive reply without stream payloads; used to size output chunks.
RECEIVE_OVERHEAD = len(receive_response("uuid:" + new_guid(), new_guid(), [("stdout", "", True), ("stderr", "", True)], 0)) + 512
