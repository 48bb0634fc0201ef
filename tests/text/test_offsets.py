from __future__ import annotations

import pytest

from riftwatch.text.offsets import Edit, make_map


def test_make_map_no_edits_is_none():
    assert make_map([]) is None


def test_make_map_same_length_edits_need_no_map():
    assert make_map([Edit(0, 1, "x"), Edit(5, 7, "ab")]) is None


def test_offset_map_deletion_skips_deleted_text():
    # "ab<b>cd" -> "abcd": deleted 2:5
    m = make_map([Edit(2, 5, "")])
    assert m is not None
    assert [m.map_start(i) for i in range(5)] == [0, 1, 5, 6, 7]
    # an end right before the deletion stays before it
    assert m.map_end(2) == 2
    assert m.map_end(4) == 7


def test_offset_map_insertion_maps_inserted_char_to_insertion_point():
    # "Linethe" -> "Line the": insert " " at 4
    m = make_map([Edit(4, 4, " ")])
    assert m.map_start(4) == 4  # the inserted space
    assert m.map_start(5) == 4  # "t" of "the"
    assert m.map_end(4) == 4  # end of "Line"
    assert m.map_end(8) == 7  # end of "the"


def test_offset_map_shrinking_replacement_covers_whole_source():
    # "a &amp; b" -> "a & b"
    m = make_map([Edit(2, 7, "&")])
    assert m.map_start(2) == 2
    assert m.map_end(3) == 7
    assert m.map_start(4) == 8


def test_make_map_merges_adjacent_edits():
    m = make_map([Edit(2, 4, ""), Edit(4, 6, "x")])
    assert m is not None and len(m) == 1
    assert m.map_start(3) == 6


def test_make_map_rejects_overlapping_edits():
    with pytest.raises(ValueError):
        make_map([Edit(2, 6, ""), Edit(4, 8, "")])


def test_offset_map_is_compact_one_entry_per_edit():
    edits = [Edit(i, i + 1, "") for i in range(0, 10_000, 10)]
    m = make_map(edits)
    assert m is not None and len(m) == 1000
