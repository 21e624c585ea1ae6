"""The central database password: in the OS keyring, or nowhere on disk at all.

A password is looked up in this order, the first found winning:

1. a password written into ``--url`` for one command (used for that run, never saved);
2. ``BNG_CENTRAL_PASSWORD`` in the environment (headless machines, CI);
3. the OS keyring (Windows Credential Manager, macOS Keychain, the Secret
   Service on Linux), service ``bng-desktop-central``, user ``user@host:port/db``;
4. the password typed on the Sync page in this session, held in memory only:
   the fallback where no keyring backend exists, so the app asks again after
   each restart;
5. none: libpq then uses ``PGPASSWORD`` or ``~/.pgpass``, or a server that
   needs no password.

Only a backend that keeps secrets encrypted counts as a keyring: keyring's
``fail`` backend and the file backends of ``keyrings.alt`` (plain text or a
file of their own) are treated as no keyring, and the password is never
written to the settings table or any file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import KeyringError

log = logging.getLogger(__name__)

SERVICE = "bng-desktop-central"
PASSWORD_ENV = "BNG_CENTRAL_PASSWORD"
KEYRING = "keyring"
MEMORY = "memory"


def usable_backend(backend: KeyringBackend) -> bool:
    """True for a backend that stores secrets encrypted by the OS."""
    if isinstance(backend, chainer.ChainerBackend):
        return any(usable_backend(b) for b in backend.backends)
    if isinstance(backend, fail.Keyring):
        return False
    return not type(backend).__module__.startswith("keyrings.alt")


class PasswordStore:
    """Passwords by connection (``user@host:port/db``): keyring first, else memory."""

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        service: str = SERVICE,
        environment: str = PASSWORD_ENV,
    ):
        self._backend = backend
        self._service = service
        self._environment = environment
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def backend(self) -> KeyringBackend:
        return self._backend or keyring.get_keyring()

    def keyring_available(self) -> bool:
        return usable_backend(self.backend)

    def where(self) -> str:
        """Where a password set now would be kept, in words for the Sync page."""
        if self.keyring_available():
            return f"the system keyring ({type(self.backend).__name__})"
        return "memory only, until the app closes (no system keyring on this computer)"

    def get(self, key: str) -> str | None:
        from_env = os.environ.get(self._environment)
        if from_env:
            return from_env
        if self.keyring_available():
            try:
                found = self.backend.get_password(self._service, key)
            except KeyringError as error:
                log.warning("keyring lookup failed (%s); using this session's password", error)
            else:
                if found is not None:
                    return found
        with self._lock:
            return self._memory.get(key)

    def set(self, key: str, password: str) -> str:
        """Keep ``password`` for ``key``; returns KEYRING or MEMORY (the fallback)."""
        if self.keyring_available():
            try:
                self.backend.set_password(self._service, key, password)
            except KeyringError as error:
                log.warning("keyring refused the password (%s); keeping it in memory", error)
            else:
                with self._lock:
                    self._memory.pop(key, None)
                return KEYRING
        with self._lock:
            self._memory[key] = password
        return MEMORY

    def forget(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)
        if self.keyring_available():
            with contextlib.suppress(KeyringError):  # nothing stored: nothing to forget
                self.backend.delete_password(self._service, key)


passwords = PasswordStore()
"""The process's password store (the in-memory fallback lives as long as the app)."""
