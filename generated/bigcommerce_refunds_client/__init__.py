"""A client library for accessing BigCommerce Orders V3 refunds"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
