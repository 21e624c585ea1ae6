"""A quote the time limit left unproven, as a person sees it in headless
Chromium at 1280×800 and 1366×768, restored from the local store: the line
saying how far it may be from the cheapest, and the "Keep looking" button.
Screenshots saved to test-artifacts/ (quote-not-proven-*); nothing wider than
the window."""

from __future__ import annotations

import pytest

from bng_desktop.ui.quote_state import QuoteDraft
from bng_desktop.workspace import Workspace
from tests.timeouts import DEMAND, shared_stock_workbook, time_up_after_the_first_solve
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    LAPTOP_SIZES,
    headless_chromium,
    needs_chromium,
    overflow,
    shot,
    viewport,
    wait_for_text,
)

pytestmark = needs_chromium
SIZES = LAPTOP_SIZES


def keep_a_quote_not_proven(data, folder) -> None:
    """The shared-stock case quoted with the time up after the first solve,
    kept as the user's draft."""
    with Workspace.open(data) as workspace, pytest.MonkeyPatch.context() as patch:
        workspace.import_reference(shared_stock_workbook(folder))
        draft = QuoteDraft(lpa="Winchester", nca="South Downs", client_name="Acme Homes Ltd")
        draft.rows[0].habitat = DEMAND[0][0]
        draft.rows[0].type_units(str(DEMAND[0][1]))
        for habitat, units in DEMAND[1:]:
            draft.add_row(habitat).type_units(str(units))
        draft.choices.split_lines = workspace.snapshot().default_policy.split_lines
        quoted = draft.inputs_payload()
        time_up_after_the_first_solve(patch)
        quote = workspace.quote(draft.request(workspace.snapshot()))
        assert not quote.solver.optimal
        draft.set_result(quote, quoted)
        workspace.keep_draft(draft.to_payload())


def test_a_quote_not_proven_cheapest(tmp_path):
    data = tmp_path / "data"
    keep_a_quote_not_proven(data, tmp_path)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser = headless_chromium(tmp_path / "chromium")
        try:
            browser.get(session.entry_url)
            viewport(browser, *SIZES[0])
            browser.get(session.base_url + "/")
            wait_for_text(browser, "Not proven cheapest — at most £")
            wait_for_text(browser, "Keep looking (longer time limit)")
            assert overflow(browser) == []
            for width, height in SIZES:
                viewport(browser, width, height)
                shot(browser, "quote-not-proven", width, height)
        finally:
            browser.quit()
