"""Passwords out of everything shown, logged or stored: ``postgresql://user:***@host/db``.

``redact_url`` takes one URL as typed, parsable or not (a wrong scheme, no
database, a bad port, an unencoded ``@`` in the password): whatever lies
between the user name and the last ``@`` of the address becomes ``***``, and
so does the value of a ``password=`` (or ``sslpassword=``) parameter.
``redact_text`` does the same to every URL inside a message, and to libpq's
``password=…`` settings, so an error message quoting a URL is safe to log
and show.
"""

from __future__ import annotations

import re

MASK = "***"
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)")
_PASSWORD_PARAM = re.compile(r"(?P<key>\b(?:ssl)?password\s*=\s*)(?P<value>'[^']*'|[^&#\s]*)", re.I)
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")
_USERINFO_END = re.compile(r"[/?#]")


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (nothing else changes)."""
    text = url or ""
    found = _SCHEME.match(text)
    scheme = found.group("scheme") if found else ""
    rest = _PASSWORD_PARAM.sub(lambda m: m.group("key") + MASK, text[len(scheme) :])
    userinfo, at, address = rest.rpartition("@")
    if not at:
        return scheme + rest
    user, colon, _secret = userinfo.partition(":")
    if not colon or _USERINFO_END.search(user):
        return scheme + rest
    return f"{scheme}{user}:{MASK}@{address}"


def redact_text(message: str) -> str:
    """Every URL in ``message`` redacted, and any ``password=…`` setting."""
    redacted = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), message or "")
    return _PASSWORD_PARAM.sub(lambda m: m.group("key") + MASK, redacted)


def has_query_password(url: str) -> bool:
    """A ``password=`` parameter in the URL's query (refused: see connection.py)."""
    _, question, query = (url or "").partition("?")
    return bool(question) and _PASSWORD_PARAM.search(query) is not None
