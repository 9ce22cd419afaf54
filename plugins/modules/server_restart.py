# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: server_restart
short_description: Restart the Windows server and see it back within about a second, with win_reboot's safety
version_added: 0.4.0
description:
  - Restarts the server as M(ansible.windows.win_reboot) does (the same C(shutdown.exe /r) script, a shutdown already
    scheduled is aborted once and replaced) and waits for it with the same safety; the boot time is read before the restart
    and the server counts as back only when a new reading differs; then the LogonUI test command (the C(AutoLogonChecked)
    key LogonUI creates when the logon screen is up) must succeed. Each of the two waits uses the whole O(reboot_timeout),
    as win_reboot's do.
  - Unlike win_reboot, whose back-off (1, 2, 4, 8, then 12 s) is fixed and sees a server 8 to 12.6 s after it answers
    again, it tries every O(poll_interval) seconds, first knocking at the WinRM listener's TCP port (a refused or silent
    port costs a second, not a WS-Man session), then reading the boot time through a new shell (a shell of the old boot
    cannot run on the new one).
  - The boot time is read without WMI by default (the System log's Kernel-General event 12), because a failed cumulative
    update leaves WMI disabled.
  - Says the wait on the console without C(-v), one line when it starts and one when the server is back or the time ran out.
  - This is an action plugin; it runs on the controller and sends raw commands to the server (no module payload).
options:
  reboot_timeout:
    description:
      - Seconds each wait may take (for the new boot time, then for the test command).
    type: int
    default: 600
  msg:
    description:
      - Message shown to users logged on to the server before the restart.
    type: str
    default: Reboot initiated by rpi.exchange.server_restart
  boot_time_command:
    description:
      - PowerShell command whose output changes with each boot.
    type: str
    default: "(Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-Kernel-General';
      Id = 12 } -MaxEvents 1).TimeCreated.ToFileTime()"
  connect_timeout:
    description:
      - Seconds the connection waits for the server while it is coming back (the connection's own timeout is put back
        before the test command).
    type: int
    default: 5
  pre_reboot_delay:
    description:
      - Seconds C(shutdown.exe) waits before restarting.
    type: int
    default: 2
  post_reboot_delay:
    description:
      - Seconds to wait after sending the restart before the first look.
    type: int
    default: 0
  poll_interval:
    description:
      - Seconds between the starts of two tries (at least 0.5).
    type: float
    default: 1.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Reports the restart as a change (C(changed=true), C(rebooted=false)); nothing is sent to the server.
seealso:
  - module: ansible.windows.win_reboot
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Restart the server to bring up the newly installed services
  rpi.exchange.server_restart:
    reboot_timeout: 3600
    msg: "Reinicio posterior a la instalación de Microsoft Exchange (ME-VAR-RPI-MNP-15, actividad 9)"
"""

RETURN = r"""
rebooted:
  description: Whether the restart was sent.
  returned: always
  type: bool
  sample: true
elapsed:
  description: Whole seconds from the restart command to the end of the wait.
  returned: always
  type: int
  sample: 41
boot_time:
  description: The new boot time, as the boot-time command printed it.
  returned: when the server came back
  type: str
  sample: "134088096000000000"
back_after_seconds:
  description: Seconds from the restart command to the reading of the new boot time.
  returned: when the server came back
  type: float
  sample: 38.2
ready_after_seconds:
  description: Seconds from the restart command to the test command's success.
  returned: when the server is ready
  type: float
  sample: 40.9
msg:
  description: Why the restart or the wait failed (ansible.windows.win_reboot's words, which the report translates).
  returned: on failure, and in check mode
  type: str
  sample: "Timed out waiting for last boot time check (timeout=600): ..."
"""
