"""Equipment numbers: containers (ISO 6346) and rail wagons (UIC 12-digit, 1520 mm 8-digit).

Every number carries a check digit; :func:`parse_equipment` validates it and names the character
that fails (its 1-based position, what was expected and what was found).

* **ISO 6346** container ``CSQU3054383``: owner code (3 letters), category identifier (``U``
  freight container, ``J`` detachable equipment, ``Z`` trailer or chassis), 6-digit serial, check
  digit.  Letters count ``A`` = 10 upward, skipping 11, 22 and 33 (multiples of the modulus);
  the character at position *i* (0-based) is weighted ``2**i``; the check digit is
  ``(Σ mod 11) mod 10``.  Source: ISO 6346:1995 Annex A, reproduced in GOST R 52524-2005 Annex A.
* **UIC** 12-digit wagon number ``21 81 2471 217-3``: eleven digits and a self-check digit.  The
  digits are weighted 2, 1, 2, 1 … from the left (the eleventh digit gets 2), the *digits* of the
  products are summed (Luhn), and the check digit is what brings the sum up to the next multiple of
  ten.  Source: UIC leaflet 438-2 / OTIF vehicle numbering; worked examples 21 81 2471 217-3 and
  51 80 0843 001-0 (Wikipedia, "UIC wagon numbers").
* **1520 mm** 8-digit freight wagon number (the "eight-digit numbering system of 1520 mm gauge
  freight wagons", CIS railways, 2005 handbook): seven digits weighted 2, 1, 2, 1, 2, 1, 2, the
  digit sum of the products completed to the next multiple of ten (0 when already a multiple).
  Source: "Кодирование номера вагона" (весовой ряд 2,1,2,1,2,1,2, модуль 10),
  http://topuch.com/kodirovanie-nomera-vagona-soobsheniya-asoup/index3.html.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Final

from corridor.errors import InputError, Problem

#: ISO 6346 letter values: A = 10 upward, skipping multiples of 11.
ISO6346_LETTERS: Final[dict[str, int]] = {}
_v = 10
for _ch in string.ascii_uppercase:
    if _v % 11 == 0:
        _v += 1
    ISO6346_LETTERS[_ch] = _v
    _v += 1
del _v, _ch

#: ISO 6346 equipment category identifiers.
CATEGORIES: Final = {"U": "freight container", "J": "detachable freight container equipment", "Z": "trailer or chassis"}
KINDS: Final = ("container", "wagon-uic", "wagon-1520")


@dataclass(frozen=True, slots=True)
class Equipment:
    """A validated equipment number: ``kind`` is ``container``, ``wagon-uic`` or ``wagon-1520``."""

    kind: str
    number: str

    @property
    def owner(self) -> str:
        """Owner code (containers: the three letters; wagons: the UIC country/keeper digits)."""
        if self.kind == "container":
            return self.number[:3]
        return self.number[2:4] if self.kind == "wagon-uic" else ""

    @property
    def check_digit(self) -> int:
        return int(self.number[-1])

    @property
    def display(self) -> str:
        """The number as painted: ``CSQU 305438 3``, ``21 81 2471 217-3``, ``52065743``."""
        n = self.number
        if self.kind == "container":
            return f"{n[:4]} {n[4:10]} {n[10]}"
        if self.kind == "wagon-uic":
            return f"{n[:2]} {n[2:4]} {n[4:8]} {n[8:11]}-{n[11]}"
        return n

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "number": self.number}


def iso6346_check_digit(first10: str) -> int:
    """Check digit of the first ten characters of an ISO 6346 number (owner, category, serial)."""
    total = 0
    for i, ch in enumerate(first10):
        value = ISO6346_LETTERS[ch] if ch.isalpha() else int(ch)
        total += value * (1 << i)
    return (total % 11) % 10


def luhn_check_digit(digits: str) -> int:
    """Weights 2, 1, 2, … from the left, digit sum of the products, complement to the next ten."""
    total = 0
    for i, ch in enumerate(digits):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _fail(number: str, what: str, problems: list[Problem]) -> InputError:
    return InputError(f"invalid {what} number {number!r}", problems)


def _problem(field: str, position: int, message: str) -> Problem:
    return Problem(field, f"character {position}: {message}")


def parse_container(text: str, *, field: str = "equipmentReference") -> Equipment:
    """An ISO 6346 container number (spaces and dashes ignored), or :class:`InputError`."""
    number = "".join(text.split()).replace("-", "").upper()
    problems: list[Problem] = []
    if len(number) != 11:
        problems.append(Problem(field, f"expected 11 characters (4 letters, 7 digits), got {len(number)}"))
        raise _fail(text, "container", problems)
    for i, ch in enumerate(number[:3]):
        if ch not in ISO6346_LETTERS:
            problems.append(_problem(field, i + 1, f"owner code must be a letter A-Z, got {ch!r}"))
    if number[3] not in CATEGORIES:
        problems.append(_problem(field, 4, f"category identifier must be U, J or Z, got {number[3]!r}"))
    for i, ch in enumerate(number[4:], start=5):
        if not ch.isdigit():
            problems.append(_problem(field, i, f"expected a digit, got {ch!r}"))
    if not problems:
        expected = iso6346_check_digit(number[:10])
        if int(number[10]) != expected:
            problems.append(
                _problem(field, 11, f"check digit is {number[10]} but {number[:10]} gives {expected} (ISO 6346)")
            )
    if problems:
        raise _fail(text, "container", problems)
    return Equipment("container", number)


def _parse_wagon(text: str, length: int, kind: str, rule: str, field: str) -> Equipment:
    number = "".join(ch for ch in text if ch not in " -")
    problems = [
        _problem(field, i, f"expected a digit, got {ch!r}") for i, ch in enumerate(number, 1) if not ch.isdigit()
    ]
    if len(number) != length:
        problems.insert(0, Problem(field, f"expected {length} digits, got {len(number)}"))
    if not problems:
        expected = luhn_check_digit(number[:-1])
        if int(number[-1]) != expected:
            problems.append(
                _problem(field, length, f"check digit is {number[-1]} but {number[:-1]} gives {expected} ({rule})")
            )
    if problems:
        raise _fail(text, "wagon", problems)
    return Equipment(kind, number)


def parse_uic_wagon(text: str, *, field: str = "equipmentReference") -> Equipment:
    """A UIC 12-digit wagon number such as ``21 81 2471 217-3``."""
    return _parse_wagon(text, 12, "wagon-uic", "UIC self-check digit", field)


def parse_1520_wagon(text: str, *, field: str = "equipmentReference") -> Equipment:
    """An 8-digit 1520 mm freight wagon number."""
    return _parse_wagon(text, 8, "wagon-1520", "1520 mm wagon check digit", field)


def parse_equipment(text: str, *, field: str = "equipmentReference") -> Equipment:
    """Any supported equipment number, recognised by its shape (letters: container; 12 digits: UIC;
    8 digits: 1520 mm wagon)."""
    compact = "".join(ch for ch in text if ch not in " -")
    if compact[:1].isalpha():
        return parse_container(text, field=field)
    if len(compact) == 12:
        return parse_uic_wagon(text, field=field)
    if len(compact) == 8:
        return parse_1520_wagon(text, field=field)
    raise InputError(
        f"invalid equipment number {text!r}",
        [
            Problem(
                field,
                f"expected an ISO 6346 container number (CSQU3054383), a 12-digit UIC wagon number "
                f"or an 8-digit 1520 mm wagon number; got {len(compact)} characters",
            )
        ],
    )
