# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: instruction
short_description: Check the IT Head's instruction that a run must carry (activity 1)
version_added: 0.1.0
description:
  - Activity 1 of manual ME-VAR-RPI-MNP-15 is the IT Head (Encargado del Departamento de Tecnologías de la Información)
    instructing the technician to install, according to his planning.
  - This action checks that the run carries that instruction (who instructed, a memo or ticket reference, and the planned
    date or window) and fails, naming each missing or malformed field, when it does not; the procedure then changes nothing.
  - A run outside the planned window is allowed, but it is warned and written in the report.
  - Runs on the controller; it does not contact the target.
options:
  instruction:
    description:
      - The instruction, usually the variable C(rpi_exchange_instruction) given with C(-e @instruccion.yml).
      - Keys C(instructed_by) and C(reference) (text), and either C(planned_date) (C(YYYY-MM-DD), the whole day) or
        C(window_start) and C(window_end) (ISO 8601; without an offset they are Guatemala time, UTC-6); optional C(notes).
    type: raw
  technician:
    description:
      - Who runs the procedure (the Técnico de Operaciones y Seguridad Informática); recorded in the report.
      - Defaults to the login name of the user running Ansible on the controller.
    type: str
  now:
    description:
      - The moment to compare with the window (ISO 8601); defaults to the controller's current time. For tests.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
seealso:
  - module: rpi.exchange.rpi_server_guard
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Check the IT Head's instruction
  rpi.exchange.instruction:
    instruction: "{{ rpi_exchange_instruction | default(omit) }}"
    technician: "{{ rpi_exchange_technician | default(lookup('ansible.builtin.env', 'USER')) }}"

# instruccion.yml, given with -e @instruccion.yml:
# rpi_exchange_instruction:
#   instructed_by: "Ing. María López, Encargada de TI"
#   reference: "MEMO-DTI-2026-041"
#   window_start: "2026-11-27T18:00"
#   window_end: "2026-11-27T23:00"
"""

RETURN = r"""
instruction:
  description: The instruction as recorded in the report.
  returned: success
  type: dict
  sample: {"instructed_by": "Ing. María López, Encargada de TI", "reference": "MEMO-DTI-2026-041",
           "window_start": "2026-11-27T18:00:00-06:00", "window_end": "2026-11-27T23:00:00-06:00", "notes": ""}
technician:
  description: Who runs the procedure (O(technician), or the controller's login name).
  returned: success
  type: str
within_window:
  description: Whether the run started inside the planned window.
  returned: success
  type: bool
problems:
  description: What is wrong with the instruction, one message per field.
  returned: failure
  type: list
  elements: str
rpi_report:
  description: Evidence and run fields for the run report (rpi.exchange.procedure_report).
  returned: success
  type: dict
"""
