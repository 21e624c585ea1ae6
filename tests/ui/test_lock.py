"""The lock in front of the app's server, in process: who gets in, who does not.

Every request below is real HTTP through the middleware (httpx's ASGI
transport) to a small app standing in for NiceGUI; test_lock_process.py
repeats the refusals over loopback against the running app, socket.io
included.
"""

from __future__ import annotations

import logging

import httpx
import pytest
from nicegui.testing import User
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bng_desktop.ui import lock as app_lock
from bng_desktop.ui.lock import TOKEN_PARAM, AppLock, LockMiddleware

PORT = 8765


async def _secret_page(request):
    return PlainTextResponse(f"quotes and settings for {request.url.path}")


@pytest.fixture
def lock() -> AppLock:
    return AppLock.create(PORT)


@pytest.fixture
def client(lock):
    app = Starlette(routes=[Route("/{path:path}", _secret_page, methods=["GET", "POST"])])
    app.add_middleware(LockMiddleware, lock=lock)
    transport = httpx.ASGITransport(app)
    return httpx.AsyncClient(transport=transport, base_url=lock.base_url)


def test_the_secret_is_random_and_long_enough():
    tokens = {AppLock.create(PORT).token for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) >= 40 for t in tokens)


async def test_the_first_address_sets_the_cookie_and_drops_the_secret_from_the_address(
    client, lock
):
    response = await client.get(f"/history?tab=2&{TOKEN_PARAM}={lock.token}")
    assert response.status_code == 303
    assert response.headers["location"] == "/history?tab=2"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"bng_session_{PORT}={lock.token};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    followed = await client.get("/history?tab=2")  # the client keeps the cookie, as a browser
    assert followed.status_code == 200 and followed.text == "quotes and settings for /history"


@pytest.mark.parametrize("path", ["/", "/history", "/_nicegui_ws/socket.io/", "/_nicegui/x.js"])
async def test_without_the_secret_every_path_gets_the_page_saying_how_to_open_the_app(client, path):
    response = await client.get(path)
    assert response.status_code == 403
    assert "To open the app" in response.text and "quotes" not in response.text
    assert response.headers["cache-control"] == "no-store"


async def test_a_wrong_secret_or_one_for_another_port_is_refused(client, lock):
    assert (await client.get(f"/?{TOKEN_PARAM}=guess")).status_code == 403
    client.cookies.set(lock.cookie_name, lock.token + "x", domain=lock.host)
    assert (await client.get("/")).status_code == 403
    client.cookies.clear()
    client.cookies.set(f"bng_session_{PORT + 1}", lock.token, domain=lock.host)
    assert (await client.get("/")).status_code == 403


async def test_a_post_without_the_secret_is_refused_in_plain_text(client):
    response = await client.post("/_nicegui/client/1/upload/2", content=b"file")
    assert response.status_code == 403 and response.text == "Forbidden"


@pytest.mark.parametrize(
    "host", ["attacker.example:8765", "127.0.0.1:8766", "127.0.0.1", "192.168.1.5:8765", ""]
)
async def test_a_foreign_host_is_refused_even_with_the_secret(client, lock, host):
    client.cookies.set(lock.cookie_name, lock.token, domain=lock.host)
    response = await client.get("/", headers={"Host": host})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"]
)
async def test_the_loopback_names_with_the_apps_port_are_accepted(client, lock, host):
    client.cookies.set(lock.cookie_name, lock.token, domain=lock.host)
    assert (await client.get("/", headers={"Host": host})).status_code == 200


@pytest.mark.parametrize(
    "origin",
    ["http://attacker.example", "http://127.0.0.1:9999", "https://127.0.0.1:8765", "null"],
)
async def test_a_foreign_origin_is_refused_even_with_the_secret(client, lock, origin):
    client.cookies.set(lock.cookie_name, lock.token, domain=lock.host)
    response = await client.post("/anything", headers={"Origin": origin})
    assert response.status_code == 403


async def test_the_apps_own_origin_or_none_is_accepted(client, lock):
    client.cookies.set(lock.cookie_name, lock.token, domain=lock.host)
    assert (await client.post("/a", headers={"Origin": f"http://127.0.0.1:{PORT}"})).is_success
    assert (await client.post("/a")).is_success


async def test_refusals_are_logged_with_the_reason_but_not_without_bound(client, caplog):
    with caplog.at_level(logging.WARNING, logger="bng_desktop.ui.lock"):
        for _ in range(app_lock.REFUSALS_LOGGED + 10):
            await client.get("/")
    refused = [r.getMessage() for r in caplog.records]
    assert len(refused) == app_lock.REFUSALS_LOGGED
    assert refused[0] == "refused a request for /: it does not carry this app's secret"
    assert refused[-1].endswith("(no more of these are logged)")


def test_announce_prints_the_address_with_its_secret_and_logs_it(lock, capsys, caplog):
    with caplog.at_level(logging.INFO, logger="bng_desktop.ui.lock"):
        app_lock.announce(lock)
    line = f"BNG Desktop is running: open http://127.0.0.1:{PORT}/?{TOKEN_PARAM}={lock.token}"
    assert capsys.readouterr().out == line + "\n"
    assert [r.getMessage() for r in caplog.records] == [line]


async def test_the_simulated_user_gets_in_only_with_the_cookie(user: User):
    await user.open("/")
    await user.should_see("1. Site")
    user.http_client.cookies.clear()
    response = await user.http_client.get("/history")
    assert response.status_code == 403 and "To open the app" in response.text
