"""The Delegation model (赋权与委托, R03) moves to ``catalog``: registry may not know the items.

State only: the table ``registry_delegation`` and its rows stay where they are; ``catalog``
0005 takes the model over in the state (``db_table = "registry_delegation"``)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Delegation')],
            database_operations=[],
        ),
    ]
