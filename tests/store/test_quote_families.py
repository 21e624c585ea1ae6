"""The history's families: a quote and its re-quotes, newest revision first."""

from __future__ import annotations

import pytest

from bng_desktop.store.quote_families import FamilyOrder, group_families
from bng_desktop.workspace import Workspace
from tests.factories import make_quote


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "data") as opened:
        yield opened


def test_re_quotes_fold_under_their_base_and_families_order_by_their_latest(workspace):
    quotes = workspace.quotes
    first = quotes.save(make_quote(), client_name="Zeta Homes").reference
    second = quotes.save(make_quote(), client_name="acme homes").reference
    quotes.save_revision(first, make_quote())
    families = workspace.quote_history()
    assert [f.base_reference for f in families] == [first, second]  # first was re-quoted last
    family = families[0]
    assert [s.reference for s in family.versions] == [f"{first}.1", first]
    assert family.latest.reference == f"{first}.1" and len(family.earlier) == 1
    by_client = workspace.quote_history(order=FamilyOrder.CLIENT)
    assert [f.latest.client_name for f in by_client] == ["acme homes", "Zeta Homes"]
    oldest = group_families(quotes.search(), FamilyOrder.OLDEST)
    assert [f.base_reference for f in oldest] == [second, first]


def test_filters_apply_before_folding(workspace):
    quotes = workspace.quotes
    base = quotes.save(make_quote(), client_name="Acme").reference
    quotes.save_revision(base, make_quote(), client_name="Acme (renamed)")
    families = workspace.quote_history(client="renamed")
    assert [[s.reference for s in f.versions] for f in families] == [[f"{base}.1"]]
    assert families[0].earlier == ()
