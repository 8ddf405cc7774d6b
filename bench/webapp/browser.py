"""What the web app bench measures in one signed-in tab on the library page, driven like a user.

Times are taken inside the page (`performance.now()`, from the start of navigation), so the
round trips between this process and the browser are not part of them. Long tasks come from a
PerformanceObserver installed before the app loads; DOM and heap figures from the DevTools
protocol after a garbage collection.
"""

from typing import Any

from playwright.async_api import BrowserContext, CDPSession, Page

from bench.harness import Stats

# The title cards of the grid (what the bench scrolls through).
TITLES = '[aria-label="Titles"] li.card'

INSTRUMENT = """
performance.setResourceTimingBufferSize(100000);  // every poster is an entry: keep the API calls too
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const task of list.getEntries()) window.__longTasks.push([task.startTime, task.duration]);
}).observe({ type: 'longtask', buffered: true });
"""

FIRST_CARDS = f"() => document.querySelector('{TITLES}') !== null && performance.now()"

POSTERS_ON_SCREEN = f"""() => {{
  if (!document.querySelector('{TITLES}')) return false;
  const shown = [...document.querySelectorAll('[aria-label="Titles"] img.poster')].filter(img => {{
    const box = img.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight;
  }});
  return shown.every(img => img.complete && img.naturalWidth > 0) && performance.now();
}}"""

# Scrolls to the bottom `pages` times; each time, how long until the next page is on the page: its
# answer has arrived (a resource timing entry) and the app no longer says it is loading. Each time
# is split in three: until the app asks, the request itself, and from the answer to the page shown.
NEXT_PAGES = """async ({ pages, timeoutMs }) => {
  const answer = since => performance.getEntriesByType('resource')
    .find(entry => entry.name.includes('/api/media?') && entry.startTime >= since);
  const loading = () => document.querySelector('.load-more [role="status"]') !== null;
  const times = [];
  for (let page = 0; page < pages && document.querySelector('.load-more'); page++) {
    const started = performance.now();
    window.scrollTo(0, document.documentElement.scrollHeight);
    while (!answer(started) || loading()) {
      if (performance.now() - started > timeoutMs) return { times, error: `page ${page + 1} did not arrive` };
      await new Promise(done => requestAnimationFrame(done));
    }
    const shown = performance.now();
    const request = answer(started);
    times.push([shown - started, request.startTime - started, request.responseEnd - request.startTime,
      shown - request.responseEnd]);
  }
  return { times, done: !document.querySelector('.load-more') };
}"""

PAGE_PHASES = ("next_page", "until_asked", "request", "answer_to_shown")

# The page size the app asks for (the `limit` of its first list request).
PAGE_SIZE = """() => Number(new URL(performance.getEntriesByType('resource')
  .find(entry => entry.name.includes('/api/media?')).name).searchParams.get('limit'))"""

# From the top to the bottom of what is loaded at `step` px a frame; the time between frames.
SCROLL = """async ({ step, maxFrames }) => {
  window.scrollTo(0, 0);
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  // Stops short of the end so that no further page is asked for during the measurement.
  const end = document.documentElement.scrollHeight - innerHeight - 1000;
  const deltas = [];
  return new Promise(done => {
    let last = null;
    const tick = now => {
      if (last !== null) deltas.push(now - last);
      last = now;
      if (window.scrollY >= end || deltas.length >= maxFrames) return done(deltas);
      window.scrollBy(0, step);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}"""

SEARCH_RESULTS = f"""previous => {{
  const text = document.querySelector('#result-count')?.textContent ?? '';
  return text !== previous && /^[\\d,]+\\+? titles?$/.test(text)
    && document.querySelector('{TITLES}') !== null
    && performance.now();
}}"""

LIST_REQUESTS = """since => performance.getEntriesByType('resource')
  .filter(entry => entry.name.includes('/api/media?') && entry.startTime >= since)
  .map(entry => entry.responseEnd - entry.startTime)"""


async def prepare(context: BrowserContext) -> None:
    """Long tasks are recorded in every page of the context from its start."""
    await context.add_init_script(INSTRUMENT)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def spread(values: list[float]) -> dict[str, Any]:
    stats = Stats(latencies=values)
    return {
        "count": len(values),
        "p50_ms": _ms(stats.percentile(50)),
        "p90_ms": _ms(stats.percentile(90)),
        "p99_ms": _ms(stats.percentile(99)),
        "max_ms": _ms(max(values) if values else None),
    }


class Tab:
    """One tab on the library page, and what it has recorded."""

    def __init__(self, page: Page, cdp: CDPSession) -> None:
        self.page = page
        self.cdp = cdp

    @classmethod
    async def open(cls, context: BrowserContext) -> "Tab":
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable")
        return cls(page, cdp)

    async def now(self) -> float:
        return await self.page.evaluate("performance.now()")

    async def long_tasks(self, since: float, until: float) -> dict[str, Any]:
        tasks = await self.page.evaluate("window.__longTasks")
        during = [duration for start, duration in tasks if since <= start < until]
        return {"count": len(during), "total_ms": _ms(sum(during))}

    async def list_requests(self, since: float) -> dict[str, Any]:
        return spread(await self.page.evaluate(LIST_REQUESTS, since))

    async def metrics(self) -> dict[str, float]:
        return {m["name"]: m["value"] for m in (await self.cdp.send("Performance.getMetrics"))["metrics"]}

    async def footprint(self) -> dict[str, Any]:
        """Elements and title cards in the document, DOM nodes alive and the JS heap, after a GC."""
        await self.cdp.send("HeapProfiler.collectGarbage")
        metrics = await self.metrics()
        return {
            "elements": await self.page.evaluate("document.getElementsByTagName('*').length"),
            "title_cards": await self.page.locator(TITLES).count(),
            "dom_nodes": int(metrics["Nodes"]),
            "js_heap_mb": round(metrics["JSHeapUsedSize"] / 2**20, 1),
        }

    async def first_page(self, url: str) -> dict[str, Any]:
        await self.page.goto(url, wait_until="commit")
        cards = await (await self.page.wait_for_function(FIRST_CARDS, polling="raf", timeout=60_000)).json_value()
        posters = await (
            await self.page.wait_for_function(POSTERS_ON_SCREEN, polling="raf", timeout=60_000)
        ).json_value()
        return {
            "first_cards_ms": _ms(cards),
            "first_posters_ms": _ms(posters),
            "request": await self.list_requests(0),
            "long_tasks": await self.long_tasks(0, posters),
        }

    async def next_pages(self, pages: int, titles: int) -> dict[str, Any]:
        """Scrolls to the bottom for `pages` more pages of a space of `titles` titles."""
        since = await self.now()
        outcome = await self.page.evaluate(NEXT_PAGES, {"pages": pages, "timeoutMs": 30_000})
        loaded = titles if outcome.get("done") else (1 + len(outcome["times"])) * await self.page.evaluate(PAGE_SIZE)
        return {
            "pages": len(outcome["times"]),
            "titles_loaded": loaded,
            **({"error": outcome["error"]} if "error" in outcome else {}),
            **{name: spread([parts[i] for parts in outcome["times"]]) for i, name in enumerate(PAGE_PHASES)},
            "long_tasks": await self.long_tasks(since, await self.now()),
        }

    async def scroll(self, step: int, max_frames: int) -> dict[str, Any]:
        since, before = await self.now(), await self.metrics()
        deltas = await self.page.evaluate(SCROLL, {"step": step, "maxFrames": max_frames})
        after = await self.metrics()
        slow = sum(1 for delta in deltas if delta > 50)
        frames = max(1, len(deltas))
        # The renderer's main thread during the scroll, per frame: all tasks, and script, style, layout.
        busy = {
            f"{name.removesuffix('Duration').lower()}_ms_per_frame": round(
                (after[name] - before[name]) * 1000 / frames, 2
            )
            for name in ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")
        }
        return {
            "px_per_frame": step,
            "frames": spread(deltas),
            "share_over_50_ms": round(slow / len(deltas), 4) if deltas else None,
            "main_thread": busy,
            "long_tasks": await self.long_tasks(since, await self.now()),
        }

    async def search(self, words: str) -> dict[str, Any]:
        """Types `words` in the search box; the time until the first results are on screen."""
        await self.page.evaluate("window.scrollTo(0, 0)")
        previous = await self.page.locator("#result-count").text_content()
        started = await self.now()
        await self.page.get_by_role("searchbox", name="Search titles").fill(words)
        shown = await (
            await self.page.wait_for_function(SEARCH_RESULTS, arg=previous, polling="raf", timeout=60_000)
        ).json_value()
        return {
            "q": words,
            "results": await self.page.locator("#result-count").text_content(),
            "time_to_results_ms": _ms(shown - started),
            "request": await self.list_requests(started),
            "long_tasks": await self.long_tasks(started, shown),
        }
