"""Reading files without the services: the parts a file import stores before any job runs."""

import time

from services.sync.tests import file_samples as samples
from sync.files.presets import preset_of
from sync.files.reading import read_file, record_values
from sync.files.rows import to_item


def test_a_100k_row_csv_is_read_into_100k_records_in_seconds():
    content = samples.generic_rows(100_000).encode()

    began = time.perf_counter()
    parsed = read_file(content)
    seconds = time.perf_counter() - began

    assert parsed.preset == "csv"
    assert len(parsed.records) == 100_000
    assert parsed.records[-1][0] == 100_001  # the header is row 1
    assert seconds < 10, f"reading 100k rows took {seconds:.1f} s"


def test_every_row_of_a_big_file_gets_its_own_stable_identity():
    parsed = read_file(samples.generic_rows(20_000).encode())
    preset = preset_of(parsed.preset)
    first = [to_item(record_values(parsed.params(), record), preset).external_id for _, record in parsed.records]
    again = read_file(samples.generic_rows(20_000).encode())
    second = [to_item(record_values(again.params(), record), preset).external_id for _, record in again.records]

    assert len(set(first)) == 20_000
    assert first == second


def test_the_same_row_in_another_file_and_position_is_the_same_item():
    one = read_file(b"Title,Year,Format\nHeat,1995,DVD\nAlien,1979,VHS\n")
    other = read_file(b"Format;Title;Year\r\nVHS;Alien;1979\r\n")
    preset = preset_of("csv")

    alien_one = to_item(record_values(one.params(), one.records[1][1]), preset)
    alien_other = to_item(record_values(other.params(), other.records[0][1]), preset)

    assert alien_one.external_id == alien_other.external_id
