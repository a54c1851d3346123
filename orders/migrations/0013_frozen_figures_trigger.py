"""PostgreSQL keeps the frozen figures of a billed or transferred order as they
were billed: no UPDATE may change them (raw SQL, a shell or another program
included). Only on PostgreSQL, like the evidence trigger."""

from django.db import migrations

FIGURES = [
    "billed_seconds",
    "billed_blocks",
    "billed_net",
    "billed_vat_rate",
    "billed_vat",
    "billed_gross",
    "billing_rule_version",
    "figures_frozen_at",
]
_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FIGURES)

CREATE = f"""
CREATE OR REPLACE FUNCTION orders_order_protect_billed_figures() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('billed', 'transferred') AND ({_CHANGED}) THEN
        RAISE EXCEPTION 'the billed figures of order % cannot change', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS orders_order_billed_figures_immutable ON orders_order;
CREATE TRIGGER orders_order_billed_figures_immutable
    BEFORE UPDATE ON orders_order
    FOR EACH ROW EXECUTE FUNCTION orders_order_protect_billed_figures();
"""

DROP = """
DROP TRIGGER IF EXISTS orders_order_billed_figures_immutable ON orders_order;
DROP FUNCTION IF EXISTS orders_order_protect_billed_figures();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no %-interpolation of the SQL

    return run


class Migration(migrations.Migration):
    dependencies = [("orders", "0012_freeze_existing_figures")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
