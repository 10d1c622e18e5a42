"""The frozen list moves out of the draw's row into ``FrozenList`` (one row per draw), so that
lists of draws and tasks never carry ten megabytes each. On PostgreSQL the bytes are stored as
they are and the column is compressed with lz4 (the server's default, pglz, is several times
slower); elsewhere they stay zlib-compressed."""
import zlib

import django.db.models.deletion
from django.db import migrations, models


def copy_lists(apps, schema_editor):
    Draw = apps.get_model("inspections", "Draw")
    FrozenList = apps.get_model("inspections", "FrozenList")
    postgres = schema_editor.connection.vendor == "postgresql"
    for pk in Draw.objects.values_list("pk", flat=True).iterator():
        stored = bytes(Draw.objects.values_list("document", flat=True).get(pk=pk))
        FrozenList.objects.create(draw_id=pk, document=zlib.decompress(stored) if postgres else stored)


def copy_back(apps, schema_editor):
    Draw = apps.get_model("inspections", "Draw")
    FrozenList = apps.get_model("inspections", "FrozenList")
    for pk, stored in FrozenList.objects.values_list("draw_id", "document").iterator():
        stored = bytes(stored)
        Draw.objects.filter(pk=pk).update(document=stored if not stored.startswith(b"zhifa-draw-") else zlib.compress(stored, 1))


def lz4(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE inspections_frozenlist ALTER COLUMN document SET COMPRESSION lz4")


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0006_inspectors_in_the_inspection_row"),
    ]

    operations = [
        migrations.CreateModel(
            name="FrozenList",
            fields=[
                ("draw", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="frozen_list",
                                              serialize=False, to="inspections.draw", verbose_name="抽取")),
                ("document", models.BinaryField(editable=False, verbose_name="冻结名单")),
            ],
            options={"verbose_name": "冻结名单", "verbose_name_plural": "冻结名单"},
        ),
        migrations.RunPython(lz4, migrations.RunPython.noop),
        migrations.RunPython(copy_lists, copy_back),
        migrations.RemoveField(model_name="draw", name="document"),
    ]
