# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report callback's settings as the run's configuration gives them, read from a worker.

The report folder and whether the report is enabled are options of the callback
(RPI_EXCHANGE_REPORT_DIR or [rpi_exchange] report_dir, ...). Activity 1 reads them to explain why no
report is written, and the review (activity 12) to find the reports where the install wrote them,
never inside the installed collection. They are read through ansible-core's own configuration: the
callback class is loaded and asked for its options, exactly as ansible-playbook does for it.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.plugins.loader import callback_loader

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.report_guard import CALLBACK, ReportSettings
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import resolve_root


def read_settings() -> ReportSettings:
    enabled = C.config.get_config_value("CALLBACKS_ENABLED") or []
    if isinstance(enabled, str):
        enabled = enabled.split(",")
    config_file = getattr(C, "CONFIG_FILE", None)
    report_enabled, configured = True, None
    try:
        callback = callback_loader.get(CALLBACK)
        if callback is not None:
            callback.set_options()
            report_enabled = bool(callback.get_option("enabled"))
            configured = callback.get_option("report_dir")
    except Exception:  # pylint: disable=broad-except
        # Only an explanation or a default folder depends on it; the decision does not.
        pass
    return ReportSettings(tuple(str(name) for name in enabled), report_enabled, str(resolve_root(configured, config_file)),
                          config_file)


def configured_report_root() -> str:
    """The folder the report callback writes run folders to, under this configuration (relative: from ansible.cfg's folder)."""
    return read_settings().report_root
