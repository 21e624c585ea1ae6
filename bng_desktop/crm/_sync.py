"""Saved quotes to the CRM: queued when saved (if a CRM is set up), sent when
online, retried with backoff; a 429 waits as long as the CRM asks; a refused
token stops the round and says so."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from ..store import AppSettings, CrmOutbox, CrmQueueState, SavedQuote
from ..sync.credentials import PasswordStore
from ._client import AttioClient
from ._errors import CrmError, CrmRateLimited, CrmRefused, CrmTokenRefused
from ._values import MATCHING_ATTRIBUTE, quote_values

log = logging.getLogger(__name__)

TOKEN_SERVICE = "bng-desktop-crm"
TOKEN_ENV = "BNG_CRM_TOKEN"
TOKEN_KEY = "attio"
SETTINGS_KEY = "crm.settings"
BACKOFF_SECONDS = (30, 120, 600, 3600)
"""Waits after the 1st, 2nd, 3rd and later failed attempts."""


@dataclass(frozen=True, kw_only=True)
class CrmSettings:
    enabled: bool = False
    base_url: str = "https://api.attio.com"
    object_slug: str = "quotes"


@dataclass(frozen=True, kw_only=True)
class CrmRound:
    sent: int
    waiting: int
    message: str


class CrmSync:
    def __init__(
        self,
        settings: AppSettings,
        outbox: CrmOutbox,
        tokens: PasswordStore | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._settings = settings
        self.outbox = outbox
        self.tokens = tokens or PasswordStore(service=TOKEN_SERVICE, environment=TOKEN_ENV)
        self._transport = transport
        self._clock = clock

    def settings(self) -> CrmSettings:
        stored = self._settings.get(SETTINGS_KEY, {}) or {}
        known = {k: v for k, v in stored.items() if k in CrmSettings.__dataclass_fields__}
        return CrmSettings(**known)

    def configure(self, chosen: CrmSettings, token: str | None = None) -> None:
        self._settings.set(SETTINGS_KEY, chosen.__dict__)
        if token:
            self.tokens.set(TOKEN_KEY, token)

    def active(self) -> bool:
        return self.settings().enabled and bool(self.tokens.get(TOKEN_KEY))

    def queue_saved(self, saved: SavedQuote) -> bool:
        """Queue a just-saved quote when a CRM is set up; True when queued."""
        if not self.active():
            return False
        self.outbox.queue(saved.reference, quote_values(saved), self._clock())
        return True

    def state(self) -> CrmQueueState:
        return self.outbox.state()

    def push_due(self) -> CrmRound:
        """Send every queued quote that is due; stops at a 429 or a refused token."""
        settings, token = self.settings(), self.tokens.get(TOKEN_KEY)
        if not (settings.enabled and token):
            return CrmRound(sent=0, waiting=self.state().waiting, message="The CRM is not set up.")
        client = AttioClient(settings.base_url, token, transport=self._transport)
        sent, message = 0, ""
        try:
            for entry in self.outbox.due(self._clock()):
                try:
                    record_id = client.assert_record(
                        settings.object_slug, MATCHING_ATTRIBUTE, entry.values
                    )
                except CrmRateLimited as limited:
                    wait = timedelta(seconds=limited.retry_after)
                    self.outbox.retry_later(entry, self._clock() + wait, str(limited))
                    message = str(limited)
                    break
                except CrmTokenRefused as refused:
                    self.outbox.retry_later(entry, self._clock(), str(refused))
                    message = str(refused)
                    break
                except CrmError as error:
                    self.outbox.retry_later(entry, self._later(entry.attempts, error), str(error))
                    message = str(error)
                    if not isinstance(error, CrmRefused):
                        break
                else:
                    self.outbox.sent(entry, record_id)
                    sent += 1
        finally:
            client.close()
        waiting = self.state().waiting
        return CrmRound(sent=sent, waiting=waiting, message=message or f"Sent {sent} to the CRM.")

    def _later(self, attempts: int, error: CrmError) -> datetime:
        wait = BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS) - 1)]
        log.info("CRM push failed (%s); next try in %s s", error, wait)
        return self._clock() + timedelta(seconds=wait)
