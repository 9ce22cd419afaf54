# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How every restart of the procedure tells that the server came back: without WMI.

ansible.windows.win_reboot compares a boot-time reading before and after the restart, and by default reads it with
`Get-CimInstance Win32_OperatingSystem` (its plugin_utils/_reboot.py). A cumulative update's setup disables WMI and a
failed one leaves it so (ExchangeDsc issue #496), and a disabled WMI fails that query with 0x80070422 (CSS-Exchange issue
#1034): the restart would fail before it starts. The System log's Kernel-General event 12 ("The operating system
started at system time ...") is written once per boot, and the Event Log service that serves it is not one setup
disables. win_reboot only compares the text before and after, so the event's time is as good as a boot time.

The roles pass the same text as `boot_time_command` (roles/start_installation and roles/await_installation defaults;
tests/unit/plugins/_server/test_boot_time.py keeps them equal to this constant).
"""

BOOT_TIME_COMMAND = ("(Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-Kernel-General'; "
                     "Id = 12 } -MaxEvents 1).TimeCreated.ToFileTime()")
