"""ArcGIS FeatureServer layers: point queries, names in where clauses (escaped),
neighbours by POSTing the polygon back, and error answers."""

from __future__ import annotations

import json

import httpx
import pytest

from bng_desktop.core.errors import LocationError, ServiceFailed
from bng_desktop.geo.arcgis import ArcGisLayer, sql_literal, where_equals
from bng_desktop.geo.http import ServiceClient
from tests.geo import fakes


@pytest.fixture
def layer(settings):
    with httpx.Client() as http:

        def make(kind: str = "lpa", field: str = "LAD24NM") -> ArcGisLayer:
            url = settings.arcgis_lpa_url if kind == "lpa" else settings.arcgis_nca_url
            return ArcGisLayer(ServiceClient(f"ArcGIS ({kind})", url, http, settings), field)

        yield make


@pytest.mark.parametrize(
    ("name", "literal"),
    [
        ("Winchester", "'Winchester'"),
        ("King's Lynn and West Norfolk", "'King''s Lynn and West Norfolk'"),
        ("'quoted'", "'''quoted'''"),
    ],
)
def test_names_become_sql_literals_with_apostrophes_doubled(name: str, literal: str) -> None:
    assert sql_literal(name) == literal
    assert where_equals("LAD24NM", name) == f"LAD24NM = {literal}"


def test_a_point_query_names_the_area_and_returns_its_outline(fake, layer) -> None:
    area = layer().area_at(51.0632, -1.3081)
    assert area.name == "Winchester"
    assert area.geometry == {"rings": [fakes._ring(fakes.DISTRICTS["Winchester"])]}
    (request,) = fake.requests("lpa")
    assert request.method == "GET" and request.path == "/arcgis/lpa/query"
    assert request.params["geometryType"] == "esriGeometryPoint"
    assert json.loads(request.params["geometry"]) == {
        "x": -1.3081,
        "y": 51.0632,
        "spatialReference": {"wkid": 4326},
    }
    assert request.params["outFields"] == "LAD24NM" and request.params["inSR"] == "4326"


def test_a_point_outside_every_area_has_no_name(fake, layer) -> None:
    assert layer().area_at(40.0, 10.0).name == ""


def test_neighbours_post_the_outline_back_and_leave_the_area_out(fake, layer) -> None:
    lpa = layer()
    outline = lpa.area_at(51.0632, -1.3081).geometry
    assert lpa.neighbours_of("Winchester", outline) == ("East Hampshire", "Test Valley")
    post = fake.requests("lpa")[-1]
    assert post.method == "POST" and post.params["geometryType"] == "esriGeometryPolygon"
    assert json.loads(post.params["geometry"]) == outline
    assert post.params["returnGeometry"] == "false"


def test_a_name_with_an_apostrophe_is_escaped_in_the_where_clause(fake, layer) -> None:
    neighbours = layer().neighbours_of("King's Lynn and West Norfolk")
    assert neighbours == ("Breckland",)
    first = fake.requests("lpa")[0]
    assert first.params["where"] == "LAD24NM = 'King''s Lynn and West Norfolk'"


def test_an_unknown_name_is_a_location_error(fake, layer) -> None:
    with pytest.raises(LocationError, match="has no area named 'Atlantis'"):
        layer().area_named("Atlantis")


def test_an_arcgis_error_object_is_a_service_failure(fake, layer) -> None:
    """ArcGIS reports a bad query with HTTP 200 and an error object."""
    with pytest.raises(ServiceFailed, match="error 400: Unable to complete operation"):
        layer(field="LAD23NM").area_named("Winchester")


def test_malformed_arcgis_json_is_a_service_failure(fake, layer) -> None:
    fake.script("nca", "malformed")
    with pytest.raises(ServiceFailed, match="not JSON"):
        layer("nca", "NCA_Name").area_at(51.0632, -1.3081)


def test_a_manual_nca_with_an_apostrophe_gets_its_neighbours(fake, service) -> None:
    location = service.locate_names("King's Lynn and West Norfolk", "Tyne Gap and Hadrian's Wall")
    assert location.nca_neighbours == ("Border Moors and Forests",)
    assert "Breckland" in location.lpa_neighbours  # bundled: no request for the LPA
    assert fake.count("lpa") == 0
    wheres = [r.params.get("where") for r in fake.requests("nca")]
    assert wheres[0] == "NCA_Name = 'Tyne Gap and Hadrian''s Wall'"
    assert location.located_by == "manual" and location.source == "network"
