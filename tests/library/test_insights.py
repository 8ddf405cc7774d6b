"""Insights through the gateway: every figure equals the total of the list its link opens, and the
genre, director and cast filters match a name's prefix whatever its case and accents."""

import pytest

from tests.support.identity import make_space_with_roles


async def _add(account, title: str, **fields) -> dict:
    response = await account.client.post("/api/media", json={"title": title, "media_type": "movie", **fields})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
async def household(system):
    """Titles with several copies each, shows, overlapping genre names, accented people, titles
    without a poster or a copy, and one in the trash."""
    space = await make_space_with_roles(system)
    member = space.member
    await _add(
        member,
        "Volver",
        year=2006,
        genres=["Drama", "Comedia"],
        directors=["Pedro Almodóvar"],
        cast=["Penélope Cruz", "Carmen Maura"],
        poster_url="https://image.example/volver.jpg",
        copies=[{"format": "Blu-ray"}, {"format": "Blu-ray", "edition": "Collector"}, {"format": "DVD"}],
    )
    await _add(
        member,
        "Cléo de 5 à 7",
        year=1962,
        genres=["Drama"],
        directors=["Agnès Varda"],
        cast=["Corinne Marchand"],
        copies=[{"format": "DVD"}, {"format": "DVD"}, {"format": "Digital", "source_provider": "plex"}],
    )
    await _add(
        member,
        "The Expanse",
        media_type="tv_series",
        year=2015,
        genres=["Action & Adventure", "Sci-Fi & Fantasy"],
        cast=["Steven Strait"],
        copies=[{"format": "Digital", "source_provider": "plex"}, {"format": "Blu-ray"}],
    )
    await _add(
        member,
        "Mad Max",
        year=1979,
        genres=["Action", "Ciencia ficción"],
        directors=["George Miller"],
        cast=["Peter O'Toole", "Back\\slash"],
        copies=[{"format": "4K UHD"}, {"format": "Blu-ray"}],
    )
    await _add(member, "Dark", media_type="tv_series", year=2017, genres=["Drama", "Mystery"])
    gone = await _add(member, "Gone", genres=["Drama"], copies=[{"format": "DVD"}])
    assert (await member.client.delete(f"/api/media/{gone['id']}")).status_code == 204
    yield space
    await space.aclose()


async def _total(account, **params) -> int:
    response = await account.client.get("/api/media", params={**params, "limit": 200})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body["total_is_lower_bound"]
    assert body["total"] == len(body["items"])
    return body["total"]


def _links(stats: dict) -> list[tuple[str, int, dict]]:
    """Every figure of the Insights page with the list filter its link applies (frontend/src/insights/stats.ts)."""
    links = [("total", stats["total"], {})]
    links += [(f"format {k}", n, {"format": k}) for k, n in stats["by_format"].items()]
    links += [(f"source {k}", n, {"source": k}) for k, n in stats["by_source"].items()]
    links += [(f"type {k}", n, {"media_type": k}) for k, n in stats["by_media_type"].items()]
    links += [(f"genre {k}", n, {"genre": k}) for k, n in stats["by_genre"].items()]
    links += [
        (f"decade {k}", n, {"year_min": int(k[:4]), "year_max": int(k[:4]) + 9})
        for k, n in stats["by_decade"].items()
        if k != "unknown"
    ]
    links += [("no poster", stats["attention"]["no_poster"], {"missing": "poster"})]
    links += [("no copies", stats["attention"]["no_copies"], {"missing": "copies"})]
    return links


@pytest.mark.parametrize("role", ["member", "viewer"])
async def test_every_insight_figure_is_the_total_of_the_list_its_link_opens(household, role):
    account = getattr(household, role)
    response = await account.client.get("/api/media/stats")
    assert response.status_code == 200, response.text
    stats = response.json()

    opened = {name: await _total(account, **params) for name, _, params in _links(stats)}

    assert opened == {name: figure for name, figure, _ in _links(stats)}
    # titles, not copies: Volver's two Blu-rays and Cléo's two DVDs count once each
    assert stats["by_format"] == {"Blu-ray": 3, "DVD": 2, "Digital": 2, "4K UHD": 1}
    assert stats["by_source"] == {"manual": 4, "plex": 2}
    # a genre counts the titles its prefix lists: "Action" includes "Action & Adventure"
    assert stats["by_genre"]["Action"] == 2
    assert stats["by_genre"]["Action & Adventure"] == 1
    assert stats["by_genre"]["Drama"] == 3


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"director": "almodovar"}, set()),  # a prefix of the name, not a word inside it
        ({"director": "PEDRO ALMO"}, {"Volver"}),
        ({"director": "agnes"}, {"Cléo de 5 à 7"}),
        ({"director": "Agnès Varda"}, {"Cléo de 5 à 7"}),
        ({"cast": "penelope"}, {"Volver"}),
        ({"cast": "PÉNÉLOPE CRUZ"}, {"Volver"}),
        ({"cast": "c"}, {"Volver", "Cléo de 5 à 7"}),
        ({"genre": "dra"}, {"Volver", "Cléo de 5 à 7", "Dark"}),
        ({"genre": "ciencia ficcion"}, {"Mad Max"}),
        ({"genre": "sci-fi &"}, {"The Expanse"}),
        ({"genre": "action", "cast": "steven"}, {"The Expanse"}),
        ({"cast": "peter o'to"}, {"Mad Max"}),
        ({"cast": "back\\"}, {"Mad Max"}),
        ({"cast": "o'"}, set()),
        ({"cast": "'"}, set()),
        ({"genre": "dra | g:"}, set()),
        ({"genre": "%"}, set()),
        ({"genre": "_rama"}, set()),
        ({"genre": "ama"}, set()),
    ],
)
async def test_people_and_genres_match_a_prefix_of_the_name_whatever_case_and_accents(household, params, titles):
    response = await household.viewer.client.get("/api/media", params={**params, "limit": 200})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {item["title"] for item in body["items"]} == titles
    assert body["total"] == len(titles)
