"""Item.level (实施层级及权限) holds what real power lists write: several levels joined (市级、区级)
and texts longer than 60 characters (issue 14, finding 6)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_delegation_from_registry'),
    ]

    operations = [
        migrations.AlterField(
            model_name='item',
            name='level',
            field=models.CharField(blank=True, help_text='实施层级及权限，可有多级（市级、区级）', max_length=300, verbose_name='实施层级'),
        ),
    ]
