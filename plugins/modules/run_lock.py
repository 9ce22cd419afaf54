# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: run_lock
short_description: One run at a time on an Exchange server - take or release the run lock
version_added: 0.2.0
description:
  - With O(state=acquired), takes the server's run lock for this run, or fails, before any change, when another run of
    the procedure holds it, naming that run (its id, technician, controller, start time and instruction).
  - A lock left behind is taken over, and the run report says so, when its owner ran on this controller and that process
    no longer exists (the controller was killed), when it is older than O(max_age_hours), or when O(break_run_id) names it.
  - With O(state=released), deletes the lock if it is this run's. It never fails the run; a lock that cannot be released
    is reported as a warning and taken over later as above.
  - The run id is the run report's (the report callback's run folder), so the lock and the report name the same run.
  - The lock file is written by M(rpi.exchange.win_exchange_run_lock); creating it is atomic on the server.
  - Taking and releasing the lock is not reported as a change; it is bookkeeping of the run, gone when the run ends.
options:
  state:
    description:
      - Take the lock (V(acquired)) or release it (V(released)).
    type: str
    default: acquired
    choices: [acquired, released]
  path:
    description:
      - The lock file on the server.
    type: str
    default: C:\ProgramData\RPI\rpi-exchange\run.lock
  max_age_hours:
    description:
      - A lock older than this many hours is taken over (inventory C(rpi_exchange_lock_max_age_hours)). Keep it longer
        than the longest run (setup alone may take up to 6 hours).
    type: float
    default: 12
  break_run_id:
    description:
      - The run id of a lock the technician checked is no longer used (inventory or extra var C(rpi_exchange_lock_break)).
        It is taken over and the report says so; any other run id is refused.
    type: str
  technician:
    description:
      - Who runs the procedure, written in the lock for whoever finds it held (the role passes activity 1's
        C(technician_label), the name and position of C(rpi_exchange_technician)).
    type: str
    default: ''
  reference:
    description:
      - The IT Head's instruction reference, written in the lock.
    type: str
    default: ''
notes:
  - In check mode the lock is only read; a lock held by another run gives a warning instead of a failure, since a dry
    run changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: In check mode the lock file is only read, never written nor deleted.
seealso:
  - module: rpi.exchange.win_exchange_run_lock
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Take the server's run lock (activity 1)
  rpi.exchange.run_lock:
    state: acquired
    break_run_id: "{{ rpi_exchange_lock_break | default(omit) }}"
    technician: "{{ instruct_installation_result.technician_label | default('') }}"  # rpi_exchange_technician's name and position
    reference: "{{ rpi_exchange_instruction.reference | default('') }}"

- name: Release it when the run ends, failed or not
  rpi.exchange.run_lock:
    state: released
"""

RETURN = r"""
run_id:
  description: This run's id (the run report's folder name).
  returned: success
  type: str
  sample: 20261127T180000Z-4f2a1c
verdict:
  description: V(acquire) (the lock was free), V(held) (already this run's) or V(take_over) (a lock left behind was replaced).
  returned: success with O(state=acquired)
  type: str
locked_by:
  description: The lock record of the run holding the server, when this run was refused.
  returned: failure
  type: str
released:
  description: Whether this run's lock was deleted.
  returned: success with O(state=released)
  type: bool
rpi_report:
  description: Evidence for the run report (rpi.exchange.procedure_report).
  returned: success
  type: dict
"""
