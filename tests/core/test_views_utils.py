import pytest

from initiativek.core.views_utils import parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("²", None),
        ("", None),
        (None, None),
        ("-1", None),
        ("1e3", None),
        ("99999999999999999999", None),
        (" 7", None),
    ],
)
def test_parse_id_accepts_only_ascii_digits_of_database_size(value, expected):
    assert parse_id(value) == expected
