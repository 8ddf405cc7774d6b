"""Pure job rules: counting batch outcomes, paging through a plan, provider state, back-off."""

from dataclasses import dataclass, field
from typing import Any

from shelfspace_contracts.media_items import ImportBatchResult, NormalizedItem, ProviderPage
from shelfspace_contracts.sync import VIDEO_SECTION_TYPES, ProviderSection

# The library's outcomes, mapped onto the four buckets every item counts in exactly once.
BUCKET_OF_OUTCOME = {"created": "created", "updated": "updated", "unchanged": "skipped", "failed": "failed"}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.created + self.updated + self.skipped + self.failed

    def add(self, bucket: str, count: int = 1) -> None:
        setattr(self, bucket, getattr(self, bucket) + count)

    def absorb(self, other: "Tally") -> None:
        for bucket in ("created", "updated", "skipped", "failed"):
            self.add(bucket, getattr(other, bucket))
        self.errors.extend(other.errors)


def item_label(item: NormalizedItem) -> str:
    return f"{item.title} ({item.year})" if item.year else item.title


def tally_batch(items: list[NormalizedItem], result: ImportBatchResult) -> Tally:
    """Count each sent item once; an item the library did not answer for counts as failed."""
    labels = {item.external_id: item_label(item) for item in items}
    tally, _ = tally_outcomes(labels, result)
    # Items sent twice in one batch are counted once by the library; the extra copies changed nothing.
    tally.add("skipped", len(items) - len(labels))
    return tally


def tally_outcomes(labels: dict[str, str], result: ImportBatchResult) -> tuple[Tally, dict[str, str]]:
    """Count each sent item (external id → label) once, and say each one's outcome; an item the
    library did not answer for counts as failed."""
    tally = Tally()
    outcomes: dict[str, str] = {}
    for outcome in result.results:
        if outcome.external_id not in labels or outcome.external_id in outcomes:
            continue
        outcomes[outcome.external_id] = outcome.outcome
        bucket = BUCKET_OF_OUTCOME[outcome.outcome]
        tally.add(bucket)
        if bucket == "failed":
            reason = outcome.reason or "The library refused it."
            tally.errors.append({"item": labels[outcome.external_id], "reason": reason})
    for external_id, label in labels.items():
        if external_id not in outcomes:
            outcomes[external_id] = "failed"
            tally.add("failed")
            tally.errors.append({"item": label, "reason": "The library gave no result for it."})
    return tally, outcomes


def consumed_by(page: ProviderPage) -> int:
    """How many provider items this page covered (the provider may drop items it cannot normalize)."""
    end = page.next_start if page.next_start is not None and page.next_start > page.start else page.total
    return max(end - page.start, len(page.items), 0)


def next_cursor(plan: list[dict[str, Any]], section: int, page: ProviderPage) -> dict[str, int] | None:
    """Where the step after `page` reads, or None when the plan is done."""
    if page.next_start is not None and page.next_start > page.start and page.next_start < page.total:
        return {"section": section, "start": page.next_start}
    if section + 1 < len(plan):
        return {"section": section + 1, "start": 0}
    return None


class NoSections(ValueError):
    pass


def choose_sections(available: list[ProviderSection], requested: list[str] | None) -> list[ProviderSection]:
    """The video sections to import: the requested keys, else the configured (selected) ones."""
    if requested:
        known = {section.key: section for section in available}
        missing = [key for key in requested if key not in known]
        if missing:
            raise NoSections(
                f"Plex has no library section {', '.join(missing)}: choose the sections again in integration settings."
            )
        chosen = [known[key] for key in dict.fromkeys(requested)]
    else:
        flagged = [section for section in available if section.selected]
        chosen = flagged or [section for section in available if section.selected is None]
    videos = [section for section in chosen if section.type in VIDEO_SECTION_TYPES]
    if not videos:
        raise NoSections("No movie or TV library sections to import: choose them in the Plex integration settings.")
    return videos


def provider_state(last_job: dict[str, Any] | None) -> str:
    if last_job is None:
        return "idle"
    status = last_job["status"]
    if status in ("queued", "running"):
        return "running"
    return status if status in ("succeeded", "failed") else "idle"


MAX_BACKOFF_FACTOR = 64


def backoff_minutes(every_minutes: int, failures: int) -> int:
    """A failing schedule waits its interval times 2^failures (capped) before the next try."""
    factor: int = min(2 ** max(failures, 0), MAX_BACKOFF_FACTOR)
    return every_minutes * factor
