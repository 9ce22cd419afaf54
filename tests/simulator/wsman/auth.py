"""HTTP authentication of the endpoint: Basic only (pywinrm sends it pre-emptively).

A missing, malformed or rejected credential gets a 401 carrying the challenges Windows sends
when Basic is enabled; pywinrm turns that into InvalidCredentialsError ("the specified
credentials were rejected by the server"). The password is checked and then dropped.
"""

from __future__ import annotations

import base64
import binascii

from simulator.invocation import Backend, Session

CHALLENGES = ("Negotiate", 'Basic realm="WSMAN"')


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """(username, password) from 'Basic <b64>', or None."""
    if not header:
        return None
    scheme, dummy, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def authenticate(backend: Backend, header: str | None) -> tuple[Session | None, str]:
    """The session for an accepted credential, else None; plus the user name for the log."""
    credential = parse_basic(header)
    if credential is None:
        scheme = (header or "").strip().partition(" ")[0]
        return None, f"<{scheme or 'no'} auth>"
    username, password = credential
    if not backend.authenticate(username, password):
        return None, username
    return Session(username=username, auth="basic"), username
