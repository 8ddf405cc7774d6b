"""A simulated user: a signed-in session doing a weighted mix of browse, detail, search, stats and add."""

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

import httpx

from bench.harness import Stats, http_client
from shelfspace_contracts.identity import CSRF_COOKIE, CSRF_HEADER

PASSWORD = "load-bench-password-0123"
WORDS = ["night", "river", "star", "winter", "shadow", "queen", "island", "summer", "city", "fire"]
# route name → weight of the mix
MIX = {"browse": 30, "detail": 25, "search": 20, "stats": 5, "me": 10, "add": 10}


@dataclass
class User:
    client: httpx.AsyncClient
    rng: random.Random
    titles: list[str] = field(default_factory=list)

    async def aclose(self) -> None:
        await self.client.aclose()


def title_body(rng: random.Random) -> dict:
    words = rng.sample(WORDS, 2)
    return {
        "title": f"{words[0].title()} {words[1]} {uuid.uuid4().hex[:4]}",
        "media_type": rng.choice(["movie", "movie", "tv_series"]),
        "year": rng.randint(1950, 2024),
        "genres": [rng.choice(["Drama", "Comedy", "Thriller"])],
        "copies": [{"format": rng.choice(["Blu-ray", "DVD", "4K UHD"])}],
    }


async def sign_up(base_url: str, index: int, concurrency: int) -> User:
    client = http_client(base_url, concurrency)
    body = {"email": f"load-{index}-{uuid.uuid4().hex[:6]}@example.com", "password": PASSWORD, "name": f"User {index}"}
    response = await client.post("/api/auth/register", json=body)
    if response.status_code != 201:
        await client.aclose()
        raise RuntimeError(f"register answered {response.status_code}: {response.text[:200]}")
    client.headers[CSRF_HEADER] = client.cookies.get(CSRF_COOKIE, "")
    return User(client, random.Random(index))


async def seed(user: User, titles: int) -> None:
    for _ in range(titles):
        response = await user.client.post("/api/media", json=title_body(user.rng))
        if response.status_code != 201:
            raise RuntimeError(f"seeding answered {response.status_code}: {response.text[:200]}")
        user.titles.append(response.json()["id"])


def _request(user: User, route: str) -> tuple[str, str, dict, int]:
    rng = user.rng
    if route == "browse":
        sort = rng.choice(["title", "year", "added"])
        return "GET", "/api/media", {"params": {"sort": sort, "limit": 50}}, 200
    if route == "detail":
        return "GET", f"/api/media/{rng.choice(user.titles)}", {}, 200
    if route == "search":
        return "GET", "/api/media", {"params": {"q": rng.choice(WORDS)}}, 200
    if route == "stats":
        return "GET", "/api/media/stats", {}, 200
    if route == "me":
        return "GET", "/api/auth/me", {}, 200
    return "POST", "/api/media", {"json": title_body(rng)}, 201


async def browse(user: User, stats: dict[str, Stats], deadline: float, think_seconds: float) -> None:
    """Run the mix until `deadline` (perf_counter), recording each route's latencies and errors."""
    routes, weights = list(MIX), list(MIX.values())
    while time.perf_counter() < deadline:
        route = user.rng.choices(routes, weights)[0]
        method, path, kwargs, expected = _request(user, route)
        started = time.perf_counter()
        try:
            response = await user.client.request(method, path, **kwargs)
            ok = response.status_code == expected
            detail = f"{response.status_code} {response.text[:160]}"
        except httpx.HTTPError as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        entry = stats[route]
        if ok:
            entry.latencies.append(elapsed)
            if route == "add":
                user.titles.append(response.json()["id"])
        else:
            entry.errors += 1
            entry.first_error = entry.first_error or detail
        if think_seconds:
            await asyncio.sleep(user.rng.uniform(0, 2 * think_seconds))


async def run_mix(users: list[User], seconds: float, think_seconds: float) -> dict[str, Stats]:
    stats = {route: Stats() for route in MIX}
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(browse(user, stats, deadline, think_seconds) for user in users))
    for entry in stats.values():
        entry.seconds = time.perf_counter() - started
    return stats
