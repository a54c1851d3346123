"""The billing app's admin: tariffs (registered here) and the remote sessions
inline that the order admin shows."""

from billing.admin.tariff import TariffAdmin

__all__ = ["TariffAdmin"]
