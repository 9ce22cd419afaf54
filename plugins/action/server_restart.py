# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.server_restart (documentation in plugins/modules/server_restart.py).

Restarts the Windows server and waits for it with win_reboot's safety (boot-time comparison, LogonUI test command, each
wait on its whole timeout) but polling every second instead of win_reboot's fixed back-off (plugin_utils/_server/restart.py
says why and how). Raw commands through the connection, as win_reboot does: no module payload while the server is down.
"""

from __future__ import annotations

import socket
import time
import uuid

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.text.converters import to_text
from ansible.utils.display import Display

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._server import restart
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.progress import restart_lines

display = Display()
NAME = "rpi.exchange.server_restart"
KNOCK_SECONDS = 1.0  # a listener that neither accepts nor refuses in a second is not back yet

ARGUMENT_SPEC = {
    "reboot_timeout": {"type": "int", "default": 600},
    "msg": {"type": "str", "default": "Reboot initiated by rpi.exchange.server_restart"},
    "boot_time_command": {"type": "str", "default": restart.BOOT_TIME_COMMAND},
    "connect_timeout": {"type": "int", "default": 5},
    "pre_reboot_delay": {"type": "int", "default": 2},
    "post_reboot_delay": {"type": "int", "default": 0},
    "poll_interval": {"type": "float", "default": restart.DEFAULT_INTERVAL},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}


class _CommandFailed(Exception):
    pass


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    # ------------------------------------------------------------------------------- raw commands
    def _raw(self, command: str) -> tuple[int, str, str]:
        try:
            rc, stdout, stderr = self._connection.exec_command(restart.encoded(command), in_data=None, sudoable=False)
        except AnsibleConnectionFailure:
            raise
        except Exception as err:  # requests' errors: the listener is down or resets
            raise AnsibleConnectionFailure(f"Failed to connect to the host: {err}") from err
        return (rc or 0, to_text(stdout, errors="surrogate_or_strict").strip(),
                to_text(stderr, errors="surrogate_or_strict").strip())

    def _boot_time(self, command: str) -> str:
        rc, stdout, stderr = self._raw(command)
        if rc != 0 or not stdout:
            raise _CommandFailed(f"{NAME}: failed to get host boot time info - rc: {rc}, stdout: {stdout}, stderr: {stderr}")
        return stdout

    def _listener(self) -> tuple[str, int] | None:
        """The WinRM listener's address and port, from the connection's options (None when they are not there)."""
        try:
            host, port = self._connection.get_option("remote_addr"), self._connection.get_option("port")
            if host and not port:
                port = 5985 if str(self._connection.get_option("scheme") or "https") == "http" else 5986
        except (KeyError, TypeError, ValueError):
            return None
        return (str(host), int(port)) if host and port else None

    def _knockable(self) -> tuple[str, int] | None:
        """The listener, when this controller reaches it directly now, while WinRM answers (not through a proxy or a
        tunnel the connection uses): otherwise the waits do without the knock rather than wait on it forever."""
        listener = self._listener()
        try:
            self._knock(listener)
        except OSError as err:
            display.vvv(f"{NAME}: the listener {listener} cannot be reached directly ({err}); no knock before each try")
            return None
        return listener

    def _knock(self, listener: tuple[str, int] | None) -> None:
        """A cheap look at the listener before a WS-Man session: refused or silent means not back yet."""
        if listener is None:
            return
        with socket.create_connection(listener, timeout=KNOCK_SECONDS):
            pass

    def _set_connection_timeout(self, seconds: int | None) -> None:
        try:
            if seconds is not None and self._connection.get_option("connection_timeout") != seconds:
                self._connection.set_option("connection_timeout", seconds)
        except KeyError:
            pass

    def _send_restart(self, message: str, delay: int) -> None:
        script = restart.shutdown_script(message, delay)
        for first in (True, False):
            try:
                rc, stdout, stderr = restart.shutdown_outcome(*self._raw(script))
            except AnsibleConnectionFailure as err:
                display.vvvv(f"{NAME}: the connection closed as the server went down: {err}")
                return
            if first and restart.already_scheduled(rc, stderr):
                display.warning("A scheduled reboot was pre-empted by Ansible.")
                self._raw(restart.ABORT_COMMAND)
                continue
            if rc != 0:
                raise _CommandFailed(f"{NAME}: Reboot command failed - rc: {rc}, stdout: {stdout}, stderr: {stderr}")
            return

    # ------------------------------------------------------------------------------- the run
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result.update(changed=False, rebooted=False, elapsed=0, unreachable=False)
        if self._task.check_mode:
            # Nothing is read: the restart is what would happen, and a read here would report nothing more.
            result.update(changed=True, msg={"es": "Reiniciaría el servidor (modo de comprobación).",
                                             "en": "Would restart the server (check mode)."}[args["language"]])
            return result

        interval = max(0.5, float(args["poll_interval"]))
        timeout = args["reboot_timeout"]
        started_line, ended_line = restart_lines(args["language"], timeout, host=task_vars.get("inventory_hostname"))
        try:
            original_timeout = self._connection.get_option("connection_timeout")
        except KeyError:
            original_timeout = None

        def fresh_connection(_err: Exception | None = None) -> None:
            # A shell from before the restart cannot run on the new boot: every try opens a new one.
            self._reset_connection()

        try:
            previous = self._first_boot_time(args["boot_time_command"], fresh_connection)
        except Exception as err:  # pylint: disable=broad-exception-caught
            result.update(failed=True, msg=str(err), unreachable=isinstance(err, AnsibleConnectionFailure))
            return result

        display.display(started_line)
        began = time.monotonic()
        listener = self._knockable()
        back = False
        try:
            self._send_restart(args["msg"], args["pre_reboot_delay"])
            result.update(changed=True, rebooted=True)
            if args["post_reboot_delay"]:
                time.sleep(args["post_reboot_delay"])
            self._set_connection_timeout(args["connect_timeout"])

            def new_boot() -> str:
                fresh_connection()
                self._knock(listener)
                now = self._boot_time(args["boot_time_command"])
                if now == previous:
                    raise _CommandFailed(f"{NAME}: the boot time has not changed yet ({now})")
                return now

            result["boot_time"] = restart.until_success(new_boot, timeout, "last boot time check", interval=interval)
            result["back_after_seconds"] = round(time.monotonic() - began, 3)
            self._set_connection_timeout(original_timeout)
            fresh_connection()
            token = f"success-{uuid.uuid4()}"

            def ready() -> None:
                rc, stdout, stderr = self._raw(restart.test_script(token))
                if rc != 0 or token not in stdout:
                    fresh_connection()
                    raise _CommandFailed(f"{NAME}: Test command failed - rc: {rc}, stdout: {stdout}, stderr: {stderr}")

            restart.until_success(ready, timeout, "post-reboot test command", interval=interval)
            result["ready_after_seconds"] = round(time.monotonic() - began, 3)
            back = True
        except Exception as err:  # pylint: disable=broad-exception-caught
            result.update(failed=True, msg=str(err))
        finally:
            self._set_connection_timeout(original_timeout)
        elapsed = time.monotonic() - began
        result["elapsed"] = int(elapsed)
        display.display(ended_line(back, elapsed))
        return result

    def _first_boot_time(self, command: str, fresh_connection) -> str:
        """The boot time before the restart: up to three tries, as win_reboot (a task that needed the restart may have
        left WS-Man unsettled)."""
        last: Exception | None = None
        for _try in range(restart.BOOT_TIME_TRIES):
            try:
                return self._boot_time(command)
            except Exception as err:  # pylint: disable=broad-exception-caught
                last = err
                fresh_connection()
        if last is None:  # every attempt either returned or failed: there is always a last error here
            raise AssertionError("no boot time read and no error recorded")
        raise last
