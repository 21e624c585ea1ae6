"""Saved quotes pushed to the team's CRM (Attio REST API v2), off by default.

Public API: CrmSync (queue a saved quote, push what is due, settings and
token), CrmSettings, CrmRound, and one exception tree under CrmError.
"""

from ._errors import CrmError, CrmRateLimited, CrmRefused, CrmTokenRefused, CrmUnavailable
from ._sync import CrmRound, CrmSettings, CrmSync
from ._values import quote_values

__all__ = [
    "CrmError",
    "CrmRateLimited",
    "CrmRefused",
    "CrmRound",
    "CrmSettings",
    "CrmSync",
    "CrmTokenRefused",
    "CrmUnavailable",
    "quote_values",
]
