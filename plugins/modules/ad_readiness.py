# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ad_readiness
short_description: Check, before any change, that Active Directory and the setup account allow this Exchange setup (activity 2)
version_added: 0.4.0
description:
  - Activity 2 of manual ME-VAR-RPI-MNP-15 prepares the virtual server. Exchange setup checks Active Directory only in
    activity 8, an hour into the window; this action reads it first, with M(rpi.exchange.win_exchange_ad_readiness),
    and decides on the controller against the collection's catalogue, for the media about to run.
  - Reads the schema's C(rangeUpper), the Exchange organisation and its C(objectVersion), the domain's
    C(objectVersion), the forest and domain functional levels, the operating systems of the domain controllers of the
    server's site, this server's Exchange object in AD (install path and version, for RecoverServer) and the groups of
    the setup account's token (nested groups count).
  - Decides one of C(prepared), C(setup_prepares) (which of the schema, the organisation and the domain setup will
    write) or C(refuse), and which groups the run needs (Schema Admins, Enterprise Admins and local Administrators to
    extend the schema or create/update the organisation; Organization Management otherwise).
  - Fails, in Spanish (or English), before anything changes when a functional level or a domain controller is below what
    the version needs, when the inventory's organisation name differs from the existing organisation, when a first
    server has no organisation name, when the forest has no organisation and the server is not the first, when AD cannot
    be read, or when the setup account lacks a group the run needs. The message names the account, the group, why the
    run needs it and the fix.
  - The decision and every value read go to the report as activity 2 evidence, in check mode too.
  - For the C(EdgeTransport) role nothing is read (an Edge server is outside the domain); the report says so.
  - Run the task with C(become) as the setup account (see the example). The reading module needs the setup account's
    own logon to reach the domain controller (the WinRM double hop) and to see that account's groups.
options:
  media_version:
    description:
      - The Exchange build of the media's Setup.exe (from M(rpi.exchange.exchange_media)).
    type: str
    required: true
  mode:
    description:
      - The setup run the decision is for. By default it is taken from the server facts as activity 3 will take it
        (M(rpi.exchange.setup_decision)); V(nothing) records AD as evidence and refuses nothing.
    type: str
    choices: [install, upgrade, recover, nothing]
  role:
    description:
      - The Exchange role to install (inventory C(rpi_exchange_role)). V(EdgeTransport) reads nothing.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  first_server:
    description:
      - Whether this is the organisation's first Exchange server (inventory C(rpi_exchange_first_server)).
    type: bool
    default: true
  organization_name:
    description:
      - The Exchange organisation's name (inventory C(rpi_exchange_organization_name)); must match the existing one.
    type: str
  domain_controller:
    description:
      - The domain controller to read (inventory C(rpi_exchange_domain_controller)); default the server's own.
    type: str
  server_facts:
    description:
      - The server facts from M(rpi.exchange.exchange_facts); defaults to the C(rpi_exchange) fact.
    type: dict
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
seealso:
  - module: rpi.exchange.win_exchange_ad_readiness
  - module: rpi.exchange.setup_decision
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Check Active Directory and the setup account's groups before any change
  rpi.exchange.ad_readiness:
    media_version: "{{ media.version }}"
    first_server: "{{ rpi_exchange_first_server | default(true) }}"
    organization_name: "{{ rpi_exchange_organization_name | default(omit) }}"
  become: true
  become_method: ansible.builtin.runas
  become_user: "{{ rpi_exchange_setup_user }}"
  vars:
    ansible_become_password: "{{ rpi_exchange_setup_password }}"
  register: ad
"""

RETURN = r"""
decision:
  description:
    - C(state) (V(prepared), V(setup_prepares), V(refuse), V(not_needed)), C(prepares), C(required), C(current),
      C(organization_name), C(reasons), C(rights_needed), C(rights_missing), C(account), C(server_object) (C(exists),
      C(install_path), C(version)), C(messages), C(message_es), C(message_en), C(ok), C(mode).
    - Null for the EdgeTransport role.
  returned: always
  type: dict
facts:
  description: What M(rpi.exchange.win_exchange_ad_readiness) read (null for the EdgeTransport role).
  returned: always
  type: dict
server_object:
  description: This server's Exchange object in AD, C(exists), C(install_path), C(version) (the decision's copy).
  returned: always
  type: dict
rpi_report:
  description: Evidence for the run report (the decision and every value read).
  returned: always
  type: dict
"""
