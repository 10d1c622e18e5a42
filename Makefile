# zhifa — the two commands (contract.md): `make run`, `make test`; plus `make bench`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export ZHIFA_DEMO := 1

.PHONY: run test bench install install-dev system-deps demo clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || PYTHON=python3; $${PYTHON:-$(PYTHON)} -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages the browser tests and PDF rendering need; installed only when missing and root.
system-deps:
	@missing=""; \
	for p in chromium fonts-noto-cjk; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装系统依赖:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "缺少系统软件包:$$missing（请以 root 运行或手动安装；浏览器测试将跳过）"; fi; \
	fi

run: install
	$(BIN)/zhifa migrate --noinput
	$(BIN)/zhifa demo --if-empty
	@echo ""
	@echo "zhifa 已启动：http://127.0.0.1:$(PORT)/"
	@echo "演示账号（密码均为 zhifa-demo）：admin 系统管理员 · supervisor 执法监督机构 · officer1/officer2 执法人员 ·"
	@echo "  officer3 执法证已过期 · aux1 辅助人员 · reviewer1 法制审核 · head1 负责人 · officer_other 城管执法人员"
	ZHIFA_DEBUG=1 $(BIN)/zhifa runserver 127.0.0.1:$(PORT)

test: install-dev system-deps
	ZHIFA_TESTING=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install-dev
	ZHIFA_TESTING=1 $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
