"""Pure job rules: every item in exactly one bucket, paging through sections, section choice, back-off."""

import pytest

from shelfspace_contracts.media_items import ImportBatchResult, NormalizedItem, ProviderPage
from shelfspace_contracts.sync import ProviderSection
from sync.domain.jobs import (
    NoSections,
    backoff_minutes,
    choose_sections,
    consumed_by,
    next_cursor,
    provider_state,
    tally_batch,
)


def _item(external_id: str, title: str = "Heat", year: int | None = 1995) -> NormalizedItem:
    return NormalizedItem(provider="plex", external_id=external_id, title=title, media_type="movie", year=year)


def test_each_library_outcome_lands_in_exactly_one_bucket():
    items = [_item("1"), _item("2"), _item("3"), _item("4", "Untitled", None), _item("5")]
    result = ImportBatchResult.model_validate(
        {
            "results": [
                {"external_id": "1", "outcome": "created"},
                {"external_id": "2", "outcome": "updated"},
                {"external_id": "3", "outcome": "unchanged"},
                {"external_id": "4", "outcome": "failed", "reason": "no title"},
            ]
        }
    )

    tally = tally_batch(items, result)

    assert (tally.created, tally.updated, tally.skipped, tally.failed) == (1, 1, 1, 2)
    assert tally.counted == len(items)
    assert tally.errors == [
        {"item": "Untitled", "reason": "no title"},
        {"item": "Heat (1995)", "reason": "The library gave no result for it."},
    ]


def test_an_item_sent_twice_in_a_batch_counts_once_and_its_echo_as_skipped():
    items = [_item("1"), _item("1")]
    result = ImportBatchResult.model_validate({"results": [{"external_id": "1", "outcome": "created"}]})

    tally = tally_batch(items, result)

    assert (tally.created, tally.skipped, tally.counted) == (1, 1, 2)


def test_a_page_covers_the_provider_items_even_when_some_were_dropped():
    page = ProviderPage(items=[_item("1")], start=200, total=450, next_start=400)
    last = ProviderPage(items=[_item("2")], start=400, total=450, next_start=None)

    assert consumed_by(page) == 200
    assert consumed_by(last) == 50


def test_paging_moves_through_a_section_then_to_the_next_then_ends():
    plan = [{"key": "1", "total": 250}, {"key": "2", "total": 10}]

    middle = ProviderPage(items=[], start=0, total=250, next_start=200)
    end_of_first = ProviderPage(items=[], start=200, total=250, next_start=None)
    end_of_last = ProviderPage(items=[], start=0, total=10, next_start=None)

    assert next_cursor(plan, 0, middle) == {"section": 0, "start": 200}
    assert next_cursor(plan, 0, end_of_first) == {"section": 1, "start": 0}
    assert next_cursor(plan, 1, end_of_last) is None


def test_the_default_sections_are_the_selected_video_ones():
    sections = [
        ProviderSection(key="1", title="Movies", type="movie", selected=True),
        ProviderSection(key="2", title="4K", type="movie", selected=False),
        ProviderSection(key="3", title="Music", type="artist", selected=True),
    ]
    unflagged = [ProviderSection(key="1", type="movie"), ProviderSection(key="2", type="show")]

    assert [s.key for s in choose_sections(sections, None)] == ["1"]
    assert [s.key for s in choose_sections(unflagged, None)] == ["1", "2"]
    assert [s.key for s in choose_sections(sections, ["2", "3", "2"])] == ["2"]
    with pytest.raises(NoSections, match="7"):
        choose_sections(sections, ["7"])
    with pytest.raises(NoSections):
        choose_sections(sections, ["3"])


def test_the_provider_state_follows_its_latest_job():
    assert provider_state(None) == "idle"
    assert provider_state({"status": "queued"}) == "running"
    assert provider_state({"status": "failed"}) == "failed"
    assert provider_state({"status": "cancelled"}) == "idle"


def test_a_failing_schedule_backs_off_exponentially_up_to_a_cap():
    assert [backoff_minutes(60, failures) for failures in (0, 1, 2, 3)] == [60, 120, 240, 480]
    assert backoff_minutes(60, 30) == 60 * 64
