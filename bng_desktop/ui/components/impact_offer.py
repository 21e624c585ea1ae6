"""The offer shown once a new reference version is current (imported or
pulled): what it does to open quotes, one click away on the Impact page."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ...core.impact import ImpactOffer


def impact_link(version_id: int) -> str:
    """The Impact page comparing ``version_id`` at once."""
    return f"/impact?version={version_id}&run=1"


def impact_offer_card(offer: ImpactOffer, on_follow: Callable[[], None] = lambda: None) -> None:
    """``on_follow`` runs as the consultant follows the offer."""

    def follow() -> None:
        on_follow()
        ui.navigate.to(impact_link(offer.version_id))

    with (
        ui.card().classes("w-full bg-blue-1").props("flat bordered").mark("impact-offer"),
        ui.row().classes("w-full items-center gap-3 no-wrap"),
    ):
        ui.icon("compare_arrows", size="sm", color="primary")
        ui.label(offer.text).classes("text-sm flex-1").mark("impact-offer-text")
        if offer.worth_comparing:
            ui.button(
                "See what it does to open quotes",
                icon="arrow_forward",
                on_click=follow,
            ).props("no-caps").mark("impact-offer-open")
