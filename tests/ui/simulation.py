"""NiceGUI's simulated user behind the app's lock, let in the supported way:
with this run's cookie, on the app's loopback address, as the app's own
window is after its first address."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from nicegui import app
from nicegui.testing import User
from nicegui.testing.user_simulation import user_simulation

from bng_desktop.ui import lock as app_lock
from bng_desktop.ui.launch import DEFAULT_PORT


@asynccontextmanager
async def locked_user(root: Callable[[], None]) -> AsyncIterator[User]:
    async with user_simulation(root=root) as simulated:
        lock = app_lock.AppLock.create(DEFAULT_PORT)
        app_lock.install(app, lock)  # before the first request builds the middleware stack
        let_in(simulated, lock)
        yield simulated


def let_in(user: User, lock: app_lock.AppLock) -> None:
    user.http_client.base_url = lock.base_url
    user.http_client.cookies.set(lock.cookie_name, lock.token, domain=lock.host)
