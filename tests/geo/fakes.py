"""A local fake of every location service, on 127.0.0.1, in the services' real formats.

One threaded HTTP server answers under five prefixes:

    /postcodes.io/postcodes/{PC}   postcodes.io result objects and 404 bodies
    /nominatim/search              Nominatim jsonv2 lists
    /photon/api                    Photon GeoJSON feature collections
    /arcgis/lpa/query              ArcGIS FeatureServer query answers (LAD24NM)
    /arcgis/nca/query              the same for NCA_Name

over a small invented world of rectangles. It records every request, and
``script(service, *actions)`` makes the next requests to a service misbehave
(an HTTP status, malformed JSON, a delay) before normal service resumes.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Rect = tuple[float, float, float, float]
"""west, south, east, north (degrees)."""

DISTRICTS: dict[str, Rect] = {
    "Test Valley": (-1.75, 50.95, -1.45, 51.35),
    "Winchester": (-1.45, 50.95, -1.15, 51.35),
    "East Hampshire": (-1.15, 50.95, -0.75, 51.35),
    "King's Lynn and West Norfolk": (0.2, 52.5, 0.8, 53.0),
    "Breckland": (0.8, 52.4, 1.2, 52.8),
    "Northumberland": (-2.7, 54.8, -1.5, 55.8),
    "Fakeshire": (1.2, 52.4, 1.6, 52.8),  # not in the bundled district list
}
NCAS: dict[str, Rect] = {
    "Hampshire Downs": (-1.75, 50.95, -1.30, 51.35),
    "South Downs": (-1.30, 50.95, -0.75, 51.35),
    "The Fens": (0.2, 52.5, 0.6, 53.0),
    "Breckland": (0.6, 52.4, 1.2, 52.8),
    "Tyne Gap and Hadrian's Wall": (-2.6, 54.9, -2.0, 55.1),
    "Border Moors and Forests": (-2.6, 55.1, -2.0, 55.4),
}
POSTCODES: dict[str, tuple[float, float, str]] = {
    "SO23 9LJ": (51.0632, -1.3081, "Winchester"),
    "PE30 1EX": (52.7539, 0.3977, "King's Lynn and West Norfolk"),
    "NE49 9BA": (54.9700, -2.4600, "Northumberland"),
    "SW1A 1AA": (51.501009, -0.141588, "Westminster"),
}
NOMINATIM: dict[str, tuple[float, float]] = {
    "1 high street, winchester": (51.0615, -1.3130),
}
PHOTON: dict[str, tuple[float, float]] = {
    "ashcombe down": (51.2000, -1.6000),
    "1 high street, winchester": (51.0615, -1.3130),
}
SERVICES = ("postcodes", "nominatim", "photon", "lpa", "nca")
LAYERS = {"lpa": ("LAD24NM", DISTRICTS), "nca": ("NCA_Name", NCAS)}
_WHERE = re.compile(r"^(\w+) = '((?:[^']|'')*)'$")


@dataclass(frozen=True)
class Seen:
    service: str
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeServices:
    host: str = "127.0.0.1"
    port: int = 0
    seen: list[Seen] = field(default_factory=list)
    _scripts: dict[str, deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ control

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def urls(self) -> dict[str, str]:
        """GeoSettings fields pointing at this fake."""
        return {
            "postcodes_url": f"{self.base}/postcodes.io",
            "nominatim_url": f"{self.base}/nominatim",
            "photon_url": f"{self.base}/photon",
            "arcgis_lpa_url": f"{self.base}/arcgis/lpa",
            "arcgis_nca_url": f"{self.base}/arcgis/nca",
        }

    def environment(self) -> dict[str, str]:
        return {f"BNG_{k.upper()}": v for k, v in self.urls().items()}

    def script(self, service: str, *actions: Any) -> None:
        """Actions for the next requests: an int (HTTP status with an error body),
        "malformed" (200 with half a JSON document), or a float (seconds to wait
        before answering normally)."""
        assert service in SERVICES
        with self._lock:
            self._scripts.setdefault(service, deque()).extend(actions)

    def count(self, service: str | None = None) -> int:
        with self._lock:
            return sum(1 for s in self.seen if service in (None, s.service))

    def requests(self, service: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.service == service]

    def start(self) -> FakeServices:
        fake = self

        class Handler(_Handler):
            services = fake

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.port = self._server.server_address[1]
        serve = lambda: self._server.serve_forever(poll_interval=0.02)  # noqa: E731
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------ answering

    def answer(self, seen: Seen) -> tuple[int, str]:
        with self._lock:
            self.seen.append(seen)
            queue = self._scripts.get(seen.service)
            action = queue.popleft() if queue else None
        if isinstance(action, float):
            time.sleep(action)
        elif action == "malformed":
            return 200, '{"status": 200, "result": {"postcode": '
        elif isinstance(action, int):
            return action, json.dumps({"status": action, "error": "scripted failure"})
        status, body = _ROUTES[seen.service](seen)
        return status, json.dumps(body)


class _Handler(BaseHTTPRequestHandler):
    services: FakeServices

    def do_GET(self) -> None:
        self._serve(self._query_params())

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8"))
        self._serve({**self._query_params(), **{k: v[0] for k, v in form.items()}})

    def _query_params(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _serve(self, params: dict[str, str]) -> None:
        path = unquote(urlsplit(self.path).path)
        params["user-agent"] = self.headers.get("User-Agent", "")
        seen = Seen(_service_of(path), self.command, path, params)
        status, text = self.services.answer(seen)
        data = text.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (timeout tests)

    def log_message(self, *args: Any) -> None:
        pass


def _service_of(path: str) -> str:
    for prefix, service in (
        ("/postcodes.io/", "postcodes"),
        ("/nominatim/", "nominatim"),
        ("/photon/", "photon"),
        ("/arcgis/lpa/", "lpa"),
        ("/arcgis/nca/", "nca"),
    ):
        if path.startswith(prefix):
            return service
    return "unknown"


# ------------------------------------------------------------ the services' formats


def _postcodes(seen: Seen) -> tuple[int, Any]:
    compact = seen.path.rsplit("/", 1)[-1].upper()
    for postcode, (lat, lon, district) in POSTCODES.items():
        if postcode.replace(" ", "") == compact:
            return 200, {"status": 200, "result": postcode_result(postcode, lat, lon, district)}
    return 404, {"status": 404, "error": "Postcode not found"}


def postcode_result(postcode: str, lat: float, lon: float, district: str) -> dict[str, Any]:
    outward, inward = postcode.split()
    return {
        "postcode": postcode,
        "quality": 1,
        "eastings": 448000,
        "northings": 129000,
        "country": "England",
        "nhs_ha": "South Central",
        "longitude": lon,
        "latitude": lat,
        "european_electoral_region": "South East",
        "primary_care_trust": "Hampshire",
        "region": "South East",
        "lsoa": f"{district} 010A",
        "msoa": f"{district} 010",
        "incode": inward,
        "outcode": outward,
        "parliamentary_constituency": district,
        "admin_district": district,
        "parish": f"{district}, unparished area",
        "admin_county": "Hampshire",
        "date_of_introduction": "198001",
        "admin_ward": "St Michael",
        "ced": None,
        "ccg": "NHS Hampshire and Isle of Wight",
        "nuts": district,
        "pfa": "Hampshire",
        "codes": {"admin_district": "E07000094", "admin_county": "E10000014"},
    }


def _nominatim(seen: Seen) -> tuple[int, Any]:
    if seen.params.get("format") != "jsonv2":
        return 400, {"error": {"code": 400, "message": "format must be jsonv2 in this fake"}}
    found = NOMINATIM.get(seen.params.get("q", "").casefold())
    if found is None:
        return 200, []
    lat, lon = found
    return 200, [
        {
            "place_id": 123456,
            "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
            "osm_type": "way",
            "osm_id": 987654,
            "lat": f"{lat:.7f}",
            "lon": f"{lon:.7f}",
            "category": "building",
            "type": "house",
            "place_rank": 30,
            "importance": 0.00001,
            "addresstype": "building",
            "name": "",
            "display_name": f"{seen.params['q']}, Hampshire, England, United Kingdom",
            "boundingbox": [f"{lat - 0.001:.7f}", f"{lat + 0.001:.7f}", f"{lon:.7f}", f"{lon:.7f}"],
        }
    ]


def _photon(seen: Seen) -> tuple[int, Any]:
    found = PHOTON.get(seen.params.get("q", "").casefold())
    features = []
    if found is not None:
        lat, lon = found
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "osm_type": "N",
                    "osm_id": 42,
                    "country": "United Kingdom",
                    "countrycode": "GB",
                    "name": seen.params["q"].title(),
                    "county": "Hampshire",
                    "type": "locality",
                },
            }
        )
    return 200, {"type": "FeatureCollection", "features": features}


def _arcgis(seen: Seen) -> tuple[int, Any]:
    field_name, areas = LAYERS[seen.service]
    if seen.params.get("f") != "json":
        return 200, _arcgis_error("f must be json in this fake")
    matched = _arcgis_match(seen.params, field_name, areas)
    if matched is None:
        return 200, _arcgis_error("'where' parameter is invalid")
    with_geometry = seen.params.get("returnGeometry") == "true"
    features = []
    for name in matched:
        feature: dict[str, Any] = {"attributes": {field_name: name}}
        if with_geometry:
            feature["geometry"] = {"rings": [_ring(areas[name])]}
        features.append(feature)
    return 200, {
        "objectIdFieldName": "FID",
        "uniqueIdField": {"name": "FID", "isSystemMaintained": True},
        "globalIdFieldName": "",
        "geometryType": "esriGeometryPolygon",
        "spatialReference": {"wkid": 4326, "latestWkid": 4326},
        "fields": [{"name": field_name, "type": "esriFieldTypeString", "length": 256}],
        "features": features,
    }


def _arcgis_match(params: dict[str, str], field_name: str, areas: dict[str, Rect]) -> list | None:
    """Names the query selects, or None when its where clause is not valid SQL."""
    where = params.get("where", "1=1")
    if where != "1=1":
        match = _WHERE.match(where)
        if match is None or match.group(1) != field_name:
            return None
        wanted = match.group(2).replace("''", "'")
        return [name for name in areas if name == wanted]
    if "geometry" not in params:
        return list(areas)
    geometry = json.loads(params["geometry"])
    if params.get("geometryType") == "esriGeometryPoint":
        x, y = geometry["x"], geometry["y"]
        return [n for n, (w, s, e, north) in areas.items() if w <= x < e and s <= y < north]
    box = _bbox(geometry["rings"])
    return [name for name, rect in areas.items() if _touch(box, rect)]


def _arcgis_error(message: str) -> dict[str, Any]:
    error = {"code": 400, "message": "Unable to complete operation.", "details": [message]}
    return {"error": error}


def _ring(rect: Rect) -> list[list[float]]:
    w, s, e, n = rect
    return [[w, s], [w, n], [e, n], [e, s], [w, s]]


def _bbox(rings: list[list[list[float]]]) -> Rect:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _touch(a: Rect, b: Rect) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


_ROUTES = {
    "postcodes": _postcodes,
    "nominatim": _nominatim,
    "photon": _photon,
    "lpa": _arcgis,
    "nca": _arcgis,
    "unknown": lambda seen: (404, {"error": "no such service in the fake"}),
}


class FakeClock:
    """Wall or monotonic time that only moves when told to (or when slept on)."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
