# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: server_readiness
short_description: Check the server against Microsoft's minimums and the RPI's thresholds (activity 2)
version_added: 0.1.0
description:
  - Activity 2 of manual ME-VAR-RPI-MNP-15 prepares the virtual server with the hardware prerequisites.
  - Checks, from the facts of M(rpi.exchange.exchange_facts) and the collection's Exchange catalogue, that the operating
    system and edition support the Exchange build on the media, that a Mailbox server is domain-joined and is not a
    domain controller, the CPU cores and memory against the RPI's thresholds (and Microsoft's recommended memory, as a
    warning), the page file (warning), the free space and file system of the install and system drives, and a static IP.
  - Fails, listing every blocking problem in Spanish (or English), before anything changes; warnings are shown and
    recorded in the report.
  - Runs on the controller; it does not contact the target.
options:
  media_version:
    description:
      - The Exchange build of the media's Setup.exe (from M(rpi.exchange.exchange_media)).
    type: str
    required: true
  role:
    description:
      - The Exchange role to install.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  target_dir:
    description:
      - The install folder (activity 5); its drive is the one whose free space is checked. Default the system drive.
    type: str
  thresholds:
    description:
      - The RPI's own minimums (inventory C(rpi_exchange_thresholds)).
    type: dict
    default: {}
    suboptions:
      min_cores:
        description: Minimum CPU cores.
        type: int
        default: 4
      min_memory_gb:
        description: Minimum memory in GB.
        type: int
        default: 16
      require_static_ip:
        description: Whether a DHCP address blocks the installation.
        type: bool
        default: true
      warn_below_recommended_memory:
        description: Whether to warn below Microsoft's recommended memory for the role (128 GB for Mailbox).
        type: bool
        default: true
  server_facts:
    description:
      - The server facts from M(rpi.exchange.exchange_facts); defaults to the C(rpi_exchange) fact.
    type: dict
  variable_names:
    description:
      - Maps an option name (C(media_version), C(target_dir), C(thresholds)) to the inventory variable that feeds it (for
        example C(target_dir) to C(rpi_exchange_target_dir)). A failed check that variable can fix (the operating system the
        media does not support, the install drive missing, too small or not NTFS) then names it and says how to fix it.
      - A failed RPI minimum (cores, memory) always names the threshold that set it, for example
        C(rpi_exchange_thresholds.min_memory_gb) with C(thresholds) mapped to C(rpi_exchange_thresholds), else the option
        C(thresholds.min_memory_gb); a failed Microsoft minimum (disk space, recommended memory) gives its source.
    type: dict
    default: {}
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
seealso:
  - module: rpi.exchange.exchange_facts
  - module: rpi.exchange.exchange_prerequisites
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Check the virtual server's hardware and platform
  rpi.exchange.server_readiness:
    media_version: "{{ media.version }}"
    target_dir: "{{ rpi_exchange_target_dir }}"
    thresholds: "{{ rpi_exchange_thresholds }}"
"""

RETURN = r"""
checks:
  description: Every check with C(name), C(ok), C(blocking), C(expected), C(actual), C(message_es), C(message_en).
  returned: always
  type: list
  elements: dict
failed_checks:
  description: Names of the blocking checks that failed.
  returned: always
  type: list
  elements: str
rpi_report:
  description: Evidence for the run report (one item per check).
  returned: always
  type: dict
"""
