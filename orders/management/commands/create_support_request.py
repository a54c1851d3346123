"""python manage.py create_support_request --company C --email E [...]: the last
line of stdout is the customer's link (fixed interface, see the README)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from orders import services


class Command(BaseCommand):
    help = "Creates a support request, e-mails its order link (unless --no-email) and prints it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--contact-name", default="")
        parser.add_argument("--case-ref", default="")
        parser.add_argument("--language", choices=["de", "en"], default="de")
        parser.add_argument("--country", default="DE", help="ISO 3166-1 code, e.g. DE, AT")
        parser.add_argument(
            "--vat-id", default="", help="EU customers: VAT ID, checked (format, check digit)"
        )
        parser.add_argument(
            "--business-evidence",
            default="",
            help="customers outside the EU: confirms they are a business, with this evidence "
            "(e.g. a registration number); no German VAT is then charged",
        )
        parser.add_argument("--no-email", action="store_true", help="do not e-mail the link")

    def handle(self, *args: object, **options: object) -> None:
        try:
            issued = services.support_request_create(
                company=str(options["company"]),
                email=str(options["email"]),
                contact_name=str(options["contact_name"]),
                case_reference=str(options["case_ref"]),
                language=str(options["language"]),
                country=str(options["country"]),
                vat_id=str(options["vat_id"]),
                business_evidence=str(options["business_evidence"]),
                send_email=not options["no_email"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        request = issued.support_request
        self.stdout.write(
            f"Support request {request.pk} for {request.company}, valid until "
            f"{request.expires_at:%Y-%m-%d %H:%M %Z}"
            + ("" if options["no_email"] else f", e-mailed to {request.email}")
        )
        self.stdout.write(issued.url)
