# Hindsight developer tasks.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PIP := $(VPY) -m pip --disable-pip-version-check
RUFF := $(VENV)/bin/ruff
MYPY := $(VENV)/bin/mypy

.PHONY: play test lint bench screenshots clean

$(VPY):
	$(PY) -m venv $(VENV)

$(VENV)/.stamp-play: pyproject.toml | $(VPY)
	$(PIP) install -q -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VPY)
	$(PIP) install -q -e '.[dev,local]'
	touch $@

play: $(VENV)/.stamp-play
	$(VPY) -m game play

test: $(VENV)/.stamp-test
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(VPY) -m pytest
	$(RUFF) check game tests bench
	$(MYPY) game

lint: $(VENV)/.stamp-test
	$(RUFF) check game tests bench

bench: $(VENV)/.stamp-test
	@set -e; for f in bench/*.py; do \
		[ -e "$$f" ] || continue; \
		echo "== $$f"; \
		$(VPY) "$$f"; \
	done

screenshots: $(VENV)/.stamp-test
	@if ! command -v xvfb-run >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && apt-get install -y xvfb; \
		else \
			echo "xvfb-run missing: install the xvfb package" >&2; exit 1; \
		fi; \
	fi
	mkdir -p docs/screenshots
	xvfb-run -a -s "-screen 0 1920x1080x24" $(VPY) -m game.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
