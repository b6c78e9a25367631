"""bigcommerce-refunds: typed client, sandbox and conformance suite for BigCommerce's refund API.

The supported import is the client façade (``bigcommerce_refunds.client``), re-exported here;
the sandbox lives in ``bigcommerce_refunds.sandbox``.
"""

from bigcommerce_refunds import client as _client
from bigcommerce_refunds.client import *  # noqa: F403  (the names listed in client.__all__)

__all__ = list(_client.__all__)
