"""A fake TMDB v3 API: search, details with credits/external ids, configuration; v3 key or v4 token.

tmdb = await FakeTmdb(api_key="k3y").start()
tmdb.add_movie(603, "The Matrix", release_date="1999-03-30", directors=["Lana Wachowski"])
# settings: {"base_url": tmdb.base_url, "token": "k3y"}
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.fakes.base import FakeServer

UNAUTHORIZED = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}
NOT_FOUND = {"status_code": 34, "status_message": "The resource you requested could not be found.", "success": False}


Billed = str | tuple[str, str]


def credits_cast(cast: list[Billed] | None) -> list[dict[str, Any]]:
    """TMDB's `credits.cast` entries: a name, or (name, character); billed in the order given."""
    entries = []
    for order, billed in enumerate(cast or []):
        name, character = (billed, "") if isinstance(billed, str) else billed
        person = 1000 + sum(map(ord, name))
        entries.append(
            {
                "adult": False,
                "gender": 0,
                "id": person,
                "known_for_department": "Acting",
                "name": name,
                "original_name": name,
                "popularity": 10.0,
                "profile_path": None,
                "cast_id": order + 1,
                "character": character,
                "credit_id": f"52fe4{person:07x}{order:04x}",
                "order": order,
            }
        )
    return entries


def season(
    number: int, *, episode_count: int = 10, air_date: str | None = None, name: str | None = None
) -> dict[str, Any]:
    """One entry of a TV details answer's `seasons`, in TMDB's shape (0 is "Specials")."""
    return {
        "air_date": air_date,
        "episode_count": episode_count,
        "id": 3000 + number,
        "name": name or ("Specials" if number == 0 else f"Season {number}"),
        "overview": "",
        "poster_path": f"/season{number}.jpg",
        "season_number": number,
        "vote_average": 7.5,
    }


class FakeTmdb(FakeServer):
    def __init__(self, api_key: str = "0123456789abcdef0123456789abcdef", read_token: str | None = None) -> None:
        super().__init__()
        self.api_key = api_key
        self.read_token = read_token
        self.movies: dict[int, dict[str, Any]] = {}
        self.shows: dict[int, dict[str, Any]] = {}

    @property
    def base_url(self) -> str:
        return f"{self.url}/3"

    def add_movie(
        self,
        tmdb_id: int,
        title: str,
        *,
        release_date: str = "",
        directors: list[str] | None = None,
        cast: list[Billed] | None = None,
        genres: list[str] | None = None,
        runtime: int | None = None,
        imdb_id: str | None = None,
        poster_path: str | None = "/poster.jpg",
        original_title: str | None = None,
        overview: str = "",
    ) -> dict[str, Any]:
        self.movies[tmdb_id] = {
            "id": tmdb_id,
            "title": title,
            "original_title": original_title or title,
            "release_date": release_date,
            "overview": overview,
            "poster_path": poster_path,
            "backdrop_path": "/backdrop.jpg" if poster_path else None,
            "vote_average": 7.9,
            "genre_ids": [28],
            "genres": [{"id": 28 + i, "name": g} for i, g in enumerate(genres or [])],
            "runtime": runtime,
            "imdb_id": imdb_id,
            "credits": {
                "cast": credits_cast(cast),
                "crew": [{"name": n, "job": "Director", "department": "Directing"} for n in directors or []],
            },
        }
        return self.movies[tmdb_id]

    def add_show(self, tmdb_id: int, name: str, *, first_air_date: str = "", **extra: Any) -> dict[str, Any]:
        """A show; `seasons` is TMDB's list (see `season`), by default one regular season per number_of_seasons."""
        number_of_seasons = extra.get("number_of_seasons", 1)
        first_year = int(first_air_date[:4]) if first_air_date[:4].isdigit() else 2000
        default_seasons = [
            season(n, episode_count=10, air_date=f"{first_year + n - 1}-01-20") for n in range(1, number_of_seasons + 1)
        ]
        self.shows[tmdb_id] = {
            "id": tmdb_id,
            "name": name,
            "original_name": extra.pop("original_name", name),
            "first_air_date": first_air_date,
            "overview": "",
            "poster_path": "/tv.jpg",
            "backdrop_path": None,
            "vote_average": 8.5,
            "genres": [],
            "episode_run_time": extra.pop("episode_run_time", [45]),
            "created_by": [{"name": n} for n in extra.pop("created_by", [])],
            "number_of_seasons": extra.pop("number_of_seasons", 1),
            "number_of_episodes": extra.pop("number_of_episodes", 10),
            "seasons": extra.pop("seasons", default_seasons),
            "credits": {"cast": credits_cast(extra.pop("cast", None)), "crew": []},
            "external_ids": {"imdb_id": extra.pop("imdb_id", None), "tvdb_id": extra.pop("tvdb_id", None)},
        }
        return self.shows[tmdb_id]

    def _authorized(self, request: Request) -> bool:
        bearer = request.headers.get("authorization", "")
        if self.read_token and bearer == f"Bearer {self.read_token}":
            return True
        return request.query_params.get("api_key") == self.api_key

    def routes(self, app: FastAPI) -> None:
        def page(results: list[dict[str, Any]]) -> JSONResponse:
            return JSONResponse({"page": 1, "results": results, "total_pages": 1, "total_results": len(results)})

        def search_entry(raw: dict[str, Any]) -> dict[str, Any]:
            hidden = (
                "credits",
                "genres",
                "runtime",
                "imdb_id",
                "external_ids",
                "created_by",
                "episode_run_time",
                "seasons",
            )
            return {k: v for k, v in raw.items() if k not in hidden}

        def matches(raw: dict[str, Any], query: str, field: str) -> bool:
            # TMDB searches the original title too.
            names = (raw[field], raw.get(f"original_{field}") or "")
            return any(query.casefold() in name.casefold() for name in names)

        @app.middleware("http")
        async def auth(request: Request, call_next):  # type: ignore[no-untyped-def]
            if not self._authorized(request):
                return JSONResponse(UNAUTHORIZED, status_code=401)
            return await call_next(request)

        @app.get("/3/configuration")
        async def configuration() -> dict[str, Any]:
            return {"images": {"secure_base_url": "https://image.tmdb.org/t/p/"}, "change_keys": []}

        @app.get("/3/search/movie")
        async def search_movie(query: str, year: int | None = None) -> JSONResponse:
            found = [m for m in self.movies.values() if matches(m, query, "title")]
            if year:
                found = [m for m in found if m["release_date"].startswith(str(year))]
            return page([search_entry(m) for m in found])

        @app.get("/3/search/tv")
        async def search_tv(query: str, first_air_date_year: int | None = None) -> JSONResponse:
            found = [s for s in self.shows.values() if matches(s, query, "name")]
            if first_air_date_year:
                found = [s for s in found if s["first_air_date"].startswith(str(first_air_date_year))]
            return page([search_entry(s) for s in found])

        @app.get("/3/movie/{tmdb_id}")
        async def movie(tmdb_id: int) -> JSONResponse:
            if tmdb_id not in self.movies:
                return JSONResponse(NOT_FOUND, status_code=404)
            return JSONResponse(self.movies[tmdb_id])

        @app.get("/3/tv/{tmdb_id}")
        async def tv(tmdb_id: int) -> JSONResponse:
            if tmdb_id not in self.shows:
                return JSONResponse(NOT_FOUND, status_code=404)
            return JSONResponse(self.shows[tmdb_id])
