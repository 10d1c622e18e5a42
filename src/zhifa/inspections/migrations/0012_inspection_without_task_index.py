"""Inspections without an index by task: a task has one draw, its inspections are found through the
draw's index; a draw writes one index entry less per inspection."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0011_exclusion_without_entity_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='inspection',
            name='task',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='inspections.task', verbose_name='抽查任务'),
        ),
    ]
