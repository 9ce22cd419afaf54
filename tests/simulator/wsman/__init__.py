"""WS-Management (WinRM) endpoint of the simulated server.

    from simulator.wsman import WSManServer
    with WSManServer(backend, scheme="https", ca_dir=tmp_path) as server:
        host_vars = server.inventory_vars("administrator", "Passw0rd!")

A playbook reaches it with: ansible_connection=winrm, ansible_host=127.0.0.1,
ansible_port=<server.port>, ansible_winrm_transport=basic, ansible_winrm_scheme=http|https and,
for https, ansible_winrm_server_cert_validation=validate with ansible_winrm_ca_trust_path=<ca.pem>.
ansible-core 2.21+ needs no ansible_shell_type (its winrm plugin defaults to cmd); 2.19 uses
powershell by default.
"""

from __future__ import annotations

from .faults import WSManFault
from .recorder import PayloadRecorder, load_recording, save_recording
from .reqlog import RequestLog, RequestRecord
from .server import WSManServer
from .tls import TLSMaterial, generate as generate_tls

__all__ = [
    "PayloadRecorder",
    "RequestLog",
    "RequestRecord",
    "TLSMaterial",
    "WSManFault",
    "WSManServer",
    "generate_tls",
    "load_recording",
    "save_recording",
]
