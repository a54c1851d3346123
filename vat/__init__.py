"""VAT facts about a customer: VAT ID checks (format, checksum, VIES) and the
rule that turns country, VAT ID and business confirmation into a VAT treatment.

No models: the facts are stored on the support request (``orders``), the
treatment is frozen on the order. ``vat.ids`` and the VIES client ``vat.vies``
know nothing of the portal; ``vat.services`` queues the VIES check of a support
request and stores its outcome, run by the background task in ``vat.tasks``.
See ``docs/billing.md`` for the rules and their legal basis.
"""
