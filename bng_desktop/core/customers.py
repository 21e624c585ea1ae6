"""Customers: who a quote is for, and how one customer is told from another.

A customer has a name (required), and optionally a company, a contact
person, an email, a phone number and an address. Email and phone each
identify one customer when given: the store keeps them unique by their
*keys* — the email trimmed and case-folded, the phone as UK digits (a
leading +44 or 0044 becomes 0, spaces, dashes, dots and brackets dropped).
A new customer whose email or phone key another customer already holds is a
duplicate: it is offered for reuse, never stored twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .errors import BngError

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
UK_DIGITS = re.compile(r"^0\d{9,10}$")
MAX_TEXT = 200
MAX_ADDRESS = 500


class CustomerError(BngError):
    """A customer's details are not usable; nothing was stored."""


class MatchedOn(StrEnum):
    """Which detail made a new customer a duplicate of a stored one."""

    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True, kw_only=True)
class CustomerDetails:
    """A customer as typed: every field free text, checked by ``checked_details``."""

    name: str
    company: str = ""
    contact_person: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    @property
    def email_key(self) -> str | None:
        return email_key(self.email)

    @property
    def phone_key(self) -> str | None:
        return phone_key(self.phone)


@dataclass(frozen=True, kw_only=True)
class Customer(CustomerDetails):
    """A stored customer."""

    uuid: str
    author: str = ""
    created_at: str = ""
    updated_at: str = ""
    from_team: bool = False
    """Added by a colleague and pulled from the team's database."""

    def display_name(self) -> str:
        """'Name (Company)', or the name alone."""
        return f"{self.name} ({self.company})" if self.company else self.name

    def label(self) -> str:
        """'Name (Company) · email · phone', as a picker lists it."""
        return " · ".join(part for part in (self.display_name(), self.email, self.phone) if part)


@dataclass(frozen=True)
class Duplicate:
    """A stored customer the new details would duplicate, and on what."""

    existing: Customer
    matched_on: MatchedOn

    def message(self) -> str:
        value = self.existing.email if self.matched_on is MatchedOn.EMAIL else self.existing.phone
        return (
            f"{self.existing.label()} already has the {self.matched_on.value} {value}: "
            "use that customer rather than adding it twice."
        )


class DuplicateCustomer(CustomerError):
    """The details match a stored customer by email or phone."""

    def __init__(self, duplicate: Duplicate):
        super().__init__(duplicate.message())
        self.duplicate = duplicate


def email_key(email: str) -> str | None:
    """The email as compared: trimmed and case-folded (None when blank)."""
    key = email.strip().casefold()
    return key or None


def phone_key(phone: str) -> str | None:
    """A UK number as compared: digits only, +44 / 0044 written as 0 (None when blank)."""
    text = PHONE_PUNCTUATION.sub("", phone.strip())
    if not text:
        return None
    if text.startswith("+44"):
        text = "0" + text[3:].removeprefix("0")
    elif text.startswith("0044"):
        text = "0" + text[4:].removeprefix("0")
    return text


def checked_details(details: CustomerDetails) -> CustomerDetails:
    """The details trimmed, or CustomerError naming every field that is wrong."""
    trimmed = CustomerDetails(
        name=" ".join(details.name.split()),
        company=" ".join(details.company.split()),
        contact_person=" ".join(details.contact_person.split()),
        email=details.email.strip(),
        phone=details.phone.strip(),
        address=details.address.strip(),
    )
    problems = _problems(trimmed)
    if problems:
        raise CustomerError("The customer was not saved: " + "; ".join(problems) + ".")
    return trimmed


def _problems(details: CustomerDetails) -> list[str]:
    problems = []
    if not details.name:
        problems.append("the name is required")
    for field in ("name", "company", "contact_person", "email", "phone"):
        if len(getattr(details, field)) > MAX_TEXT:
            problems.append(f"the {field.replace('_', ' ')} is longer than {MAX_TEXT} characters")
    if len(details.address) > MAX_ADDRESS:
        problems.append(f"the address is longer than {MAX_ADDRESS} characters")
    if details.email and not EMAIL_SHAPE.match(details.email):
        problems.append(f"the email {details.email!r} is not an address like name@example.co.uk")
    key = details.phone_key
    if key is not None and not UK_DIGITS.match(key):
        problems.append(
            f"the phone {details.phone!r} is not a UK number (10 or 11 digits starting 0, or +44)"
        )
    return problems


def find_duplicate(details: CustomerDetails, stored: list[Customer]) -> Duplicate | None:
    """The first stored customer sharing the email key, else the phone key."""
    for matched_on, key in (
        (MatchedOn.EMAIL, details.email_key),
        (MatchedOn.PHONE, details.phone_key),
    ):
        if key is None:
            continue
        for customer in stored:
            theirs = customer.email_key if matched_on is MatchedOn.EMAIL else customer.phone_key
            if theirs == key:
                return Duplicate(customer, matched_on)
    return None
