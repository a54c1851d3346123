"""PostgreSQL: vacuum the task table after every thousand changed rows.

Each task row is written three times (waiting, running, done), so a busy
queue leaves dead row versions and dead entries in the index of waiting
tasks faster than PostgreSQL's default (a fifth of the table) cleans them up;
every claim by a worker then reads past them. A fixed threshold keeps the
claim as cheap on a long-lived table as on a new one. Other databases: nothing.
"""

from django.db import migrations

SETTINGS = (
    "autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, "
    "autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000"
)
NAMES = (
    "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
    "autovacuum_analyze_scale_factor, autovacuum_analyze_threshold"
)


def _table(apps) -> str:
    return apps.get_model("django_tasks_database", "DBTaskResult")._meta.db_table


def set_autovacuum(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(_table(apps))
        schema_editor.execute(f"ALTER TABLE {table} SET ({SETTINGS})")


def reset_autovacuum(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(_table(apps))
        schema_editor.execute(f"ALTER TABLE {table} RESET ({NAMES})")


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0002_queue_pending_notifications"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(set_autovacuum, reset_autovacuum)]
