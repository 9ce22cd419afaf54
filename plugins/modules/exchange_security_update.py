# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_security_update
short_description: Check and install an Exchange security or hotfix update (SU/HU) unattended, elevated and watched
version_added: 0.4.0
description:
  - Part of activity 9 of manual ME-VAR-RPI-MNP-15 (after setup's restart) and checked in activity 2 before any change.
  - With O(state=inspected), read-only, reads the package on the server (its SHA-256) and decides, from the KB number in its
    file name and the collection's build catalogue, which Exchange build it is for and the build it produces. Refuses, in
    Spanish unless O(language=en), naming C(rpi_exchange_security_update) and the fix - a package for another CU or version
    than the one the server will run (naming both builds), one older than the installed build, a SHA-256 that differs from
    the pinned one, a malformed value.
  - With O(state=installed), reads the installed build from C(ExSetup.exe); does nothing when it is the update's build
    already; otherwise restarts first when a restart is pending, runs the package's C(.exe) with C(/passive /norestart) as
    a scheduled task of the setup account with the highest privileges (Microsoft documents that an update installed
    without elevation breaks OWA and ECP), waits for it on the server, reads its exit code, its log and C(ExSetup.exe)'s
    version, and restarts the server. A failure is triaged (not elevated, services left disabled, a newer update present,
    a package for another build, an interim update) with advice.
  - The package is Microsoft's self-extracting, auto-elevating C(.exe) published for every SU/HU since May 2022
    (KB5011363).
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Reads the package and the server and reports the update it would install, without installing it.
options:
  security_update:
    description:
      - The inventory's C(rpi_exchange_security_update) - C(path) of the C(.exe) (with its KB number in the name) on the
        server or a share, and its C(sha256). Empty or omitted means no update.
    type: raw
  state:
    description:
      - V(inspected) checks and decides only; V(installed) installs when needed.
    type: str
    choices: [inspected, installed]
    default: installed
  installed_version:
    description:
      - With O(state=inspected), the build installed now (activity 1's reading); omitted when Exchange is not installed.
    type: str
  media_version:
    description:
      - With O(state=inspected), the build setup's media installs, when setup runs in this run.
    type: str
  run_as_user:
    description:
      - The account the update runs as (the setup account). Required with O(state=installed) when an update is installed.
    type: str
  run_as_password:
    description:
      - Its password (from ansible-vault). Only ever an argument of the scheduled task's registration.
    type: str
  log_path:
    description:
      - Where the update's log is read from. Microsoft says the C(.exe) logs its installation (KB5011363); the file's name
        and folder are not documented there.
    type: str
    default: '%SystemDrive%\ExchangeSetupLogs\SecurityUpdate.log'
  timeout:
    description:
      - Seconds to wait for the update. When they run out the update is left running and the task fails saying so.
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds each read waits on the server for the update to end.
    type: float
    default: 30
  reboot_timeout:
    description:
      - Seconds to wait for the server after each restart.
    type: int
    default: 3600
notes:
  - Needs C(community.windows) (scheduled task) and C(ansible.windows) (stat, service information, restart).
seealso:
  - module: rpi.exchange.exchange_setup
  - module: rpi.exchange.exchange_verify
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Check the security update before changing anything (activity 2)
  rpi.exchange.exchange_security_update:
    security_update: "{{ rpi_exchange_security_update }}"
    state: inspected
    installed_version: "{{ ansible_facts.rpi_exchange.exchange.version | default(omit) }}"
    media_version: "{{ prepare_server_media.version }}"

- name: Install the security update after setup's restart (activity 9)
  rpi.exchange.exchange_security_update:
    security_update:
      path: \\files.rpi.local\exchange\ExchangeSE-KB5121573-x64-en.exe
      sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
"""

RETURN = r"""
action:
  description: V(install), V(nothing) (the server is at the update's build), V(none) (no update given) or V(refuse).
  returned: always
  type: str
  sample: install
decision:
  description: The decision - the KB, the update's label, build and kind (SU/HU), the CU/SE build it is for, the installed build.
  returned: when an update is given
  type: dict
  sample: {"action": "install", "kb": "KB5121573", "update_label": "SE RTM Aug26SU", "update_version": "15.2.2562.46",
           "update_kind": "SU", "target_label": "SE RTM", "target_version": "15.2.2562.17", "installed_version": "15.2.2562.17"}
kb:
  description: The update's KB number.
  returned: with O(state=installed) and an update given
  type: str
  sample: KB5121573
version_before:
  description: ExSetup.exe's build before the update.
  returned: with O(state=installed) and an update given
  type: str
  sample: 15.2.2562.17
version_after:
  description: ExSetup.exe's build after the update.
  returned: when the update ran or was already installed
  type: str
  sample: 15.2.2562.46
exit_code:
  description: The update's exit code (Windows Installer's - 0, 3010 restart required, 1603 failure...).
  returned: when the update ran
  type: int
  sample: 0
outcome:
  description: The reading of the run - ok, the build reached, the failure's category, the services left disabled.
  returned: when the update ran
  type: dict
command_line:
  description: The package's command line.
  returned: in check mode when the update would be installed
  type: str
  sample: \\files.rpi.local\exchange\ExchangeSE-KB5121573-x64-en.exe /passive /norestart
rpi_report:
  description: Evidence for the procedure report.
  returned: always
  type: dict
"""
