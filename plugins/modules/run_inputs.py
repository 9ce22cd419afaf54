# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: run_inputs
short_description: Check every input of the whole run before anything on the server changes
version_added: 0.3.0
description:
  - Checks, at once and on the controller, every variable that the roles of the run declare in their
    C(meta/argument_specs.yml), so that nothing is installed until every input of the whole run is valid. Activity 2
    (C(rpi.exchange.prepare_server)) runs it before its first change, so a mistake in an input of a later activity (the
    install folder, the licence, the custom options, the setup account, the timeouts, the notice) stops the run before
    the first prerequisite is installed, not an hour later.
  - 'Declared checks, driven by the argument specs: the declared type (with the conversions ansible-core makes, so
    nothing accepted here is refused later by a role), the choices, the suboptions of a dictionary, and C(required) for
    the activities the run certainly runs. Stricter than ansible-core on purpose: a value given as C(null) (YAML C(~), or
    nothing after the colon) is given but empty, never "not given"; an empty text is refused for every type; a text
    variable refuses a list, a dictionary or a YAML boolean (C(yes), C(on) without quotes).'
  - 'Rules the declarations cannot say, with the words of the modules that check them later: the media''s ISO path and
    SHA-256 (M(rpi.exchange.exchange_media)); the RPI''s thresholds (M(rpi.exchange.server_readiness)); timeouts above
    zero; the e-mail notice''s relay (M(rpi.exchange.report_notice)); and, when the server has no Exchange at all (setup
    will install, so activities 5 to 8 will run), the licence acceptance (M(rpi.exchange.exchange_license)), the
    install folder and custom options against the server''s drives (M(rpi.exchange.exchange_setup_options)) and the
    organisation name a first Mailbox server needs.'
  - On a server with Exchange, what depends on the media's version (an upgrade or nothing to do) is checked again later
    in activity 2, once the media is read, and still before anything is installed.
  - Reports every problem, not only the first, naming each variable and how to fix it, in Spanish unless O(language=en).
    Values of secret variables (C(no_log)) are never shown.
  - To check a new input (for example the security update or the product key), declare it in its role's
    C(meta/argument_specs.yml); a rule the declaration cannot say is a function in C(plugins/plugin_utils/_preflight/run_inputs.py).
  - Runs on the controller only; it does not contact the target host. It changes nothing (RV(ignore:changed) is always
    false) and checks the same way in check mode.
options:
  activities:
    description:
      - The activities of the run (1 to 12); the variables their roles declare are checked. The default is
        C(playbooks/install_exchange.yml)'s, activities 1 to 11; the IT Head's review (activity 12) is a run of its own.
      - Activities 5 to 8 count only when the server has no Exchange (the playbook runs them only when setup runs).
    type: list
    elements: int
    default: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  server_facts:
    description:
      - The server's facts from M(rpi.exchange.exchange_facts); defaults to the C(rpi_exchange) fact of activity 1.
    type: dict
  language:
    description:
      - Any other value than C(es) or C(en) gives Spanish (the run's language is itself one of the inputs checked).
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
seealso:
  - module: rpi.exchange.exchange_setup_options
  - module: rpi.exchange.exchange_license
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Check every input of the run before changing anything (activity 2)
  rpi.exchange.run_inputs:
    language: "{{ rpi_exchange_report_language | default('es', true) }}"

- name: Check only what the IT Head's review reads (activity 12)
  rpi.exchange.run_inputs:
    activities: [12]
"""

RETURN = r"""
problems:
  description:
    - Every problem found (C(option), C(variable), C(code), C(message_es), C(message_en)); empty when every input is valid.
    - C(code) is C(input_missing), C(input_null), C(input_empty), C(input_wrong_type), C(input_not_a_choice),
      C(input_unknown_key), C(input_not_evaluable), C(input_not_positive), C(organization_name_required), or the code of
      the module whose rule found it (for example C(license_not_accepted), C(target_dir_root), C(sha256_invalid)).
  returned: always
  type: list
  elements: dict
  sample: [{"option": "rpi_exchange_organization_name", "variable": "rpi_exchange_organization_name", "code": "input_null",
            "message_es": "rpi_exchange_organization_name: Está vacío (null o ~ en YAML); ...", "message_en": "..."}]
checked:
  description: The variables checked (every variable the roles of the run declare).
  returned: always
  type: list
  elements: str
given:
  description: The checked variables that the run defines (the others take their default or are not used).
  returned: always
  type: list
  elements: str
setup_certain:
  description: Whether the server has no Exchange at all, so setup will install and activities 5 to 8 were checked in full.
  returned: always
  type: bool
activities:
  description: The activities of the run.
  returned: always
  type: list
  elements: int
rpi_report:
  description:
    - Evidence for the run report, C({evidence:[{kind, summary_es, summary_en, level, details}]}) with C(kind=check) and
      C(level) C(ok) or C(error); C(details) holds the fields above, C(activity=2) and C(status) (C(accepted) or C(refused)).
  returned: always
  type: dict
msg:
  description: The summary, or the failure message listing every problem, one per line, and what to do.
  returned: always
  type: str
"""
