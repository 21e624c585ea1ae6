"""ArcGIS FeatureServer polygon layers: the area at a point, an area by name,
and an area's neighbours (the names of the features its polygon intersects).

Neighbours are found the way the legacy tool found them: the area's polygon
is POSTed back to the same layer as an intersects query (it is too large for
a URL). Names in a ``where`` clause are SQL string literals with apostrophes
doubled, so "King's Lynn and West Norfolk" is queried, not a syntax error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..core.errors import LocationError, ServiceFailed
from ..core.tiers import normalise_place
from .http import Reply, ServiceClient

WGS84 = 4326


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def where_equals(field: str, value: str) -> str:
    return f"{field} = {sql_literal(value)}"


@dataclass(frozen=True)
class Area:
    name: str
    """Empty when no feature of the layer covers the place."""
    geometry: dict[str, Any] | None = None


class ArcGisLayer:
    def __init__(self, service: ServiceClient, name_field: str):
        self.service = service
        self.name_field = name_field

    def area_at(self, lat: float, lon: float) -> Area:
        point = {"x": lon, "y": lat, "spatialReference": {"wkid": WGS84}}
        reply = self.service.get(
            "/query",
            {
                **self._query_basics(return_geometry=True),
                "where": "1=1",
                "geometry": json.dumps(point),
                "geometryType": "esriGeometryPoint",
                "inSR": WGS84,
                "spatialRel": "esriSpatialRelIntersects",
            },
        )
        return self._first_area(reply)

    def area_named(self, name: str) -> Area:
        params = {
            **self._query_basics(return_geometry=True),
            "where": where_equals(self.name_field, name),
        }
        area = self._first_area(self.service.get("/query", params))
        if not area.name:
            raise LocationError(
                f"{self.service.name} has no area named {name!r}: check the spelling"
            )
        return area

    def neighbours_of(self, name: str, geometry: dict[str, Any] | None = None) -> tuple[str, ...]:
        """Names sharing a boundary with ``name``, sorted, without ``name`` itself.

        Pass the polygon when a point query already returned it, to save a request."""
        if geometry is None:
            geometry = self.area_named(name).geometry
        if not geometry:
            raise ServiceFailed(self.service.name, f"no outline for {name!r}")
        reply = self.service.post(
            "/query",
            {
                **self._query_basics(return_geometry=False),
                "where": "1=1",
                "geometry": json.dumps(geometry),
                "geometryType": "esriGeometryPolygon",
                "inSR": WGS84,
                "spatialRel": "esriSpatialRelIntersects",
            },
        )
        own = normalise_place(name)
        names = {n for n in self._names(reply) if normalise_place(n) != own}
        return tuple(sorted(names))

    def _query_basics(self, *, return_geometry: bool) -> dict[str, Any]:
        return {
            "f": "json",
            "outFields": self.name_field,
            "returnGeometry": "true" if return_geometry else "false",
            "outSR": WGS84,
            "geometryPrecision": 5,
        }

    def _features(self, reply: Reply) -> list[dict[str, Any]]:
        body = reply.body
        if not isinstance(body, dict):
            raise ServiceFailed(self.service.name, "the answer is not a JSON object")
        if "error" in body:
            error = body["error"] or {}
            detail = f"error {error.get('code', '?')}: {error.get('message', 'no message')}"
            raise ServiceFailed(self.service.name, detail)
        features = body.get("features")
        if reply.status != 200 or not isinstance(features, list):
            raise ServiceFailed(self.service.name, f"HTTP {reply.status} without features")
        return features

    def _names(self, reply: Reply) -> list[str]:
        return [
            name
            for feature in self._features(reply)
            if (name := str((feature.get("attributes") or {}).get(self.name_field) or "").strip())
        ]

    def _first_area(self, reply: Reply) -> Area:
        features = self._features(reply)
        if not features:
            return Area("")
        first = features[0]
        name = str((first.get("attributes") or {}).get(self.name_field) or "").strip()
        return Area(name, first.get("geometry"))
