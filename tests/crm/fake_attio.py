"""A local stand-in for Attio's REST API v2 on 127.0.0.1: the assert-a-record
endpoint (PUT /v2/objects/{object}/records?matching_attribute=…), answering
in Attio's documented response and error formats."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WORKSPACE_ID = "14beef7a-99f7-4534-a87e-70b564330a4c"
CREATED_AT = "2026-12-05T10:00:00.000000000Z"


@dataclass
class Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeAttio:
    def __init__(self, token: str):
        self.token = token
        self.records: dict[tuple[str, str], dict] = {}
        self.requests: list[dict] = []
        self.script: list[Scripted] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAttio:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_PUT(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = urlsplit(self.path)
                fake.requests.append(
                    {
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "auth": self.headers.get("Authorization"),
                        "body": body,
                    }
                )
                query = parse_qs(parts.query)
                status, headers, payload = fake.answer(parts.path, query, body, self)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def answer(self, path, query, body, request) -> tuple[int, dict, dict]:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, _error(401, "auth_error", "unauthorized", "Invalid token.")
        if self.script:
            scripted = self.script.pop(0)
            return (
                scripted.status,
                scripted.headers,
                _error(
                    scripted.status, "rate_limit_error", "rate_limit_exceeded", "Too many requests."
                ),
            )
        pieces = path.strip("/").split("/")
        if len(pieces) != 4 or pieces[:2] != ["v2", "objects"] or pieces[3] != "records":
            return 404, {}, _error(404, "invalid_request_error", "not_found", "No such route.")
        object_slug = pieces[2]
        matching = (query.get("matching_attribute") or [""])[0]
        values = body.get("data", {}).get("values", {})
        if matching not in values:
            return (
                400,
                {},
                _error(
                    400,
                    "invalid_request_error",
                    "value_not_found",
                    f'No attribute was found for matching_attribute slug/ID "{matching}".',
                ),
            )
        key = (object_slug, str(values[matching]))
        record = self.records.get(key)
        if record is None:
            record = {"record_id": str(uuid.uuid4()), "created_at": CREATED_AT}
        record["values"] = values
        self.records[key] = record
        return (
            200,
            {},
            {
                "data": {
                    "id": {
                        "workspace_id": WORKSPACE_ID,
                        "object_id": str(uuid.uuid5(uuid.NAMESPACE_URL, object_slug)),
                        "record_id": record["record_id"],
                    },
                    "created_at": record["created_at"],
                    "web_url": f"https://app.attio.com/x/{object_slug}/{record['record_id']}",
                    "values": {
                        slug: [{"value": value, "attribute_type": "text"}]
                        for slug, value in values.items()
                    },
                }
            },
        )


def _error(status: int, kind: str, code: str, message: str) -> dict:
    return {"status_code": status, "type": kind, "code": code, "message": message}
