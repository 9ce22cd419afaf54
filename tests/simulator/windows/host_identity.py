"""Accounts, groups, authentication and per-user environment of the simulated server."""

from __future__ import annotations

import re

from .state_types import SYSTEM_ACCOUNT, WELL_KNOWN_ACCOUNTS, Account, hash_password


class IdentityMixin:
    """Mixin of WindowsHost (state.py); uses its lock, clock, registry, fs and diagnostics."""

    # ================================================================ identity, accounts
    @property
    def fqdn(self) -> str:
        return f"{self.hostname}.{self.domain.fqdn}" if self.domain else self.hostname

    @property
    def domain_member(self) -> bool:
        return self.domain is not None

    def add_account(self, name: str, password: str, *, domain: str | None = None, groups: set[str] | None = None,
                    full_name: str = "", enabled: bool = True) -> Account:
        """Add a user. `domain` None = a local account; otherwise the NetBIOS domain name ("RPI")."""
        with self.lock:
            local = domain is None or domain.upper() == self.hostname
            dom = self.hostname if local else domain.upper()
            acct = Account(name, dom, groups=set(groups or ()), enabled=enabled, full_name=full_name, is_local=local,
                           sid=self._new_sid(local))
            acct.password_hash = hash_password(password, acct.qualified.lower())
            self.accounts[acct.qualified.lower()] = acct
            return acct

    def _new_sid(self, local: bool) -> str:
        base = "S-1-5-21-3623811015-3361044348-30300820" if local else "S-1-5-21-1004336348-1177238915-682003330"
        return f"{base}-{1000 + len(self.accounts)}"

    def set_password(self, user: str, password: str) -> None:
        acct = self.find_account(user)
        if acct is None:
            raise KeyError(user)
        acct.password_hash = hash_password(password, acct.qualified.lower())

    def add_to_local_group(self, group: str, member: str) -> None:
        with self.lock:
            self.local_groups.setdefault(group.lower(), set()).add(member.lower())

    def find_account(self, user: str) -> Account | None:
        """Resolve `DOMAIN\\user`, `user@fqdn`, `.\\user` or a bare name (local first, then the joined domain)."""
        with self.lock:
            u = user.strip()
            if "@" in u and "\\" not in u:
                name, realm = u.partition("@")[::2]
                if self.domain and realm.lower() in (self.domain.fqdn.lower(), self.domain.netbios.lower()):
                    return self.accounts.get(f"{self.domain.netbios}\\{name}".lower())
                return None
            if "\\" in u:
                dom, name = u.partition("\\")[::2]
                if dom in (".", "") or dom.upper() == self.hostname:
                    dom = self.hostname
                elif self.domain and dom.lower() == self.domain.fqdn.lower():
                    dom = self.domain.netbios
                return self.accounts.get(f"{dom}\\{name}".lower())
            local = self.accounts.get(f"{self.hostname}\\{u}".lower())
            if local is not None:
                return local
            if self.domain:
                return self.accounts.get(f"{self.domain.netbios}\\{u}".lower())
            return None

    def canonical_user(self, user: str) -> str:
        """`RPI\\svc-exchange`, `RPI-EXCH01\\Administrator`, `NT AUTHORITY\\SYSTEM`; unknown names unchanged."""
        well_known = WELL_KNOWN_ACCOUNTS.get(user.strip().lower())
        if well_known:
            return well_known
        acct = self.find_account(user)
        return acct.qualified if acct else user

    def authenticate(self, user: str, password: str) -> bool:
        acct = self.find_account(user)
        return bool(acct and acct.enabled and acct.password_hash == hash_password(password, acct.qualified.lower()))

    def groups_of(self, user: str) -> set[str]:
        """Every group (canonical, as stored) the account belongs to, including local groups via domain groups."""
        with self.lock:
            acct = self.find_account(user)
            if acct is None:
                return set()
            groups = set(acct.groups)
            if self.domain and not acct.is_local:
                groups.add(f"{self.domain.netbios}\\Domain Users")
            members = {acct.qualified.lower()} | {g.lower() for g in groups}
            for local, group_members in self.local_groups.items():
                if members & group_members:
                    groups.add(f"BUILTIN\\{local.title()}" if local != "remote management users"
                               else "BUILTIN\\Remote Management Users")
            return groups

    def in_group(self, user: str, group: str) -> bool:
        """`group` as "RPI\\Schema Admins", "Schema Admins" or "BUILTIN\\Administrators" (case-insensitive)."""
        want = group.lower()
        for g in self.groups_of(user):
            gl = g.lower()
            if gl == want or gl.split("\\", 1)[-1] == want:
                return True
        return False

    def is_admin(self, user: str) -> bool:
        if self.canonical_user(user) == SYSTEM_ACCOUNT:
            return True
        return self.in_group(user, "BUILTIN\\Administrators")

    # ================================================================ environment, paths
    def user_env(self, user: str | None = None) -> dict[str, str]:
        """The environment a process of `user` sees (per-user TEMP/USERPROFILE on top of the machine's)."""
        env = dict(self.env)
        if user:
            profile = self.user_profile(user)
            temp = r"C:\Windows\TEMP" if self.canonical_user(user) == SYSTEM_ACCOUNT else profile + r"\AppData\Local\Temp"
            env.update({"USERPROFILE": profile, "TEMP": temp, "TMP": temp, "APPDATA": profile + r"\AppData\Roaming",
                        "LOCALAPPDATA": profile + r"\AppData\Local", "USERNAME": self.canonical_user(user).split("\\")[-1]})
        return env

    def expand_env(self, text: str, user: str | None = None) -> str:
        """Expand %VAR% and $env:VAR the way cmd/PowerShell would (with `user`'s per-user variables if given)."""
        env = {k.lower(): v for k, v in self.user_env(user).items()}

        def pct(m: re.Match[str]) -> str:
            return env.get(m.group(1).lower(), m.group(0))

        out = re.sub(r"%([A-Za-z0-9_()]+)%", pct, text)
        return re.sub(r"\$env:([A-Za-z0-9_]+)", lambda m: env.get(m.group(1).lower(), m.group(0)), out, flags=re.I)

    def user_profile(self, user: str) -> str:
        name = self.canonical_user(user).split("\\")[-1]
        if self.canonical_user(user) == SYSTEM_ACCOUNT:
            return r"C:\Windows\system32\config\systemprofile"
        return rf"C:\Users\{name}"
