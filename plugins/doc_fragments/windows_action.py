# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """What every action that works on the Windows server shares: the language of its messages and its attributes.

    A module keeps its own `check_mode` attribute when it has details to give (the module's keys win when merged)."""

    DOCUMENTATION = r"""
options:
  language:
    description:
      - Language of the messages (C(msg), warnings and the failure message). The report evidence carries both languages.
    type: str
    default: es
    choices: [es, en]
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    support: full
    platforms: windows
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
"""
