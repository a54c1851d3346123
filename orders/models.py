"""Models of the orders app (support requests, orders, tariffs) land with issue 4."""
