import pytest
import tablib

from core.spreadsheet import neutralise_cell, neutralise_dataset


@pytest.mark.parametrize("value", ["=1+1", "+81-3", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_like_cells_are_neutralised(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["千代田区", "a=b", 42, None, -3.5])
def test_other_cells_pass_unchanged(value):
    assert neutralise_cell(value) == value


def test_dataset_is_neutralised_cell_by_cell():
    data = tablib.Dataset(headers=["title", "hours"])
    data.append(['=HYPERLINK("http://x")', 3])
    safe = neutralise_dataset(data)
    assert safe[0] == ('\'=HYPERLINK("http://x")', 3)
    assert safe.headers == ["title", "hours"]
