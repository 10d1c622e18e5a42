"""A frozen list may take its candidates from a register snapshot: a reference (the snapshot, the
positions left out, the weight) instead of fifteen megabytes per draw."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0009_register_snapshot'),
    ]

    operations = [
        migrations.AddField(
            model_name='frozenlist',
            name='gone',
            field=models.BinaryField(db_default=b'', default=b'', help_text='每个 4 字节（大端），升序', verbose_name='快照中排除的位置'),
        ),
        migrations.AddField(
            model_name='frozenlist',
            name='snapshot',
            field=models.ForeignKey(blank=True, help_text='候选对象段取自该名录快照时，document 不含候选对象段：由快照去掉 gone 所列位置、按 weight 赋权还原', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inspections.registersnapshot', verbose_name='名录快照'),
        ),
        migrations.AddField(
            model_name='frozenlist',
            name='weight',
            field=models.PositiveSmallIntegerField(db_default=0, default=0, verbose_name='加权倍数'),
        ),
    ]
