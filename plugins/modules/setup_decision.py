# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: setup_decision
short_description: Decide what Exchange setup must do on this server with this media
version_added: 0.1.0
description:
  - Decides, from the server's state (M(rpi.exchange.exchange_facts)) and the build of the media's Setup.exe, whether setup
    installs, upgrades (a cumulative update, or Exchange 2019 CU14/CU15 to Exchange SE), resumes an interrupted run,
    recovers a rebuilt server, or has nothing to do.
  - Refuses, before anything changes, a downgrade, an unsupported upgrade path, a build not supported on the server's
    Windows Server version, a setup already running, and an interrupted installation only the graphical setup can resume
    (norm 5.6 of the manual, the IT Head decides what the manual does not foresee).
  - Runs on the controller; it does not contact the target.
options:
  media_version:
    description:
      - The build of the media's Setup.exe (from M(rpi.exchange.exchange_media)).
    type: str
    required: true
  role:
    description:
      - The role the inventory asks for; checked against the role installed or interrupted on the server.
    type: str
  server_facts:
    description:
      - The server facts; defaults to the C(rpi_exchange) fact.
    type: dict
  server_object_in_ad:
    description:
      - Whether the server's object is known to exist in Active Directory (a rebuilt server is then recovered with
        C(/Mode:RecoverServer)); unset when not checked. Taken from O(server_object)'s C(exists) when unset.
    type: bool
  server_object:
    description:
      - This server's Exchange object as activity 2 read it in Active Directory (C(exists), C(install_path) =
        msExchInstallPath, C(version)). A recovery runs setup with C(/TargetDir) set to that install path, and a refusal
        says what was found.
    type: dict
    version_added: 0.4.0
  purpose:
    description:
      - The IT Head's instruction's C(purpose) (inventory C(rpi_exchange_instruction.purpose)). Only V(recover_server)
        authorises C(/Mode:RecoverServer) (norm 5.6); without it a server whose object AD keeps but which has no Exchange
        is refused, saying what was found. With it, a server that needs an install, an upgrade or a resumption instead
        is refused too.
    type: str
    default: ''
    version_added: 0.4.0
  variable_names:
    description:
      - Maps an option name (C(media_version), C(role)) to the inventory variable that feeds it (for example C(media_version)
        to C(rpi_exchange_media)). A refusal that variable can fix (a downgrade, media the server's Windows Server does not
        support, a role that is not the server's) then names it and says how to fix it.
    type: dict
    default: {}
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
seealso:
  - module: rpi.exchange.exchange_setup
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Decide the setup mode
  rpi.exchange.setup_decision:
    media_version: "{{ media.version }}"
    role: Mailbox
  register: decision
"""

RETURN = r"""
mode:
  description: One of C(install), C(upgrade), C(resume), C(recoverserver), C(nothing), C(refuse).
  returned: always
  type: str
runs_setup:
  description: Whether setup must run.
  returned: always
  type: bool
decision:
  description:
    - The full decision (C(reason), messages in Spanish and English, versions, C(setup_mode), resume details, sources).
    - For a recovery, C(target_dir) (AD's install path) and C(server_object) (what activity 2 read).
  returned: always
  type: dict
rpi_report:
  description: Evidence and target fields for the run report.
  returned: always
  type: dict
"""
