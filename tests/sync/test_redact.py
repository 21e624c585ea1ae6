"""Passwords masked in every URL shown, logged or stored, parsable or not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bng_desktop.core.errors import SyncError
from bng_desktop.sync.connection import (
    CentralTarget,
    any_password_in_url,
    classify,
    strip_password,
)
from bng_desktop.sync.redact import has_query_password, redact_text, redact_url

SECRET = "Zq7-distinctive-SECRET"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://jo:pw@db.example.org:5432/bng",
            "postgresql://jo:***@db.example.org:5432/bng",
        ),
        ("postgresql://jo:pw@db.example.org:5432", "postgresql://jo:***@db.example.org:5432"),
        ("mysql://jo:pw@db/bng", "mysql://jo:***@db/bng"),
        ("postgresql://jo:pw@db:port/bng", "postgresql://jo:***@db:port/bng"),
        ("postgresql://jo:p@w@db/bng", "postgresql://jo:***@db/bng"),
        ("postgresql://jo:p w@db/bng", "postgresql://jo:***@db/bng"),
        ("postgresql://:pw@db/bng", "postgresql://:***@db/bng"),
        ("jo:pw@db/bng", "jo:***@db/bng"),
        ("postgresql://db/bng?password=pw", "postgresql://db/bng?password=***"),
        (
            "postgresql://db/bng?sslmode=require&password=pw&x=1",
            "postgresql://db/bng?sslmode=require&password=***&x=1",
        ),
        ("postgresql://jo@db/bng", "postgresql://jo@db/bng"),
        ("postgresql://db:5432/bng", "postgresql://db:5432/bng"),
        ("", ""),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_redact_text_masks_every_url_and_libpq_password_settings():
    message = (
        "'postgresql://jo:one@db/bng' failed, then mysql://x:two@h/y and "
        "host=db password=three user=jo; see https://example.org/help"
    )
    masked = redact_text(message)
    assert not {"one", "two", "three"} & set(masked.replace("'", " ").replace(":", " ").split())
    assert "postgresql://jo:***@db/bng" in masked and "password=***" in masked
    assert "https://example.org/help" in masked


@given(st.text(min_size=1))
def test_any_password_is_masked_in_a_url(password):
    assert redact_url(f"postgresql://user:{password}@host:5432/db") == (
        "postgresql://user:***@host:5432/db"
    )


@given(st.text(alphabet=st.characters(blacklist_categories=("Z", "C")), min_size=4))
def test_any_password_is_masked_in_a_message(password):
    message = f"could not use 'postgresql://user:{password}@host/db': refused"
    assert password not in redact_text(message).replace("postgresql://user:***@host/db", "")


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://jo:{SECRET}@db.example.org:5432",  # no database
        f"mysql://jo:{SECRET}@db.example.org/bng",  # wrong scheme
        f"postgresql://jo:{SECRET}@db.example.org:port/bng",  # unparsable port
        f"jo:{SECRET}@db.example.org/bng",  # no scheme
        f"postgresql://jo:{SECRET}@[::1/bng",  # unparsable address
        f"postgresql://jo:a@{SECRET}@db.example.org/bng",  # an unencoded @ in the password
    ],
)
def test_a_malformed_url_is_refused_without_its_password(url):
    with pytest.raises(SyncError) as refused:
        CentralTarget.parse(url)
    assert SECRET not in str(refused.value)
    assert "jo:***@" in str(refused.value)


def test_a_password_in_the_query_is_refused_saying_where_passwords_go():
    with pytest.raises(SyncError) as refused:
        CentralTarget.parse(f"postgresql://db.example.org/bng?password={SECRET}")
    message = str(refused.value)
    assert SECRET not in message and "password=***" in message
    assert "Sync page" in message and "keyring" in message and "BNG_CENTRAL_PASSWORD" in message
    assert has_query_password(f"postgresql://h/d?sslmode=require&password={SECRET}")
    assert not has_query_password("postgresql://jo:pw@h/d")


def test_strip_password_takes_both_kinds_out():
    assert strip_password(f"postgresql://jo:{SECRET}@db/bng") == "postgresql://jo@db/bng"
    assert strip_password(f"postgresql://db/bng?password={SECRET}&sslmode=require") == (
        "postgresql://db/bng?sslmode=require"
    )
    assert strip_password("not a url") == "not a url"
    assert any_password_in_url(f"postgresql://db/bng?password={SECRET}") == SECRET


def test_a_driver_error_quoting_a_url_is_masked():
    error = classify(RuntimeError(f"bad conninfo postgresql://jo:{SECRET}@db/bng"), "The db")
    assert SECRET not in str(error) and "jo:***@db" in str(error)
