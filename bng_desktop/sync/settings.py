"""This desktop's sync settings, kept in the local ``app_setting`` table.

The URL and user name are settings (``BNG_CENTRAL_URL`` in the environment
overrides the URL); the password is not a setting (credentials.py).
Each desktop gets a random id the first time it syncs, so the central
database can tell its quotes from colleagues'.
"""

from __future__ import annotations

import getpass
import os
import uuid
from dataclasses import dataclass

from sqlalchemy import make_url

from ..core.errors import SyncError
from ..store import AppSettings
from .connection import CentralTarget, any_password_in_url, strip_password, without_password

URL_KEY = "sync.central_url"
URL_ENV = "BNG_CENTRAL_URL"
"""Overrides the saved URL (as for `bng doctor`), for headless machines."""
USER_KEY = "sync.user"
INTERVAL_KEY = "sync.interval_minutes"
AUTHOR_KEY = "sync.author"
DESKTOP_KEY = "sync.desktop_id"
DEFAULT_INTERVAL_MINUTES = 15


@dataclass(frozen=True)
class SyncSettings:
    url: str = ""
    user: str = ""
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES
    author: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.effective_url)

    @property
    def effective_url(self) -> str:
        return os.environ.get(URL_ENV, "").strip() or self.url.strip()

    @property
    def author_name(self) -> str:
        """The name this desktop's quotes carry for colleagues (author, user, login)."""
        return self.author or self.user or _login_name()

    def target(self, url: str | None = None) -> CentralTarget:
        """The central database: ``url`` when given (one run), else the saved one."""
        chosen = url or self.effective_url
        if not chosen:
            raise SyncError(
                "No central database is set: pass --url postgresql://server/bng, "
                "or set it on the Sync page."
            )
        return CentralTarget.parse(chosen, self.user or None)


def load_settings(settings: AppSettings) -> SyncSettings:
    interval = settings.get(INTERVAL_KEY, DEFAULT_INTERVAL_MINUTES)
    return SyncSettings(
        url=str(settings.get(URL_KEY, "") or ""),
        user=str(settings.get(USER_KEY, "") or ""),
        interval_minutes=interval if isinstance(interval, int) and interval > 0 else 15,
        author=str(settings.get(AUTHOR_KEY, "") or ""),
    )


def save_settings(settings: AppSettings, chosen: SyncSettings) -> SyncSettings:
    """Store the URL (checked, and without any password: see credentials.py),
    the user, the interval and the author name."""
    url = chosen.url.strip()
    user = chosen.user.strip()
    if url:
        user = user or CentralTarget.parse(url).user
        url = without_password(make_url(url)).render_as_string(hide_password=False)
    if chosen.interval_minutes < 1:
        raise SyncError("The sync interval must be at least 1 minute.")
    settings.set(URL_KEY, url)
    settings.set(USER_KEY, user)
    settings.set(INTERVAL_KEY, int(chosen.interval_minutes))
    settings.set(AUTHOR_KEY, chosen.author.strip())
    return load_settings(settings)


def take_saved_password(settings: AppSettings) -> tuple[str, str] | None:
    """A URL an older version saved with its password in it is saved again
    without; returns (the URL now saved, the password) so the caller can move
    the password to the keyring, else None."""
    url = str(settings.get(URL_KEY, "") or "")
    password = any_password_in_url(url)
    if not password:
        return None
    cleaned = strip_password(url)
    settings.set(URL_KEY, cleaned, erase_old=True)
    return cleaned, password


def desktop_id(settings: AppSettings) -> str:
    """This desktop's id, made on first use."""
    found = settings.get(DESKTOP_KEY)
    if isinstance(found, str) and found:
        return found
    made = str(uuid.uuid4())
    settings.set(DESKTOP_KEY, made)
    return made


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
