# rpi.exchange: the two commands of the README and their helpers.
#   make demo   the main job: the whole procedure against the simulated RPI server, then the report
#   make test   every test: unit, lint, sanity, release, end-to-end, molecule, and the ansible-core 2.21 line
# Both set themselves up: a virtual environment in .venv (ignored by git) on first use.

PYTHON  ?= python3
VENV    := .venv
CORE    := ansible-core>=2.19.0,<2.20
PRESET  ?= ws2022-ready
ARGS    ?=
INVENTORY ?= inventories/simulated/generated.yml

.PHONY: demo test venv system-packages simulator build sanity lint unit release-check clean benchmark

venv:
	@tools/bootstrap.sh $(VENV) $(PYTHON) '$(CORE)' 2>&1 | grep -v '^WARNING: Location' || true
	@test -x $(VENV)/bin/ansible-playbook || { echo "bootstrap failed: see the messages above"; exit 1; }

system-packages:
	@tools/system-packages.sh

demo: venv
	@$(VENV)/bin/python tools/demo.py --preset '$(PRESET)' -- $(ARGS)

test: venv system-packages
	@tools/run-tests.sh

# Start the simulated RPI server in the foreground and write an inventory for it; CAPTURE=<file> starts it from a
# capture of a real server (playbooks/capture_server.yml, docs/capture.md), which then chooses the preset.
simulator: venv
	@PYTHONPATH=tests $(VENV)/bin/python -m simulator --preset '$(PRESET)' --inventory '$(INVENTORY)' $(if $(CAPTURE),--capture '$(CAPTURE)')

unit: venv
	@PARTS=unit tools/run-tests.sh

release-check: venv
	@PARTS=release tools/run-tests.sh

lint: venv
	@PARTS=lint tools/run-tests.sh

sanity: venv system-packages
	@PARTS=sanity tools/run-tests.sh

# What the automation itself costs against simulated servers (not part of `make test`); see benchmarks/README.md.
benchmark: venv
	@$(VENV)/bin/python benchmarks/run.py $(ARGS)

build: venv
	@mkdir -p build && $(VENV)/bin/ansible-galaxy collection build --force --output-path build .

clean:
	rm -rf .venv .venv-core221 .cache build tests/output
