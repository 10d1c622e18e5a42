"""The frozen list keeps its candidates' entity ids in list order (8 bytes each, not published):
the reveal writes the drawn inspections from them, without looking 24,750 credit codes up in an
index of half a million. Lists frozen before get their ids here (0 for a code no longer in the
entity database: the reveal then refuses with ENTITY_MISSING)."""
import zlib

from django.db import migrations, models


def fill_ids(apps, schema_editor):
    FrozenList = apps.get_model("inspections", "FrozenList")
    Entity = apps.get_model("inspections", "Entity")
    postgres = schema_editor.connection.vendor == "postgresql"
    for pk in FrozenList.objects.values_list("pk", flat=True).iterator():
        stored = bytes(FrozenList.objects.values_list("document", flat=True).get(pk=pk))
        text = (stored if stored.startswith(b"zhifa-draw-") else zlib.decompress(stored)).decode()
        lines = text.split("\n")
        count = int(lines[4].removeprefix("candidates:"))
        codes = [line.split(",")[0] for line in lines[5:5 + count]]
        known: dict[str, int] = {}
        for start in range(0, len(codes), 5000):
            known.update(Entity.objects.filter(credit_code__in=codes[start:start + 5000]).values_list("credit_code", "pk"))
        ids = b"".join(known.get(code, 0).to_bytes(8, "big") for code in codes)
        FrozenList.objects.filter(pk=pk).update(candidate_ids=ids if postgres else zlib.compress(ids, 1))


def lz4(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE inspections_frozenlist ALTER COLUMN candidate_ids SET COMPRESSION lz4")


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0007_frozen_list_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="frozenlist",
            name="candidate_ids",
            field=models.BinaryField(default=b"", editable=False, help_text="名单中每个候选对象在名录库中的编号，与名单同序，每个 8 字节（大端）；不公布，抽取时据此写入检查记录", verbose_name="候选对象编号"),
        ),
        migrations.RunPython(lz4, migrations.RunPython.noop),
        migrations.RunPython(fill_ids, migrations.RunPython.noop),
    ]
