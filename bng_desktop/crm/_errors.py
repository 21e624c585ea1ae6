from __future__ import annotations

from ..core.errors import BngError


class CrmError(BngError):
    """The CRM could not take a quote (it stays queued)."""

    kind = "crm"


class CrmTokenRefused(CrmError):
    def __init__(self) -> None:
        super().__init__(
            "The CRM token is not accepted: ask for a new token with write access to "
            "records, then set it again (bng crm token)."
        )


class CrmUnavailable(CrmError):
    """Offline, a time-out, or the CRM's own failure (5xx): try again later."""


class CrmRateLimited(CrmError):
    def __init__(self, retry_after: float):
        self.retry_after = retry_after
        super().__init__(f"The CRM asked to wait {retry_after:g} s before the next request.")


class CrmRefused(CrmError):
    """The CRM refused the record itself (a 4xx other than 401/403/429)."""
