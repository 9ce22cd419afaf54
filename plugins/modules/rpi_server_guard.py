# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: rpi_server_guard
short_description: Refuse any server that is not the RPI's (norm 5.1)
version_added: 0.1.0
description:
  - Norm 5.1 of manual ME-VAR-RPI-MNP-15 says the mail server is for the exclusive use of the Registro de la Propiedad
    Intelectual.
  - Before anything changes, this action fails unless the host is in the C(rpi_exchange_servers) group, is declared in
    the inventory as the RPI's server, and the server itself reports membership of the RPI's Active Directory domain
    (and, when given, the expected host name).
  - An Edge Transport server (O(role=EdgeTransport)) stays out of the domain by design. For it, the server's primary DNS
    suffix (registry C(Tcpip\Parameters) C(NV Domain)) must be the RPI's domain instead, and the declaration is still
    required. The evidence's C(norm_5_1_rule) says which rule was applied (C(domain_membership) or C(edge_dns_suffix)).
  - Runs on the controller from facts already read by M(rpi.exchange.exchange_facts); it does not contact the target.
options:
  rpi_domain:
    description:
      - The RPI's Active Directory domain (inventory C(rpi_exchange_rpi_domain)).
    type: str
    required: true
  declared:
    description:
      - The host's declaration as the RPI's server (inventory host variable C(rpi_exchange_rpi_server)); must be V(true).
    type: raw
  expected_hostname:
    description:
      - The server's expected host name (short or fully qualified); checked against what the server reports.
    type: str
  server_facts:
    description:
      - The server facts from M(rpi.exchange.exchange_facts); defaults to the C(rpi_exchange) fact.
    type: dict
  role:
    description:
      - The Exchange role the RPI installs (inventory C(rpi_exchange_role); the playbook gives it through the C(for_role)
        action group). V(EdgeTransport) checks the primary DNS suffix instead of domain membership.
    type: str
    default: Mailbox
    version_added: 0.4.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
seealso:
  - module: rpi.exchange.exchange_facts
  - module: rpi.exchange.instruction
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read the server
  rpi.exchange.exchange_facts:

- name: Only the RPI's own server (norm 5.1)
  rpi.exchange.rpi_server_guard:
    rpi_domain: "{{ rpi_exchange_rpi_domain }}"
    declared: "{{ rpi_exchange_rpi_server | default(false) }}"
    expected_hostname: "{{ rpi_exchange_server_hostname | default(omit) }}"
"""

RETURN = r"""
problems:
  description: Every reason the host is refused, one message each.
  returned: failure
  type: list
  elements: str
rpi_report:
  description: Evidence for the run report (rpi.exchange.procedure_report).
  returned: success
  type: dict
"""
