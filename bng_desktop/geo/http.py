"""One web service over a shared httpx client: timeouts, retries, JSON, clear errors.

Connection failures, timeouts, HTTP 429 and 5xx are retried with exponential
backoff, within the current lookup budget (budget.py). Other answers are
returned to the caller, who knows what a 404 means for its service. Every
failure leaves as a LocationError: ServiceUnreachable when nothing usable came
back over the wire, ServiceFailed when something did but it was unusable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from ..core.errors import ServiceFailed, ServiceUnreachable
from .budget import deadline
from .config import GeoSettings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    """The decoded JSON."""


def new_http_client(settings: GeoSettings) -> httpx.Client:
    """One connection pool for every service (thread-safe)."""
    return httpx.Client(
        headers={"User-Agent": settings.user_agent, "Accept": "application/json"},
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        follow_redirects=True,
    )


class ServiceClient:
    def __init__(
        self,
        name: str,
        base_url: str,
        http: httpx.Client,
        settings: GeoSettings,
        *,
        offline: bool = False,
        before_request: Callable[[], None] = lambda: None,
    ):
        self.name = name
        self.base_url = base_url
        self._http = http
        self._settings = settings
        self._offline = offline
        self._before_request = before_request
        """Called before every attempt, e.g. a rate limiter's wait."""

    def get(self, path: str, params: dict[str, Any]) -> Reply:
        return self._send("GET", path, params=params)

    def post(self, path: str, data: dict[str, Any]) -> Reply:
        return self._send("POST", path, data=data)

    def _send(self, method: str, path: str, **kwargs: Any) -> Reply:
        if self._offline:
            raise ServiceUnreachable(self.name, "working offline")
        url = self.base_url + path
        end = deadline(self._settings.budget)
        failure = "no attempt made"
        for attempt in range(self._settings.attempts):
            if attempt and not self._pause(attempt, end):
                break
            self._before_request()
            remaining = end - time.monotonic()
            if remaining <= 0:
                break
            try:
                timeout = self._timeout(remaining)
                response = self._http.request(method, url, timeout=timeout, **kwargs)
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}: {exc}"
                log.info("%s: attempt %d failed: %s", self.name, attempt + 1, failure)
                continue
            if response.status_code in RETRY_STATUSES:
                failure = f"HTTP {response.status_code}"
                log.info("%s: attempt %d answered %s", self.name, attempt + 1, failure)
                continue
            return Reply(response.status_code, self._decode(response))
        raise self._gave_up(failure)

    def _pause(self, attempt: int, end: float) -> bool:
        """Back off before another attempt, unless that would overrun the budget."""
        pause = self._settings.backoff * 2 ** (attempt - 1)
        if time.monotonic() + pause >= end:
            return False
        time.sleep(pause)
        return True

    def _timeout(self, remaining: float) -> httpx.Timeout:
        settings = self._settings
        return httpx.Timeout(
            min(settings.read_timeout, remaining),
            connect=min(settings.connect_timeout, remaining),
        )

    def _decode(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            start = response.text[:60].replace("\n", " ")
            raise ServiceFailed(
                self.name, f"HTTP {response.status_code}, not JSON: {start!r}"
            ) from None

    def _gave_up(self, failure: str) -> Exception:
        log.info("%s: giving up (%s)", self.name, failure)
        if failure.startswith("HTTP "):
            return ServiceFailed(self.name, f"{failure} after {self._settings.attempts} tries")
        return ServiceUnreachable(self.name, failure)
