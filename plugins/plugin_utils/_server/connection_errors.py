# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a connection failure means for the technician, when it is the inventory's fault and not the network's.

The first task of a run that reaches the server (activity 1's reading) turns a rejected logon into a plain failure
that names the inventory variables to fix, in Spanish, instead of the connection plugin's English "unreachable".
A server that does not answer at all stays unreachable: nothing in the inventory explains that.
"""

from __future__ import annotations

import re

# pywinrm/ansible's winrm and psrp plugins: Basic and NTLM rejections (HTTP 401), and Kerberos/SPNEGO logon errors.
_REJECTED = re.compile(r"credentials were rejected|\b401\b|unauthorized|logon failure|authentication (?:failed|error)|"
                       r"kinit|kerberos.*(?:password|preauth|principal)|clock skew", re.IGNORECASE)


def credentials_rejected(message: str) -> tuple[str, str] | None:
    """Spanish and English explanations when `message` says the server refused the logon; None otherwise."""
    text = str(message or "")
    if not _REJECTED.search(text):
        return None
    return (
        f"El servidor rechazó el inicio de sesión de WinRM: revise ansible_user y ansible_password (en el vault o en las "
        f"variables de entorno) y, con Kerberos, el dominio del usuario y la hora del equipo de control. No se cambió nada en el "
        f"servidor. Detalle: {text}",
        f"The server refused the WinRM logon: check ansible_user and ansible_password (in the vault or the environment) and, "
        f"with Kerberos, the user's domain and the controller's clock. Nothing was changed on the server. Detail: {text}",
    )
