"""rpi.exchange.server_restart's action in-process, with a connection that plays a server (issue 19): check mode sends
nothing; a server that never comes back fails on the whole timeout in win_reboot's words (which the report translates);
a listener the controller cannot reach directly turns the knock off instead of blocking the wait."""

from __future__ import annotations

import base64
import json
import types

from ansible_collections.rpi.exchange.plugins.action import server_restart
from ansible_collections.rpi.exchange.plugins.plugin_utils._server import restart
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.ansible_messages import Context, explain


class Server:
    """A connection to a server whose boot time changes `reboots_after` boot-time reads after the restart (never: None)."""

    # Port 9 on 127.0.0.1 refuses: the knock is turned off before the restart, and the waits go on without it.
    def __init__(self, reboots_after: int | None = 1, port: int = 9):
        self._shell = types.SimpleNamespace(tmpdir=None)
        self.options = {"remote_addr": "127.0.0.1", "port": port, "connection_timeout": 30}
        self.commands: list[str] = []
        self.boot, self.restarted, self.reads_after = "100", False, 0
        self.reboots_after = reboots_after

    def get_option(self, name):
        return self.options[name]

    def set_option(self, name, value):
        self.options[name] = value

    def close(self):
        pass

    def reset(self):
        pass

    def exec_command(self, command, in_data=None, sudoable=False):
        del in_data, sudoable
        script = base64.b64decode(command.rsplit(" ", 1)[1]).decode("utf-16-le").replace(restart.FAILURE_EXIT, "")
        self.commands.append(script)
        if script == restart.BOOT_TIME_COMMAND:
            if self.restarted:
                self.reads_after += 1
                if self.reboots_after is not None and self.reads_after > self.reboots_after:
                    self.boot = "200"
            return 0, self.boot.encode(), b""
        if "shutdown.exe /r" in script:
            self.restarted = True
            return 0, json.dumps({"stdout": "", "stderr": "", "rc": 0}).encode(), b""
        if script.startswith("Get-Item -LiteralPath"):
            token = script.rsplit("'", 2)[-2]
            return 0, f"key\r\n{token}".encode(), b""
        raise AssertionError(script)


def run(server: Server, check_mode: bool = False, **args) -> dict:
    task = types.SimpleNamespace(args={"poll_interval": 0.5, "pre_reboot_delay": 0, **args}, async_val=0,
                                 check_mode=check_mode, action="rpi.exchange.server_restart", no_log=False)
    action = server_restart.ActionModule(task, server, None, None, None, None)
    return action.run(task_vars={"inventory_hostname": "exch01"})


def test_check_mode_sends_nothing():
    server = Server()
    result = run(server, check_mode=True)
    assert result["changed"] is True and result["rebooted"] is False and server.commands == []


def test_the_restart_is_seen_at_the_first_new_boot_time_and_the_test_command_passes():
    server = Server(reboots_after=2)
    result = run(server, reboot_timeout=60)
    assert not result.get("failed") and result["rebooted"] and result["boot_time"] == "200"
    reads = [command for command in server.commands if command == restart.BOOT_TIME_COMMAND]
    assert len(reads) == 4  # before, then the old boot twice, then the new one
    assert server.commands[-1].startswith("Get-Item -LiteralPath") and result["back_after_seconds"] < 2
    assert server.options["connection_timeout"] == 30  # put back


def test_a_server_that_does_not_come_back_fails_on_the_whole_timeout_in_words_the_report_knows():
    server = Server(reboots_after=None)
    result = run(server, reboot_timeout=2)
    assert result["failed"] and result["msg"].startswith("Timed out waiting for last boot time check (timeout=2)")
    assert result["elapsed"] >= 2
    explained = explain(result["msg"], Context(activity=9, action="rpi.exchange.server_restart"))
    assert explained is not None and explained.known == "reboot_timeout" and explained.setting == "rpi_exchange_reboot_timeout"
