# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """What every decision-only action shares: it runs on the controller, and speaks Spanish or English."""

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
"""
