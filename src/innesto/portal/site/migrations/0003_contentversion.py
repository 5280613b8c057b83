"""The content version's row (created on first use, see ``site/cache.py``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("site", "0002_cache_table")]
    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField()),
            ],
        ),
    ]
