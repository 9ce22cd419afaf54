# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_license
short_description: Accept the Microsoft Exchange licence explicitly and record the acceptance
version_added: 0.1.0
description:
  - Activity 6 of manual ME-VAR-RPI-MNP-15 (the wizard's licence screen), unattended.
  - Refuses to go on unless O(accept=true) and an explicit O(diagnostic_data) choice are given; neither has a default.
    Without them the task fails with a message, in Spanish unless O(language=en), that names the option (or its inventory
    variable, see O(variable_names)) and says how to fix it.
  - Returns the licence switch that the media's C(Setup.exe) understands, chosen by the collection's Exchange catalogue
    from O(media_version) (C(/IAcceptExchangeServerLicenseTerms_DiagnosticDataON) or C(_DiagnosticDataOFF) from Exchange
    2019 CU11 on, C(/IAcceptExchangeServerLicenseTerms) before), and a record of who accepted which licence text, when.
  - The record is the only licence acceptance M(rpi.exchange.exchange_setup) takes; the switch is chosen here, once.
  - Runs on the controller only; it does not contact the target host, so it also works in a play that targets Windows
    hosts. It changes nothing (RV(ignore:changed) is always false) and behaves the same in check mode.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
options:
  accept:
    description:
      - Whether the RPI accepts the Microsoft Exchange licence terms found on the installation media.
      - Must be V(true); a missing or false value fails the task. There is deliberately no default.
    type: bool
    required: true
  diagnostic_data:
    description:
      - Whether Exchange setup sends diagnostic data to Microsoft (the C(_DiagnosticDataON) or C(_DiagnosticDataOFF) licence
        switch). There is deliberately no default.
      - Quote the value in YAML. An unquoted C(ON)/C(OFF) is read by YAML as a boolean; V(true) and V(false) are accepted
        as C(ON) and C(OFF).
      - Media older than Exchange 2019 CU11 has only the legacy licence switch; the choice is then recorded but not passed.
    type: raw
    required: true
    choices: ["ON", "OFF"]
  media_version:
    description:
      - The build of the installation media's C(Setup.exe), for example C(15.2.1748.10), as the media module reports it.
      - Must be an Exchange Server 2019 or Exchange Server SE build.
    type: str
    required: true
  license_sha256:
    description:
      - SHA-256 of the licence text found on the media, as the media module reports it; recorded so that the report says
        which text was accepted.
      - Optional; when given it must be 64 hexadecimal digits.
    type: str
  accepted_by:
    description:
      - Who accepts the licence on the RPI's behalf (the technician of activity 6), as one text with name and position; the
        role passes activity 1's C(technician_label), made from C(rpi_exchange_technician) (required since 0.4.0).
      - Defaults to the user running Ansible on the controller when the module is used on its own.
    type: str
  variable_names:
    description:
      - Maps an option name (C(accept), C(diagnostic_data), C(media_version), C(license_sha256), C(accepted_by)) to the
        inventory variable that feeds it, so that messages name the variable the technician edits.
    type: dict
    default: {}
notes:
  - Setup.exe has no product-key switch; the product key is entered after installing and never appears in this record.
seealso:
  - module: rpi.exchange.exchange_setup_options
  - name: Exchange Server unattended installs (licence switches)
    description: Microsoft's reference for the unattended Setup.exe switches.
    link: https://learn.microsoft.com/exchange/plan-and-deploy/deploy-new-installations/unattended-installs
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Activity 6, accept the Microsoft Exchange licence
  rpi.exchange.exchange_license:
    accept: "{{ rpi_exchange_license_accept | default(omit) }}"
    diagnostic_data: "{{ rpi_exchange_license_diagnostic_data | default(omit) }}"
    media_version: "{{ media.setup_version }}"
    license_sha256: "{{ media.license_sha256 | default(omit) }}"
    accepted_by: "{{ instruct_installation_result.technician_label }}"  # rpi_exchange_technician's name and position
    variable_names:
      accept: rpi_exchange_license_accept
      diagnostic_data: rpi_exchange_license_diagnostic_data
  register: license

- name: Show the switch that goes on the Setup.exe command line
  ansible.builtin.debug:
    msg: "{{ license.switch }}"
"""

RETURN = r"""
switch:
  description: The licence switch for the media build, with its leading slash.
  returned: success
  type: str
  sample: /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF
diagnostic_data:
  description: The diagnostic-data choice, C(ON) or C(OFF).
  returned: success
  type: str
  sample: "OFF"
record:
  description:
    - The acceptance record - what was accepted, by whom and when. Activity 8 takes it whole
      (M(rpi.exchange.exchange_setup)'s O(rpi.exchange.exchange_setup#module:license_record)) and puts its C(switch) on the
      command line; without it setup is refused.
  returned: success
  type: dict
  contains:
    accepted:
      description: Always V(true) (a refusal returns no record).
      type: bool
      returned: success
    accepted_by:
      description: Who accepted the licence.
      type: str
      returned: success
    accepted_at:
      description: When, in UTC, ISO 8601 (C(YYYY-MM-DDTHH:MM:SSZ)).
      type: str
      returned: success
    license_sha256:
      description: SHA-256 of the accepted licence text, or null when the media module reported none.
      type: str
      returned: success
    media_version:
      description: The media build the acceptance is for.
      type: str
      returned: success
    diagnostic_data:
      description: C(ON) or C(OFF).
      type: str
      returned: success
    switch:
      description: The licence switch.
      type: str
      returned: success
  sample: {"accepted": true, "accepted_by": "jperez", "accepted_at": "2026-11-27T15:04:05Z", "license_sha256": null,
           "media_version": "15.2.1748.10", "diagnostic_data": "OFF",
           "switch": "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"}
problems:
  description: Every reason the licence could not be accepted (C(option), C(variable), C(code), C(message_es), C(message_en)).
  returned: failure
  type: list
  elements: dict
rpi_report:
  description:
    - Evidence for the run report, C({evidence:[{kind, summary_es, summary_en, level, details}]}) with C(kind=license)
      and C(level) C(ok) (accepted) or C(error) (refused).
    - C(details) holds the record (or the problems), C(activity=6) and C(status) (C(accepted) or C(refused)).
  returned: always
  type: dict
msg:
  description: The acceptance summary, or the failure message listing every problem.
  returned: always
  type: str
"""
