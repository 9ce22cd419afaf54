"""The one error type of the payload adapter."""

from __future__ import annotations


class PayloadError(ValueError):
    """What ansible-core sent is not a payload format this adapter knows.

    The endpoint turns it into rc 1 with this message: an unknown format must never look like
    success.
    """
