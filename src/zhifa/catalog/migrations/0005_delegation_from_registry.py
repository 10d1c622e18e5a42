"""The Delegation model (赋权与委托, R03) comes from ``registry`` (its 0002 removes it from the
state). State only: the table ``registry_delegation``, its rows and its index stay as they are."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_benchmarks_lists'),
        ('registry', '0002_delegation_to_catalog'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Delegation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('delegation', '赋权'), ('entrustment', '委托')], max_length=12, verbose_name='方式')),
                        ('valid_from', models.DateField(verbose_name='生效日期')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='截止日期')),
                        ('document_ref', models.CharField(blank=True, max_length=200, verbose_name='依据文件')),
                        ('revoked_on', models.DateField(blank=True, null=True, verbose_name='收回日期')),
                        ('from_body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations_out', to='registry.body', verbose_name='原实施主体')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations', to='catalog.item', verbose_name='执法事项')),
                        ('to_body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations_in', to='registry.body', verbose_name='承接主体')),
                    ],
                    options={
                        'verbose_name': '赋权与委托事项',
                        'verbose_name_plural': '赋权与委托事项',
                        'db_table': 'registry_delegation',
                        'ordering': ['to_body_id', 'item_id'],
                        'indexes': [models.Index(fields=['to_body', 'item', 'valid_from'], name='registry_de_to_body_177548_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
