"""Check digits of container and wagon numbers: published examples, hand-worked ones, and a property test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.errors import InputError
from corridor.tracking.equipment import (
    ISO6346_LETTERS,
    iso6346_check_digit,
    parse_1520_wagon,
    parse_container,
    parse_equipment,
    parse_uic_wagon,
)


def test_letter_values_skip_multiples_of_eleven() -> None:
    # ISO 6346 Annex A table: A=10, B=12 (11 skipped), K=21, L=23 (22 skipped), U=32, V=34 (33 skipped), Z=38
    assert [ISO6346_LETTERS[c] for c in "ABKLUVZ"] == [10, 12, 21, 23, 32, 34, 38]
    assert not any(v % 11 == 0 for v in ISO6346_LETTERS.values())


@pytest.mark.parametrize("number", ["CSQU3054383", "CSQU 305438 3", "csqu-305438-3"])
def test_published_container_numbers_validate(number: str) -> None:
    eq = parse_equipment(number)
    assert eq.kind == "container"
    assert eq.number == number.replace(" ", "").replace("-", "").upper()


def test_hand_worked_iso6346() -> None:
    # C=13 S=30 Q=28 U=32 3 0 5 4 3 8, weights 1 2 4 … 512:
    # 13 + 60 + 112 + 256 + 48 + 0 + 320 + 512 + 768 + 4096 = 6185; 6185 mod 11 = 3
    assert iso6346_check_digit("CSQU305438") == 3


def test_wrong_container_check_digit_names_position_and_values() -> None:
    with pytest.raises(InputError) as err:
        parse_container("CSQU3054384")
    text = str(err.value)
    assert "character 11" in text and "check digit is 4" in text and "gives 3" in text


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("CSQX3054383", "character 4: category identifier must be U, J or Z, got 'X'"),
        ("CSQU30O4383", "character 7: expected a digit, got 'O'"),
        ("C5QU3054383", "character 2: owner code must be a letter"),
        ("CSQU305438", "expected 11 characters"),
    ],
)
def test_malformed_container_numbers(number: str, fragment: str) -> None:
    with pytest.raises(InputError, match="invalid container number") as err:
        parse_container(number)
    assert fragment in str(err.value)


@pytest.mark.parametrize("number", ["21 81 2471 217-3", "51 80 0843 001-0"])
def test_published_uic_examples(number: str) -> None:
    assert parse_equipment(number).kind == "wagon-uic"


def test_uic_wrong_check_digit() -> None:
    with pytest.raises(InputError) as err:
        parse_uic_wagon("21 81 2471 217-4")
    assert "character 12: check digit is 4 but 21812471217 gives 3" in str(err.value)


def test_1520_hand_worked() -> None:
    # 2 4 5 4 8 8 8 × 2 1 2 1 2 1 2 = 4 4 10 4 16 8 16; digit sums 4+4+1+4+7+8+7 = 35 → check 5
    assert parse_1520_wagon("24548885").kind == "wagon-1520"
    # 6 0 0 0 0 0 1 × 2 1 2 1 2 1 2 = 12 0 0 0 0 0 2; 1+2+2 = 5 → check 5
    assert parse_equipment("60000015").kind == "wagon-1520"
    with pytest.raises(InputError, match="character 8: check digit is 0 but 2454888 gives 5"):
        parse_1520_wagon("24548880")


def test_unknown_shape() -> None:
    with pytest.raises(InputError, match="got 5 characters"):
        parse_equipment("12345")


serials = st.text(alphabet="0123456789", min_size=6, max_size=6)
owners = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)


def _remainder(first10: str) -> int:
    return sum((ISO6346_LETTERS[c] if c.isalpha() else int(c)) << i for i, c in enumerate(first10)) % 11


@given(owners, st.sampled_from("UJZ"), serials)
def test_every_single_digit_change_is_caught(owner: str, category: str, serial: str) -> None:
    """A changed digit changes Σ mod 11 (2**i is invertible mod 11), so the check digit changes — except in
    the one blind spot of "(Σ mod 11) mod 10": remainders 0 and 10 both give check digit 0."""
    first10 = owner + category + serial
    number = first10 + str(iso6346_check_digit(first10))
    assert parse_container(number).number == number
    for pos in range(4, 11):
        for digit in "0123456789":
            if digit == number[pos]:
                continue
            changed = number[:pos] + digit + number[pos + 1 :]
            blind = pos < 10 and {_remainder(first10), _remainder(changed[:10])} == {0, 10}
            if blind:
                assert parse_container(changed).number == changed
            else:
                with pytest.raises(InputError, match="check digit"):
                    parse_container(changed)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_uic_catches_every_single_digit_change(digits: str) -> None:
    from corridor.tracking.equipment import luhn_check_digit

    number = digits + str(luhn_check_digit(digits))
    for pos in range(12):
        for digit in "0123456789":
            if digit != number[pos]:
                with pytest.raises(InputError):
                    parse_uic_wagon(number[:pos] + digit + number[pos + 1 :])
