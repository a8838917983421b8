"""Certificate serials: unguessable, easy to read aloud, and a mistyped one is caught.

A serial looks like `PA-7K3M-9QX2-WD4F`: the prefix, then twelve symbols of Crockford's base 32
(digits and capitals without I, L, O, U) in groups of four. The first eleven symbols are random
(55 bits from `secrets`: a guesser facing a million issued certificates still needs about 3.6e10
tries per hit, and verification is rate-limited); the twelfth is a check symbol.

The check symbol is Damm's algorithm over the 32-element field GF(2^5): the quasigroup
`x * y = 2x + y` is totally anti-symmetric because 2 is neither 0 nor 1, which guarantees that
every single-symbol substitution and every swap of two adjacent different symbols changes the
check, so `serial_check` tells a mistyped serial from an unknown one before any database lookup.

Reading is forgiving, as Crockford intended: case, spaces and dashes do not matter, I and L read as
1 and O as 0, and the `PA` prefix may be left out.
"""

import enum
import secrets
from dataclasses import dataclass

SERIAL_PREFIX = "PA"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAYLOAD_LENGTH = 11
SYMBOL_COUNT = PAYLOAD_LENGTH + 1
GROUP_SIZE = 4
# A serial that passes its check, for documentation (none is ever issued with it on purpose).
SERIAL_EXAMPLE = "PA-7K3M-9QX2-WD4C"

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = " -_\t\n\u00a0\u2010\u2011\u2012\u2013\u2014"
_IGNORED = str.maketrans("", "", _SEPARATORS)

# What `serial_check` does not call malformed, as a regular expression for the API's OpenAPI
# document: the prefix (optional), twelve symbols of the alphabet or their look-alikes in either
# case, separators anywhere. Only `U` is no symbol, so any other ASCII letter or digit is one.
# `\uXXXX` escapes read the same in Python's and ECMAScript's (OpenAPI's) regular expressions.
_SEPARATOR_CLASS = "[" + "".join(f"\\u{ord(separator):04x}" for separator in _SEPARATORS) + "]*"
_SYMBOL_CLASS = "[0-9A-TV-Za-tv-z]"
SERIAL_PATTERN = (
    f"^(?:{_SEPARATOR_CLASS}[Pp]{_SEPARATOR_CLASS}[Aa])?(?:{_SEPARATOR_CLASS}{_SYMBOL_CLASS}){{{SYMBOL_COUNT}}}"
    f"{_SEPARATOR_CLASS}$"
)

# x^5 + x^2 + 1, irreducible over GF(2): multiplying by x (that is, 2) stays inside 5 bits.
_FIELD_POLYNOMIAL = 0b100101


class SerialStatus(enum.StrEnum):
    MALFORMED = "malformed"
    MISTYPED = "mistyped"
    WELL_FORMED = "well-formed"


@dataclass(frozen=True)
class SerialCheck:
    """The verdict on typed text; `serial` is its canonical form unless the text was malformed."""

    status: SerialStatus
    serial: str | None

    @property
    def ok(self) -> bool:
        return self.status is SerialStatus.WELL_FORMED


def _double(value: int) -> int:
    value <<= 1
    return value ^ _FIELD_POLYNOMIAL if value & 0b100000 else value


def _damm(symbols: str) -> int:
    interim = 0
    for symbol in symbols:
        interim = _double(interim) ^ _VALUES[symbol]
    return interim


def serial_check_symbol(payload: str) -> str:
    """The check symbol that makes `payload + symbol` pass Damm's check (`_damm(...) == 0`)."""
    return ALPHABET[_double(_damm(payload))]


def _format(symbols: str) -> str:
    groups = [symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE)]
    return "-".join([SERIAL_PREFIX, *groups])


def serial_generate() -> str:
    """A fresh random serial in canonical form, e.g. `PA-7K3M-9QX2-WD4F`. Uniqueness is the
    database's job (a unique constraint); with 55 random bits a retry is practically never needed."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return _format(payload + serial_check_symbol(payload))


def _symbols(text: str) -> str | None:
    cleaned = text.translate(_IGNORED)
    if not cleaned.isascii():
        # Before upper-casing: "ß" would become "SS" and "ı" an "I", growing or matching a serial.
        return None
    cleaned = cleaned.upper()
    if len(cleaned) == len(SERIAL_PREFIX) + SYMBOL_COUNT and cleaned.startswith(SERIAL_PREFIX):
        cleaned = cleaned[len(SERIAL_PREFIX) :]
    cleaned = cleaned.translate(_LOOKALIKES)
    if len(cleaned) != SYMBOL_COUNT or any(symbol not in _VALUES for symbol in cleaned):
        return None
    return cleaned


def serial_normalise(text: str) -> str | None:
    """`text` in canonical form (`PA-XXXX-XXXX-XXXX`), or None when it cannot be a serial (wrong
    length or a symbol outside the alphabet). The check symbol is not tested here."""
    symbols = _symbols(text)
    return _format(symbols) if symbols else None


def serial_check(text: str) -> SerialCheck:
    """Whether typed `text` is malformed, mistyped (right shape, wrong check symbol) or well-formed.
    A well-formed serial may still be unknown: that is for the database to say."""
    symbols = _symbols(text)
    if symbols is None:
        return SerialCheck(SerialStatus.MALFORMED, None)
    status = SerialStatus.WELL_FORMED if _damm(symbols) == 0 else SerialStatus.MISTYPED
    return SerialCheck(status, _format(symbols))
