"""A step of the migration graph that writes nothing.

The staff groups ("Helpdesk", "Helpdesk lead", "Legal") and their permissions
are defined in ``lenze_support/groups.py`` and applied by ``groups_apply`` after
every ``migrate`` (a ``post_migrate`` receiver), so that one module holds them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
