"""The dbt resource learns dbt's version without running `dbt --version`."""

import subprocess

import pytest


def test_dbt_version_comes_from_the_installed_package_not_a_subprocess(monkeypatch):
    from importlib.metadata import version

    from pipelines.resources import build_resources

    def refuse(*args, **kwargs):
        raise AssertionError(f"subprocess started: {args}")

    monkeypatch.setattr(subprocess, "check_output", refuse)
    monkeypatch.setattr("dagster_dbt.core.resource.check_output", refuse, raising=False)
    dbt = build_resources()["dbt"]
    assert str(dbt._cli_version) == version("dbt-core")
    assert dbt._cli_version.major == 1
    assert dbt._initialize_dbt_core_adapter(["build"]) is None


@pytest.mark.parametrize("name", ["_cli_version", "_initialize_dbt_core_adapter"])
def test_the_overridden_members_still_exist_in_dagster_dbt(name):
    # They are private to dagster-dbt: if an upgrade renames them, this fails instead of the
    # override silently doing nothing.
    from dagster_dbt import DbtCliResource

    assert hasattr(DbtCliResource, name)
