# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`rpi.exchange.setup_log_triage`: read an ExchangeSetup.log in a playbook.

The documentation is in setup_log_triage.yml next to this file. The filter only adapts
what a playbook has at hand (the log text, a `slurp` result, a list of lines) to the pure
`triage()` function, so that roles and ad-hoc playbooks read logs the same way.
"""

from __future__ import annotations

import base64
import binascii

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage


def _log_text(value: object) -> object:
    """The log as text or bytes from a string, a list of lines, or the result of ansible.builtin.slurp."""
    if isinstance(value, dict) and "content" in value:
        content = value.get("content") or ""
        if value.get("encoding") == "base64":
            try:
                return base64.b64decode(content)
            except (binascii.Error, TypeError, ValueError):
                return content
        return content
    if isinstance(value, (list, tuple)):
        return "\n".join(str(line) for line in value)
    return value


def setup_log_triage(log: object) -> dict:
    """Triage of an Exchange setup log: outcome, diagnosis, the error to read and advice (es/en)."""
    return triage(_log_text(log))


class FilterModule:
    """Ansible filter plugin entry point."""

    def filters(self) -> dict:
        return {"setup_log_triage": setup_log_triage}
