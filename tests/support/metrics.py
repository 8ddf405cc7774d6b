"""Scraping a process's `/metrics` and reading one sample, as Prometheus would."""

import httpx
from prometheus_client.parser import text_string_to_metric_families


async def scrape(url: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every sample at `url` (`http://host:port/metrics`), by sample name: [(labels, value), ...]."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels` (0 when there is none)."""
    return sum(v for found, v in samples.get(name, []) if all(found.get(k) == w for k, w in labels.items()))
