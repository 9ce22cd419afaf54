"""A small virtual file system: case-insensitive Windows paths, volumes with free-space accounting, UNC shares.

Large files (installers, ISOs) are size-only placeholders (`content is None`) so the model stays small;
their bytes read back as zeros. Files may carry an `installer` (what running them installs, see catalogue.py)
or an `image` (the file tree of an ISO, see DiskImage) so copies keep that meaning.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from . import paths


class FsError(OSError):
    """A file-system error with the Windows message text."""


class DiskFullError(FsError):
    def __init__(self, path: str) -> None:
        super().__init__(f"There is not enough space on the disk. : '{path}'")


class NotFoundError(FsError):
    pass


@dataclass
class Volume:
    letter: str  # "C"
    label: str = ""
    filesystem: str = "NTFS"  # NTFS | ReFS | UDF | FAT32
    drive_type: str = "Fixed"  # Fixed | Network | Removable | CD-ROM (Get-Volume DriveType)
    size: int = 0
    used_base: int = 0  # bytes used by what the model does not store file by file (the OS itself)
    used_files: int = 0
    read_only: bool = False
    image_path: str = ""  # set when the volume is a mounted disk image

    @property
    def free(self) -> int:
        return max(0, self.size - self.used_base - self.used_files)

    @property
    def root(self) -> str:
        return f"{self.letter}:\\"


@dataclass
class DiskImage:
    """An ISO/VHD's content: relative path -> FileNode template (paths.normalize-d on mount)."""

    label: str
    files: dict[str, "FileNode"] = field(default_factory=dict)
    image_type: str = "ISO"


@dataclass
class FileNode:
    path: str
    is_dir: bool = False
    content: bytes | None = None
    size: int = 0
    created: datetime | None = None
    modified: datetime | None = None
    accessed: datetime | None = None
    readonly: bool = False
    hidden: bool = False
    version: str = ""  # FileVersion for PE files (Get-Item ...).VersionInfo
    installer: Any = None  # catalogue.InstallerSpec
    image: DiskImage | None = None
    owner: str = "BUILTIN\\Administrators"

    def data(self) -> bytes:
        if self.content is not None:
            return self.content
        return b"\0" * self.size

    def checksum(self, algorithm: str = "sha1") -> str:
        """Real hash of stored content; for size-only placeholders a stable hash of what the file stands for."""
        import hashlib
        if self.content is not None:
            return hashlib.new(algorithm, self.content).hexdigest()
        ident = getattr(self.installer, "file_name", "") or (self.image.label if self.image else "") or self.version
        return hashlib.new(algorithm, f"placeholder:{ident}:{self.size}".encode()).hexdigest()

    def chunk(self, offset: int, length: int) -> bytes:
        if self.content is not None:
            return self.content[offset:offset + length]
        return b"\0" * max(0, min(length, self.size - offset))


def _now_default() -> datetime:
    from datetime import timezone
    return datetime.now(timezone.utc)


class FileSystem:
    """path key -> FileNode. Roots exist for each volume and each registered UNC share."""

    def __init__(self, lock: threading.RLock | None = None, now: Callable[[], datetime] = _now_default) -> None:
        self._lock = lock or threading.RLock()
        self._now = now
        self._nodes: dict[str, FileNode] = {}
        self.volumes: dict[str, Volume] = {}
        self.shares: dict[str, str] = {}  # key of \\server\share -> display
        self.disk_full = False  # when True every write fails with "There is not enough space on the disk."

    # --- volumes and shares -----------------------------------------------------------
    def add_volume(self, volume: Volume) -> Volume:
        with self._lock:
            volume.letter = volume.letter.upper().rstrip(":\\")
            self.volumes[volume.letter] = volume
            root = volume.root
            if paths.key(root) not in self._nodes:
                self._nodes[paths.key(root)] = FileNode(root, is_dir=True, created=self._now(), modified=self._now())
            return volume

    def remove_volume(self, letter: str) -> None:
        with self._lock:
            letter = letter.upper().rstrip(":\\")
            self.volumes.pop(letter, None)
            prefix = f"{letter.lower()}:\\"
            for k in [k for k in self._nodes if k.startswith(prefix)]:
                del self._nodes[k]

    def add_share(self, unc_root: str) -> None:
        root = paths.normalize(unc_root)
        with self._lock:
            self.shares[paths.key(root)] = root
            self._nodes[paths.key(root)] = FileNode(root, is_dir=True, created=self._now(), modified=self._now())

    def volume_of(self, path: str) -> Volume | None:
        letter = paths.drive_letter(path)
        return self.volumes.get(letter) if letter else None

    # --- queries ----------------------------------------------------------------------
    def get(self, path: str) -> FileNode | None:
        if not paths.is_absolute(path):
            return None
        with self._lock:
            return self._nodes.get(paths.key(path))

    def exists(self, path: str) -> bool:
        return self.get(path) is not None

    def is_dir(self, path: str) -> bool:
        node = self.get(path)
        return bool(node and node.is_dir)

    def is_file(self, path: str) -> bool:
        node = self.get(path)
        return bool(node and not node.is_dir)

    def listdir(self, path: str) -> list[FileNode]:
        k = paths.key(path).rstrip("\\")
        with self._lock:
            out = [n for nk, n in self._nodes.items()
                   if nk.startswith(k + "\\") and nk != k + "\\" and "\\" not in nk[len(k) + 1:]]
        return sorted(out, key=lambda n: n.path.lower())

    def walk(self, path: str) -> list[FileNode]:
        """Every node below `path` (not including it)."""
        k = paths.key(path).rstrip("\\")
        with self._lock:
            return sorted((n for nk, n in self._nodes.items() if nk.startswith(k + "\\") and nk != k + "\\"),
                          key=lambda n: n.path.lower())

    def tree_size(self, path: str) -> int:
        node = self.get(path)
        if node is None:
            return 0
        if not node.is_dir:
            return node.size
        return sum(n.size for n in self.walk(path) if not n.is_dir)

    def read(self, path: str) -> bytes:
        node = self.get(path)
        if node is None or node.is_dir:
            raise NotFoundError(f"Could not find file '{paths.normalize(path)}'.")
        return node.data()

    # --- changes ----------------------------------------------------------------------
    def _root_ok(self, path: str) -> None:
        root = paths.root_of(path)
        if paths.key(root) not in self._nodes:
            if root.startswith("\\\\"):
                raise NotFoundError(f"The network path was not found: '{root}'")
            raise NotFoundError(f"Cannot find drive. A drive with the name '{root[0]}' does not exist.")
        vol = self.volume_of(path)
        if vol is not None and vol.read_only:
            raise FsError(f"The media is write protected. : '{paths.normalize(path)}'")

    def _charge(self, path: str, delta: int) -> None:
        vol = self.volume_of(path)
        if vol is None:  # a UNC share: no quota, but the disk_full switch applies
            if self.disk_full:
                raise DiskFullError(paths.normalize(path))
            return
        if self.disk_full and vol.drive_type == "Fixed" or delta > 0 and delta > vol.free:
            raise DiskFullError(paths.normalize(path))
        vol.used_files = max(0, vol.used_files + delta)

    def mkdir(self, path: str) -> bool:
        """mkdir -p; returns True if something was created."""
        norm = paths.normalize(path)
        with self._lock:
            self._root_ok(norm)
            node = self._nodes.get(norm.lower())
            if node is not None:
                if not node.is_dir:
                    raise FsError(f"An item with the specified name {norm} already exists.")
                return False
            if self.disk_full:
                raise DiskFullError(norm)
            parent = paths.parent(norm)
            if parent is not None:
                self.mkdir(parent)
            now = self._now()
            self._nodes[norm.lower()] = FileNode(norm, is_dir=True, created=now, modified=now, accessed=now)
            return True

    def write(self, path: str, content: bytes | None = None, size: int | None = None, *, append: bool = False,
              **attrs: Any) -> FileNode:
        """Create or replace a file (parents created). `content=None` with `size` makes a placeholder."""
        norm = paths.normalize(path)
        with self._lock:
            self._root_ok(norm)
            old = self._nodes.get(norm.lower())
            if old is not None and old.is_dir:
                raise FsError(f"Access to the path '{norm}' is denied.")
            if append and old is not None:
                content = old.data() + (content or b"")
            new_size = len(content) if content is not None else int(size or 0)
            old_size = old.size if old is not None else 0
            parent = paths.parent(norm)
            if parent is not None and not self.is_dir(parent):
                self.mkdir(parent)
            self._charge(norm, new_size - old_size)
            now = self._now()
            node = FileNode(norm, content=content, size=new_size, created=old.created if old else now, modified=now,
                            accessed=now)
            for name, value in attrs.items():
                setattr(node, name, value)
            self._nodes[norm.lower()] = node
            return node

    def add(self, node: FileNode) -> FileNode:
        """Insert a prepared node (presets, mounting); charges its size."""
        node = copy.copy(node)
        node.path = paths.normalize(node.path)
        node.size = len(node.content) if node.content is not None else node.size
        with self._lock:
            parent = paths.parent(node.path)
            if parent is not None and not self.is_dir(parent):
                self.mkdir(parent)
            old = self._nodes.get(node.path.lower())
            if not node.is_dir:
                self._charge(node.path, node.size - (old.size if old else 0))
            now = self._now()
            node.created = node.created or now
            node.modified = node.modified or now
            node.accessed = node.accessed or now
            self._nodes[node.path.lower()] = node
            return node

    def delete(self, path: str) -> bool:
        """Remove a file or a whole folder tree; returns True if something was removed."""
        norm = paths.normalize(path)
        if paths.is_root(norm):
            raise FsError(f"Cannot remove a root: {norm}")
        with self._lock:
            node = self._nodes.get(norm.lower())
            if node is None:
                return False
            vol = self.volume_of(norm)
            if vol is not None and vol.read_only:
                raise FsError(f"The media is write protected. : '{norm}'")
            victims = [node] + (self.walk(norm) if node.is_dir else [])
            for v in victims:
                if not v.is_dir:
                    self._charge(v.path, -v.size)
                del self._nodes[v.path.lower()]
            return True

    def copy(self, src: str, dest: str) -> FileNode:
        """Copy one file, keeping its meaning (installer, image, version)."""
        node = self.get(src)
        if node is None or node.is_dir:
            raise NotFoundError(f"Could not find file '{paths.normalize(src)}'.")
        return self.write(dest, node.content, node.size, version=node.version, installer=node.installer,
                          image=node.image)

    def touch(self, path: str) -> None:
        with self._lock:
            node = self.get(path)
            if node is None:
                self.write(path, b"")
            else:
                node.modified = node.accessed = self._now()
