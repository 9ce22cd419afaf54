# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_setup_options
short_description: Validate the Exchange role, install location and custom setup options
version_added: 0.3.0
description:
  - Activities 5 and 7 of manual ME-VAR-RPI-MNP-15 (the wizard's location screen and its custom install screen),
    unattended. Each choice becomes a C(Setup.exe) switch; this action checks all of them before setup starts and returns
    the switches in command-line order.
  - Checks every choice against the collection's Exchange catalogue (which switches are valid with which mode and role,
    from which build; the rules for organisation names, paths, database names and domain controllers) and against the
    server's facts from M(rpi.exchange.exchange_facts) (the install folder on a fixed local NTFS volume that exists, not
    a drive root nor a network path, with at least the catalogue's free space, 30 GB; database and log folders on fixed
    local NTFS or ReFS volumes).
  - Collects every problem, not only the first, and fails with a message (Spanish unless O(language=en)) that names each
    option, by its inventory variable when O(variable_names) says which, and how to fix it.
  - With O(mode=upgrade) and O(mode=recoverserver), install-time options that C(Setup.exe) does not take in that mode
    (for example the database or the organisation name, and O(target_dir) on an upgrade) are not passed and are listed in
    RV(ignored) instead of failing, so one inventory serves the first install and every later update.
  - Runs on the controller only; it does not contact the target host. It changes nothing (RV(ignore:changed) is always
    false) and validates the same way in check mode.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
options:
  role:
    description:
      - The Exchange role (C(/Roles)). Setup's short names (C(mb), C(et), C(mt)) are accepted too.
      - Passed only with O(mode=install); with O(mode=upgrade) it must be the role installed on the server.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  mode:
    description:
      - The setup mode the plan decided (the decision's C(setup_mode); a resumed run is C(install) or C(upgrade)).
    type: str
    default: install
    choices: [install, upgrade, recoverserver]
  media_version:
    description:
      - The build of the installation media's C(Setup.exe), for example C(15.2.1748.10); switches that need a later build
        (the Extended Protection ones need Exchange 2019 CU14) are refused on older media.
    type: str
    required: true
  target_dir:
    description:
      - Activity 5, the install folder (C(/TargetDir)). Setup's default is C(%ProgramFiles%\Microsoft\Exchange Server\V15).
      - Must be a folder (not a drive root) on a fixed local NTFS volume of the server with at least 30 GB free; a trailing
        backslash is removed.
      - Used with O(mode=install) and O(mode=recoverserver) (re-specify it when recovering a server that had a custom
        folder); ignored with O(mode=upgrade).
    type: str
  organization_name:
    description:
      - The Exchange organisation name (C(/OrganizationName)), only for the first server of the organisation (see
        O(first_server)); 1 to 64 letters, digits, hyphens and spaces, without leading or trailing spaces. It can't be
        changed later.
    type: str
  first_server:
    description:
      - Whether this is the first Exchange server of the organisation. O(organization_name) is refused unless true.
    type: bool
    default: false
  database:
    description:
      - The first mailbox database (Mailbox role, O(mode=install) only).
    type: dict
    suboptions:
      name:
        description: Database name (C(/MdbName)), without folder or C(.edb).
        type: str
      edb_path:
        description: Folder and C(.edb) file (C(/DbFilePath)) on a fixed local NTFS or ReFS volume.
        type: str
      log_path:
        description: Transaction log folder (C(/LogFolderPath)) on a fixed local NTFS or ReFS volume.
        type: str
  disable_am_filtering:
    description: Disable the anti-malware filter (C(/DisableAMFiltering); Mailbox role, O(mode=install) only).
    type: bool
    default: false
  do_not_start_transport:
    description: Do not start the Transport service when setup ends (C(/DoNotStartTransport)).
    type: bool
    default: false
  extended_protection:
    description:
      - V(enable) lets setup enable Extended Protection (no switch); V(skip) passes C(/DoNotEnableEP); V(skip_front_end_ews)
        passes C(/DoNotEnableEP_FEEWS) (Hybrid Agent). The switches need Exchange 2019 CU14 or later media.
    type: str
    default: enable
    choices: [enable, skip, skip_front_end_ews]
  domain_controller:
    description: The domain controller setup uses (C(/DomainController)); not valid for an Edge Transport install.
    type: str
  install_windows_components:
    description: Let setup add the Windows features it needs (C(/InstallWindowsComponents); O(mode=install) only).
    type: bool
    default: false
  enable_error_reporting:
    description: Send error reports to Microsoft (C(/EnableErrorReporting)).
    type: bool
    default: false
  updates_dir:
    description: Folder with updates setup installs with the product (C(/UpdatesDir)).
    type: str
  server_facts:
    description:
      - The server's facts as M(rpi.exchange.exchange_facts) returns them (RV(rpi.exchange.exchange_facts#module:exchange_facts)).
      - Defaults to the C(rpi_exchange) fact that module sets.
    type: dict
  variable_names:
    description:
      - Maps an option name to the inventory variable that feeds it (for example C(target_dir) to C(rpi_exchange_target_dir),
        or C(database) to C(rpi_exchange_database)), so that messages name the variable the technician edits.
    type: dict
    default: {}
seealso:
  - module: rpi.exchange.exchange_facts
  - module: rpi.exchange.exchange_license
  - name: Exchange Server unattended installs (switches)
    description: Microsoft's reference for the unattended Setup.exe switches and where each is valid.
    link: https://learn.microsoft.com/exchange/plan-and-deploy/deploy-new-installations/unattended-installs
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Activities 5 and 7, location, role and custom options
  rpi.exchange.exchange_setup_options:
    role: "{{ rpi_exchange_role | default('Mailbox') }}"
    mode: "{{ plan.setup_mode | lower }}"
    media_version: "{{ media.setup_version }}"
    target_dir: "{{ rpi_exchange_target_dir | default(omit) }}"
    database: "{{ rpi_exchange_database | default(omit) }}"
    extended_protection: "{{ rpi_exchange_extended_protection | default('enable') }}"
    variable_names:
      role: rpi_exchange_role
      target_dir: rpi_exchange_target_dir
      database: rpi_exchange_database
      extended_protection: rpi_exchange_extended_protection
  register: roles

- name: First server of a new organisation, explicit folder and database
  rpi.exchange.exchange_setup_options:
    role: Mailbox
    media_version: 15.2.2562.17
    first_server: true
    organization_name: RPI Guatemala
    target_dir: E:\Exchange Server\V15
    database:
      name: RPI-DB01
      edb_path: F:\Bases\RPI-DB01\RPI-DB01.edb
      log_path: G:\Registros\RPI-DB01
    do_not_start_transport: true
"""

RETURN = r"""
role:
  description: The canonical role name, or null when O(role) is not a role.
  returned: always
  type: str
  sample: Mailbox
mode:
  description: The canonical setup mode (C(Install), C(Upgrade), C(RecoverServer)), or null when O(mode) is invalid.
  returned: always
  type: str
  sample: Install
switches:
  description:
    - The switches these choices add to the C(Setup.exe) command line, rendered and in command-line order
      (C(/Roles) first with O(mode=install)). The licence switch and C(/Mode) come from the plan.
  returned: always
  type: list
  elements: str
  sample: ["/Roles:Mailbox", "/TargetDir:\"E:\\Exchange Server\\V15\"", "/MdbName:RPI-DB01", "/DoNotStartTransport"]
switch_values:
  description: The same option switches as C(name)/C(value) pairs (value null for a flag), without C(/Roles), for the setup plan.
  returned: always
  type: list
  elements: dict
options:
  description: The options as given, normalised (role and mode canonical, paths without trailing backslash).
  returned: always
  type: dict
ignored:
  description: Options not passed because setup does not take them in this mode (C(option), C(switch), C(reason_es), C(reason_en)).
  returned: always
  type: list
  elements: dict
problems:
  description: Every problem found (C(option), C(variable), C(code), C(message_es), C(message_en)); empty on success.
  returned: always
  type: list
  elements: dict
rpi_report:
  description:
    - Evidence for the run report, C({evidence:[{kind, summary_es, summary_en, level, details}]}) with C(kind=role_options)
      and C(level) C(ok) (accepted) or C(error) (refused).
    - C(details) holds the role, mode, switches, options, ignored options, problems, C(activities=[5, 7]) and C(status).
  returned: always
  type: dict
msg:
  description: The summary of the choice, or the failure message listing every problem.
  returned: always
  type: str
"""
