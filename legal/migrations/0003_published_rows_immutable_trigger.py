"""PostgreSQL refuses UPDATE and DELETE of a published legal document.

The model and the admin refuse too, but raw SQL, a shell or another program
would not go through them. Only on PostgreSQL: SQLite deletes rows on flush
(tests), and production runs on PostgreSQL. TRUNCATE fires no row triggers,
so the test database can still be emptied.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION legal_document_refuse_change() RETURNS trigger AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'legal document % (% % v%) is published and immutable',
            OLD.id, OLD.kind, OLD.language, OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS legal_document_immutable ON legal_legaldocument;
CREATE TRIGGER legal_document_immutable
    BEFORE UPDATE OR DELETE ON legal_legaldocument
    FOR EACH ROW EXECUTE FUNCTION legal_document_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS legal_document_immutable ON legal_legaldocument;
DROP FUNCTION IF EXISTS legal_document_refuse_change();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no %-interpolation of the SQL

    return run


class Migration(migrations.Migration):
    dependencies = [("legal", "0002_document_html_drafts_permissions")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
