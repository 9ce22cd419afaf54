# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_setup
short_description: Run Exchange Setup.exe unattended, detached from WinRM, and watch it to the end
version_added: 0.1.0
description:
  - Activity 8 of manual ME-VAR-RPI-MNP-15 (begin the installation) and activity 9 (await it), unattended.
  - Reads the server with one light call of M(rpi.exchange.win_exchange_setup_status) (Exchange's registry keys, setup
    processes, pending restart, the end of the setup log, the task of an earlier run, the media's C(Setup.exe)) and decides
    what it needs with the collection's rules - a fresh C(install), a cumulative-update or Exchange SE C(upgrade), the C(resume) of an interrupted upgrade (or
    of an install interrupted before any watermark), a C(recoverserver) when O(server_object_in_ad=true), C(nothing)
    when the media's CU is already installed, or a refusal (never a downgrade, never CU13 or older to SE, never over
    an install watermark, which Microsoft says only the graphical wizard can continue).
  - Builds the exact C(Setup.exe) command line from activity 6's licence acceptance record (O(license_record), its
    switch taken as it is) and activity 7's result (O(setup_options), with the role and the validated options of
    activities 5 and 7). Without an acceptance record for this media nothing is read on the server and nothing runs; the
    licence is accepted only by M(rpi.exchange.exchange_license).
  - Switches that Microsoft documents only with another mode (for example C(/OrganizationName)
    when the server turns out to need an upgrade) are left out with a warning. The command line never carries a secret.
  - Refuses to start while a restart is pending (setup would refuse it too); the role that calls this module restarts
    the server first.
  - Runs C(Setup.exe) as a scheduled task registered with O(run_as_user) and O(run_as_password) (logon type Password,
    run level Highest, no trigger), started once with C(schtasks.exe /Run). The task's logon carries the account's
    credentials, so setup reaches Active Directory (no WinRM double hop), and it lives outside the WinRM shell, so a
    dropped connection or setup restarting WinRM does not stop it.
  - Watches setup with one M(rpi.exchange.win_exchange_setup_status) call at a time. Each call waits on the server until
    setup's processes are gone and the task has finished, looking every second, or for at most O(poll_interval) seconds
    (2 seconds for the first call, then half as long again each time up to O(poll_interval)); so the end of setup is seen
    about a second after it happens, and a long setup costs few calls. Each call also returns the lines
    C(ExchangeSetup.log) gained since the previous one; the step in progress is shown at verbosity C(-v). A lost
    connection is retried after resetting it, until O(timeout).
  - Reads the outcome from the task's exit code, the last run in C(%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log) and the
    Exchange registry keys. A failure is triaged (M(rpi.exchange.exchange_facts) uses the same triage) and reported with
    its category, the log line to read and the advice; nothing is retried or repaired (norm 5.6 - the IT Head decides).
  - Deletes the scheduled task when setup has finished. When O(timeout) is reached the task is left running (stopping
    setup half-way leaves a watermark); running the module again attaches to it and keeps watching.
  - In check mode, returns the decision and the exact command line without changing anything.
  - This is an action plugin; it runs on the controller and calls standard Windows modules.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
options:
  setup_path:
    description:
      - The installation media's C(Setup.exe), or the media's root folder, on the server (for example C(E:\Setup.exe)
        after mounting the ISO).
      - Never the C(ExSetup.exe) of an installed Exchange nor a folder under C(V15\Bin) (exchange-facts 6.7).
    type: str
    required: true
  media_version:
    description:
      - The build of the media's C(Setup.exe), for example C(15.2.1748.10), as the media module reports it. The mode
        decision and the switch rules use it.
    type: str
    required: true
  license_record:
    description:
      - Activity 6's acceptance record, whole - the RV(rpi.exchange.exchange_license#module:record) that
        M(rpi.exchange.exchange_license) returned (C(accepted), C(accepted_by), C(accepted_at), C(media_version),
        C(license_sha256), C(diagnostic_data), C(switch)).
      - Its C(switch) goes on the command line as it is; nothing else makes a licence switch.
      - Refused, before the server is read, in O(language) and naming activity 6, when it is missing, does not say
        C(accepted=true), is for another media build than O(media_version), or carries a switch that contradicts its
        diagnostic-data choice or that this media does not know.
      - Required (checked by the module itself, so that the refusal says what to do).
    type: dict
  license_sha256:
    description:
      - SHA-256 of the licence text on the mounted media, as M(rpi.exchange.exchange_media) returns it.
      - When both this and the record's C(license_sha256) are known they must be equal (the licence accepted is the one
        on this media).
    type: str
  setup_options:
    description:
      - Activity 7's result, whole - what M(rpi.exchange.exchange_setup_options) returned, with its C(role) (C(/Roles),
        checked against the installed or interrupted role on an upgrade or a resume) and its C(switch_values) (the
        optional switches of activities 5 and 7).
      - Refused when it is missing, failed, or lists problems.
      - Required (checked by the module itself, so that the refusal names activity 7).
    type: dict
  run_as_user:
    description:
      - The domain account C(Setup.exe) runs as, for example C(RPI\svc-exchange). It must reach Active Directory with the
        rights setup needs (Schema Admins and Enterprise Admins for a first install or a schema change, Organization
        Management otherwise).
    type: str
    required: true
  run_as_password:
    description:
      - The password of O(run_as_user). It is only given to M(community.windows.win_scheduled_task), which keeps it with
        the task; it never appears on a command line, in a result, in the log or in the report.
    type: str
    required: true
  server_object_in_ad:
    description:
      - Whether the server's object is known to still exist in Active Directory. With V(true) and no Exchange on the
        server, the server is rebuilt with C(/Mode:RecoverServer).
    type: bool
  timeout:
    description:
      - Seconds to wait for setup to finish, counted from its start. Microsoft estimates 60 minutes for a Mailbox install
        and up to 180 minutes for a cumulative update.
      - When it is reached the task fails but setup is not stopped; run the module again to keep waiting.
    type: int
    default: 14400
  poll_interval:
    description:
      - The longest a single call waits on the server, in seconds, so the progress shown is at most this old. The end of
        setup does not wait for it - the server answers as soon as setup has finished.
    type: float
    default: 30.0
  setup_log_tail_bytes:
    description:
      - How much of this run's part of C(ExchangeSetup.log) is kept, at most, to triage the run (its end is kept). The log
        is read as it grows; this is also the most one call returns.
    type: int
    default: 1048576
notes:
  - Needs M(community.windows.win_scheduled_task) and M(ansible.windows.win_command) on the controller, and
    C(schtasks.exe) and the C(ScheduledTasks) PowerShell module on the server.
  - The scheduled task is C(\RPI\rpi-exchange-setup). It is deleted when setup has finished.
  - A setup already running that was not started by this module (someone ran C(Setup.exe) on the console) is not
    touched; the module refuses and says so.
  - Microsoft requires a restart after every install and cumulative update; RV(reboot_required) is V(true) after a
    successful run and the calling role restarts the server.
seealso:
  - module: rpi.exchange.exchange_facts
  - module: rpi.exchange.exchange_license
  - module: rpi.exchange.exchange_setup_options
  - module: community.windows.win_scheduled_task
  - module: rpi.exchange.win_exchange_setup_status
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Mount the installation media and read its build (activity 3)
  rpi.exchange.exchange_media:
    iso: C:\RPI\Exchange\ExchangeServerSE-x64.iso
    sha256: "{{ rpi_exchange_media.sha256 }}"
    state: mounted
  register: media

- name: Accept the licence (activity 6)
  rpi.exchange.exchange_license:
    accept: true
    diagnostic_data: "OFF"
    media_version: "{{ media.version }}"
    license_sha256: "{{ media.license_sha256 | default(omit, true) }}"
  register: license

- name: Choose the role and options (activities 5 and 7)
  rpi.exchange.exchange_setup_options:
    role: Mailbox
    media_version: "{{ media.version }}"
    organization_name: RPI
    first_server: true
  register: options

- name: Install or upgrade Exchange (activities 8 and 9)
  rpi.exchange.exchange_setup:
    setup_path: "{{ media.setup_path }}"
    media_version: "{{ media.version }}"
    license_record: "{{ license.record }}"
    license_sha256: "{{ media.license_sha256 | default(omit, true) }}"
    setup_options: "{{ options }}"
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
  register: setup

- name: Restart the server, as Microsoft requires after setup
  ansible.windows.win_reboot:
  when: setup.reboot_required
"""

RETURN = r"""
mode:
  description: The decision - C(install), C(upgrade), C(resume), C(recoverserver), C(nothing) or C(refuse).
  returned: always
  type: str
  sample: upgrade
reason:
  description: Why, as a stable key (for example C(fresh_install), C(newer_cu), C(to_se), C(same_cu), C(downgrade)).
  returned: always
  type: str
  sample: to_se
decision:
  description: The whole decision (messages in Spanish and English, versions, interrupted role keys, sources).
  returned: always
  type: dict
command_line:
  description: The exact C(Setup.exe) command line (no secret by construction).
  returned: when setup runs or would run
  type: str
  sample: E:\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Upgrade
command:
  description: The command as C(executable), C(arguments), C(working_directory) and C(mode).
  returned: when setup runs or would run
  type: dict
dropped_switches:
  description: Switches left out because Microsoft documents them only with another mode, each with the reason.
  returned: when setup runs or would run
  type: list
  elements: dict
media_version:
  description: The media's build, as given.
  returned: always
  type: str
version_before:
  description: The Exchange build on the server before the run (ExSetup.exe's file version), or null.
  returned: always
  type: str
  sample: 15.2.1748.10
version_after:
  description: The Exchange build on the server after the run.
  returned: always
  type: str
  sample: 15.2.2562.17
duration_seconds:
  description: How long setup ran, from its start to the call that saw it end.
  returned: when setup ran
  type: float
reboot_required:
  description: Whether the server must be restarted now (always after a successful install or upgrade).
  returned: always
  type: bool
exit_code:
  description: C(Setup.exe)'s exit code (the task's last result), or null when setup did not finish.
  returned: when setup ran
  type: int
triage:
  description:
    - The triage of this run's part of C(ExchangeSetup.log) (C(outcome), C(category), C(error), C(error_line),
      C(advice), C(findings), C(progress)...), as P(rpi.exchange.setup_log_triage#filter) returns it.
    - On a refusal over an interrupted setup, the triage of the last run found in the log.
  returned: when setup ran, or when the decision refused an interrupted setup
  type: dict
outcome:
  description: The reading of the run - C(succeeded), C(category), C(exit_code), versions, C(interrupted) role keys,
    C(error), C(error_line) and the advice in both languages.
  returned: when setup ran
  type: dict
progress:
  description: The milestones seen while polling (C(elapsed_seconds), C(phase), C(step), C(task), C(log_time)).
  returned: when setup ran
  type: list
  elements: dict
watch:
  description: How the watch went - C(status) (C(finished), C(timeout), C(unreachable), C(not_started)...), C(polls)
    (status calls), C(interruptions) of the connection, C(milestones), C(detection_window_seconds) (how long before the
    look that saw setup end a look still saw it running), the task's final C(task) state.
  returned: when setup ran
  type: dict
attached:
  description: True when setup was already running from an earlier run of this module and was watched, not started.
  returned: when attached
  type: bool
task:
  description: The scheduled task's path.
  returned: always
  type: str
  sample: \RPI\rpi-exchange-setup
task_removed:
  description: Whether the scheduled task was deleted after the run.
  returned: when setup ran
  type: bool
msg:
  description: What happened, in O(language); on failure it names the category, the error line and the advice.
  returned: always
  type: str
rpi_report:
  description: Evidence for the run report (the plan and command line, the change, versions, progress, triage) and the
    report target (mode, media build, Exchange before and after).
  returned: always
  type: dict
"""
