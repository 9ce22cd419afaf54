# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of the actions that work on the Windows server: one way to call a module, to run another action plugin
with this task's connection, to restart the server, and to drop a dead WinRM shell (the idea of microsoft.ad's
plugin_utils/_module_with_reboot.py: the plumbing once, the decisions in each action)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.boot_time import BOOT_TIME_COMMAND

REBOOT_ACTION = "rpi.exchange.server_restart"


class ServerAction(ActionBase):
    """ActionBase with the server calls the procedure's actions share."""

    def _module(self, name: str, args: Mapping[str, Any], task_vars: dict, check_mode: bool | None = None) -> dict:
        """One module on the server; its result without Ansible's `invocation` echo. `check_mode` overrides the task's
        for this one call (a read-only query, or the short mount that reading the media needs in check mode)."""
        saved = self._task.check_mode
        if check_mode is not None:
            self._task.check_mode = check_mode
        try:
            # _execute_module adds its own keys to the arguments: every call gets a fresh copy.
            result = self._execute_module(module_name=name, module_args=dict(args), task_vars=task_vars)
        finally:
            self._task.check_mode = saved
        result.pop("invocation", None)
        return result

    def _action(self, name: str, args: Mapping[str, Any], task_vars: dict) -> dict:
        """Another action plugin (win_copy from the controller, server_restart) with this task's connection."""
        task = self._task.copy()
        task.args = dict(args)
        action = self._shared_loader_obj.action_loader.get(
            name, task=task, connection=self._connection, play_context=self._play_context, loader=self._loader,
            templar=self._templar, shared_loader_obj=self._shared_loader_obj)
        return action.run(task_vars=task_vars)

    def _reboot(self, timeout: int, message: str, task_vars: dict) -> dict:
        """Restart through rpi.exchange.server_restart, which waits for the server to come back polling every second
        (issue 19; win_reboot's back-off saw it 8-12.6 s late) with win_reboot's safety; the boot time is read without
        WMI, which a failed cumulative update leaves disabled (_server/boot_time.py). That action says the wait on the
        console without -v, one line when it starts and one when it ends (issue 18)."""
        language = self._task.args.get("language") if self._task.args.get("language") in LANGUAGES else "es"
        return self._action(REBOOT_ACTION, {"reboot_timeout": timeout, "msg": message, "boot_time_command": BOOT_TIME_COMMAND,
                                            "language": language}, task_vars)

    def _reset_connection(self) -> None:
        """Drop the (possibly dead) WinRM shell; the next call opens a new one (as ansible.windows' reboot does)."""
        for method in ("close", "reset"):
            try:
                getattr(self._connection, method)()
            except Exception:  # pylint: disable=broad-exception-caught  # a dead connection fails in many ways
                pass
