"""WinRM's own configuration on the simulated server: its listeners, `UpdatedConfig`, and winrm.cmd's restore and create.

What real Windows does, and where that comes from:
- WinRM keeps the listeners it was told to create under `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Listener`,
  one key per `<Address>+<Transport>` (`*+HTTPS` with `Port` 5986, `hostname`, `certThumbprint`, `uriprefix` "wsman").
  A Windows Server has the `*+HTTP` listener on 5985 from setup (a pristine Server 2016's WSMAN export shows it); the
  RPI added `*+HTTPS` on 5986 with its CA's certificate. The simulated endpoint serves a transport only while its
  listener is configured (host.py asks `listening`); a host whose registry does not model the `Listener` key at all is
  always served (older hosts built by hand).
- `winrm invoke Restore winrm/config @{}`: winrm.vbs's help says "Restore the default winrm configuration", and the
  default configuration has no listener ("By default, the server is configured with no listeners", [MS-WSMV] 3.1.4.1.30
  on the listener resource). So the restore removes every listener WinRM's configuration holds, at once: the
  connection that ran it is cut as soon as the command has run, and stays cut until a listener is created again
  (a restart does not bring one back). It also writes `UpdatedConfig`, the value whose absence makes Exchange setup
  restart WinRM mid-setup (ExchangeDsc Set-WSManConfigStatus, exchange-facts §6.2: after the restore ExchangeDsc only
  reboots). [INFERRED from those two Microsoft texts: community scripts disagree on whether listeners survive, so the
  simulator takes the reading that would cut the product off.] Service settings it also resets (Basic, CredSSP,
  AllowUnencrypted, TrustedHosts...) are not modelled: the simulated endpoint does not model WinRM's authentication
  settings.
- `winrm create winrm/config/Listener?Address=*+Transport=HTTPS @{Hostname="...";CertificateThumbprint="..."}`
  (Microsoft Learn, "Installation and configuration for Windows Remote Management") creates the HTTPS listener again;
  an HTTPS listener needs a certificate.
- Restart-Service WinRM (what Exchange setup does without `UpdatedConfig`) reads the same configuration again: the
  listeners survive it (state.restart_winrm leaves the registry alone).
Both the restore and the create need an elevated administrator ("Access is denied." otherwise).
"""

from __future__ import annotations

import re

from .programs import ProgramResult, ProgramRun

WSMAN_KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN"
LISTENER_KEY = WSMAN_KEY + r"\Listener"
UPDATED_CONFIG = "UpdatedConfig"
# The value a configured WinRM carries (the presets' value; Windows writes a GUID).
UPDATED_CONFIG_VALUE = "857C6BDB-A8AC-4211-93BB-8123C9ECE4E5"
DEFAULT_PORTS = {"HTTP": 5985, "HTTPS": 5986}
# A test CA's certificate for the HTTPS listener (the simulated endpoint's own TLS material is separate).
RPI_CERT_THUMBPRINT = "4F1E0C2B9A7D3E5F6A8B0C1D2E3F405162738495"

NO_CERTIFICATE = ("Cannot create a WinRM listener on HTTPS because this machine does not have an appropriate certificate. "
                  "To be used for SSL, a certificate must have a CN matching the hostname, be appropriate for Server "
                  "Authentication, and not be expired, revoked, or self-signed.")
_CREATE = re.compile(r"^winrm/config/listener\?address=(?P<address>[^+]+)\+transport=(?P<transport>https?)$", re.I)


def write_listener(host, transport: str, *, port: int | None = None, hostname: str = "", thumbprint: str = "",
                   address: str = "*") -> None:
    key = f"{LISTENER_KEY}\\{address}+{transport.upper()}"
    reg = host.registry
    reg.set_value(key, "Port", port or DEFAULT_PORTS[transport.upper()], "REG_DWORD")
    reg.set_value(key, "uriprefix", "wsman")
    if hostname:
        reg.set_value(key, "hostname", hostname)
    if thumbprint:
        reg.set_value(key, "certThumbprint", thumbprint)


def configure(host) -> None:
    """A Windows Server as the RPI has it: WinRM configured (UpdatedConfig), HTTP on 5985 from setup, the RPI's HTTPS
    listener on 5986 with its certificate; and winrm.cmd, which can restore and create listeners."""
    host.registry.set_value(WSMAN_KEY, UPDATED_CONFIG, UPDATED_CONFIG_VALUE, "REG_SZ")
    write_listener(host, "HTTP")
    fqdn = f"{host.hostname}.{host.domain.fqdn}".lower() if host.domain else host.hostname.lower()
    write_listener(host, "HTTPS", hostname=fqdn, thumbprint=RPI_CERT_THUMBPRINT)
    install(host)


def install(host) -> None:
    host.register_program_handler("winrm.cmd", winrm_cmd)


def listeners(host) -> dict[str, dict]:
    """Configured listeners by key name (`*+HTTPS`), with their values (names lower-cased)."""
    reg = host.registry
    if not reg.key_exists(LISTENER_KEY):
        return {}
    return {sub: {name.lower(): value.data for name, value in reg.values(f"{LISTENER_KEY}\\{sub}").items()}
            for sub in reg.subkeys(LISTENER_KEY)}


def listening(host, transport: str, port: int | None = None) -> bool:
    """Whether WinRM listens for `transport` on `port` (its default port when None)."""
    if not host.registry.key_exists(LISTENER_KEY):
        return True  # this host does not model WinRM's configuration
    transport, port = transport.upper(), port or DEFAULT_PORTS[transport.upper()]
    return any(name.upper().endswith("+" + transport) and int(values.get("port") or DEFAULT_PORTS[transport]) == port
               for name, values in listeners(host).items())


def restore(host) -> list[str]:
    """`winrm invoke Restore winrm/config @{}`: the default configuration (no listener) and UpdatedConfig. Returns the
    listeners removed."""
    with host.lock:
        removed = sorted(listeners(host))
        for name in removed:
            host.registry.delete_key(f"{LISTENER_KEY}\\{name}")
        host.registry.create_key(LISTENER_KEY)
        host.registry.set_value(WSMAN_KEY, UPDATED_CONFIG, UPDATED_CONFIG_VALUE, "REG_SZ")
        host.log(f"winrm restore: WinRM's default configuration; listeners removed: {', '.join(removed) or 'none'}")
        return removed


def _values(text: str) -> dict[str, str] | None:
    """`@{Hostname="h";CertificateThumbprint="t"}` (quotes optional: the command line may have stripped them)."""
    text = text.strip()
    if not (text.startswith("@{") and text.endswith("}")):
        return None
    out = {}
    for item in filter(None, (part.strip() for part in text[2:-1].split(";"))):
        name, sep, value = item.partition("=")
        if not sep:
            return None
        out[name.strip().lower()] = value.strip().strip('"')
    return out


def winrm_cmd(host, run: ProgramRun) -> ProgramResult:
    """winrm.cmd (cscript winrm.vbs): `invoke Restore winrm/config @{}` and `create winrm/config/Listener?...`."""
    argv = list(run.argv)
    lowered = [arg.lower() for arg in argv]
    if not run.elevated:
        return ProgramResult(rc=1, stdout="WSManFault\r\n    Message = Access is denied. \r\n\r\n"
                                          "Error number:  -2147024891 0x80070005\r\nAccess is denied. \r\n")
    if lowered[:3] in (["invoke", "restore", "winrm/config"], ["i", "restore", "winrm/config"]) and \
            all(arg == "@{}" for arg in argv[3:]):
        removed = restore(host)
        host.diagnostics.append(f"winrm invoke Restore winrm/config by {run.user} via {run.via}: removed {removed}")
        return ProgramResult(rc=0, stdout="", duration_seconds=2.0)
    if len(argv) >= 2 and lowered[0] in ("create", "c"):
        found = _CREATE.match(argv[1])
        values = _values(" ".join(argv[2:])) if len(argv) > 2 else {}
        if found is None or values is None:
            return _not_modelled(run)
        transport, address = found.group("transport").upper(), found.group("address")
        if f"{address}+{transport}".lower() in (name.lower() for name in listeners(host)):
            # [not verbatim] winrm.vbs prints the service's WSManFault for an existing resource.
            return ProgramResult(rc=1, stdout="WSManFault\r\n    Message = The resource already exists. \r\n")
        thumbprint = values.get("certificatethumbprint", "")
        if transport == "HTTPS" and not thumbprint:
            return ProgramResult(rc=1, stdout=f"WSManFault\r\n    Message = {NO_CERTIFICATE} \r\n")
        write_listener(host, transport, port=int(values.get("port") or DEFAULT_PORTS[transport]),
                       hostname=values.get("hostname", ""), thumbprint=thumbprint, address=address)
        host.diagnostics.append(f"winrm create listener {address}+{transport} by {run.user} via {run.via}")
        return ProgramResult(rc=0, duration_seconds=1.0, stdout=(
            "ResourceCreated\r\n    Address = http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous\r\n"
            "    ReferenceParameters\r\n        ResourceURI = http://schemas.microsoft.com/wbem/wsman/1/config/listener\r\n"
            f"        SelectorSet\r\n            Selector: Address = {address}, Transport = {transport}\r\n"))
    return _not_modelled(run)


def _not_modelled(run: ProgramRun) -> ProgramResult:
    return ProgramResult(rc=1, stderr=f"The simulated Windows server does not model this command: winrm {run.arguments}\r\n")
