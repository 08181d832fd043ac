"""Small cells are hidden, and a lone hidden cell takes the next smallest with it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peermentor.core.disclosure import SMALL_CELL, hidden_cells, is_small


def test_cells_of_fewer_than_five_people_are_hidden() -> None:
    hidden = hidden_cells({"A": 12, "B": 4, "C": 7, "D": 3})
    assert hidden == {"B": "small", "D": "small"}


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    assert hidden_cells({"A": 12, "B": 2, "C": 7}) == {"B": "small", "C": "complementary"}


def test_of_equally_small_cells_the_first_shown_is_hidden_with_a_lone_one() -> None:
    assert hidden_cells({"A": 6, "B": 9, "C": 6, "D": 0}) == {"D": "small", "A": "complementary"}


def test_nothing_is_hidden_when_every_cell_is_large_enough() -> None:
    assert hidden_cells({"A": 5, "B": 50}) == {}
    assert hidden_cells({}) == {}


def test_a_table_of_one_cell_hides_it_only_when_small() -> None:
    assert hidden_cells({"only": 3}) == {"only": "small"}
    assert hidden_cells({"only": 30}) == {}


def test_the_minimum_can_change_and_the_complement_can_be_left_out() -> None:
    cells = {"A": 12, "B": 6, "C": 7}
    assert hidden_cells(cells, minimum=7, complementary=False) == {"B": "small"}
    assert hidden_cells(cells, minimum=7) == {"B": "small", "C": "complementary"}


def test_is_small_follows_the_threshold() -> None:
    assert is_small(SMALL_CELL - 1)
    assert not is_small(SMALL_CELL)


@given(st.lists(st.integers(0, 40), max_size=12))
def test_no_column_is_left_with_a_single_hidden_cell(sizes: list[int]) -> None:
    people = dict(enumerate(sizes))
    hidden = hidden_cells(people)
    assert all(key in hidden for key, n in people.items() if n < SMALL_CELL)
    assert all(hidden[key] == "small" for key in hidden if people[key] < SMALL_CELL)
    assert len(hidden) != 1 or len(people) == 1
    assert sum(reason == "complementary" for reason in hidden.values()) <= 1
