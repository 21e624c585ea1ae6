"""Attio's REST API v2, the one call the quote push needs: assert (upsert) a
record matched on a unique attribute, so sending a quote twice updates it."""

from __future__ import annotations

from typing import Any

import httpx

from ._errors import CrmRateLimited, CrmRefused, CrmTokenRefused, CrmUnavailable

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEFAULT_RETRY_AFTER = 30.0


class AttioClient:
    def __init__(self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def assert_record(
        self, object_slug: str, matching_attribute: str, values: dict[str, Any]
    ) -> str:
        """Create or update the record whose ``matching_attribute`` equals the
        value given for it; returns the CRM's record id."""
        try:
            response = self._http.put(
                f"/v2/objects/{object_slug}/records",
                params={"matching_attribute": matching_attribute},
                json={"data": {"values": values}},
            )
        except httpx.HTTPError as error:
            raise CrmUnavailable(f"Cannot reach the CRM ({type(error).__name__}).") from error
        return _record_id(response)


def _record_id(response: httpx.Response) -> str:
    status = response.status_code
    if status in (401, 403):
        raise CrmTokenRefused()
    if status == 429:
        raise CrmRateLimited(_retry_after(response.headers.get("Retry-After")))
    if status >= 500:
        raise CrmUnavailable(f"The CRM failed ({status}); the quote stays queued.")
    if status >= 400:
        raise CrmRefused(f"The CRM refused the quote ({status}): {_message(response)}")
    try:
        return str(response.json()["data"]["id"]["record_id"])
    except (ValueError, KeyError, TypeError) as error:
        raise CrmUnavailable("The CRM answered in a form this app does not know.") from error


def _retry_after(header: str | None) -> float:
    try:
        return max(0.0, float(header)) if header else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", ""))[:200]
    except ValueError:
        return response.text[:200]
