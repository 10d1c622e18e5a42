"""The full-process record chain (R14, architecture principle 3): appends chain, tampering is found."""
import hashlib

import pytest
from django.core.management import call_command
from django.db import connection

from zhifa.core import ledger
from zhifa.core.models import RecordEntry


def test_sm3_is_the_default_and_matches_the_standard_vector():
    # GM/T 0004-2012 appendix A, example 1: SM3("abc").
    assert hashlib.new("sm3", b"abc").hexdigest() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_entry_hash_depends_on_previous_and_content():
    a = ledger.entry_hash("sm3", ledger.GENESIS, {"x": 1})
    assert a != ledger.entry_hash("sm3", a, {"x": 1}) != ledger.entry_hash("sm3", ledger.GENESIS, {"x": 2})
    assert ledger.entry_hash("sha256", ledger.GENESIS, {"x": 1}) != a


@pytest.mark.django_db
def test_append_chains_and_verifies():
    for i in range(3):
        ledger.append("case:1", "act", {"n": i, "金额": "5000.00"}, actor_name="李明")
    ledger.append("case:2", "act", {})
    entries = list(RecordEntry.objects.filter(stream="case:1"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].hash and entries[0].algorithm == "sm3"
    assert ledger.verify("case:1") is None
    assert ledger.verify_all() == (2, [])


@pytest.mark.django_db
def test_raw_sql_edit_is_detected():
    for i in range(3):
        ledger.append("case:9", "act", {"amount": i})
    with connection.cursor() as cursor:
        table = RecordEntry._meta.db_table
        cursor.execute(f"UPDATE {table} SET payload = %s WHERE stream = %s AND seq = 2", ['{"amount": 100}', "case:9"])
    broken = ledger.verify("case:9")
    assert broken is not None and broken.seq == 2 and "修改" in broken.reason


@pytest.mark.django_db
def test_deleted_entry_is_detected_and_command_fails():
    for i in range(3):
        ledger.append("case:7", "act", {"i": i})
    RecordEntry.objects.filter(stream="case:7", seq=2).delete()
    assert ledger.verify("case:7").seq == 2
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_records")
    assert exit_info.value.code == 1


def test_model_values_are_the_stored_values_json_safe_keyed_by_name_or_attname():
    """``ledger.model_values``: the payload of an admin edit's record entry (registry and
    inspections keep the keys their entries already use)."""
    import datetime as dt

    from zhifa.core.models import ImportJob

    job = ImportJob(pk=7, kind="entities", filename="名录.xlsx", size=10, dry_run=True, seconds=1.5,
                    result={"created": 2}, created_by_id=3, created_at=dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC))
    names = ["filename", "dry_run", "seconds", "result", "created_by", "created_at", "no_such_form_field"]
    values = ledger.model_values(job, names)
    assert values == {"filename": "名录.xlsx", "dry_run": True, "seconds": 1.5, "result": {"created": 2},
                      "created_by": 3, "created_at": dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)}
    assert list(ledger.model_values(job, ["created_by", "filename"], key="attname")) == ["created_by_id", "filename"]
    assert ledger.canonical(values)  # the ledger can write every value
