"""Exclusions are listed by draw only: no index by entity (5,000 entries written per draw, never read)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0010_frozen_list_from_snapshot'),
    ]

    operations = [
        migrations.AlterField(
            model_name='exclusion',
            name='entity',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inspections.entity', verbose_name='检查对象'),
        ),
    ]
