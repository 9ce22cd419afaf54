#!/usr/bin/env bash
# The README's test command (`make test`) runs this: every test the project has, in parts,
# then a summary with the counts of each part. Exit status is non-zero if any part failed.
#   unit       pytest tests/unit (product decisions, the simulated server's models and protocol)
#   lint       ansible-lint, production profile
#   sanity     ansible-test sanity on the collection
#   release    pytest tests/release: the tarball installed and run from outside the checkout, the execution
#              environment's build context (not the image: no container engine), the AWX example, antsibull-docs
#              lint, the changelog
#   e2e        pytest tests/integration: real ansible-playbook through the simulated server
#   molecule   the molecule scenarios (extensions/molecule) against the simulated server
#   e2e-2.21   the end-to-end suite again on ansible-core 2.21 under Python 3.12+ (skipped,
#              saying so, when no such interpreter exists)
#   molecule-2.21  one plan per molecule mechanism again on ansible-core 2.21 (tests marked every_core),
#              in the virtual environment e2e-2.21 makes (skipped, saying so, without it)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
venv=${VENV:-.venv}
venv221=${VENV221:-.venv-core221}
parts=${PARTS:-"unit lint sanity release e2e molecule e2e-2.21 molecule-2.21"}
log_dir="$root/tests/output/run-tests"
mkdir -p "$log_dir"
summary=()
failed=0

record() {  # record <part> <status> <detail>
  summary+=("$(printf '%-10s %-7s %s' "$1" "$2" "$3")")
  [ "$2" = FAILED ] && failed=1
}

pytest_part() {  # pytest_part <part> <venv> <pytest args...>
  local part=$1 env=$2; shift 2
  local out="$log_dir/$part.log"
  echo; echo "=== $part: pytest $*"
  "$env/bin/python" -m pytest -p no:cacheprovider "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  local counts
  # pytest's closing line, with or without the ===== decoration (-q drops it).
  counts=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|skipped|deselected).* in [0-9.]+s( \([0-9:]+\))?( =+)?$|no tests ran' "$out" | tail -1 | sed -E 's/^=+ //; s/ =+$//')
  if [ "$rc" = 0 ]; then record "$part" ok "$counts"; else record "$part" FAILED "${counts:-exit $rc}"; fi
}

find_python_312_plus() {
  local candidate
  for candidate in python3.13 python3.12 "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

for part in $parts; do
  case $part in
    unit)
      pytest_part unit "$venv" tests/unit -q ;;
    lint)
      echo; echo "=== lint: ansible-lint --profile production"
      out="$log_dir/lint.log"
      PATH="$root/$venv/bin:$PATH" NO_COLOR=1 "$venv/bin/ansible-lint" --profile production --offline 2>&1 | tee "$out"
      rc=${PIPESTATUS[0]}
      counts=$(grep -E 'Passed|Failed|files? processed|violation' "$out" | tail -1)
      if [ "$rc" = 0 ]; then record lint ok "$counts"; else record lint FAILED "${counts:-exit $rc}"; fi ;;
    sanity)
      echo; echo "=== sanity: ansible-test sanity"
      out="$log_dir/sanity.log"
      tools/sanity.sh "$venv" 3.11 2>&1 | grep -v "^WARNING: Location" | tee "$out"
      rc=${PIPESTATUS[0]}
      ran=$(grep -c '^Running sanity test' "$out")
      if [ "$rc" = 0 ]; then record sanity ok "$ran sanity tests passed"; else record sanity FAILED "$ran sanity tests run, see $out"; fi ;;
    release)
      pytest_part release "$venv" tests/release -q ;;
    e2e)
      pytest_part e2e "$venv" tests/integration -q ;;
    molecule)
      # Scenarios live where molecule looks for them in a collection (extensions/molecule/README.md says why).
      if ls extensions/molecule/*/molecule.yml >/dev/null 2>&1; then
        pytest_part molecule "$venv" tests/molecule -q
      else
        record molecule skipped "no molecule scenario exists yet"
      fi ;;
    e2e-2.21)
      if py=$(find_python_312_plus); then
        tools/bootstrap.sh "$venv221" "$py" 'ansible-core>=2.21.0,<2.22' 2>&1 | grep -v "^WARNING: Location"
        pytest_part e2e-2.21 "$venv221" tests/integration -q -m "not baseline_core"
      else
        record e2e-2.21 skipped "no Python 3.12+ interpreter on this machine for ansible-core 2.21"
      fi ;;
    molecule-2.21)
      if [ -x "$venv221/bin/molecule" ] && ls extensions/molecule/*/molecule.yml >/dev/null 2>&1; then
        pytest_part molecule-2.21 "$venv221" tests/molecule -q -m every_core
      else
        record molecule-2.21 skipped "no ansible-core 2.21 environment with molecule ($venv221; the e2e-2.21 part makes it)"
      fi ;;
    *) echo "unknown part: $part"; exit 2 ;;
  esac
done

echo
echo "=== summary (logs in tests/output/run-tests/)"
printf '%s\n' "${summary[@]}"
exit $failed
