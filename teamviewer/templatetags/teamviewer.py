from django import template

from orders.models import Order
from teamviewer import selectors

register = template.Library()


@register.simple_tag
def teamviewer_connect_box(order: Order) -> selectors.ConnectBox:
    """What the order's page shows about connecting (see selectors.connect_box)."""
    return selectors.connect_box(order=order)
