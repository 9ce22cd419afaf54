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
  - The instruction authorises a change only inside its planned window (norms 5.2 and 5.6). A run that starts before
    C(window_start) or after C(window_end) fails here, before anything is sent to the server, saying when the window was
    and that the IT Head must issue a new instruction; the report records the refusal.
  - In check mode (C(--check)) a run outside the window is allowed, because it changes nothing; it is warned and the report
    says that a real run would be refused.
  - The controller's clock may differ from the IT Head's by 5 minutes (the default maximum clock skew of Kerberos); a run
    that starts up to 5 minutes before the window or after it counts as inside, and the report says so.
  - No run without its report (norm 5.2). The action first checks that the run report callback
    (P(rpi.exchange.procedure_report#callback)) writes this run's report, and fails before anything else otherwise, saying
    how to enable it (C(callbacks_enabled) in ansible.cfg, or a working folder made by the playbook
    C(rpi.exchange.new_workspace)).
  - Runs on the controller; it does not contact the target.
options:
  instruction:
    description:
      - The instruction, usually the variable C(rpi_exchange_instruction) given with C(-e @instruccion.yml).
      - Keys C(instructed_by) and C(reference) (text), and either C(planned_date) (C(YYYY-MM-DD), the whole day) or
        C(window_start) and C(window_end) (ISO 8601); optional C(notes).
      - Optional C(timezone), an IANA time zone name (for example C(America/Mexico_City)), is the zone of the dates and times
        written without a UTC offset. Without it they are Guatemala time (C(America/Guatemala), UTC-6 all year). A value
        with its own offset (C(2026-11-27T18:00-05:00), C(2026-11-28T00:00Z)) is taken as written.
      - Optional C(purpose) (version 0.4.0), V(recover_server) when the IT Head orders rebuilding a lost server with
        C(/Mode:RecoverServer) (norm 5.6); without it such a server is refused in activity 3. Another value is refused.
      - Optional C(retry_of) (version 0.4.0), the id of the failed run this instruction authorises to retry (its report's folder
        name). After a failure the report leaves to the IT Head, the next run on the server is refused without it (norm 5.6).
    type: raw
  technician:
    description:
      - Who runs the procedure (the Técnico de Operaciones y Seguridad Informática) as the manual names him, usually the
        variable C(rpi_exchange_technician); recorded in the report (norm 5.5).
      - A mapping with C(name) and C(position) (since 0.4.0; a plain text is refused with the mapping to write). Required;
        without it the run stops here, before anything is sent to the server.
      - The login of the user running Ansible on the controller is kept in the report as a technical detail only.
    type: raw
  now:
    description:
      - The moment to compare with the window (ISO 8601; without an offset, in the instruction's time zone); defaults to the
        controller's current time. For tests.
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
    technician: "{{ rpi_exchange_technician | default(omit) }}"

# instruccion.yml, given with -e @instruccion.yml:
# rpi_exchange_instruction:
#   instructed_by: "Ing. María López, Encargada de TI"
#   reference: "MEMO-DTI-2026-041"
#   window_start: "2026-11-27T18:00"
#   window_end: "2026-11-27T23:00"
#
# In the inventory (group_vars/rpi_exchange_servers/exchange.yml):
# rpi_exchange_technician:
#   name: "Ing. Juan Pérez"
#   position: "Técnico de Operaciones y Seguridad Informática"
"""

RETURN = r"""
instruction:
  description: The instruction as recorded in the report.
  returned: when the instruction is valid
  type: dict
  sample: {"instructed_by": "Ing. María López, Encargada de TI", "reference": "MEMO-DTI-2026-041",
           "window_start": "2026-11-27T18:00:00-06:00", "window_end": "2026-11-27T23:00:00-06:00", "timezone": "America/Guatemala",
           "notes": ""}
technician:
  description: Who runs the procedure, from O(technician).
  returned: when the instruction is valid
  type: dict
  sample: {"name": "Ing. Juan Pérez", "position": "Técnico de Operaciones y Seguridad Informática"}
technician_label:
  description: The technician as one text, name and position (what the licence acceptance and the run lock record).
  returned: when the instruction is valid
  type: str
  sample: "Ing. Juan Pérez, Técnico de Operaciones y Seguridad Informática"
  version_added: 0.4.0
controller_user:
  description: The login of the user running Ansible on the controller, a technical detail of the report.
  returned: when the instruction is valid
  type: str
  version_added: 0.4.0
retry:
  description:
    - The retry decision against the newest earlier report of this server in the report folder (issue 20, item 3), C(decision) one of
      C(nothing_to_retry), C(not_needed), C(authorised), C(other_run), C(needs_it_head), C(not_named); C(retry_of) what the report
      keeps as C(run.retry_of), or null.
    - C(other_run) and C(needs_it_head) fail the task before anything is sent to the server (a warning in check mode).
  returned: when the run's report is being written and the instruction is valid
  type: dict
  sample: {"decision": "authorised", "retry_of": {"id": "20261126T150000Z-0f0f0f", "status": "failed", "decision": "authorised",
           "authorised": true, "named_by_instruction": "20261126T150000Z-0f0f0f", "authorised_by": "Ing. María López",
           "reference": "MEMO-DTI-2026-042"}}
  version_added: 0.4.0
report_written:
  description: Whether this run's report is being written (the action fails when it is not).
  returned: always
  type: bool
  version_added: 0.4.0
within_window:
  description: Whether the run started inside the planned window (with the 5 minutes of clock tolerance).
  returned: when the instruction is valid
  type: bool
window_position:
  description: Where the run started against the window, C(inside), C(tolerance) (outside, within the clock tolerance), C(before) or C(after).
  returned: when the instruction is valid
  type: str
  sample: inside
problems:
  description: What is wrong with the instruction, one message per field.
  returned: when the instruction is not valid
  type: list
  elements: str
rpi_report:
  description: Evidence and run fields for the run report (rpi.exchange.procedure_report), also when the run is refused for its window.
  returned: when the instruction is valid
  type: dict
"""
