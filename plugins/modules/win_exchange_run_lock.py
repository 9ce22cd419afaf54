# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_exchange_run_lock
short_description: The run lock file on the Exchange server (used by rpi.exchange.run_lock)
version_added: 0.2.0
description:
  - Creates, takes over, releases or reads the file that says which run of the procedure is changing the server.
  - Creation is atomic (C(FileMode.CreateNew)); when two runs start at once, exactly one creates the file and the other
    is told who holds it.
  - The module decides nothing about a lock it finds. M(rpi.exchange.run_lock) reads what it returns, judges on the
    controller whether the lock was left behind, and only then asks for a takeover with O(replace_run_id).
  - Use M(rpi.exchange.run_lock) in playbooks; this module is its server-side half.
options:
  path:
    description:
      - The lock file. Its folder is created when missing and, with its parent, removed again when the lock is released and
        the folders are empty.
      - Environment variables are expanded on the server; the default is in C(%ProgramData%), on the system drive.
    type: path
    default: '%ProgramData%\RPI\rpi-exchange\run.lock'
  state:
    description:
      - V(acquired) creates the lock with O(record) when there is none (or takes it over, see O(replace_run_id)).
      - V(released) deletes it when it belongs to O(run_id).
      - V(inspected) only reads it.
    type: str
    default: inspected
    choices: [acquired, released, inspected]
  record:
    description:
      - The text written in the lock file (the controller's JSON record of the run). Required with O(state=acquired).
    type: str
  run_id:
    description:
      - The run this lock belongs to. With O(state=acquired), a lock already holding this run id is kept as it is; with
        O(state=released), only a lock holding this run id is deleted.
    type: str
  replace_run_id:
    description:
      - With O(state=acquired), replace a lock held by this run id (one the controller judged left behind). The file is
        opened exclusively and checked again before it is rewritten, so a lock that changed hands meanwhile is kept.
    type: str
notes:
  - Check mode reads the lock and changes nothing.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: windows
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
seealso:
  - module: rpi.exchange.run_lock
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read the lock
  rpi.exchange.win_exchange_run_lock:
  register: lock

- name: Create it for this run
  rpi.exchange.win_exchange_run_lock:
    state: acquired
    run_id: 20261127T180000Z-4f2a
    record: '{"run_id": "20261127T180000Z-4f2a", "controller_host": "ansible01", "controller_pid": 4242, "started": "2026-11-27T18:00:00Z"}'
"""

RETURN = r"""
holder:
  description: The lock file's text as found before this call (null when there was none, or when this call created it).
  returned: always
  type: str
  sample: '{"controller_host": "ansible01", "controller_pid": 4242, "run_id": "20261127T180000Z-4f2a", "started": "2026-11-27T18:00:00Z"}'
acquired:
  description: Whether the lock now belongs to O(run_id).
  returned: always
  type: bool
released:
  description: Whether the lock of O(run_id) was deleted (or, in check mode, would be).
  returned: always
  type: bool
path:
  description: The lock file.
  returned: always
  type: str
  sample: C:\ProgramData\RPI\rpi-exchange\run.lock
"""
