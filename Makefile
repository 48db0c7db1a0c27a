# Training Neural Networks: the two commands are `make book` and `make test`.
# Everything runs inside .venv, created from requirements.txt on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
# Release and grading run nbgrader from grading/, where its configuration lives.
NBGRADER := cd grading && $(abspath $(BIN))/nbgrader
ASSIGNMENTS := $(notdir $(wildcard solutions/[0-9][0-9]_*))
TRAINLAB_SOURCES := pyproject.toml $(wildcard trainlab/*.py)

.PHONY: book test release lab grade clean-book clean venv

venv: $(VENV)/.trainlab

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# trainlab is installed as a regular (non-editable) package, so that a kernel
# sees trainlab and nothing else of this repository.
$(VENV)/.trainlab: $(VENV)/.installed $(TRAINLAB_SOURCES)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall --no-build-isolation .
	rm -rf build trainlab.egg-info
	touch $@

## release: regenerate assignments/ from solutions/ with nbgrader (idempotent)
release: venv
	$(BIN)/python -m grading release $(ASSIGNMENTS)

## book: release the assignments and build the executed book into _build/html
book: release
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

## test: run every test
test: venv
	$(BIN)/python -m pytest

## lab: open JupyterLab on the released assignments
lab: venv
	$(BIN)/jupyter lab assignments

## grade: grade a folder or zip of submissions, e.g. make grade A=01_gradient_descent FROM=~/submissions
grade: venv
	$(BIN)/python -m grading autograde $(A) --from $(FROM) --out grading/reports/$(A)

clean-book:
	rm -rf _build

clean: clean-book
	rm -rf $(VENV)
