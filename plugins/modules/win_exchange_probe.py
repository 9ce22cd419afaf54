# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_exchange_probe
short_description: Read, in one pass, the raw Windows and Exchange state of a server
version_added: 0.1.0
description:
  - Reads the operating system, domain membership, hardware, volumes, network, .NET release,
    the registry keys and uninstall entries the caller asks for, Windows features, pending-reboot sources,
    the Exchange registry state (installed version, role keys with C(Watermark)/C(Action)),
    running setup processes, WinRM gotchas and the tail of C(ExchangeSetup.log).
  - Read-only. It returns raw values; M(rpi.exchange.exchange_facts) interprets them against
    the Exchange catalogue. Use that action instead of calling this module directly.
options:
  feature_names:
    description:
      - Windows features whose installed state to report.
    type: list
    elements: str
    default: []
  registry_keys:
    description:
      - HKLM registry keys, written C(HKLM:\SOFTWARE\...), whose values to return, for example the detection keys of the prerequisites.
    type: list
    elements: str
    default: []
  uninstall_display_names:
    description:
      - Wildcard patterns (PowerShell C(-like)) of uninstall-entry display names to return.
    type: list
    elements: str
    default: []
  setup_log_path:
    description:
      - Path of the Exchange setup log. Setup writes it on the system drive, whichever letter that is.
    type: path
    default: '%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log'
  setup_log_tail_bytes:
    description:
      - How many bytes from the end of the setup log to return; V(0) returns none.
    type: int
    default: 0
  setup_task:
    description:
      - Path of the scheduled task M(rpi.exchange.exchange_setup) runs setup from (C(\RPI\rpi-exchange-setup)); when given,
        C(exchange.setup_task) reports whether it exists, its state and its last result. Empty reads no task.
    type: str
    default: ''
  service_names:
    description:
      - Services whose start type to return in RV(service_start_types), read from their registry keys (no WMI).
    type: list
    elements: str
    default: []
notes:
  - Supports check mode; it never changes anything.
  - Exchange setup stops and disables the WMI service during a cumulative update, and leaves it so when the update fails.
    What setup's state needs (registry, files, the setup task through the Task Scheduler's COM interface, processes
    through C(Get-Process), volumes through .NET) is read without WMI; the sections only CIM knows (RV(hardware),
    RV(page_files), RV(network), RV(features)) are null when WMI cannot answer, and RV(wmi) says why.
seealso:
  - module: rpi.exchange.exchange_facts
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read the server's raw state
  rpi.exchange.win_exchange_probe:
    feature_names:
      - Web-Server
      - Server-Media-Foundation
    setup_log_tail_bytes: 65536
  register: probe
"""

RETURN = r"""
wmi:
  description: Whether WMI answered (C(available)) and, when it did not, the first error (C(error)).
  returned: always
  type: dict
  sample: {"available": false, "error": "The service cannot be started, either because it is disabled ... 0x80070422"}
environment:
  description: Where Windows is on this server (C(system_drive), C(system_root), C(program_files)).
  returned: always
  type: dict
  sample: {"system_drive": "C:", "system_root": "C:\\Windows", "program_files": "C:\\Program Files"}
service_start_types:
  description: For each of O(service_names), C(Auto), C(Manual), C(Disabled), or null when there is no such service.
  returned: always
  type: dict
  sample: {"Winmgmt": "Disabled", "W3SVC": "Disabled"}
os:
  description:
    - Operating system (the CurrentVersion registry key, and Win32_OperatingSystem for the caption and boot time).
    - Without WMI, C(caption) is the registry's product name and C(last_boot_time) is null.
  returned: always
  type: dict
  sample: {"caption": "Microsoft Windows Server 2022 Standard", "version": "10.0.20348", "build": 20348,
           "edition_id": "ServerStandard", "installation_type": "Server", "product_name": "Windows Server 2022 Standard",
           "last_boot_time": "2026-11-27T10:00:00.0000000Z"}
computer:
  description: Host name, DNS suffix and domain membership; C(domain_role) 4 or 5 means a domain controller.
  returned: always
  type: dict
  sample: {"hostname": "RPI-EXCH01", "dns_hostname": "RPI-EXCH01", "primary_dns_suffix": "rpi.gob.gt",
           "domain": "rpi.gob.gt", "part_of_domain": true, "domain_role": 3}
hardware:
  description: Sockets, cores, logical processors and physical memory in bytes; null when WMI cannot answer.
  returned: always
  type: dict
  sample: {"sockets": 1, "cores": 8, "logical_processors": 8, "memory_bytes": 137438953472}
page_files:
  description: Configured page files (sizes in MB); empty when Windows manages the page file; null when WMI cannot answer.
  returned: always
  type: list
  elements: dict
page_file_automatic:
  description: Whether Windows manages the page file size automatically; null when WMI cannot answer.
  returned: always
  type: bool
volumes:
  description: Volumes with a drive letter, their file system, drive type, size and free bytes.
  returned: always
  type: list
  elements: dict
  sample: [{"drive_letter": "C", "label": "Sistema", "file_system": "NTFS", "drive_type": "Fixed",
            "size_bytes": 214748364800, "free_bytes": 161061273600}]
network:
  description: IP-enabled adapters with their IPv4 addresses and whether DHCP assigns them; null when WMI cannot answer.
  returned: always
  type: list
  elements: dict
registry:
  description: For each requested key, its values by name, or null when the key is absent.
  returned: always
  type: dict
  sample: {"HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full": {"Release": 533320}}
uninstall_entries:
  description:
    - Uninstall-key entries whose display name matches one of O(uninstall_display_names), from both registry views.
    - C(registry_view) is C(64) for the native key and C(32) for C(WOW6432Node), where 32-bit (x86) products register.
  returned: always
  type: list
  elements: dict
  sample: [{"key": "{...}", "registry_view": "64", "display_name": "Microsoft Visual C++ 2013 x64 Minimum Runtime", "display_version": "12.0.40664",
            "version": 201367256, "install_date": "20261127"}]
features:
  description: The installed state of each requested Windows feature; null when WMI cannot answer.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Web-Server", "installed": true}]
pending_reboot:
  description: Each pending-reboot source and whether it is set.
  returned: always
  type: dict
  sample: {"session_manager": false, "component_based_servicing": false, "windows_update": false, "update_exe_volatile": false}
exchange:
  description:
    - Exchange registry state. C(setup_key) holds C(MsiInstallPath) and the C(Msi*) version parts; C(role_keys) maps each
      role key to its values (C(ConfiguredVersion), C(UnpackedVersion), C(Action), C(Watermark)); C(uninstall_key) is the
      product's uninstall entry; C(setup_processes) lists every process named C(ExSetup*) or C(Setup) with its
      C(executable_path) (the controller decides which are Exchange setup); C(setup_task) is the state of the
      O(setup_task) scheduled task (C(exists), C(state), C(last_task_result), C(last_run_time)), null when not asked.
    - C(setup_key), C(uninstall_key) and C(exsetup_file_version) are null on a server without Exchange.
  returned: always
  type: dict
winrm:
  description: WinRM and policy settings that break unattended setup (C(UpdatedConfig), execution policy GPO, Remote Registry start mode).
  returned: always
  type: dict
setup_log:
  description: Whether the setup log exists, its size, and the requested tail.
  returned: always
  type: dict
  sample: {"path": "C:\\ExchangeSetupLogs\\ExchangeSetup.log", "exists": true, "size_bytes": 1048576, "tail": ""}
"""
