"""Every write leaves a record (issue 13 §5): every public service function is marked, and a
marked use case that writes without a record entry fails (core/usecase.py)."""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest

import zhifa
from zhifa.core import ledger
from zhifa.core.models import Holiday
from zhifa.core.usecase import UnrecordedWrite, kind_of, query, use_case


def _service_modules() -> list[str]:
    names = []
    for app in pkgutil.iter_modules(zhifa.__path__):
        try:
            module = importlib.import_module(f"zhifa.{app.name}.services")
        except ModuleNotFoundError:
            continue
        names.append(module.__name__)
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, module.__name__ + ".")]
    return sorted(names)


def _public_functions(module_name: str):
    module = importlib.import_module(module_name)
    for name, value in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        if getattr(value, "__module__", None) == module_name:
            yield name, value


@pytest.mark.parametrize("module_name", _service_modules())
def test_every_public_service_function_is_a_marked_use_case(module_name):
    unmarked = [name for name, fn in _public_functions(module_name) if kind_of(fn) is None]
    assert not unmarked, f"{module_name}: 未标注 @use_case / @query 的公开函数：{unmarked}"


def test_the_walk_finds_the_service_modules():
    modules = _service_modules()
    assert {"zhifa.cases.services", "zhifa.registry.services", "zhifa.catalog.services"} <= {
        m if m.count(".") == 2 else m.rsplit(".", 1)[0] for m in modules}


@use_case
def _writes_without_record():
    Holiday.objects.create(day=dt.date(2031, 1, 2), is_working_day=False, name="测试")


@use_case
def _writes_with_record():
    Holiday.objects.create(day=dt.date(2031, 1, 3), is_working_day=False, name="测试")
    ledger.append("holiday:2031-01-03", "create", {"day": "2031-01-03"})


@use_case(derived=True)
def _writes_derived():
    Holiday.objects.create(day=dt.date(2031, 1, 4), is_working_day=False, name="测试")


@query
def _query_that_writes():
    Holiday.objects.create(day=dt.date(2031, 1, 5), is_working_day=False, name="测试")


@use_case
def _outer_records_for_inner():
    _writes_without_record()
    ledger.append("holiday:2031-01-02", "create", {"day": "2031-01-02"})


@pytest.mark.django_db
def test_a_use_case_that_writes_without_a_record_fails():
    with pytest.raises(UnrecordedWrite, match="没有写全过程记录"):
        _writes_without_record()


@pytest.mark.django_db
def test_a_use_case_that_records_its_write_passes():
    _writes_with_record()
    assert ledger.verify("holiday:2031-01-03") is None


@pytest.mark.django_db
def test_a_derived_write_and_a_nested_use_case_pass():
    _writes_derived()
    _outer_records_for_inner()
    assert Holiday.objects.filter(day__in=[dt.date(2031, 1, 2), dt.date(2031, 1, 4)]).count() == 2


@pytest.mark.django_db
def test_a_query_that_writes_fails():
    with pytest.raises(UnrecordedWrite, match="是查询"):
        _query_that_writes()


@pytest.mark.django_db
def test_the_check_is_off_when_the_setting_is(settings):
    settings.ZHIFA = {**settings.ZHIFA, "CHECK_RECORDS": False}
    _writes_without_record()
