"""The execution environment: the collection's declaration to ansible-builder, and the image the RPI runs in AWX.

- `meta/execution-environment.yml` is what ansible-builder reads from rpi.exchange once the collection is
  installed into an image; its paths are relative to the collection's root. It is checked the way a build
  reads it: `ansible-builder introspect` on the installed tarball.
- `examples/awx/execution-environment.yml` (schema version 3) is the image's definition. `ansible-builder
  create` writes its build context and the context is checked. The image itself is NOT built: that needs a
  container engine (podman or docker), which our machines do not have.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import yaml
from bindep.depends import Depends
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
EE_DEFINITION = ROOT / "examples" / "awx" / "execution-environment.yml"
META = ROOT / "meta" / "execution-environment.yml"
EE_REQUIREMENTS = ROOT / "meta" / "ee-requirements.txt"
EE_BINDEP = ROOT / "meta" / "ee-bindep.txt"


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def requirement_lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.split("#", 1)[0].strip()]


def requirements(path: Path) -> dict[str, Requirement]:
    parsed = [Requirement(line) for line in requirement_lines(path)]
    return {requirement.name.lower(): requirement for requirement in parsed}


def test_the_collection_declares_its_dependency_files_from_its_root():
    meta = load(META)
    assert meta["version"] == 3
    # Relative to the collection's root, as ansible-builder's introspection reads them (not to meta/).
    assert meta["dependencies"] == {"python": "meta/ee-requirements.txt", "system": "meta/ee-bindep.txt"}
    for relative in meta["dependencies"].values():
        assert (ROOT / relative).is_file(), relative


def test_the_python_requirements_carry_kerberos_and_agree_with_the_controller():
    ee = requirements(EE_REQUIREMENTS)
    assert "kerberos" in ee["pywinrm"].extras, "the RPI's inventory connects with Kerberos"
    assert {"pywinrm", "pyspnego", "jmespath"} <= set(ee)
    controller = requirements(ROOT / "requirements.txt")
    for name in ("pywinrm", "jmespath"):
        assert ee[name].specifier == controller[name].specifier, f"{name}: the image and the controller must run the same versions"


def test_the_system_requirements_cover_both_package_families():
    depends = Depends(EE_BINDEP.read_text(encoding="utf-8"))  # raises on a syntax error
    # bindep's rules: (package, [(wanted, label), ...], version constraints); wanted is False for "!label".
    labelled = [(rule[0], {label for wanted, label in rule[1] if wanted}) for rule in depends._rules]  # pylint: disable=protected-access
    for platform, runtime, build in (("rpm", {"krb5-libs", "krb5-workstation"}, {"gcc", "krb5-devel", "python3-devel"}),
                                     ("dpkg", {"libkrb5-3", "krb5-user"}, {"gcc", "libkrb5-dev", "python3-dev"})):
        mine = [(package, labels) for package, labels in labelled if f"platform:{platform}" in labels]
        assert {package for package, labels in mine if "compile" not in labels} == runtime, platform
        # Compilers and headers only in the compile profile: ansible-builder keeps them out of the final image.
        assert {package for package, labels in mine if "compile" in labels} == build, platform


def test_the_tarball_ships_the_declaration(built_tarball: Path):
    with tarfile.open(built_tarball) as archive:
        names = set(archive.getnames())
    assert {"meta/execution-environment.yml", "meta/ee-requirements.txt", "meta/ee-bindep.txt"} <= names


def test_ansible_builder_introspection_reads_the_installed_collection(installed_collection: Path, tool, clean_env):
    done = subprocess.run([str(tool("ansible-builder")), "introspect", "--sanitize", str(installed_collection)],
                          env=clean_env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    found = yaml.safe_load(done.stdout)
    origin = "  # from collection rpi.exchange"
    assert sorted(found["python"]) == sorted(line + origin for line in requirement_lines(EE_REQUIREMENTS))
    assert sorted(found["system"]) == sorted(line + origin for line in requirement_lines(EE_BINDEP))


def test_ansible_builder_writes_the_build_context(tmp_path: Path, tool, clean_env):
    context = tmp_path / "context"
    done = subprocess.run([str(tool("ansible-builder")), "create", "-f", str(EE_DEFINITION), "-c", str(context),
                           "--output-filename", "Containerfile"], cwd=tmp_path, env=clean_env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    build = context / "_build"

    # The collection's own lists, unchanged.
    assert (build / "requirements.txt").read_text(encoding="utf-8") == EE_REQUIREMENTS.read_text(encoding="utf-8")
    assert (build / "bindep.txt").read_text(encoding="utf-8") == EE_BINDEP.read_text(encoding="utf-8")

    # The collections rpi.exchange depends on, in the ranges galaxy.yml declares.
    galaxy = load(ROOT / "galaxy.yml")
    collections = {item["name"]: item["version"] for item in load(build / "requirements.yml")["collections"]}
    assert collections == galaxy["dependencies"]

    # ansible-core in the range meta/runtime.yml allows, installed in the image.
    definition = load(EE_DEFINITION)
    core = Requirement(definition["dependencies"]["ansible_core"]["package_pip"])
    assert str(core.specifier) == str(Requirement("ansible-core" + load(ROOT / "meta" / "runtime.yml")["requires_ansible"]).specifier)
    assert "ansible-runner" in definition["dependencies"]["ansible_runner"]["package_pip"]
    assert definition["dependencies"]["ansible_core"]["package_pip"] in containerfile

    # Kerberos knows the RPI's realm.
    assert "default_realm = RPI.GOB.GT" in (build / "configs" / "krb5.conf").read_text(encoding="utf-8")
    assert "COPY _build/configs/krb5.conf /etc/krb5.conf" in containerfile
    assert f'ARG EE_BASE_IMAGE="{definition["images"]["base_image"]["name"]}"' in containerfile
