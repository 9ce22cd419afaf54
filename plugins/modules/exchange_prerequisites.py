# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_prerequisites
short_description: Install the Windows features and software an Exchange 2019/SE server needs, offline
version_added: 0.1.0
description:
  - Reads the server once with M(rpi.exchange.win_exchange_probe) and decides on the controller, against the collection's
    Exchange catalogue, what the target Exchange build needs for the role on this Windows Server release and installation
    type (Desktop Experience or Server Core), and what is missing.
  - Windows features are added with one M(ansible.windows.win_feature) call; .NET Framework, Visual C++ 2012 and 2013,
    UCMA 4.0 and IIS URL Rewrite 2.1 are installed with M(ansible.windows.win_package) from a folder on the server or a
    share (the server has no Internet access), with the catalogue's silent arguments and, where known, its product code.
  - .NET follows Microsoft's supportability matrix; 4.8.1 is never installed where the target build does not support it
    (Exchange 2019 CU13 and earlier anywhere; 2019 CU14, CU15 and SE on Windows Server 2019).
  - On Server Core, UCMA is installed from the C(UCMARedist) folder of the mounted Exchange media, as Microsoft requires.
  - Restarts the server only when needed (a restart pending before it starts, or an installer or feature that asks for one),
    at most once after installing, through the action plugin of M(rpi.exchange.server_restart), and waits for it.
  - Probes the server again at the end; the task fails if anything is still missing.
  - Refuses before changing anything (no restart either) when an option is wrong, the Exchange build does not support the
    operating system, an installed .NET is too new for the build, or an installer file is not where it should be. The
    message names the file, the folder and the option to correct.
  - This is an action plugin; it runs on the controller and calls Windows modules on the server.
options:
  exchange_version:
    description:
      - The Exchange build that will be installed, as the media's C(Setup.exe) reports it (RV(rpi.exchange.exchange_media#module:version)),
        for example V(15.2.1748.10) or V(15.2.2562.17).
      - It decides the .NET requirement and whether URL Rewrite is needed.
    type: str
    required: true
  role:
    description:
      - The Exchange role the server is for.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  source:
    description:
      - Folder on the server (C(C:\...)) or share (C(\\server\share\...)) holding the installers.
      - Required only when something has to be installed from it.
      - Over a share, the WinRM account must be able to read it (no double hop), for example with CredSSP or C(become).
    type: str
  installers:
    description:
      - File names of the installers, by key, when they differ from the defaults. A relative name is looked for in O(source);
        an absolute path is used as it is.
      - Keys and defaults are C(dotnet48) (V(ndp48-x86-x64-allos-enu.exe)), C(dotnet481) (V(NDP481-x86-x64-AllOS-ENU.exe)),
        C(vcredist2012) (V(vcredist_x64_2012.exe)), C(vcredist2013) (V(vcredist_x64_2013.exe)), C(ucma4)
        (V(UcmaRuntimeSetup.exe)) and C(urlrewrite21) (V(rewrite_amd64_en-US.msi)).
    type: dict
    default: {}
  media_path:
    description:
      - Where the Exchange media is mounted, for example V(E:\) or V(E) (RV(rpi.exchange.exchange_media#module:drive)).
      - Required on Server Core when UCMA is missing; its installer is the media's C(UCMARedist\Setup.exe).
    type: str
  dotnet:
    description:
      - V(recommended) installs the .NET Framework Microsoft recommends for the build and OS (4.8.1 for 2019 CU14 and later and
        SE on Windows Server 2022 and 2025, else 4.8) when the server has an older one.
      - V(minimum) installs .NET only when the server's release is below the minimum the build supports (4.8).
    type: str
    default: recommended
    choices: [recommended, minimum]
  reboot:
    description:
      - Restart the server when it is needed, and only then, and wait for it to come back.
      - With V(false) nothing is restarted; RV(reboot_required) says whether a restart is still due.
    type: bool
    default: true
  reboot_timeout:
    description:
      - Seconds to wait for the server to come back after each restart.
    type: int
    default: 1800
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Reads the server, checks every installer file and reports what would be installed and whether the server
      would restart; changes nothing.
notes:
  - The installers are run one by one in the catalogue's order (.NET, Visual C++ 2012, Visual C++ 2013, UCMA, URL Rewrite)
    after the features, and a restart they ask for is taken once, after the last one.
  - A second run on a prepared server installs nothing and reports no change.
seealso:
  - module: rpi.exchange.exchange_facts
  - module: rpi.exchange.exchange_media
  - module: ansible.windows.win_feature
  - module: ansible.windows.win_package
  - module: rpi.exchange.server_restart
  - name: Exchange Server 2019 and SE prerequisites
    description: Microsoft's list of Windows features and software per role.
    link: https://learn.microsoft.com/exchange/plan-and-deploy/prerequisites
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Activity 2, prepare the server for Exchange SE
  rpi.exchange.exchange_prerequisites:
    exchange_version: "{{ media.version }}"
    role: Mailbox
    source: \\rpi-fs01\instaladores\Exchange\Prerequisites
  register: prerequisites

- name: Server Core, UCMA from the mounted media
  rpi.exchange.exchange_prerequisites:
    exchange_version: 15.2.1748.10
    source: C:\RPI\Prerequisites
    media_path: "{{ media.drive }}"
    installers:
      dotnet48: ndp48-x86-x64-allos-enu.exe

- name: Show what would be installed, without changing anything
  rpi.exchange.exchange_prerequisites:
    exchange_version: 15.2.2562.17
    source: C:\RPI\Prerequisites
    language: en
  check_mode: true
"""

RETURN = r"""
installed:
  description:
    - What was installed (in check mode, what would be), features first. Each item has C(key), C(name) and C(type)
      (C(feature) or C(software)); software also has C(path), C(arguments), C(product_id), C(origin) and, after a real run,
      C(rc) and C(reboot_required).
  returned: always
  type: list
  elements: dict
  sample: [{"key": "Server-Media-Foundation", "name": "Server-Media-Foundation", "type": "feature"},
           {"key": "dotnet481", "name": ".NET Framework 4.8.1", "type": "software", "rc": 3010, "reboot_required": true}]
already_present:
  description: The features and software the server already had (C(key), C(name), C(type)).
  returned: always
  type: list
  elements: dict
missing_after:
  description: What is still missing after installing, from the final probe. Empty on success (the task fails otherwise).
  returned: always
  type: list
  elements: dict
reboots:
  description: How many times the server was restarted (in check mode, would be) and why, C(pending_before_start) or
    C(after_install).
  returned: always
  type: dict
  sample: {"count": 1, "reasons": ["after_install"]}
reboot_required:
  description: True when a restart is still due, for example with O(reboot=false).
  returned: always
  type: bool
plan:
  description: The decision, C(target) (Exchange build, label, OS, installation type, role), C(features), C(software),
    C(already_present), C(reboot_first), C(pending_reboot_sources) and C(dotnet) (release before, required and recommended
    versions, what will be installed).
  returned: always
  type: dict
dotnet_after:
  description: The .NET Framework C(release) and C(version) on the server at the end (from the final probe, or the first one
    when nothing had to be done).
  returned: when not in check mode and not refused
  type: dict
problems:
  description: Why the module refused before changing anything; each with C(option), C(code), C(message_es), C(message_en).
  returned: on refusal
  type: list
  elements: dict
rpi_report:
  description:
    - Evidence for the run report, C({evidence:[{kind, level, summary_es, summary_en, details}]}) with kinds C(check)
      (already present, final state, refusal), C(plan) (check mode), C(change) (each installation) and C(reboot).
  returned: always
  type: dict
"""
