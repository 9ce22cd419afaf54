"""Installed products, the installer catalogue and Windows features of the simulated server."""

from __future__ import annotations

from . import paths
from .catalogue import UNINSTALL, UNINSTALL_WOW, InstalledProduct, InstallerSpec, ProductSpec
from .features import FEATURE_SERVICES, FeatureSpec
from .filesystem import FsError
from .programs import ProgramResult, ProgramRun
from .state_types import CBS, PENDING_FILE_RENAME, Service


class SoftwareMixin:
    """Mixin of WindowsHost (state.py); uses its lock, clock, registry, fs and diagnostics."""

    # ================================================================ installers and products
    def add_installer(self, spec: InstallerSpec) -> None:
        with self.lock:
            self.installers[spec.file_name.lower()] = spec

    def installer_for(self, path: str) -> InstallerSpec | None:
        node = self.fs.get(path) if paths.is_absolute(path) else None
        if node is not None and node.installer is not None:
            return node.installer
        return self.installers.get(paths.basename(path).lower() if "\\" in path or "/" in path else path.lower())

    def product_installed(self, key_or_id: str) -> InstalledProduct | None:
        """By catalogue key ("vcredist2013") or product id/uninstall key name (case-insensitive)."""
        with self.lock:
            want = key_or_id.lower()
            for key, inst in self.products.items():
                if key.lower() == want or inst.spec.product_id.lower() == want:
                    return inst
            return None

    def uninstall_entry_exists(self, product_id: str) -> bool:
        """What win_package checks: an Uninstall key named product_id (64-bit or WOW6432Node view)."""
        return (self.registry.key_exists(UNINSTALL + "\\" + product_id)
                or self.registry.key_exists(UNINSTALL_WOW + "\\" + product_id))

    def install_product(self, spec: ProductSpec) -> bool:
        """Write what an installed product leaves behind; returns False if it was already installed."""
        with self.lock:
            if spec.key in self.products:
                return False
            self.products[spec.key] = InstalledProduct(spec, self.clock.now().strftime("%Y%m%d"))
            for w in spec.registry:
                self.registry.set_value(w.path, w.name, w.data, w.type)
                if w.name == "DisplayName":  # an uninstall entry of the product's own MSIs: Windows Installer dates it
                    self.registry.set_value(w.path, "InstallDate", self.products[spec.key].install_date)
            ukey = spec.uninstall_key()
            if ukey:
                self.registry.set_value(ukey, "DisplayName", spec.display_name)
                self.registry.set_value(ukey, "DisplayVersion", spec.version)
                self.registry.set_value(ukey, "Publisher", spec.publisher)
                self.registry.set_value(ukey, "InstallDate", self.products[spec.key].install_date)
                if spec.is_msi:
                    self.registry.set_value(ukey, "UninstallString", f"MsiExec.exe /X{spec.product_id}", "REG_EXPAND_SZ")
                    self.registry.set_value(ukey, "WindowsInstaller", 1, "REG_DWORD")
                else:
                    self.registry.set_value(ukey, "UninstallString",
                                            rf'"C:\ProgramData\Package Cache\{spec.product_id}\setup.exe" /uninstall')
                    self.registry.set_value(ukey, "QuietUninstallString",
                                            rf'"C:\ProgramData\Package Cache\{spec.product_id}\setup.exe" /uninstall /quiet')
                if spec.version_dword is not None:
                    self.registry.set_value(ukey, "Version", spec.version_dword, "REG_DWORD")
            return True

    def uninstall_product(self, key_or_id: str) -> bool:
        with self.lock:
            inst = self.product_installed(key_or_id)
            if inst is None:
                return False
            spec = inst.spec
            del self.products[spec.key]
            for w in spec.registry:
                self.registry.delete_value(w.path, w.name)
            ukey = spec.uninstall_key()
            if ukey:
                self.registry.delete_key(ukey)
            return True

    def run_installer(self, spec: InstallerSpec, run: ProgramRun) -> ProgramResult:
        """Run one catalogued installer (exe bootstrapper or MSI through msiexec) and apply its effect.

        Exit codes: 0 ok, 3010 ok + reboot required, 1603 fatal (prerequisite missing), 5100 (.NET: system
        requirements not met), 1638 (another version of the product is already installed).
        """
        with self.lock:
            args = [a.lower() for a in run.argv]
            name = spec.product.display_name
            if not run.interactive and not spec.product.is_msi and not any(q in args for q in spec.quiet_switches):
                msg = (f"simulated: {spec.file_name} started without a quiet switch {list(spec.quiet_switches)} "
                       "waits for user input on a real server; failing instead of hanging")
                self.diagnostics.append(msg)
                return ProgramResult(rc=1602, stderr=msg, duration_seconds=0)
            if spec.min_build and self.os.build < spec.min_build or spec.max_build and self.os.build > spec.max_build:
                return ProgramResult(rc=5100, stderr=f"{name}: this operating system is not supported.")
            for feature in spec.requires_features:
                if feature.lower() not in self.features.installed | self.features.install_pending:
                    return ProgramResult(rc=1603, stderr=f"{name}: prerequisite Windows feature {feature} is missing.")
            if spec.replaces_release:
                release = self.registry.get(r"HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full", "Release", 0)
                if release >= spec.replaces_release:
                    return ProgramResult(rc=0, stdout=f"{name} or a later update is already installed on this computer.",
                                         duration_seconds=5)
            try:
                self.fs.write(rf"C:\Windows\Temp\{spec.product.key}_install.log", b"", size=200_000)
            except FsError as err:
                return ProgramResult(rc=112, stderr=str(err))  # ERROR_DISK_FULL
            if not self.install_product(spec.product):
                return ProgramResult(rc=0, duration_seconds=5)
            rc = 0
            if spec.reboot_required:
                rc = 3010
                self.set_pending_reboot(PENDING_FILE_RENAME, rf"\??\C:\Windows\Microsoft.NET\{spec.product.key}.tmp")
            return ProgramResult(rc=rc, duration_seconds=spec.duration_seconds)

    # ================================================================ Windows features
    def feature_state(self, name: str) -> str:
        """Get-WindowsFeature InstallState: Installed | InstallPending | RemovePending | Available | (absent: "")."""
        key = name.lower()
        with self.lock:
            if key not in self.features.available:
                return ""
            if key in self.features.install_pending:
                return "InstallPending"
            if key in self.features.remove_pending:
                return "RemovePending"
            return "Installed" if key in self.features.installed else "Available"

    def feature_installed(self, name: str) -> bool:
        return self.feature_state(name) in ("Installed", "InstallPending")

    def _feature_closure(self, names: list[str], include_sub: bool, include_mgmt: bool) -> list[str]:
        avail = self.features.available
        out: list[str] = []

        def add(n: str) -> None:
            k = n.lower()
            if k in out or k not in avail:
                return
            out.append(k)
            spec = avail[k]
            if spec.parent:
                add(spec.parent)
            for d in spec.depends:
                add(d)
            if include_mgmt:
                for m in spec.management_tools:
                    add(m)
            if include_sub:
                for child in (c for c in avail.values() if c.parent.lower() == k):
                    add(child.name)

        for n in names:
            add(n)
            spec = avail.get(n.lower())
            for d in spec.defaults if spec else ():
                add(d)
        return out

    def install_features(self, names: list[str], include_sub: bool = False, include_mgmt: bool = False,
                         dry_run: bool = False, seconds_per_feature: float = 20.0) -> tuple[list[FeatureSpec], bool]:
        """Install-WindowsFeature: returns (features newly installed, restart needed). Unknown names raise."""
        with self.lock:
            unknown = [n for n in names if n.lower() not in self.features.available]
            if unknown:
                raise KeyError(", ".join(unknown))
            todo = [k for k in self._feature_closure(names, include_sub, include_mgmt) if not self.feature_installed(k)]
            specs = [self.features.available[k] for k in todo]
            restart = any(s.restart_on_install for s in specs)
            if dry_run or not specs:
                return specs, restart
            size = 15_000_000 * len(specs)
            self.fs.write(r"C:\Windows\WinSxS\simulated-features.bin", None, size=self.fs.tree_size(
                r"C:\Windows\WinSxS\simulated-features.bin") + size)
            for s in specs:
                if s.restart_on_install:
                    self.features.install_pending.add(s.name.lower())
                else:
                    self.features.installed.add(s.name.lower())
            if restart:
                self.set_pending_reboot(CBS)
            self._add_feature_services()
        self.clock.advance(seconds_per_feature * len(specs))  # outside the lock: a real wait only in the demo
        return specs, restart

    def _add_feature_services(self) -> None:
        """Features bring services (IIS: W3SVC, WAS, IISADMIN...); created running/automatic as Server Manager does."""
        for feature, services in FEATURE_SERVICES.items():
            if self.feature_installed(feature):
                for name, display, mode, deps in services:
                    if self.get_service(name) is None:
                        self.add_service(Service(name, display, "running" if mode == "auto" else "stopped", mode,
                                                 list(deps)))

    def remove_features(self, names: list[str], include_mgmt: bool = False,
                        dry_run: bool = False) -> tuple[list[FeatureSpec], bool]:
        """Uninstall-WindowsFeature: removes the features and everything below them."""
        with self.lock:
            unknown = [n for n in names if n.lower() not in self.features.available]
            if unknown:
                raise KeyError(", ".join(unknown))
            todo: list[str] = []
            for n in names:
                todo += [k for k in self._feature_closure([n], True, include_mgmt)
                         if k == n.lower() or self.features.available[k].parent]
            todo = [k for k in dict.fromkeys(todo) if self.feature_installed(k)]
            specs = [self.features.available[k] for k in todo]
            restart = any(s.restart_on_remove for s in specs)
            if dry_run or not specs:
                return specs, restart
            for s in specs:
                self.features.install_pending.discard(s.name.lower())
                if s.restart_on_remove:
                    self.features.remove_pending.add(s.name.lower())
                else:
                    self.features.installed.discard(s.name.lower())
            if restart:
                self.set_pending_reboot(CBS)
            return specs, restart
