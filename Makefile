# The two commands of the README: `make run` and `make test`. Both create .venv if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two stamps: the runtime (what `make run` needs) and the dev tools on top (`make test`),
# so that `make test` after `make run` installs only pytest, hypothesis, ruff and jupytext.
STAMP     := $(VENV)/.installed-dev
RUNTIME   := $(VENV)/.installed-runtime
COMPILED  := $(VENV)/.compiled
PIP       := $(BIN)/python -m pip install --quiet -c constraints.txt

.PHONY: run test compile golden calibrate-bidragstak lint format bench bench-population bench-run population-small population-full clean

$(RUNTIME): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "make: installing sim and its runtime dependencies into $(VENV) (numpy, numba, polars, matplotlib, ...; a few minutes the first time)"
	$(PIP) -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	@echo "make: installing the dev tools into $(VENV) (pytest, hypothesis, ruff, jupytext)"
	$(PIP) -e '.[dev]'
	touch $(STAMP)

# Compile the model's numba kernels into their cache once (about a minute), so that the
# first `sim run` does not; redone when a kernel's source changes (`sim compile` checks).
$(COMPILED): $(RUNTIME) $(wildcard sim/*.py sim/*/*.py)
	$(BIN)/sim compile
	touch $(COMPILED)

compile: $(COMPILED)

# The main job: worked household examples, then the four main scenarios for 2027 on the
# committed population, written to out/2027.
run: $(RUNTIME) $(COMPILED)
	$(BIN)/sim examples
	$(BIN)/sim run --scenarios baseline,bidragstak,aktivitetskrav,kombinerad --year 2027 --out out/2027 --force

test: $(STAMP) lint
	$(BIN)/python -m pytest

# Refresh the golden totals of the main 2027 run; review the diff before committing.
golden: $(STAMP)
	$(BIN)/python tests/golden/refresh.py

# Fit the bidragstak's unknown norm cuts and fourth-child reading to the government's typfall
# (prints the fit; `$(BIN)/python -m sim.bidragstak_calibration --write` writes the values).
calibrate-bidragstak: $(STAMP)
	$(BIN)/python -m sim.bidragstak_calibration

lint: $(STAMP)
	$(BIN)/ruff check sim tests benchmarks notebooks docs/refresh.py
	$(BIN)/ruff format --check sim tests benchmarks notebooks docs/refresh.py

format: $(STAMP)
	$(BIN)/ruff format sim tests benchmarks notebooks docs/refresh.py
	$(BIN)/ruff check --fix sim tests benchmarks notebooks docs/refresh.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py --households 1000000

bench-population: $(STAMP)
	$(BIN)/python benchmarks/bench_population.py 1000000
	$(BIN)/python benchmarks/bench_calibrate.py --n 1000000 --margins large

bench-run: $(STAMP)
	$(BIN)/python benchmarks/bench_run.py --households 1000000 --year 2027

# Regenerate the committed population (needed whenever the engine or the law changes; a
# test checks it byte for byte), then commit data/synthetic/population-2024.
population-small: $(STAMP)
	$(BIN)/sim population --out data/synthetic/population-2024 --year 2024 --households 20000 --seed 1 --force

# A full-size population (not committed).
population-full: $(STAMP)
	$(BIN)/sim population --out populations/full-2024 --year 2024 --households 1000000 --seed 1 --force

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The report of `make run` printed to A4 by headless Chromium (out/2027/report.pdf), with the
# check that no table is cut off (needs chromium and poppler-utils; docs/outputs.md).
.PHONY: report-pdf
report-pdf: $(STAMP)
	$(BIN)/python -m sim.outputs.report.pdf out/2027 --check

# Regenerate the generated documentation: docs/cli.md from the command line, and the
# README's pictures in docs/img/ from a real run (needs chromium and poppler-utils).
.PHONY: docs
docs: $(RUNTIME) $(COMPILED)
	$(BIN)/python docs/refresh.py
