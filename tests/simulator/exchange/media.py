"""Exchange installation media (ISO images) as data.

Each image has a volume label, a file tree (root `Setup.exe` and `Setup\\ServerRoles\\Common\\ExSetup.exe` whose
FileVersion is the release build, `UcmaRedist\\Setup.exe` [exchange-facts §2.3 S1, S4], a licence text) and a
deterministic byte content, so the ISO file has a stable size and SHA-256 (`MediaImage.sha256`).

The ISO's bytes are a small, deterministic stand-in (an ISO 9660-like descriptor plus a manifest of the tree),
not a real multi-GB image; `nominal_size` says how big the real one is, for display only.
Volume labels and ISO file names follow Microsoft's download naming as commonly seen [UNCONFIRMED exact labels].
The CU15 ExSetup FileVersion is 15.2.1748.10 (Microsoft's table, exchange-facts §3.1 [S3]); Install-Exchange15's
15.02.1748.008 is the documented discrepancy — pass `exsetup_version` to `build_media` to model the other reading.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from ..windows.catalogue import UCMA4, InstallerSpec
from ..windows.filesystem import DiskImage, FileNode
from .builds import RELEASES, Build, Release

LICENSE_TEXT = (
    "SIMULATED LICENCE TEXT - NOT MICROSOFT'S LICENCE TERMS.\r\n"
    "This file stands in for the Exchange Server licence on simulated installation media used by the\r\n"
    "rpi.exchange test simulator. It grants nothing and is not a legal document.\r\n"
    "Product: {product}\r\nBuild: {build}\r\n"
)

# Setup reads UCMA 4.0 Core Runtime from \UcmaRedist on the media (exchange-facts §2.3 [S1]).
UCMA_RUNTIME_VERSION = "5.0.8308.0"
# Running the media's UcmaRedist\Setup.exe installs the UCMA 4.0 Core Runtime: the package Microsoft says Server Core
# must use (exchange-facts §2.3 [S1]: `.\UCMARunTimeSetup.exe -q`; Install-Exchange15 runs `<media>\UcmaRedist\Setup.exe
# /passive /norestart` [S4]). Same product, detection key and feature dependency as the downloadable package.
UCMA_MEDIA_INSTALLER = InstallerSpec("Setup.exe", UCMA4, duration_seconds=90, size=1_150_000,
                                     requires_features=("Server-Media-Foundation",))


@dataclass(frozen=True)
class MediaFile:
    """One file on the media. `content` is set for small text files; large binaries are size-only."""

    path: str  # relative to the media root, backslashes
    size: int
    version: str = ""  # FileVersion of PE files
    content: bytes | None = None
    role: str = ""  # what the Exchange model uses it for: "setup", "exsetup", "ucma", "license"

    def digest(self, seed: str) -> str:
        data = self.content if self.content is not None else f"{seed}|{self.path}|{self.size}".encode()
        return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class MediaImage:
    """One Exchange ISO."""

    release: Release
    iso_name: str  # "ExchangeServer2019-x64-CU15.ISO"
    volume_label: str
    exsetup_version: Build
    files: tuple[MediaFile, ...] = field(default_factory=tuple)
    nominal_size: int = 0  # size of the real ISO (display only)

    @cached_property
    def content(self) -> bytes:
        """The ISO file's bytes: a 'CD001' descriptor with the label, then the JSON manifest of the tree."""
        seed = f"{self.release.key}|{self.exsetup_version}"
        manifest = [{"path": f.path, "size": f.size, "version": f.version, "sha256": f.digest(seed)}
                    for f in sorted(self.files, key=lambda f: f.path.lower())]
        header = b"\x01CD001\x01\x00" + self.volume_label.encode("ascii").ljust(32, b" ")
        body = json.dumps({"label": self.volume_label, "files": manifest}, sort_keys=True, separators=(",", ":"))
        return header + b"\x00" * (2048 - len(header)) + body.encode("utf-8")

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        """Upper-case hex like Get-FileHash prints it."""
        return hashlib.sha256(self.content).hexdigest().upper()

    def file(self, role: str) -> MediaFile:
        return next(f for f in self.files if f.role == role)

    def disk_image(self) -> DiskImage:
        """The Windows model's DiskImage (the tree a Mount-DiskImage exposes)."""
        nodes = {f.path: FileNode(f.path, content=f.content, size=f.size if f.content is None else len(f.content),
                                  version=f.version, readonly=True,
                                  installer=UCMA_MEDIA_INSTALLER if f.role == "ucma" else None) for f in self.files}
        for folder in {p.rsplit("\\", 1)[0] for p in nodes if "\\" in p}:
            nodes.setdefault(folder, FileNode(folder, is_dir=True, readonly=True))
        return DiskImage(label=self.volume_label, files=nodes, image_type="ISO")

    def iso_node(self, path: str) -> FileNode:
        """A FileNode for the .iso file itself at `path` (its content gives the stable SHA-256)."""
        return FileNode(path, content=self.content, size=self.size, image=self.disk_image())


def _files(release: Release, version: Build) -> tuple[MediaFile, ...]:
    fv = version.long  # Exchange binaries report the zero-padded FileVersion (exchange-facts §3.1 [S4])
    licence = LICENSE_TEXT.format(product=release.product_name, build=version).encode("utf-8")
    return (
        MediaFile("Setup.exe", 1_343_488, fv, role="setup"),
        MediaFile("autorun.inf", 0, content=b"[autorun]\r\nopen=setup.exe\r\nicon=setup.exe,0\r\n"),
        MediaFile("exchangeserver.msi", 212_000_000),
        MediaFile("License.rtf", 0, content=licence, role="license"),
        MediaFile("Setup\\ServerRoles\\Common\\ExSetup.exe", 42_000, fv, role="exsetup"),
        MediaFile("Setup\\ServerRoles\\Common\\Microsoft.Exchange.Setup.Console.dll", 310_000, fv),
        MediaFile("UcmaRedist\\Setup.exe", 1_150_000, UCMA_RUNTIME_VERSION, role="ucma"),
    )


def build_media(release_key: str, *, exsetup_version: str | None = None) -> MediaImage:
    release = RELEASES[release_key]
    version = Build.parse(exsetup_version) if exsetup_version else release.build
    if release.is_se:
        iso, label = "ExchangeServerSE-x64.iso", "EXCHANGESERVERSE-X64"
    else:
        iso, label = f"ExchangeServer2019-x64-CU{release.cu}.ISO", f"EXCHANGESERVER2019-X64-CU{release.cu}"
    return MediaImage(release, iso, label, version, _files(release, version), nominal_size=6_100_000_000)


# The images tests and presets use: supported CUs, SE, and older CUs for negative tests.
MEDIA: dict[str, MediaImage] = {key: build_media(key) for key in ("2019-CU12", "2019-CU13", "2019-CU14", "2019-CU15", "SE-RTM")}
MEDIA_CU10 = build_media("2019-CU10")  # legacy licence switch era, for switch-rule tests


def media_by_label(label: str) -> MediaImage | None:
    for image in (*MEDIA.values(), MEDIA_CU10):
        if image.volume_label.lower() == label.lower():
            return image
    return None


def image_from_content(data: bytes) -> DiskImage | None:
    """The file tree of a known Exchange ISO from its bytes: a copy of the ISO pushed from the controller (win_copy)
    carries only the bytes, and Mount-DiskImage reads the tree from them (registered by runtime.attach)."""
    for image in (*MEDIA.values(), MEDIA_CU10):
        if len(data) == image.size and data == image.content:
            return image.disk_image()
    return None
