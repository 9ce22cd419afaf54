# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_ad_prepare
short_description: Prepare Active Directory for Exchange with Setup.exe /PrepareSchema or /PrepareAD, detached and watched
version_added: 0.4.0
description:
  - Activity 8 of manual ME-VAR-RPI-MNP-15 when the RPI prepares Active Directory as its own step
    (C(rpi_exchange_ad_preparation=separate)), before the server's own setup, as Microsoft documents it ("Prepare Active
    Directory and domains for Exchange Server").
  - Runs what activity 2's Active Directory decision (O(ad_decision), M(rpi.exchange.ad_readiness)'s C(decision)) still
    needs, in Microsoft's order. C(Setup.exe <licence switch> /PrepareSchema) when C(prepares) has C(schema); then
    C(Setup.exe <licence switch> /PrepareAD) when it has C(organization) or C(domain) (/PrepareAD prepares the local
    domain too), with C(/OrganizationName) only when the organisation does not exist yet (the first server). When
    C(prepares) is empty (a re-run) nothing runs. Microsoft requires the licence switch for /Prepare* too; it comes from
    activity 6's acceptance record (O(license_record)) and from nowhere else.
  - Runs like M(rpi.exchange.exchange_setup) runs setup. A scheduled task as O(run_as_user), whose logon reaches Active
    Directory, started once. Then M(rpi.exchange.win_exchange_setup_status) is polled until the task ends, and this run's
    part of C(ExchangeSetup.log) is followed and triaged. The task is removed at the end (it holds the account's
    credential).
  - Fails, with setup's own message and the triage's advice, when the run did not succeed; the server's installation
    is then not started.
  - Check mode returns the command line and runs nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
options:
  ad_decision:
    description:
      - Activity 2's Active Directory decision (C(prepares), C(current), C(organization_name)).
    type: dict
    required: true
  setup_path:
    description:
      - The media's root folder or its C(Setup.exe) (for example C(E:\)), as M(rpi.exchange.exchange_media) mounted it.
    type: str
    required: true
  media_version:
    description:
      - The media's Exchange build (M(rpi.exchange.exchange_media)'s C(version)).
    type: str
    required: true
  license_record:
    description:
      - Activity 6's licence acceptance record (M(rpi.exchange.exchange_license)'s C(record)). Without it nothing runs.
    type: dict
  license_sha256:
    description:
      - The SHA-256 of the media's licence text, checked against the record's.
    type: str
  domain_controller:
    description:
      - C(/DomainController) (Microsoft advises the schema master for /PrepareSchema and /PrepareAD).
    type: str
  run_as_user:
    description:
      - The setup account (Schema Admins and Enterprise Admins for these steps).
    type: str
    required: true
  run_as_password:
    description:
      - Its password; only given to M(community.windows.win_scheduled_task), never on a command line or in a result.
    type: str
    required: true
  timeout:
    description:
      - Seconds to wait for the step to end; after it, the run fails and the task is left running.
    type: int
    default: 7200
  poll_interval:
    description:
      - Seconds each status call waits on the server.
    type: float
    default: 30.0
  setup_log_tail_bytes:
    description:
      - How much of this run's C(ExchangeSetup.log) is kept for the triage.
    type: int
    default: 1048576
notes:
  - Only the run's command line, exit code and triage are returned; the password never is.
seealso:
  - module: rpi.exchange.exchange_setup
  - module: rpi.exchange.ad_readiness
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Prepare Active Directory before the installation (schema, then organisation and domain)
  rpi.exchange.exchange_ad_prepare:
    ad_decision: "{{ ad.decision }}"
    setup_path: "{{ media.setup_path }}"
    media_version: "{{ media.version }}"
    license_record: "{{ licence.record }}"
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
"""

RETURN = r"""
steps:
  description:
    - One entry per step run, in order, each with C(step) (C(schema) or C(ad)), C(command_line), C(exit_code) and
      C(triage) (this run's ExchangeSetup.log read by the collection's triage). Empty when nothing was left to prepare.
  returned: always
  type: list
  elements: dict
  sample: [{"step": "schema", "command_line": "E:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /PrepareSchema",
            "exit_code": 0}]
rpi_report:
  description: Evidence for the run report (the plan and the run's outcome).
  returned: always
  type: dict
"""
