import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The plan files' document as last loaded is kept with the merge's base; the plan
    set's document becomes the database's state, with the time it last changed."""

    dependencies = [
        ('plans', '0004_value_provenance'),
    ]

    operations = [
        migrations.AddField(
            model_name='loadbase',
            name='document',
            field=models.JSONField(default=dict, help_text='the plan set as the files said it'),
        ),
        migrations.AddField(
            model_name='plansetdocument',
            name='changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
