# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_exchange_product_key
short_description: Read an Exchange server's licence and, when given a key, enter it and restart the Information Store
version_added: 0.4.0
description:
  - Loads the Exchange Management Shell the way M(rpi.exchange.win_exchange_health) does (this server's own C(/PowerShell)
    endpoint through C(Connect-ExchangeServer -ServerFqdn), never another server; the snap-ins on Edge Transport) and reads
    the licence fields of C(Get-ExchangeServer) for this server (C(Edition), C(IsExchangeTrialEdition),
    C(IsExpiredExchangeTrialEdition), C(RemainingTrialPeriod)) with C(WhenCreatedUTC), the day the server was installed.
  - With O(product_key), runs C(Set-ExchangeServer -Identity <server> -ProductKey <key>), then
    C(Restart-Service MSExchangeIS) unless O(restart_information_store=false), and reads the licence again (RV(after)), as
    Microsoft documents in "Enter your Exchange Server product key".
  - It decides nothing. M(rpi.exchange.exchange_product_key) decides whether the key is entered (only on a trial, or to go
    from Standard to Enterprise) and what the answers mean; use that action instead of calling this module directly.
  - Without O(product_key) it only reads.
options:
  product_key:
    description:
      - The product key to enter, five groups of five letters or digits separated by dashes. Never logged nor returned.
      - When omitted, the module only reads the licence.
    type: str
  restart_information_store:
    description:
      - Restart the Microsoft Exchange Information Store service (C(MSExchangeIS)) after the key is entered, as Microsoft
        asks for a Mailbox server. An Edge Transport server has no Information Store.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the licence; with O(product_key) it reports that the key would be entered (RV(would_enter)) and changes
      nothing.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: windows
notes:
  - Run it as an Exchange administrator with C(become) (C(become_method=runas)); the shell is remote PowerShell to the local
    IIS, a second hop from a WinRM logon without delegable credentials.
  - Restarting the Information Store dismounts and mounts the server's databases again; mail to its mailboxes waits for a
    moment.
seealso:
  - module: rpi.exchange.exchange_product_key
  - module: rpi.exchange.win_exchange_health
  - name: Enter your Exchange Server product key
    description: Microsoft's steps, which this module follows.
    link: https://learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/enter-product-key
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read the server's licence as the Exchange administrator
  rpi.exchange.win_exchange_product_key:
  become: true
  become_method: ansible.builtin.runas
  become_user: RPI\svc-exchange
  register: licence

- name: Enter the product key from the vault and restart the Information Store
  rpi.exchange.win_exchange_product_key:
    product_key: "{{ rpi_exchange_product_key }}"
  become: true
  become_method: ansible.builtin.runas
  become_user: RPI\svc-exchange
"""

RETURN = r"""
install_path:
  description: Exchange's install folder (C(MsiInstallPath)), or null when Exchange is not installed.
  returned: always
  type: str
shell:
  description: Whether the Exchange Management Shell loaded (C(loaded)), how (C(kind)), to which server (C(server)), and
    why not (C(error), C(messages)), as M(rpi.exchange.win_exchange_health) returns it.
  returned: always
  type: dict
exchange_server:
  description: The licence before any change (name, fqdn, admin_display_version, edition, is_trial, is_expired_trial,
    remaining_trial_period, when_created_utc, server_role), or null.
  returned: always
  type: dict
  sample: {"name": "RPI-EXCH01", "edition": "StandardEvaluation", "is_trial": true, "remaining_trial_period": "179.23:59:59",
           "when_created_utc": "2026-12-05T22:40:11Z", "server_role": "Mailbox"}
after:
  description: The licence read again after the key was entered and the Information Store restarted, or null.
  returned: always
  type: dict
entered:
  description: Whether C(Set-ExchangeServer -ProductKey) succeeded.
  returned: always
  type: bool
would_enter:
  description: In check mode with O(product_key), true (the key would be entered).
  returned: always
  type: bool
warnings_from_exchange:
  description: The warnings C(Set-ExchangeServer) wrote (for example that the Information Store must be restarted).
  returned: always
  type: list
  elements: str
information_store:
  description: The restart of C(MSExchangeIS) (C(restarted), its C(status) afterwards, the C(error) when it failed).
  returned: always
  type: dict
errors:
  description: Each cmdlet that failed (C(source)) with its error (C(message)).
  returned: always
  type: list
  elements: dict
"""
