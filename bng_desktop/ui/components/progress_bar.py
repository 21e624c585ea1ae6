"""The bar every background job shows: drawn at its value at once rather than
animated towards it, so a screen (or a screenshot) never shows a percentage
ahead of its bar."""

from __future__ import annotations

from nicegui import ui


def progress_bar() -> ui.linear_progress:
    return ui.linear_progress(value=0, show_value=False).props("instant-feedback")
