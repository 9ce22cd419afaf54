#!/usr/bin/env bash
# Runs `ansible-test sanity` on the collection. ansible-test insists on running from a
# real ansible_collections/<ns>/<name> directory (it resolves symlinks), so the tracked
# and new-but-not-ignored files are copied into a scratch tree first.
#   tools/sanity.sh <venv-dir> <python-version> [extra ansible-test args]
set -euo pipefail
venv=${1:?venv}; pyver=${2:?python version}; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
# One scratch tree per run, so that two runs at once (two developers' shells) do not collide.
scratch_root=$(mktemp -d "$root/.cache/sanity-XXXXXX" 2>/dev/null || { mkdir -p "$root/.cache" && mktemp -d "$root/.cache/sanity-XXXXXX"; })
trap 'rm -rf "$scratch_root"' EXIT
scratch="$scratch_root/ansible_collections/rpi/exchange"
mkdir -p "$scratch"
# Copy errors (a file deleted since it was listed) are not fatal: the copy is rebuilt on every run.
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$scratch/" 2>/dev/null) || true
# Give ansible-test a git view of the copy so it lists exactly these files.
(cd "$scratch" && git init -q && git add -A && git -c user.name=ci -c user.email=ci@localhost commit -qm sanity)
cd "$scratch"
# ansible-test fetches a get-pip.py from a host we cannot reach; supply our stand-in
# under the name it looks for (the pip version is ansible-test's own default).
pip_version=$(grep -ho "pip='[0-9.]*'" "$root/$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -1 | cut -d"'" -f2)
mkdir -p ~/.ansible/test/cache
cp "$root/tools/get_pip_offline.py" ~/.ansible/test/cache/"get_pip_${pip_version//./_}.py"
# ansible.windows must be visible for doc fragments and imports.
export ANSIBLE_COLLECTIONS_PATH="$scratch_root:$root/$venv/collections"
"$root/$venv/bin/ansible-test" sanity --venv --requirements --python "$pyver" --color no "$@"
