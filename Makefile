# emstats: `make demo` sets everything up from nothing and runs the pipeline on the bundled
# sample extracts; `make test` runs the tests. Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export EMSTATS_WAREHOUSE ?= $(CURDIR)/data/warehouse.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# uv's own cache inside the project would be lost to `git clean`; keep the default.
export UV_LINK_MODE ?= copy

.PHONY: help install prepare demo test lint dagster boards docs browser-deps sample bench clean

help:
	@echo "make demo     安装环境，用 raw/ 中的示例报表构建仓库并发布"
	@echo "make test     运行全部测试（dbt、Dagster、看板、浏览器）"
	@echo "make boards   启动看板（Streamlit）"
	@echo "make dagster  启动 Dagster 界面（workspace.yaml）"
	@echo "make docs     生成并打开 dbt 文档（含血缘）"
	@echo "make lint     ruff 与 sqlfluff 检查"
	@echo "make bench    基准测试，写入 docs/benchmarks.md"

$(UV):
	@echo ">> 安装 uv 到 $(TOOLS)/"
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

# The environment lives in .venv, byte-compiled (tool.uv.compile-bytecode): start-up halves.
$(BIN)/emstats: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

install: $(BIN)/emstats

# dagster-dbt reads the dbt manifest when definitions load: prepare it here, at build time.
dbt_project/target/manifest.json: $(BIN)/emstats $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml
	$(BIN)/emstats prepare

prepare: dbt_project/target/manifest.json

demo: prepare
	@mkdir -p $(DAGSTER_HOME) data
	$(BIN)/emstats build --raw-dir raw --warehouse $(EMSTATS_WAREHOUSE) --history
	@echo
	@echo "仓库已构建并发布。接下来："
	@echo "  看板（领导与统计人员）：make boards    然后打开 http://localhost:8501"
	@echo "  Dagster 界面（数据工程）：make dagster 然后打开 http://localhost:3000"
	@echo "  dbt 文档与血缘：          make docs    然后打开 http://localhost:8080"
	@echo "  SQL（统计人员）：看板的“SQL 查询”页，或只读打开发布副本 data/warehouse.published.duckdb，例如"
	@echo "    $(BIN)/python -c \"import duckdb; print(duckdb.connect('data/warehouse.published.duckdb', read_only=True).sql('from marts.indicator_progress'))\""

browser-deps:
	@{ command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1; } || { \
	  echo ">> 安装 Debian chromium 与中文字体（浏览器测试用）"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: prepare browser-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check pipelines dashboards tests
	cd dbt_project && ../$(BIN)/sqlfluff lint models tests macros --processes 2

dagster: prepare
	@mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -w workspace.yaml

boards: install
	$(BIN)/streamlit run dashboards/app.py --client.toolbarMode viewer --browser.gatherUsageStats false

docs: prepare
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir . && ../$(BIN)/dbt docs serve --profiles-dir . --port 8080

sample: install
	$(BIN)/emstats sample --out raw

# Benchmarks: the district sample and a national-scale synthetic landing zone (generated once into
# data/bench/cache/), measured against bare DuckDB and a pandas script; writes docs/benchmarks.md.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--areas 2000 --years 3".
bench: prepare
	$(BIN)/python -m pipelines.bench --out docs/benchmarks.md $(BENCH_ARGS)

clean:
	rm -rf data .dagster_home dbt_project/target dbt_project/logs
