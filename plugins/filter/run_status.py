# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`rpi.exchange.run_status`: how the run stands, from the report the callback is writing.

The documentation is in run_status.yml next to this file. The rules are the report's own
(plugin_utils/report/document.py), so the summary a playbook publishes and the copy the notice
attaches say the same; no playbook keeps a Jinja copy of them.
"""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.document import provisional_status


def run_status(report: object, check_mode: bool = False) -> str:
    """The run's status as the report reads while the run goes on (the current activity counted as done)."""
    return provisional_status(report if isinstance(report, dict) else {}, check_mode=bool(check_mode))


class FilterModule:
    """Ansible filter plugin entry point."""

    def filters(self) -> dict:
        return {"run_status": run_status}
