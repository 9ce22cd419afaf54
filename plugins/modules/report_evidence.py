# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: report_evidence
short_description: Add evidence, run or target facts to the run report of manual ME-VAR-RPI-MNP-15
version_added: 0.1.0
description:
  - Adds one piece of evidence to the activity the task belongs to in the run report written by the
    P(rpi.exchange.procedure_report#callback) callback, and/or merges facts about the run (the Head of IT's instruction,
    the technician) and the target server (host, operating system, Exchange version before and after, mode) into it.
  - Runs on the controller only and makes no connection to the target. It returns the data under C(rpi_report), the
    evidence contract that any module or action may also follow to feed the report (see docs/report-schema.md).
  - Keys of O(details) whose names look secret (password, secret, key, token, product_key ...) are masked.
  - Does nothing but return data; the same in check mode.
options:
  kind:
    description:
      - What the evidence is.
      - V(instruction) the Head of IT's instruction; V(check) a condition verified; V(change) something changed; V(plan) what
        would change (check mode); V(command) a command line run; V(reboot) a restart; V(version) a version observed;
        V(verification) a post-install verification; V(triage) the diagnosis of a setup log; V(failure) a failure;
        V(notice) the notice to the Head of IT; V(validation) the Head of IT's validation; V(note) anything else.
      - Required with O(summary_es), O(summary_en) or O(details).
    type: str
    choices: [instruction, check, change, plan, command, reboot, version, verification, triage, failure, notice, validation, note]
  summary_es:
    description:
      - One line, in Spanish, that the Head of IT reads in the report.
      - One of O(summary_es) and O(summary_en) is required with O(kind); a missing one takes the other's text.
    type: str
  summary_en:
    description:
      - The same line in English.
    type: str
  level:
    description:
      - How the line is marked in the report.
    type: str
    default: info
    choices: [info, ok, warning, error]
  details:
    description:
      - Any data that supports the evidence, shown on demand. A C(command_line) key is shown as a command.
    type: dict
    default: {}
  run:
    description:
      - Facts about the run, merged into the report's C(run).
      - C(instruction) with C(who) (the Head of IT who instructed), C(reference) (his instruction's reference),
        C(planned_window) (C(start) and C(end)), C(given_at) and C(note).
      - C(technician), the name of the technician running the installation.
    type: dict
  target:
    description:
      - Facts about the target server, merged into the report's C(target).
      - C(host), C(fqdn), C(mode) (V(install), V(upgrade), V(resume) or V(nothing)), C(setup_version), C(os) (C(name),
        C(edition), C(version), C(build), C(installation_type), or one string), C(exchange_before) and C(exchange_after)
        (C(installed), C(version), C(label), or one version string).
    type: dict
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: all
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
notes:
  - A task with C(no_log) feeds nothing to the report, since its result is hidden, evidence included. Add evidence in a separate
    task.
  - Tasks outside the procedure's roles (pre_tasks, post_tasks) are not part of any activity; their evidence is dropped.
seealso:
  - module: rpi.exchange.report_validation
  - module: rpi.exchange.report_notice
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Record the Head of IT's instruction (activity 1)
  rpi.exchange.report_evidence:
    kind: instruction
    summary_es: "Instrucción {{ rpi_exchange_instruction.reference }} de {{ rpi_exchange_instruction.who }}"
    summary_en: "Instruction {{ rpi_exchange_instruction.reference }} from {{ rpi_exchange_instruction.who }}"
    run:
      instruction: "{{ rpi_exchange_instruction }}"

- name: Record the server before the installation (activity 2)
  rpi.exchange.report_evidence:
    target:
      host: "{{ inventory_hostname }}"
      os: "{{ server.exchange_facts.os }}"
      exchange_before:
        installed: "{{ server.exchange_facts.exchange.installed }}"
        version: "{{ server.exchange_facts.exchange.version }}"
        label: "{{ server.exchange_facts.exchange.label }}"

- name: Record the unattended setup command line (activity 8)
  rpi.exchange.report_evidence:
    kind: command
    summary_es: Línea de comando de la instalación desatendida
    summary_en: Unattended setup command line
    details:
      command_line: "{{ setup_plan.command_line }}"
"""

RETURN = r"""
rpi_report:
  description: The evidence contract's payload, which the procedure_report callback merges into the report.
  returned: always
  type: dict
  contains:
    evidence:
      description: The evidence items (C(kind), C(level), C(summary_es), C(summary_en), C(details)).
      type: list
      elements: dict
      returned: always
    run:
      description: Run facts to merge.
      type: dict
      returned: when O(run) is given
    target:
      description: Target facts to merge.
      type: dict
      returned: when O(target) is given
  sample: {"evidence": [{"kind": "command", "level": "info", "summary_es": "Línea de comando de la instalación desatendida",
           "summary_en": "Unattended setup command line", "details": {"command_line": "Setup.exe /Mode:Upgrade ..."}}]}
"""
