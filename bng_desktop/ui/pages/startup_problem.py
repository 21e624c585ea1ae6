"""The page shown instead of the app when its data cannot be opened at start-up."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ...startup import TITLE, StartupProblem
from ..app import ACCENT, PRIMARY


def startup_problem_root(problem: StartupProblem) -> Callable[[], None]:
    """The root for ``ui.run``: the reason, the steps that fix it, where the log is."""

    def root() -> None:
        ui.colors(primary=PRIMARY, accent=ACCENT)
        ui.query("body").classes("bg-grey-1")
        with ui.card().classes("max-w-3xl mx-auto mt-10 p-6 gap-4").mark("startup-problem"):
            with ui.row().classes("items-center gap-3 no-wrap"):
                ui.icon("error_outline", color="negative", size="lg")
                ui.label(TITLE).classes("text-2xl font-medium")
            ui.label(problem.reason).classes("text-base").mark("startup-problem-reason")
            ui.label("What to do").classes("text-lg font-medium")
            with ui.element("ol").classes("list-decimal pl-6 gap-2 flex flex-col"):
                for step in problem.steps:
                    with ui.element("li"):
                        ui.label(step).mark("startup-problem-step")
            if problem.log_file is not None:
                ui.label(f"The same is written to the log file {problem.log_file}.").classes(
                    "text-sm text-grey-8"
                )
            ui.label(
                "Nothing was changed. Close this window when you are done; BNG Desktop "
                "opens its data afresh the next time it starts."
            ).classes("text-sm text-grey-8")

    return root
