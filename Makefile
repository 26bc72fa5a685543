# btsim — the two commands a newcomer needs:
#   make run    installs what is missing, builds in release mode, runs the quickstart scenario
#   make test   installs what is missing, runs the test suite and the regression check
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BTSIM := .build/release/btsim
SCENARIO ?= Scenarios/quickstart.yaml

.PHONY: run test regress golden baseline build deps notebook-deps notebooks check-scenarios format clean bench scale validate interop sim-vs-live

run: build
	$(BTSIM) run $(SCENARIO)

build: deps
	swift build -c release --product btsim

# Optimised tests (-O with testing enabled) in their own build folder: swarm tests run
# about 11x faster than in a debug build; see docs/decisions.md.
test: deps notebook-deps
	swift test --scratch-path .build-test -Xswiftc -O
	BTSIM=$(TEST_BTSIM) python3 -m pytest -q python/tests
	python3 Tests/golden/golden.py $(TEST_BTSIM) .build-test/golden
	$(MAKE) --no-print-directory regress
	$(TEST_BTSIM) validate --quick --out .build-test --quiet
	python3 Tests/validation/swarm_lifetime.py --quick $(TEST_BTSIM) .build-test/validation
	python3 notebooks/run_notebooks.py $(TEST_BTSIM) --out .build-test/notebooks
	python3 Tests/interop/interop.py $(TEST_BTSIM) .build-test/interop

# btsim seeding to, and downloading from, libtorrent, aria2, Transmission and ctorrent over
# loopback, SHA-256 checked (about two and a half minutes; docs/live.md has the table), then
# the simulator against Live (below, about five minutes). `make test` runs the matrix only.
interop: deps
	swift build --scratch-path .build-test -Xswiftc -O --product btsim
	python3 Tests/interop/interop.py $(TEST_BTSIM) .build-test/interop
	python3 Tests/interop/sim_vs_live.py $(TEST_BTSIM) .build-test/sim-vs-live

# One swarm (Tests/interop/sim-vs-live.yaml) in the simulator and as eleven real btsim
# processes on loopback, five replications each (about five minutes): download times,
# choke/unchoke transitions and unchoke durations, against tolerances fixed in the script
# (docs/live.md, "Simulator against Live").
sim-vs-live: deps
	swift build --scratch-path .build-test -Xswiftc -O --product btsim
	python3 Tests/interop/sim_vs_live.py $(TEST_BTSIM) .build-test/sim-vs-live

# The quickstart's metrics against the committed baseline (Welch t-test, docs/guide.md):
# fails when a change makes downloads significantly slower. Uses the test build's binary.
TEST_BTSIM := .build-test/debug/btsim
BASELINE := Results/baselines/quickstart
regress:
	$(TEST_BTSIM) regress Scenarios/quickstart.yaml --baseline $(BASELINE) --replications 5 --out .build-test/regress --force

# The full validation suite against theory and measurements (docs/validation.md), about
# fifteen minutes; `make test` runs its --quick subset.
validate: build
	$(BTSIM) validate
	python3 Tests/validation/swarm_lifetime.py $(BTSIM) Results/validation

# After a change meant to alter results: rewrite the golden CSVs of Tests/golden/ (the
# test build's binary; commit them, saying which changed and why).
golden:
	python3 Tests/golden/golden.py $(TEST_BTSIM) .build-test/golden --update

# After a deliberate change of behaviour: record the new baseline (and commit it).
baseline:
	$(TEST_BTSIM) run Scenarios/quickstart.yaml --replications 5 --out .build-test/baseline --quiet --force
	mkdir -p $(BASELINE) && cp .build-test/baseline/quickstart/base/summary.csv $(BASELINE)/

# Micro benchmarks (event queue, wire codec, piece picker) and whole runs at several sizes,
# in their own package (Benchmarks/); writes Results/bench/benchmarks.csv and prints a table.
bench: deps
	cd Benchmarks && swift package --allow-writing-to-directory ../Results/bench \
		benchmark --format influx --path ../Results/bench --no-progress
	python3 Benchmarks/summarize.py Results/bench/Current_run.influx.csv Results/bench/benchmarks.csv

# The scaling table of docs/performance.md: each Scenarios/scale/ file, one run each, in
# block fidelity and (SIZE/piece) in piece fidelity; 100,000 peers in piece only. About
# four hours in all on two cores; SCALE="1000 1000/piece" for a subset. Writes
# Results/scale/scale.csv.
SCALE ?= 1000 3000 10000 30000 decaying 1000/piece 3000/piece 10000/piece 30000/piece 100000/piece
scale: build
	python3 Benchmarks/scale.py $(BTSIM) Results/scale $(SCALE)

# System libraries: libgsl-dev (GSL: random numbers, distributions, statistics) and
# libisal-dev (Intel ISA-L: Reed–Solomon for BTFS shards), libgcrypt20-dev (RC4 and
# Diffie–Hellman for Live's message stream encryption); python3-libtorrent, aria2,
# transmission-cli and ctorrent are the real clients the Live interop tests talk to.
CLIENTS := python3-libtorrent aria2 transmission-cli ctorrent
deps:
	@pkg-config --exists gsl libisal libgcrypt 2>/dev/null && /usr/bin/python3 -c 'import libtorrent' 2>/dev/null \
		&& command -v aria2c >/dev/null && command -v transmission-cli >/dev/null && command -v ctorrent >/dev/null || { \
		echo "installing libgsl-dev (GNU Scientific Library), libisal-dev (Intel ISA-L), libgcrypt20-dev and $(CLIENTS)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgsl-dev libisal-dev libgcrypt20-dev pkg-config $(CLIENTS); }

# The notebooks on a small scenario set (about 2 minutes): runs the scenarios, executes
# every notebook headless, checks the figures and writes `btsim report` for each result
# folder; executed notebooks, PNG/SVG figures and reports go under Results/notebooks/.
notebooks: build notebook-deps
	python3 notebooks/run_notebooks.py $(BTSIM) --out Results/notebooks

# pandas, matplotlib and Jupyter's notebook runner, from PyPI (notebooks/requirements.txt), and
# the btsim Python package itself (editable) with pytest.
notebook-deps:
	@python3 -c 'import numpy, scipy, pandas, matplotlib, nbformat, nbclient, ipykernel' 2>/dev/null || { \
		echo "installing the notebooks' Python packages (notebooks/requirements.txt)"; \
		PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet -r notebooks/requirements.txt; }
	@python3 -c 'import btsim.api, pytest, pathlib, sys; sys.exit(pathlib.Path(btsim.__file__).parents[1] != pathlib.Path("python").resolve())' 2>/dev/null || { \
		echo "installing the btsim Python package (python/, docs/python.md) and pytest"; \
		PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet -e 'python[test]'; }

check-scenarios: build
	@for f in Scenarios/*.yaml; do $(BTSIM) check $$f || exit 1; done

format:
	swift format -i -r Sources Tests Package.swift

clean:
	rm -rf .build
