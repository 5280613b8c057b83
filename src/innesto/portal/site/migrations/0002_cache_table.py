"""Create the database cache table (``innesto_cache``): the cache and rate limits shared by
every worker when there is no Redis, and the fallback while Redis is down."""

import io
from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0,
                 stdout=io.StringIO())


class Migration(migrations.Migration):
    dependencies = [("site", "0001_initial")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
