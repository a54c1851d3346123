"""The contract's admin: support requests and orders, one module each."""

from orders.admin.order import OrderAdmin
from orders.admin.support_request import SupportRequestAdmin

__all__ = ["OrderAdmin", "SupportRequestAdmin"]
