"""PostgreSQL protects an order's evidence and its history itself.

- An order's evidence (what the customer saw and agreed to, and the prices and
  VAT treatment frozen at that moment) cannot change after insert, and an
  order cannot be deleted.
- Order events are append-only: no UPDATE, no DELETE.

The model, the services and the admin refuse too, but raw SQL, a shell or
another program would not go through them. Only on PostgreSQL (production);
TRUNCATE fires no row triggers, so a test database can still be emptied.
"""

from django.db import migrations

# Columns written once by order placement (orders.services.order_place).
EVIDENCE_COLUMNS = [
    "number",
    "support_request_id",
    "placed_at",
    "language",
    "privacy_document_id",
    "privacy_sha256",
    "asb_document_id",
    "asb_sha256",
    "consent_text",
    "button_label",
    "tariff_id",
    "base_fee",
    "block_price",
    "block_minutes",
    "vat_rate",
    "currency",
    "vat_treatment",
    "customer_country",
    "customer_vat_id",
]

_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in EVIDENCE_COLUMNS)

CREATE = f"""
CREATE OR REPLACE FUNCTION orders_order_protect_evidence() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'order % is an accounting record and cannot be deleted', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF {_CHANGED} THEN
        RAISE EXCEPTION 'the evidence of order % cannot change', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS orders_order_evidence_immutable ON orders_order;
CREATE TRIGGER orders_order_evidence_immutable
    BEFORE UPDATE OR DELETE ON orders_order
    FOR EACH ROW EXECUTE FUNCTION orders_order_protect_evidence();

CREATE OR REPLACE FUNCTION orders_orderevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'order events are append-only (event %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS orders_orderevent_append_only ON orders_orderevent;
CREATE TRIGGER orders_orderevent_append_only
    BEFORE UPDATE OR DELETE ON orders_orderevent
    FOR EACH ROW EXECUTE FUNCTION orders_orderevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS orders_order_evidence_immutable ON orders_order;
DROP FUNCTION IF EXISTS orders_order_protect_evidence();
DROP TRIGGER IF EXISTS orders_orderevent_append_only ON orders_orderevent;
DROP FUNCTION IF EXISTS orders_orderevent_append_only();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no %-interpolation of the SQL

    return run


class Migration(migrations.Migration):
    dependencies = [("orders", "0010_vat_facts_and_frozen_figures")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
