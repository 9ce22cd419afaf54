"""WS-Management SOAP faults, shaped as Windows sends them (HTTP 500 + s:Fault + WSManFault).

pywinrm reads `s:Code/s:Value`, `s:Code/s:Subcode/s:Value`, `s:Reason/s:Text` and the
`WSManFault@Code` attribute; 2150858793 becomes WinRMOperationTimeoutError, anything else a
WSManFaultError whose text the ansible winrm plugin shows to the user.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .soap import ACTION_FAULT, envelope

WSMANFAULT_NS = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"

CODE_OPERATION_TIMEOUT = 2150858793
CODE_SHELL_NOT_FOUND = 2150858843  # ERROR_WSMAN_UNEXPECTED_SELECTORS, what WinRS returns for a gone shell
CODE_INVALID_PARAMETER = 87  # ERROR_INVALID_PARAMETER
# An action this endpoint does not implement; a code in the WSMan range, not checked against real Windows.
CODE_ACTION_NOT_SUPPORTED = 2150858754


class WSManFault(Exception):
    """A fault to send back instead of a normal reply."""

    def __init__(self, code: int, subcode: str, reason: str, message: str, sender: bool = True) -> None:
        super().__init__(f"{subcode} ({code}): {message}")
        self.code = code
        self.subcode = subcode
        self.reason = reason
        self.message = message
        self.sender = sender

    def to_xml(self, relates_to: str, machine: str = "127.0.0.1") -> bytes:
        side = "s:Sender" if self.sender else "s:Receiver"
        body = (
            "<s:Fault>"
            f"<s:Code><s:Value>{side}</s:Value><s:Subcode><s:Value>{escape(self.subcode)}</s:Value></s:Subcode></s:Code>"
            f'<s:Reason><s:Text xml:lang="en-US">{escape(self.reason)}</s:Text></s:Reason>'
            "<s:Detail>"
            f'<f:WSManFault xmlns:f="{WSMANFAULT_NS}" Code="{self.code}" Machine="{escape(machine)}">'
            f"<f:Message>{escape(self.message)}</f:Message>"
            "</f:WSManFault>"
            "</s:Detail>"
            "</s:Fault>"
        )
        return envelope(ACTION_FAULT, relates_to, body)


def shell_not_found(shell_id: str) -> WSManFault:
    return WSManFault(
        CODE_SHELL_NOT_FOUND,
        "w:InvalidSelectors",
        "The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ",
        f"The request for the Windows Remote Shell with ShellId {shell_id} failed because the shell was not found on the server. "
        "Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. "
        "Provide the correct ShellId or create a new shell and retry the operation. ",
    )


def operation_timeout() -> WSManFault:
    text = "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  "
    return WSManFault(CODE_OPERATION_TIMEOUT, "w:TimedOut", text, text, sender=False)


def invalid_command(command_id: str) -> WSManFault:
    return WSManFault(
        CODE_INVALID_PARAMETER,
        "w:InvalidParameter",
        "The parameter is incorrect. ",
        f"The WinRS command with CommandId {command_id} was not found in this shell. ",
    )


def bad_request(detail: str) -> WSManFault:
    return WSManFault(
        CODE_INVALID_PARAMETER,
        "w:InvalidParameter",
        "The WS-Management service cannot process the request because the request is invalid. ",
        detail,
    )


def action_not_supported(action: str) -> WSManFault:
    return WSManFault(
        CODE_ACTION_NOT_SUPPORTED,
        "a:ActionNotSupported",
        "The action is not supported by the service. ",
        f"The WS-Management service cannot process the request. The action {action!r} is not supported by this simulator. ",
    )
