"""The route table: matching, precedence and declaration rules."""

import pytest

from gateway.route_table import ROUTES
from gateway.routes import Access, Route, RouteTable


def test_a_literal_segment_wins_over_a_parameter_whatever_the_declaration_order():
    table = RouteTable(
        [
            Route("GET", "/api/media/{media_id}", "library", Access.SPACE_VIEWER),
            Route("GET", "/api/media/trash", "library", Access.SPACE_ADMIN),
        ]
    )

    assert table.match("GET", "/api/media/trash").route.path == "/api/media/trash"
    found = table.match("GET", "/api/media/42")
    assert found.route.path == "/api/media/{media_id}"
    assert found.params == {"media_id": "42"}


def test_parameters_never_span_segments_and_methods_must_match():
    table = RouteTable([Route("GET", "/api/spaces/{space_id}", "identity", Access.SIGNED_IN)])

    assert table.match("GET", "/api/spaces/a/b") is None
    assert table.match("DELETE", "/api/spaces/a") is None
    assert table.allows_path("/api/spaces/a")


def test_a_route_cannot_be_declared_twice():
    route = Route("GET", "/api/x", "library", Access.PUBLIC)

    with pytest.raises(ValueError, match="declared twice"):
        RouteTable([route, route])


def test_every_declared_route_names_a_known_service_and_a_policy():
    services = {"identity", "library", "integrations", "sync", "audit"}

    for route in ROUTES:
        assert route.service in services, route
        assert isinstance(route.access, Access), route
        assert route.path.startswith("/api/"), route
        if route.space_param:
            assert "{" + route.space_param + "}" in route.path, route
