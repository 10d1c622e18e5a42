# zhifa — the two commands (contract.md): `make run`, `make test`; plus `make bench`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Debian packages: PDF rendering (pango, CJK fonts) for everyone, the browser for the tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 fonts-noto-cjk
TEST_DEBS := $(RUN_DEBS) chromium
# Every recipe runs as the demo; `make run`'s first `zhifa` command writes var/settings.env (the
# demo flag and a generated secret key), so later `.venv/bin/zhifa …` in this checkout work too.
export ZHIFA_DEMO := 1

.PHONY: run test bench install install-dev demo clean

# Install the Debian packages in $(1) that are missing, when running as root (else say what to do).
define debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "安装系统软件包:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "缺少系统软件包:$$missing（请以 root 运行 make 或手动安装）"; fi; \
	fi
endef

$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(call debs,$(RUN_DEBS))
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(call debs,$(TEST_DEBS))
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# `make run` starts the documents' worker beside the web server (documents/tasks.py): it renders
# the PDF and Word files after each action commits, and stops with the server (Ctrl-C or any exit).
run: install
	$(BIN)/zhifa migrate --noinput -v 0
	$(BIN)/zhifa demo --if-empty
	@echo ""
	@echo "zhifa 已启动：http://127.0.0.1:$(PORT)/"
	@echo "演示账号（密码均为 zhifa-demo）："
	@echo "  admin 系统管理员 · supervisor 执法监督机构 · officer1 / officer2 执法人员 · officer3 执法证已过期"
	@echo "  aux1 执法辅助人员 · reviewer1 法制审核人员 · head1 主体负责人 · officer_other 城管执法人员"
	@echo "后台进程（文书生成、案件预警：zhifa task_worker --queue-name documents,alerts）随网站一起启动、一起停止。"
	@ZHIFA_DEBUG=1 $(BIN)/zhifa task_worker --queue-name documents,alerts --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	ZHIFA_DEBUG=1 $(BIN)/zhifa runserver 127.0.0.1:$(PORT)

test: install-dev
	$(call debs,$(TEST_DEBS))
	ZHIFA_TESTING=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install-dev
	ZHIFA_TESTING=1 $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
