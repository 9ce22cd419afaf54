# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: report_validation
short_description: Record or verify the Head of IT's validation of a run report
version_added: 0.1.0
description:
  - Activity 12 of the manual ME-VAR-RPI-MNP-15. With O(state=recorded), writes the Head of IT's decision (validated, or
    returned to the technician) into a run report, marks activity 12 done, and re-renders C(report.html) so the page shows
    the decision.
  - The decision is bound to the report by SHA-256 digests of the canonical C(report.json) (without the validation block),
    of the C(report.html) bytes and of the decision itself (see docs/report-schema.md); any later edit is detectable.
  - With O(state=verified), recomputes the digests and reports whether the report is intact. A report that was altered
    (or cannot be read) fails the task; a report not yet validated does not.
  - A recorded validation is final; only a finished, successful run can be validated; any run can be returned, with a
    comment that says what to correct.
  - With O(state=listed), O(path) is the reports folder (the one holding one folder per run) and the result lists the
    runs found there, newest first, each with its id, start, server, status, whether it was a rehearsal (check mode) and
    any decision already recorded; nothing is read from or written to the server. The review (activity 12) shows this
    list when no run was chosen, and never picks the newest run by itself.
  - Runs on the controller only, makes no connection to the target and needs no secret.
options:
  path:
    description:
      - The run report folder (the one holding C(report.json) and C(report.html)), for example
        C(reports/20261206T150000Z-a1b2c3); with O(state=listed), the reports folder that holds the run folders.
    type: path
    required: true
  state:
    description:
      - V(recorded) records a decision; V(verified) checks the report's integrity; V(listed) lists the runs under O(path).
    type: str
    default: verified
    choices: [listed, recorded, verified]
  name:
    description:
      - The full name of the Head of IT recording the decision. Required with O(state=recorded).
    type: str
  decision:
    description:
      - V(validated) accepts the installation; V(returned) returns it to the technician. Required with O(state=recorded).
    type: str
    choices: [validated, returned]
  comment:
    description:
      - The Head of IT's comment. Required when O(decision=returned).
    type: str
    default: ""
  recorded_at:
    description:
      - When the decision was taken, ISO 8601. Defaults to now.
    type: str
  language:
    description:
      - The language of the verification message and of the list of runs.
    type: str
    default: es
    choices: [es, en]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details: With O(state=recorded), nothing is written; the result shows the validation that would be recorded.
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
seealso:
  - module: rpi.exchange.report_evidence
  - module: rpi.exchange.report_notice
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: List the runs the IT Head can choose from
  rpi.exchange.report_validation:
    path: "{{ playbook_dir }}/../reports"
    state: listed
  register: runs

- name: Check the report has not changed since it was delivered
  rpi.exchange.report_validation:
    path: "{{ rpi_exchange_report_path }}"
    state: verified

- name: Record the Head of IT's validation (activity 12)
  rpi.exchange.report_validation:
    path: "{{ rpi_exchange_report_path }}"
    state: recorded
    name: "{{ rpi_exchange_reviewer_name }}"
    decision: "{{ rpi_exchange_review_decision }}"
    comment: "{{ rpi_exchange_review_comment | default('') }}"
"""

RETURN = r"""
validation:
  description: The validation block written into the report.
  returned: when O(state=recorded)
  type: dict
  contains:
    name:
      description: Who decided.
      type: str
      returned: always
    decision:
      description: V(validated) or V(returned).
      type: str
      returned: always
    comment:
      description: The comment.
      type: str
      returned: always
    recorded_at:
      description: When, ISO 8601 UTC.
      type: str
      returned: always
    report_sha256:
      description: SHA-256 of the canonical report.json without the validation block; shown on the page.
      type: str
      returned: always
    html_sha256:
      description: SHA-256 of the report.html bytes as written with the validation.
      type: str
      returned: always
    digest:
      description: SHA-256 over the two digests and the decision fields.
      type: str
      returned: always
valid:
  description: Whether the report is validated and intact.
  returned: when O(state=verified)
  type: bool
verification:
  description: C(status) (V(valid), V(tampered), V(not_validated), V(unreadable)), C(problems) (codes), C(problem_texts),
    C(message) and the recorded C(validation).
  returned: when O(state=verified)
  type: dict
runs:
  description: The runs under O(path), newest first, each with C(id), C(path), C(started) (ISO 8601 UTC), C(server),
    C(status) (V(succeeded), V(failed), V(interrupted), V(check), V(partial) or V(unreadable)), C(rehearsal) (a check-mode
    run), C(validation) (the decision already recorded, or null) and C(zone).
  returned: when O(state=listed)
  type: list
  elements: dict
listing:
  description: The same list as the IT Head reads it, one line a run, in O(language).
  returned: when O(state=listed)
  type: list
  elements: str
choose:
  description: How to choose the run to review (the command to repeat with the run id), in O(language).
  returned: when O(state=listed)
  type: str
rpi_report:
  description: Evidence of kind C(validation) for the run report of the run that records it.
  returned: when O(state=recorded)
  type: dict
"""
