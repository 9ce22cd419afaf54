#!/usr/bin/env bash
# Creates (or refreshes) a self-contained virtual environment for one CI line:
#   tools/bootstrap.sh <venv-dir> <python> <ansible-core requirement>
# It installs the Python tool chain, extracts ansible.windows and community.windows
# from the `ansible` package on PyPI (Galaxy is unreachable from our machines), and
# links this checkout as ansible_collections/rpi/exchange so the working tree is the
# collection. A stamp file makes a second call a no-op until an input changes.
set -euo pipefail

venv=${1:?venv directory}
python=${2:?python interpreter}
core_req=${3:?ansible-core requirement}
# The `ansible` package release whose bundled ansible.windows/community.windows we use.
ansible_pkg=${ANSIBLE_PACKAGE_VERSION:-12.3.0}

root=$(cd "$(dirname "$0")/.." && pwd)
stamp_input=$(cat "$root/requirements.txt" "$root/requirements-dev.txt" "$root/tools/bootstrap.sh"; echo "$python $core_req $ansible_pkg")
stamp_hash=$(printf '%s' "$stamp_input" | sha256sum | cut -c1-16)
stamp="$venv/.bootstrap-$stamp_hash"

if [ -f "$stamp" ]; then
  exit 0
fi

echo "== bootstrap: $venv ($python, $core_req)"
rm -rf "$venv"
"$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
"${pip[@]}" install --upgrade pip >/dev/null
"${pip[@]}" install "$core_req" -r "$root/requirements-dev.txt"

collections="$venv/collections/ansible_collections"
mkdir -p "$collections/rpi" "$venv/cache"
"${pip[@]}" download --no-deps "ansible==$ansible_pkg" -d "$venv/cache"
"$venv/bin/python" - "$venv/cache" "$collections" <<'PY'
import glob, sys, zipfile
cache, dest = sys.argv[1], sys.argv[2]
wheel = glob.glob(f"{cache}/ansible-*.whl")[0]
# awx.awx: only for linting and testing the AWX example (examples/awx/configure_awx.yml).
wanted = ("ansible_collections/ansible/windows/", "ansible_collections/community/windows/", "ansible_collections/awx/awx/")
with zipfile.ZipFile(wheel) as zf:
    names = [n for n in zf.namelist() if n.startswith(wanted)]
    for name in names:
        zf.extract(name, f"{dest}/..")
print(f"   extracted {len(names)} files of ansible.windows, community.windows and awx.awx from {wheel.rsplit('/', 1)[-1]}")
PY
ln -sfn "$root" "$collections/rpi/exchange"
touch "$stamp"
version=$("$venv/bin/ansible" --version 2>/dev/null)
echo "== bootstrap: ready (${version%%$'\n'*})"
