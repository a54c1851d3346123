"""PostgreSQL keeps recorded sessions as evidence: a session is never deleted
(it is voided instead), and the sessions of an order that is completed,
billed, transferred or cancelled cannot change. Only on PostgreSQL; TRUNCATE
fires no row triggers, so a test database can still be emptied."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION billing_session_protect() RETURNS trigger AS $$
DECLARE
    order_status varchar;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'remote session % cannot be deleted (void it instead)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT status INTO order_status FROM orders_order WHERE id = OLD.order_id;
    IF order_status NOT IN ('placed', 'in_progress') OR NEW.order_id <> OLD.order_id THEN
        RAISE EXCEPTION 'the sessions of order % are locked (status %)', OLD.order_id, order_status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS billing_session_locked ON billing_remotesession;
CREATE TRIGGER billing_session_locked
    BEFORE UPDATE OR DELETE ON billing_remotesession
    FOR EACH ROW EXECUTE FUNCTION billing_session_protect();
"""

DROP = """
DROP TRIGGER IF EXISTS billing_session_locked ON billing_remotesession;
DROP FUNCTION IF EXISTS billing_session_protect();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no %-interpolation of the SQL

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_voided_sessions"), ("orders", "0012_freeze_existing_figures")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
