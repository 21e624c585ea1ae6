"""The canonical text of a quote request: the result cache's key."""

from __future__ import annotations

import hashlib
import json

from .. import __version__
from . import rulebook
from .exact import fraction_text
from .policy import policy_to_mapping
from .result import QuoteRequest


def canonical_request(request: QuoteRequest) -> dict:
    site = request.site
    return {
        "site": {
            "lpa": site.lpa,
            "nca": site.nca,
            "lpa_neighbours": sorted(site.lpa_neighbours),
            "nca_neighbours": sorted(site.nca_neighbours),
        },
        "demand": [[d.habitat_name, fraction_text(d.units)] for d in request.demand],
        "policy": policy_to_mapping(request.policy),
        "eligible_surplus": (
            None if request.eligible_surplus is None else fraction_text(request.eligible_surplus)
        ),
    }


def request_key(
    request: QuoteRequest,
    reference_hash: str,
    *,
    app_version: str | None = None,
    rules: str | None = None,
) -> str:
    """SHA-256 of the canonical request, the reference it is priced on, the
    application version and the rule tables' fingerprint (this
    installation's unless given): an upgrade or a changed rule never hits a
    result the older engine computed."""
    payload = {
        "request": canonical_request(request),
        "reference": reference_hash,
        "app_version": __version__ if app_version is None else app_version,
        "rules": rulebook.fingerprint() if rules is None else rules,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
