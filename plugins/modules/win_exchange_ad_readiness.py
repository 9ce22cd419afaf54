# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_exchange_ad_readiness
short_description: Read what Exchange setup will find in Active Directory, and the setup account's groups
version_added: 0.4.0
description:
  - Reads, from the server's own domain controller and with C([ADSI]) / C(System.DirectoryServices) only (the
    ActiveDirectory PowerShell module is often absent before setup installs RSAT-ADDS; CIM is not used), the
    C(rangeUpper) of the schema's C(ms-Exch-Schema-Version-Pt), the Exchange organisation under
    C(CN=Microsoft Exchange,CN=Services) with its C(objectVersion), the domain's C(Microsoft Exchange System Objects)
    C(objectVersion), the forest and domain functional levels (RootDSE), the domain controllers of the server's site
    with their computer objects' C(operatingSystem) and C(operatingSystemVersion), and this server's own Exchange
    server object (C(msExchInstallPath), C(serialNumber)).
  - Reads the groups of the token of the account it runs as (nested groups included, as Windows puts them in the
    token) and whether the token holds the local Administrators group (C(S-1-5-32-544)).
  - Each section is read on its own. A section that cannot be read (a domain controller that does not answer, a bind
    refused) is returned as null with its error in RV(errors); the module never fails for that.
  - Decides nothing. M(rpi.exchange.ad_readiness) decides, on the controller, and is the module to use in playbooks.
options:
  domain_controller:
    description:
      - The domain controller to read (C(LDAP://<dc>/...)). By default the one the server's locator picks, the one
        setup uses.
    type: str
  server_name:
    description:
      - The server whose Exchange object is looked for. Default the computer's NetBIOS name (C($env:COMPUTERNAME)).
    type: str
notes:
  - Run it as the Exchange setup account with C(become) (C(become_method=runas), C(become_user) the setup account and its
    password). The reason is the double hop. A WinRM logon over NTLM or Kerberos holds no credential it can pass on to the domain controller
    (Microsoft calls this the second hop), so every C([ADSI]) bind would fail; and only the setup account's own token says which groups
    Exchange setup will run with. Become gives the module a logon of the setup account with its password, which can
    reach the domain controller.
  - Only reads; check mode runs the same reads.
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
  - module: rpi.exchange.ad_readiness
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read Active Directory as the setup account
  rpi.exchange.win_exchange_ad_readiness:
  become: true
  become_method: ansible.builtin.runas
  become_user: "{{ rpi_exchange_setup_user }}"
  vars:
    ansible_become_password: "{{ rpi_exchange_setup_password }}"
  register: ad
"""

RETURN = r"""
account:
  description: The account the module ran as (C(WindowsIdentity.GetCurrent().Name)).
  returned: always
  type: str
  sample: RPI\svc-exchange
domain_controller:
  description: The RootDSE's C(dnsHostName), the domain controller read; null when RootDSE could not be read.
  returned: always
  type: str
naming_contexts:
  description: The RootDSE's C(default), C(configuration) and C(schema) naming contexts; null when not read.
  returned: always
  type: dict
functional_levels:
  description: C(forest) and C(domain) functional levels (msDS-Behavior-Version; 6 is Windows Server 2012 R2).
  returned: always
  type: dict
schema:
  description: C(range_upper) of C(ms-Exch-Schema-Version-Pt); C(range_upper) null when the schema was never extended.
  returned: always
  type: dict
organization:
  description: C(exists), C(name), C(object_version) and C(distinguished_name) of the Exchange organisation.
  returned: always
  type: dict
domain:
  description: C(exists) and C(object_version) of the domain's C(Microsoft Exchange System Objects) container.
  returned: always
  type: dict
site:
  description: The server's site C(name) and its C(domain_controllers) (C(name), C(dns_host_name), C(operating_system),
    C(operating_system_version)).
  returned: always
  type: dict
server_object:
  description: This server's Exchange object, C(exists), C(name), C(distinguished_name), C(install_path) and
    C(serial_number) (for example C(Version 15.2 (Build 1544.4))).
  returned: always
  type: dict
account_groups:
  description: C(groups) (names, or SIDs without a name) of the token and C(local_administrator).
  returned: always
  type: dict
errors:
  description: Per section that could not be read (C(root_dse), C(schema), C(organization), C(domain), C(site),
    C(server_object), C(account_groups)), the error's text.
  returned: always
  type: dict
"""
