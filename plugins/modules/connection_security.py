# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connection_security
short_description: Refuse an insecure connection to the Exchange server unless the inventory declares a lab
version_added: 0.2.0
description:
  - Reads the resolved options of the host's connection plugin (C(ansible.builtin.winrm) or C(ansible.builtin.psrp)) and
    refuses, before anything is sent to the server, WinRM over plain HTTP, Basic authentication over HTTP, a server
    certificate that is not validated, or message encryption turned off.
  - With O(insecure_lab=true) such a connection is allowed and the run report records it as a warning notice on its first
    page, naming every protection that was off.
  - A secure connection is recorded as a passed check. It never reads or returns credentials.
options:
  insecure_lab:
    description:
      - The inventory's explicit statement that this is a lab (inventory C(rpi_exchange_insecure_lab)).
    type: raw
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.controller_decision
seealso:
  - module: rpi.exchange.rpi_server_guard
  - plugin: ansible.builtin.winrm
    plugin_type: connection
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Only over HTTPS with the certificate validated, unless this is a declared lab
  rpi.exchange.connection_security:
    insecure_lab: "{{ rpi_exchange_insecure_lab | default(false) }}"
"""

RETURN = r"""
connection:
  description: What was assessed (connection plugin, scheme, port, certificate validation, transport) and the settings found insecure.
  returned: always
  type: dict
  sample: {"connection": "winrm", "scheme": "https", "port": 5986, "cert_validation": "validate", "transport": "ntlm", "findings": []}
insecure_lab:
  description: Whether the run goes on over an insecure connection because the inventory declared a lab.
  returned: success
  type: bool
rpi_report:
  description: Evidence for the run report (rpi.exchange.procedure_report).
  returned: success
  type: dict
"""
