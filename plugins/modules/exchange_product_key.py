# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_product_key
short_description: Enter the Exchange product key when the server is a trial, and say how long the trial lasts otherwise
version_added: 0.4.0
description:
  - Activity 10 of manual ME-VAR-RPI-MNP-15 ("Verifica y finaliza la instalación de Microsoft Exchange"), before the
    verification.
  - Reads the server's licence with M(rpi.exchange.win_exchange_product_key) (C(Get-ExchangeServer)'s C(Edition),
    C(IsExchangeTrialEdition) and the day the server was installed) and decides on the controller.
  - "The key is entered only while the server is a trial edition, or to go from Standard to Enterprise when
    O(expected_edition=Enterprise): a key cannot be read back from Exchange, so entering it again on a licensed server would
    only restart the Information Store for nothing. A licensed server is left as it is (no change)."
  - To enter it, C(Set-ExchangeServer -ProductKey) and then C(Restart-Service MSExchangeIS) on a Mailbox server, as Microsoft
    documents; then the licence is read again and must no longer be a trial (and be of O(expected_edition) when given).
  - A key not shaped as five groups of five letters or digits separated by dashes is refused before anything is read, naming
    C(rpi_exchange_product_key) without showing the key. The key is shown nowhere but masked except its last five characters
    (C(*****-*****-*****-*****-ABCDE)).
  - "For the report's first page: without a key, a warning with the trial days left, counted from the install date (180
    days); with a key, the edition and the masked key."
  - This is an action plugin; it runs on the controller and calls the Windows module.
options:
  product_key:
    description:
      - The product key from the vault (C(rpi_exchange_product_key)). When omitted the server is only read.
    type: str
  expected_edition:
    description:
      - The edition the key is for. When given, the licence must be of this edition once the key is entered, and a server
        licensed Standard gets the key when C(Enterprise) is expected (Microsoft's documented upgrade; there is no downgrade).
    type: str
    choices: [Standard, Enterprise]
  role:
    description:
      - The role installed. C(ManagementTools) has no server object and no licence of its own; nothing is read.
      - An Edge Transport server has no Information Store, which is not restarted.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  run_as_user:
    description:
      - The Exchange administrator the Windows module runs as (C(become_method=runas)); the Exchange Management Shell is a
        second hop from a WinRM logon.
    type: str
  run_as_password:
    description:
      - Password of O(run_as_user). Never logged nor returned.
    type: str
  language:
    description:
      - Language of the messages and the report evidence.
    type: str
    default: es
    choices: [es, en]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Reads the licence and says whether the key would be entered; changes nothing.
seealso:
  - module: rpi.exchange.win_exchange_product_key
  - module: rpi.exchange.exchange_verify
  - name: Enter your Exchange Server product key
    description: Microsoft's steps (Set-ExchangeServer -ProductKey, Restart-Service MSExchangeIS, Get-ExchangeServer).
    link: https://learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/enter-product-key
  - name: Exchange Server editions and versions
    description: Trial, Standard and Enterprise; a key can upgrade Standard to Enterprise, never downgrade.
    link: https://learn.microsoft.com/exchange/plan-and-deploy/deployment-ref/editions-and-versions
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Enter the product key when Exchange is a trial (activity 10)
  rpi.exchange.exchange_product_key:
    product_key: "{{ rpi_exchange_product_key | default(omit) }}"
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"

- name: Expect an Enterprise licence
  rpi.exchange.exchange_product_key:
    product_key: "{{ rpi_exchange_product_key }}"
    expected_edition: Enterprise
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
"""

RETURN = r"""
decision:
  description: C(enter), C(nothing) (a trial without a key, or already licensed) or C(not_applicable) (no server object).
  returned: always
  type: str
  sample: enter
reason:
  description: Why, C(trial), C(upgrade), C(trial_without_key), C(licensed) or C(no_server).
  returned: when the licence was read
  type: str
edition:
  description: The edition after the task (C(Standard), C(Enterprise), or the trial's, for example C(StandardEvaluation)).
  returned: when the licence was read
  type: str
trial:
  description: Whether Exchange is still a trial edition after the task.
  returned: when the licence was read
  type: bool
trial_days_left:
  description: Days of the 180-day trial left, counted from the install date; null once licensed.
  returned: when the licence was read
  type: int
licence_masked:
  description: The key with all but its last five characters masked, or null without a key.
  returned: always
  type: str
  sample: "*****-*****-*****-*****-ABCDE"
information_store:
  description: The restart of C(MSExchangeIS) after the key (C(restarted), C(status), C(error)).
  returned: when the key was entered
  type: dict
msg:
  description: The outcome in one sentence, in O(language).
  returned: always
  type: str
rpi_report:
  description: Evidence for the run report (activity 10), the check, the change (or the plan in check mode) and a notice for
    the report's first page with the trial days left or the edition and the masked key.
  returned: when the licence was read
  type: dict
"""
