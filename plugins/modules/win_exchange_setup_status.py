# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_exchange_setup_status
short_description: Read how a running Exchange setup is doing, waiting on the server for its end
version_added: 0.2.0
description:
  - Returns the state of the scheduled task that runs Exchange setup (in the shape of
    M(community.windows.win_scheduled_task_stat)), the running setup processes, the Exchange setup registry keys
    (installed version, role keys with C(Watermark)/C(Action)), the pending-restart sources, whether C(WSMAN\UpdatedConfig)
    is present, the operating system's build, and part of C(ExchangeSetup.log).
  - With O(wait_seconds), waits on the server until the task has finished (it has run, is no longer running and no setup
    process is left) or is gone, checking every second, and answers then; otherwise after O(wait_seconds).
  - With O(setup_log_from), returns the complete lines written to the log from that byte offset on (the next call
    passes RV(setup_log.read_to)); without it, the last O(setup_log_max_bytes) bytes.
  - Read-only. It is the light call M(rpi.exchange.exchange_setup) repeats while setup runs, and uses no module util so
    that each call ships a small payload. It is internal to that action; use the action instead of calling this module.
  - Uses no CIM/WMI, because Exchange setup stops and disables the WMI service during a cumulative update; the task is
    read through the Task Scheduler's COM interface and the processes through C(Get-Process).
options:
  task_name:
    description:
      - Name of the scheduled task that runs setup.
    type: str
    default: rpi-exchange-setup
  task_folder:
    description:
      - Task Scheduler folder of the task, with its leading and trailing C(\).
    type: str
    default: \RPI\
  setup_path:
    description:
      - A file whose existence to report in RV(setup_path), for example C(Setup.exe) on the mounted media.
    type: path
  setup_log_path:
    description:
      - Path of the Exchange setup log. Setup writes it on the system drive, whichever letter that is.
    type: path
    default: '%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log'
  setup_process_folders:
    description:
      - Folders a process named C(Setup.exe) must run from to count as Exchange setup while waiting (the media's root,
        setup's temporary copy). A process named C(ExSetup*) always counts, and so does one whose path Windows does not
        tell. Every such process is returned in C(exchange.setup_processes) with its path; the controller decides.
    type: list
    elements: path
    default: ['%SystemRoot%\Temp\ExchangeSetup']
  setup_log_from:
    description:
      - Byte offset of the log to read from; V(-1) reads the end of the log instead.
      - When the log is shorter than the offset it was replaced, and it is read from its start (RV(setup_log.restarted)).
    type: int
    default: -1
  setup_log_max_bytes:
    description:
      - The most bytes of the log returned. When more were written since O(setup_log_from), the last ones are returned and
        RV(setup_log.skipped_bytes) says how many were left out.
    type: int
    default: 65536
  wait_seconds:
    description:
      - Seconds to wait on the server for the task to finish before answering; V(0) answers at once.
    type: float
    default: 0
notes:
  - Supports check mode; it never changes anything.
seealso:
  - module: rpi.exchange.exchange_setup
  - module: rpi.exchange.win_exchange_probe
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Wait up to 30 seconds for the setup task to finish, reading the log lines written since byte 1048576
  rpi.exchange.win_exchange_setup_status:
    setup_log_from: 1048576
    wait_seconds: 30
  register: setup_status
"""

RETURN = r"""
waited_seconds:
  description: How long the module waited on the server.
  returned: always
  type: float
  sample: 12.004
task:
  description:
    - The setup task, as M(community.windows.win_scheduled_task_stat) returns it with O(task_name) given (C(task_exists),
      C(state.status), C(state.last_task_result), C(state.last_run_time), C(actions), C(principal.user_id)).
  returned: always
  type: dict
  sample: {"task_exists": true, "state": {"status": "TASK_STATE_READY", "last_task_result": 0,
           "last_run_time": "2026-11-27T11:00:00"}, "actions": [{"Path": "E:\\Setup.exe", "Arguments": "/Mode:Upgrade"}],
           "principal": {"user_id": "RPI\\svc-exchange"}}
os:
  description: The operating system's build number and edition, from the C(CurrentVersion) registry key.
  returned: always
  type: dict
  sample: {"build": 20348, "edition_id": "ServerStandard", "installation_type": "Server",
           "product_name": "Windows Server 2022 Standard"}
pending_reboot:
  description: Each pending-restart source and whether it is set (as M(rpi.exchange.win_exchange_probe) reads them).
  returned: always
  type: dict
  sample: {"session_manager": false, "component_based_servicing": false, "windows_update": false, "update_exe_volatile": false}
exchange:
  description:
    - Exchange registry state as M(rpi.exchange.win_exchange_probe) reads it (C(setup_key), C(role_keys), C(uninstall_key),
      C(exsetup_file_version)) and every running process named C(ExSetup*) or C(Setup) (C(setup_processes), each with
      C(name), C(pid) and C(executable_path), null when Windows does not tell it). C(setup_key), C(uninstall_key) and
      C(exsetup_file_version) are null on a server without Exchange.
  returned: always
  type: dict
winrm:
  description: Whether C(WSMAN\UpdatedConfig) is present (without it setup restarts WinRM).
  returned: always
  type: dict
  sample: {"updated_config_present": true}
setup_log:
  description: The log's size and the part read.
  returned: always
  type: dict
  contains:
    path:
      description: The log's path (O(setup_log_path)).
      type: str
    exists:
      description: Whether the log exists.
      type: bool
    size_bytes:
      description: The log's size.
      type: int
    read_from:
      description: The byte offset C(tail) starts at.
      type: int
    read_to:
      description: The byte offset C(tail) ends at; the next call passes it as O(setup_log_from).
      type: int
    skipped_bytes:
      description: Bytes written after O(setup_log_from) but left out, because there were more than O(setup_log_max_bytes).
      type: int
    restarted:
      description: Whether the log was shorter than O(setup_log_from), so replaced, and read from its start.
      type: bool
    tail:
      description: The text read (UTF-8); with O(setup_log_from), complete lines only.
      type: str
  sample: {"path": "C:\\ExchangeSetupLogs\\ExchangeSetup.log", "exists": true, "size_bytes": 1048576, "read_from": 1040384,
           "read_to": 1048576, "skipped_bytes": 0, "restarted": false, "tail": "..."}
setup_path:
  description: Whether the file in O(setup_path) exists.
  returned: when O(setup_path) is given
  type: dict
  sample: {"path": "E:\\Setup.exe", "exists": true}
"""
