"""An infeasible quote marks the demand lines it could not meet, each with
its reason, in the demand editor; a change to the inputs clears the marks.
The result header names the same lines as the marks do."""

from __future__ import annotations

import re

import pytest
from nicegui import ElementFilter, ui
from nicegui.testing import User

from bng_desktop.core.errors import InfeasibleQuote
from bng_desktop.core.plain_terms import unmet_text
from bng_desktop.ui.pages.quote import CURRENT_DRAFT
from tests.ui.conftest import choose
from tests.ui.test_quote_page import fill_site, get_quote_failing

pytestmark = pytest.mark.asyncio

GRASSLAND = "Grassland - Modified grassland"
NO_STOCK_HERE = "Coastal lagoons - Coastal lagoons"
"""No bank in the sample data holds legal stock for it."""
MORE_THAN_ALL_BANKS_HOLD = 5_000
SCARCE = "Lakes - High alkalinity lakes"
"""One local bank holds 1.95 units of it: enough for one line of 1 unit, not two."""


def pick_habitat(user: User, number: int, habitat: str) -> None:
    choose(user, f"habitat-{number}", habitat)


def element(user: User, marker: str) -> ui.element:
    """The one element with ``marker``, shown or hidden."""
    with user.client:
        (found,) = ElementFilter(marker=marker)
    return found


async def fill_infeasible_demand(user: User) -> None:
    """Line 1 can be met; line 2 has no legal stock; line 3 asks more than
    all banks hold together (lines may be split, so the diagnosis says how much)."""
    pick_habitat(user, 1, GRASSLAND)
    choose(user, "units-1", 1.2)
    for number, habitat, units in ((2, NO_STOCK_HERE, 1), (3, GRASSLAND, MORE_THAN_ALL_BANKS_HOLD)):
        user.find(marker="add-line").click()
        pick_habitat(user, number, habitat)
        choose(user, f"units-{number}", units)
    choose(user, "split-lines", True)


def engine_reasons(services, user: User) -> dict[int, str]:
    """What the engine says of each unmet line, by its demand line number."""
    draft = user.find(marker="quote-inputs").elements.pop().client.storage[CURRENT_DRAFT]
    with pytest.raises(InfeasibleQuote) as caught:
        services.workspace.quote(draft.request(services.snapshot()))
    return {u.demand_index + 1: unmet_text(u) for u in caught.value.lines}


def header_reasons(user: User) -> dict[int, str]:
    """Each line the result header names, by the number in its title, with its 'Why'."""
    with user.client:
        texts = [label.text for label in ElementFilter(kind=ui.label).within(marker="infeasible")]
    titles = [re.fullmatch(r"Line (\d+): .*", text) for text in texts]
    return {
        int(title[1]): texts[n + 1].removeprefix("Why: ")
        for n, title in enumerate(titles)
        if title is not None
    }


def lines_named(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def marked(user: User, lines: int) -> dict[int, str]:
    """The lines the editor marks as unmet, with the reason shown under each."""
    shown = {}
    for number in range(1, lines + 1):
        note = element(user, f"unmet-{number}")
        row = element(user, f"demand-entry-{number}")
        assert note.visible == ("unmet-line" in row.classes)
        if note.visible:
            reason = element(user, f"unmet-reason-{number}").text
            assert note.props["aria-label"] == f"Line {number} cannot be met: {reason}"
            shown[number] = reason
        else:
            assert "aria-label" not in note.props
    return shown


async def test_an_infeasible_quote_marks_exactly_the_unmet_lines_with_their_reasons(
    user: User, services
):
    await user.open("/")
    await fill_site(user)
    await fill_infeasible_demand(user)
    assert marked(user, 3) == {}
    await get_quote_failing(user)
    shown = marked(user, 3)
    assert sorted(shown) == [2, 3]
    assert shown == engine_reasons(services, user)
    assert shown[2] == "No bank holds legal stock for this habitat at any tier"
    assert shown[3].startswith("Not enough stock: ")
    assert shown[3].endswith(" units available, 5000.00 needed")
    await user.should_see("The demand cannot be met as it stands")


async def test_editing_the_demand_clears_the_marks_and_a_new_quote_marks_afresh(
    user: User, services
):
    await user.open("/")
    await fill_site(user)
    await fill_infeasible_demand(user)
    await get_quote_failing(user)
    assert sorted(marked(user, 3)) == [2, 3]
    choose(user, "units-3", 1)
    assert marked(user, 3) == {}
    await user.should_see("The demand changed — get a new quote")
    await get_quote_failing(user)
    assert marked(user, 3) == {2: "No bank holds legal stock for this habitat at any tier"}


async def test_a_blank_line_between_does_not_shift_the_marks(user: User, services):
    await user.open("/")
    await fill_site(user)
    pick_habitat(user, 1, GRASSLAND)
    choose(user, "units-1", 1.2)
    user.find(marker="add-line").click()
    user.find(marker="add-line").click()
    pick_habitat(user, 3, NO_STOCK_HERE)
    choose(user, "units-3", 1)
    await get_quote_failing(user)
    assert sorted(marked(user, 3)) == [3]
    await user.should_see(f"Line 3: {NO_STOCK_HERE}")


async def test_with_a_blank_line_between_the_header_names_the_lines_the_marks_name(
    user: User, services
):
    await user.open("/")
    await fill_site(user)
    user.find(marker="add-line").click()
    user.find(marker="add-line").click()
    for number in (1, 3):
        pick_habitat(user, number, SCARCE)
        choose(user, f"units-{number}", 1)
    await get_quote_failing(user)
    shown = marked(user, 3)
    assert shown == {
        1: "Not enough stock for this line together with line 3",
        3: "Not enough stock for this line together with line 1",
    }
    header = header_reasons(user)
    assert sorted(header) == [1, 3]
    assert {n: lines_named(why) for n, why in header.items()} == {
        n: lines_named(reason) for n, reason in shown.items()
    }
    assert header[1] == "competes for the same stock as line(s) 3; there is not enough for all"
