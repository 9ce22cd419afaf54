# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_media
short_description: Stage, verify, mount and identify the Exchange 2019/SE installation media
version_added: 0.1.0
description:
  - Takes the Exchange ISO from a path on the server, a share, or a file on the controller, optionally stages it in a folder
    of the server, and checks its SHA-256 on the server against the value the inventory pins B(before) mounting it. A
    mismatch is refused with both hashes and what to do.
  - Mounts the image with M(community.windows.win_disk_image), reads the version of its C(Setup.exe) with
    M(community.windows.win_file_version), names the product from the collection's Exchange catalogue (2019 CU or SE) and
    returns the SHA-256 of the licence text found on the media, for M(rpi.exchange.exchange_license).
  - With O(state=inspected) it verifies and reads the image without leaving any change; an image that is not mounted is mounted
    only for the time it takes to read it. Roles can decide with it whether setup must run before mounting for good.
  - With O(state=unmounted) it unmounts the image.
  - Idempotent; an image already staged (same SHA-256) is not copied again and an image already mounted is not mounted twice.
  - This is an action plugin; it runs on the controller and calls Windows modules on the server.
options:
  iso:
    description:
      - The ISO on the server (C(C:\RPI\Exchange\ExchangeServerSE-x64.iso)) or on a share
        (C(\\rpi-fs01\instaladores\Exchange\ExchangeServerSE-x64.iso)).
      - A share is used in place unless O(dest) is set; the WinRM account must then be able to read it (no double hop).
      - Exactly one of O(iso) and O(src) is required.
    type: str
  src:
    description:
      - The ISO on the controller, looked up like the C(src) of the copy modules. It is checked against O(sha256) on the
        controller, then copied to O(dest) with M(ansible.windows.win_copy) (slow for a multi-gigabyte image over WinRM).
    type: path
  sha256:
    description:
      - The SHA-256 of the approved ISO, as the inventory pins it (64 hexadecimal digits, either case, as C(Get-FileHash)
        prints it).
      - Required with O(state=mounted) and O(state=inspected); the module refuses to run without it.
    type: str
  dest:
    description:
      - Folder on the server (or full C(.iso) path) where the image is staged before it is verified and mounted.
      - Required with O(src); optional with O(iso) (to copy the image from a share to the server's disk).
    type: str
  state:
    description:
      - V(mounted) verifies the image, mounts it and reads it.
      - V(inspected) verifies and reads the image and leaves the server as it was (nothing copied; mounted only while reading
        unless it already was). It reports no change.
      - V(unmounted) unmounts it.
    type: str
    default: mounted
    choices: [mounted, inspected, unmounted]
  license_file_names:
    description:
      - Where to look for the licence text on the media, relative to its root, in order; the first file found is hashed.
    type: list
    elements: str
    default: [License.rtf, License.txt, EULA.rtf, Setup\ServerRoles\Common\License.rtf]
  variable_names:
    description:
      - Maps an option name (C(iso), C(sha256), C(src), C(dest)) to the inventory variable that feeds it (for example
        C(sha256) to C(rpi_exchange_media.sha256)), so that a refusal names the variable the technician edits.
    type: dict
    default: {}
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Verifies the SHA-256 and reports what would be copied and mounted, without copying. So that the plan can show
      the media's version, an image that is not mounted is mounted read-only just long enough to read Setup.exe's version
      and the licence text, then unmounted (RV(mounted_while_reading)); the server is left as it was. A controller file
      that is not yet on the server cannot be read in check mode.
notes:
  - Microsoft does not document the name of the licence file on the media; the default list starts with C(License.rtf) at
    the root. When none is found RV(license_sha256) is null and a warning says so.
seealso:
  - module: rpi.exchange.exchange_license
  - module: rpi.exchange.exchange_prerequisites
  - module: community.windows.win_disk_image
  - module: community.windows.win_file_version
  - module: ansible.windows.win_stat
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Activity 3, verify and mount the Exchange SE media from the RPI share
  rpi.exchange.exchange_media:
    iso: \\rpi-fs01\instaladores\Exchange\ExchangeServerSE-x64.iso
    dest: C:\RPI\Exchange
    sha256: "{{ rpi_exchange_media_sha256 }}"
  register: media

- name: Setup.exe of the mounted media
  ansible.builtin.debug:
    msg: "{{ media.setup_path }} {{ media.version }} ({{ media.label }})"

- name: Read the media's version without leaving it mounted
  rpi.exchange.exchange_media:
    iso: C:\RPI\Exchange\ExchangeServerSE-x64.iso
    sha256: "{{ rpi_exchange_media_sha256 }}"
    state: inspected
  register: media_info

- name: Unmount the media after setup
  rpi.exchange.exchange_media:
    iso: C:\RPI\Exchange\ExchangeServerSE-x64.iso
    state: unmounted
"""

RETURN = r"""
drive:
  description: The drive letter the image is mounted on (with RV(mounted_while_reading), the one it was read on).
  returned: when the media was read
  type: str
  sample: E
mounted_while_reading:
  description: True when the image was mounted only to be read (check mode, O(state=inspected)) and unmounted again.
  returned: when that happened
  type: bool
setup_path:
  description: The media's Setup.exe.
  returned: when the media was read
  type: str
  sample: E:\Setup.exe
version:
  description: The build of the media's Setup.exe (FileVersion, short form).
  returned: when the media was read
  type: str
  sample: 15.2.2562.17
setup_version:
  description: The same as RV(version), under the name M(rpi.exchange.exchange_license) examples use.
  returned: when the media was read
  type: str
label:
  description: The catalogue's name of the build's CU, for example C(2019 CU15) or C(SE RTM); null for a build the catalogue
    does not list.
  returned: when the media was read
  type: str
product:
  description: The product, C(Exchange Server 2019) or C(Exchange Server Subscription Edition (SE)).
  returned: when the media was read
  type: str
edition:
  description: C(2019) or C(SE).
  returned: when the media was read
  type: str
license_path:
  description: The licence text found on the media, or null.
  returned: when the media was read
  type: str
license_sha256:
  description: SHA-256 (lower case) of the licence text, or null when none of O(license_file_names) exists.
  returned: when the media was read
  type: str
iso_path:
  description: The image that was verified and mounted (the staged copy when O(dest) is used).
  returned: always
  type: str
iso_sha256:
  description: SHA-256 (lower case) of the image as the server computed it.
  returned: when the image was found
  type: str
mounted:
  description: Whether the image is mounted after the task (in check mode, false when it would be mounted).
  returned: when the options are valid
  type: bool
source:
  description: C(origin) (C(server), C(share) or C(controller)), C(image_path) and C(stage_from).
  returned: when the options are valid
  type: dict
problems:
  description: Why the module refused; each with C(option), C(code), C(message_es), C(message_en).
  returned: on refusal
  type: list
  elements: dict
rpi_report:
  description:
    - Evidence for the run report, C({evidence:[{kind, level, summary_es, summary_en, details}]}) with kinds C(check)
      (hash verified, refusal), C(change) (staged, unmounted), C(plan) (check mode) and C(version) (the media read).
  returned: always
  type: dict
"""
