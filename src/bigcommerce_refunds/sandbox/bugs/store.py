"""Planted bugs at the store's commit."""

from __future__ import annotations

import dataclasses

from bigcommerce_refunds.sandbox.bugs.profile import BugProfile

LOST_WRITE = BugProfile(
    "lost_write",
    "createOrderRefund answers 201 but does not store the refund.",
    lambda seams: dataclasses.replace(seams, keeps_refunds=False),
)

__all__ = ["LOST_WRITE"]
