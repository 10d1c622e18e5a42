"""The inspectors of an inspection move into its own row (``Inspection.inspector_ids``, a JSON
array of officer ids in assignment order) and the ``InspectionInspector`` table goes: a draw
writes one row per drawn entity instead of one more per inspector. On PostgreSQL a GIN index
(``jsonb_path_ops``) serves ``inspector_ids__includes`` (an officer's inspections)."""
from django.db import migrations

import zhifa.inspections.models

GIN = "inspection_inspector_ids"


def copy_inspectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE inspections_inspection i SET inspector_ids = s.ids FROM ("
            "SELECT inspection_id, jsonb_agg(officer_id ORDER BY position, officer_id) AS ids "
            "FROM inspections_inspectioninspector GROUP BY inspection_id) s WHERE s.inspection_id = i.id"
        )
        return
    Inspection = apps.get_model("inspections", "Inspection")
    Assigned = apps.get_model("inspections", "InspectionInspector")
    officers: dict[int, list[int]] = {}
    for inspection_id, officer_id in Assigned.objects.order_by("inspection_id", "position", "officer_id").values_list("inspection_id", "officer_id"):
        officers.setdefault(inspection_id, []).append(officer_id)
    for inspection_id, ids in officers.items():
        Inspection.objects.filter(pk=inspection_id).update(inspector_ids=ids)


def copy_back(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Assigned = apps.get_model("inspections", "InspectionInspector")
    Assigned.objects.bulk_create(
        Assigned(inspection_id=pk, officer_id=officer, position=n)
        for pk, ids in Inspection.objects.values_list("pk", "inspector_ids") for n, officer in enumerate(ids or [], 1)
    )


def gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {GIN} ON inspections_inspection USING gin (inspector_ids jsonb_path_ops)")


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN}")


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0005_inspection_partial_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="inspector_ids",
            field=zhifa.inspections.models.OfficerIds(blank=True, default=list, help_text="抽取选派的执法检查人员（执法人员编号，按选派顺序）", verbose_name="检查人员"),
        ),
        migrations.RunPython(copy_inspectors, copy_back),
        migrations.RemoveField(model_name="inspection", name="inspectors"),
        migrations.DeleteModel(name="InspectionInspector"),
        migrations.RunPython(gin_index, drop_gin_index),
    ]
