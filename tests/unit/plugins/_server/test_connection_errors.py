"""A rejected logon is explained, naming the inventory variables; a server that does not answer is not (connection_errors.py)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.connection_errors import credentials_rejected


@pytest.mark.parametrize("message", [
    "basic: the specified credentials were rejected by the server",
    "ntlm: HTTP 401 Unauthorized",
    "kerberos: kinit: Password incorrect while getting initial credentials",
])
def test_a_rejected_logon_names_the_variables(message):
    spanish, english = credentials_rejected(message)
    assert "ansible_user" in spanish and "ansible_password" in spanish and "No se cambió nada" in spanish
    assert message in spanish and message in english


@pytest.mark.parametrize("message", [
    "HTTPSConnectionPool(host='10.0.0.5', port=5986): Max retries exceeded (Connection refused)",
    "winrm connection error: timed out",
    "",
])
def test_a_server_that_does_not_answer_is_left_unreachable(message):
    assert credentials_rejected(message) is None
