# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: report_notice
short_description: Notify the Head of IT that the installation is finished, with the run report attached
version_added: 0.1.0
description:
  - Activity 11 of the manual ME-VAR-RPI-MNP-15. Sends an e-mail through an SMTP relay to the Head of IT with a short
    summary (Spanish by default) in the body and C(report.html) (and C(report.json)) of the current run attached.
  - The attached report shows the run as it stands when the notice is sent; the final report stays in the run's folder.
  - Optional. Without O(smtp_host) nothing is sent and the result (and the report) says where the report is.
  - A failure to send (relay unreachable, refused, bad credentials) is not a failed task, it gives a warning and evidence
    in the report, since the report itself is still there to be handed over.
  - Runs on the controller only and makes no connection to the target.
options:
  report_dir:
    description:
      - The run report folder to send.
      - Defaults to the current run's folder, published by the P(rpi.exchange.procedure_report#callback) callback.
    type: path
  smtp_host:
    description:
      - The SMTP relay. Without it no e-mail is sent.
    type: str
  smtp_port:
    description:
      - The relay's port. Defaults to V(587) for V(starttls), V(465) for V(tls) and V(25) for V(none).
    type: int
  smtp_security:
    description:
      - V(starttls) upgrades a plain connection with STARTTLS, V(tls) connects with TLS from the start (SMTPS), V(none) sends
        in clear (only inside a trusted network).
    type: str
    default: starttls
    choices: [starttls, tls, none]
  smtp_username:
    description:
      - The account to log in to the relay with. Without it no login is attempted.
    type: str
  smtp_password:
    description:
      - The account's password. Keep it in Ansible Vault.
    type: str
  validate_certs:
    description:
      - Whether to check the relay's TLS certificate and host name.
    type: bool
    default: true
  ca_path:
    description:
      - A file of CA certificates (PEM) to trust for the relay, for example the RPI's internal CA, or a folder of them
        prepared with C(openssl rehash).
      - It is trusted beside the controller's own trust store, which is neither replaced nor changed, so a relay whose
        certificate the RPI's CA signed works without installing that CA on the controller, and a relay with a public
        certificate still works with it set.
      - A file that does not exist or cannot be read is reported (a warning and evidence naming it) without trying the relay.
      - Used with O(smtp_security=starttls) and O(smtp_security=tls); ignored with O(validate_certs=false).
      - The role C(rpi.exchange.report_installation) takes it from C(rpi_exchange_notice.ca_path).
    type: path
  sender:
    description:
      - The From address. Required with O(smtp_host).
    type: str
  recipients:
    description:
      - The addresses of the Head of IT (and anyone he names). Required with O(smtp_host).
    type: list
    elements: str
    default: []
  subject:
    description:
      - The subject. By default it states the outcome, the server and the run id.
    type: str
  language:
    description:
      - The language of the message and of the attached page. Defaults to the report's language.
    type: str
    choices: [es, en]
  timeout:
    description:
      - Seconds to wait for the relay.
    type: int
    default: 30
  attach_json:
    description:
      - Whether to attach C(report.json) as well as C(report.html).
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details: In check mode nothing is sent; the result says what would be sent.
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
notes:
  - Do not set C(no_log) on the task; the password option is never returned, and C(no_log) would hide the notice's evidence
    from the report. The procedure_report callback masks values of variables whose names look secret.
seealso:
  - module: rpi.exchange.report_evidence
  - module: rpi.exchange.report_validation
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Inform the Head of IT (activity 11)
  rpi.exchange.report_notice:
    smtp_host: "{{ rpi_exchange_notice_smtp_host | default(omit) }}"
    smtp_port: "{{ rpi_exchange_notice_smtp_port | default(omit) }}"
    smtp_security: "{{ rpi_exchange_notice_smtp_security | default('starttls') }}"
    smtp_username: "{{ rpi_exchange_notice_smtp_username | default(omit) }}"
    smtp_password: "{{ rpi_exchange_notice_smtp_password | default(omit) }}"
    sender: "{{ rpi_exchange_notice_sender | default(omit) }}"
    recipients: "{{ rpi_exchange_notice_recipients | default([]) }}"
"""

RETURN = r"""
sent:
  description: Whether the relay accepted the message.
  returned: always
  type: bool
  sample: true
report_dir:
  description: The report folder that was sent.
  returned: always
  type: str
  sample: /srv/rpi.exchange/reports/20261127T160000Z-3fa9c1
recipients:
  description: The recipients.
  returned: when O(smtp_host) is given
  type: list
  elements: str
subject:
  description: The message's subject.
  returned: when O(smtp_host) is given
  type: str
refused:
  description: Recipients the relay refused.
  returned: when sent
  type: list
  elements: str
message_id:
  description: The Message-ID of the e-mail.
  returned: when sent
  type: str
rpi_report:
  description: Evidence of kind C(notice) for the run report (see M(rpi.exchange.report_evidence)).
  returned: always
  type: dict
"""
