# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_facts
short_description: Read what an Exchange server is and has, in one WinRM round trip
version_added: 0.1.0
description:
  - Reads the target Windows server with one call of M(rpi.exchange.win_exchange_probe) and interprets the answer on the
    controller against the collection's Exchange catalogue.
  - Returns the operating system (version, build, edition, Server Core or Desktop Experience), domain membership and
    whether the server is a domain controller, CPU cores, memory, page file, free space per volume, whether the IP
    address is static, the .NET Framework release, Visual C++ 2012/2013, UCMA 4.0 and IIS URL Rewrite presence, the
    Windows features Exchange needs, every pending-reboot source, the installed Exchange (version, 2019 or SE, roles,
    install path), an interrupted setup (C(Watermark)/C(Action) per role key), a running setup process, WinRM and
    policy settings that break unattended setup, and the triage of the last run in C(ExchangeSetup.log).
  - Read-only; the same in check mode.
  - This is an action plugin; it runs on the controller and calls the Windows module.
options:
  role:
    description:
      - The Exchange role the server is meant for; it decides which Windows features are reported.
      - A value that is not one role is refused before the server is read, saying the real problem (see RV(role_problem))
        - no role, a word that is no Exchange role, two roles that can't share a server (C(Mailbox) with
        C(EdgeTransport), as a list or as setup's C(Mailbox,EdgeTransport)), or a role with the management tools it
        already installs.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  setup_log_tail_bytes:
    description:
      - How much of the end of C(%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log) to read for the triage of its last run.
      - V(0) reads none.
    type: int
    default: 262144
  triage_setup_log:
    description:
      - Whether to triage the last setup run found in the log tail with P(rpi.exchange.setup_log_triage#filter).
    type: bool
    default: true
  report_as:
    description:
      - Whether this reading is the server's state V(before) or V(after) the installation in the run report; V(none) records
        only the server and its operating system.
    type: str
    default: none
    choices: [before, after, none]
  language:
    description:
      - Language of the messages of a refusal (an unknown O(role), a logon the server rejects).
    type: str
    default: es
    choices: [es, en]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  platform:
    platforms: windows
notes:
  - Sets the fact C(rpi_exchange) with the same content as RV(exchange_facts).
seealso:
  - module: rpi.exchange.win_exchange_probe
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read the Exchange server
  rpi.exchange.exchange_facts:
  register: server

- name: Refuse a domain controller
  ansible.builtin.assert:
    that: not server.exchange_facts.computer.is_domain_controller
    fail_msg: El servidor es un controlador de dominio; Exchange no debe instalarse en él.
"""

RETURN = r"""
role_problem:
  description:
    - Why O(role) was refused, when it was; the task then fails naming C(rpi_exchange_role).
    - C(role_missing), C(role_unknown), C(roles_incompatible) (C(Mailbox) with C(EdgeTransport)) or C(roles_redundant)
      (a role with C(ManagementTools), which it already installs).
  returned: when O(role) is refused
  type: str
credentials_rejected:
  description:
    - True when the server refused the WinRM logon. The task then fails (instead of the host being unreachable) with a
      message naming C(ansible_user) and C(ansible_password), since the fix is in the inventory or the vault.
  returned: when the logon is refused
  type: bool
exchange_facts:
  description: The interpreted state of the server.
  returned: always
  type: dict
  contains:
    os:
      description: Windows Server release (C(name), C(key) such as C(WS2022), C(build), C(version)), C(edition) and
        C(installation_type) (C(DesktopExperience) or C(ServerCore)), and C(last_boot_time).
      type: dict
      returned: always
    computer:
      description: C(hostname), C(fqdn), C(domain), C(domain_joined), C(primary_dns_suffix), C(is_domain_controller).
      type: dict
      returned: always
    hardware:
      description: C(cores), C(logical_processors), C(memory_mb), C(memory_gb).
      type: dict
      returned: always
    page_file:
      description: C(automatic), C(files), C(total_maximum_mb) and Microsoft's C(recommended_mb) (25 % of memory).
      type: dict
      returned: always
    volumes:
      description: Each lettered volume with C(drive), C(label), C(file_system), C(drive_type), C(size_gb), C(free_gb).
      type: list
      elements: dict
      returned: always
    network:
      description: C(adapters) and C(static_ip) (true when no adapter takes its address from DHCP).
      type: dict
      returned: always
    dotnet:
      description: The .NET Framework 4 C(release) DWORD and its C(version) (for example C(4.8.1)).
      type: dict
      returned: always
    prerequisites:
      description: For each prerequisite key (C(vcredist2012), C(vcredist2013), C(ucma4), C(urlrewrite21)), its C(name) and
        whether it is C(installed).
      type: dict
      returned: always
    features:
      description: The Exchange Windows features C(installed) and C(missing).
      type: dict
      returned: always
    pending_reboot:
      description: Whether a reboot is C(pending) and the C(sources) that say so (C(session_manager),
        C(component_based_servicing), C(windows_update), C(update_exe_volatile)).
      type: dict
      returned: always
    exchange:
      description: C(installed), C(present) (any trace of Exchange), C(version), C(product), C(label) (for example
        C(2019 CU15)), C(edition) (C(2019) or C(SE)), C(roles), C(install_path), C(interrupted) (role key to its
        C(action) and C(watermark)), C(setup_running) and C(setup_processes).
      type: dict
      returned: always
      sample: {"installed": true, "present": true, "version": "15.2.1748.10", "product": "Exchange Server 2019",
               "label": "2019 CU15", "edition": "2019", "roles": ["Mailbox"], "install_path": "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\",
               "interrupted": {}, "setup_running": false, "setup_processes": []}
    winrm:
      description:
        - C(issues) that break unattended setup, among C(wsman_updated_config_missing),
          C(execution_policy_gpo_defined), C(remote_registry_not_automatic).
        - C(updated_config_present) (C(WSMAN\\UpdatedConfig)) and C(listeners), the listeners WinRM's own configuration
          holds for every address by transport (C(HTTPS), C(HTTP)), each with C(port), C(hostname) and C(cert_thumbprint).
      type: dict
      returned: always
    policies:
      description: Windows policies that decide whether setup's scheduled task can be registered;
        C(disable_domain_creds) is true when "Network access - Do not allow storage of passwords and credentials for network
        authentication" is enabled (C(Lsa\\DisableDomainCreds)), null when it was not read.
      type: dict
      returned: always
    setup_log:
      description: C(path), C(exists), C(size_bytes), and C(last_run), the triage of the last setup run in the log tail.
      type: dict
      returned: always
rpi_report:
  description: The run report's target fields (server, operating system, and Exchange before or after per O(report_as)).
  returned: always
  type: dict
"""
