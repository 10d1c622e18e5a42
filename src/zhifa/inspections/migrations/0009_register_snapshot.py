"""The register's version and its snapshot (``RegisterVersion``, ``RegisterSnapshot``). On
PostgreSQL a statement-level trigger on the entity table raises the version in the writing
transaction whenever a statement inserts, deletes or truncates entities or updates the columns a
draw reads (credit code, id, the weight tags); the snapshot's columns are lz4-compressed."""
from django.db import migrations, models


RAISE_VERSION = """
CREATE FUNCTION inspections_register_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inspections_registerversion (id, n) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET n = inspections_registerversion.n + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER inspections_entity_changed
    AFTER INSERT OR DELETE OR UPDATE OF id, credit_code, is_abnormal, complaint_count ON inspections_entity
    FOR EACH STATEMENT EXECUTE FUNCTION inspections_register_changed();
CREATE TRIGGER inspections_entity_truncated
    AFTER TRUNCATE ON inspections_entity
    FOR EACH STATEMENT EXECUTE FUNCTION inspections_register_changed();
ALTER TABLE inspections_registersnapshot ALTER COLUMN block SET COMPRESSION lz4;
ALTER TABLE inspections_registersnapshot ALTER COLUMN ids SET COMPRESSION lz4;
"""

DROP = """
DROP TRIGGER IF EXISTS inspections_entity_truncated ON inspections_entity;
DROP TRIGGER IF EXISTS inspections_entity_changed ON inspections_entity;
DROP FUNCTION IF EXISTS inspections_register_changed();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RAISE_VERSION)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0008_frozen_list_candidate_ids'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegisterSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField(verbose_name='名录版本号')),
                ('count', models.PositiveIntegerField(verbose_name='检查对象数')),
                ('block', models.BinaryField(verbose_name='名录（信用代码,标记）')),
                ('ids', models.BinaryField(verbose_name='检查对象编号')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
            ],
            options={
                'verbose_name': '名录快照',
                'verbose_name_plural': '名录快照',
            },
        ),
        migrations.CreateModel(
            name='RegisterVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='版本号')),
            ],
            options={
                'verbose_name': '名录版本',
                'verbose_name_plural': '名录版本',
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
