# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """What every controller-only action shares: it decides on the controller (never on the Windows server), and speaks
    Spanish or English. An action that reads or changes the server uses `windows_action` instead."""

    DOCUMENTATION = r"""
options:
  language:
    description:
      - Language of the messages.
    type: str
    default: es
    choices: [es, en]
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  platform:
    platforms: all
    details: Runs on the controller only and never contacts the managed host, whatever its platform.
"""
