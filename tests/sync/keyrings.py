"""Stand-ins for OS keyrings, to see where a password went."""

from __future__ import annotations

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A stand-in OS keyring."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


class PlaintextFileKeyring(MemoryKeyring):
    """Looks like keyrings.alt's file backend: not a keyring for our purposes."""


PlaintextFileKeyring.__module__ = "keyrings.alt.file"
