"""The release notes: antsibull-changelog's fragments and changelog, and the release galaxy.yml names.

Fragments added after the release (unreleased) are fine: `antsibull-changelog lint` checks them as they are.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import yaml
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
CHANGELOGS = ROOT / "changelogs"


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def version_added_of_plugins() -> dict[str, str]:
    """`version_added` of every module, callback and filter, by plugin name."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "plugins").glob("*/*.py")):
        if path.parent.name not in ("modules", "callback"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "DOCUMENTATION" for target in node.targets):
                found[f"{path.parent.name}/{path.stem}"] = str(yaml.safe_load(node.value.value).get("version_added"))
    for path in sorted((ROOT / "plugins" / "filter").glob("*.yml")):
        found[f"filter/{path.stem}"] = str(load(path)["DOCUMENTATION"].get("version_added"))
    return found


def test_fragments_and_changelog_pass_antsibull_changelog_lint(tool, clean_env):
    changelog = tool("antsibull-changelog")
    for command in (["lint"], ["lint-changelog-yaml", str(CHANGELOGS / "changelog.yaml")]):
        done = subprocess.run([str(changelog), *command], cwd=ROOT, env=clean_env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_galaxy_version_is_the_newest_release():
    version = str(load(ROOT / "galaxy.yml")["version"])
    releases = load(CHANGELOGS / "changelog.yaml")["releases"]
    assert version in releases, f"galaxy.yml says {version} but changelogs/changelog.yaml has no such release: antsibull-changelog release"
    assert Version(version) == max(Version(release) for release in releases)
    assert releases[version].get("release_date")


def test_the_generated_changelog_is_current():
    config = load(CHANGELOGS / "config.yaml")
    target = (CHANGELOGS / config["changelog_filename_template"]).resolve()
    assert target.parent == ROOT
    text = target.read_text(encoding="utf-8")
    for release in load(CHANGELOGS / "changelog.yaml")["releases"]:
        assert f"\nv{release}\n" in text, f"{target.name} lacks v{release}: antsibull-changelog generate"


def test_every_plugin_is_announced_in_the_release_that_added_it():
    releases = load(CHANGELOGS / "changelog.yaml")["releases"]
    announced = {}
    for version, release in releases.items():
        for entry in release.get("modules", []):
            announced[f"modules/{entry['name']}"] = version
        for kind, entries in release.get("plugins", {}).items():
            for entry in entries:
                announced[f"{kind}/{entry['name']}"] = version
    for plugin, version_added in version_added_of_plugins().items():
        assert version_added in releases, f"{plugin}: version_added {version_added} is no release"
        assert announced.get(plugin) == version_added, (
            f"{plugin} (version_added {version_added}) is not in that release's changelog: "
            "antsibull-changelog release --update-existing --reload-plugins")
