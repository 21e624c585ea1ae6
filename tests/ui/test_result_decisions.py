"""Beside a quote on the page: statutory credits for the same demand, and
what each binding rule costs, worked out after the quote is shown."""

from __future__ import annotations

import asyncio

import pytest
from nicegui import app
from nicegui.testing import User

from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.ui.test_quote_page import fill_demand, fill_site, get_quote

pytestmark = pytest.mark.asyncio


async def quoted(user: User, services):
    await user.open("/")
    await fill_site(user)
    await fill_demand(user, services)
    await get_quote(user)
    with user.client:
        return app.storage.client[CURRENT_DRAFT].result


async def test_the_result_shows_statutory_credits_for_the_same_demand(user: User, services):
    quote = await quoted(user, services)
    assert quote.statutory_credits is not None
    await user.should_see("Statutory credits for the same demand: £")
    await user.should_see(marker="statutory-credits")


async def test_what_each_rule_costs_arrives_after_the_quote(user: User, services):
    quote = await quoted(user, services)
    expected = services.workspace.alternatives(quote)
    await user.should_see("What the rules cost")
    for _ in range(150):
        try:
            await user.should_see(marker="alternative", retries=1)
            break
        except AssertionError:
            await asyncio.sleep(0.1)
    shown = sorted(label.text for label in user.find(marker="alternative").elements)
    assert shown == sorted(a.description for a in expected)
    assert expected, "the sample's chosen banks matter, so there is something to show"
