import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certifications.certificates import serials
from certifications.certificates.serials import (
    ALPHABET,
    SerialStatus,
    serial_check,
    serial_check_symbol,
    serial_generate,
    serial_normalise,
)

SERIAL_SHAPE = re.compile(r"PA-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def sample_serials(count: int = 60) -> list[str]:
    rng = random.Random(20261122)
    samples = []
    for _ in range(count):
        payload = "".join(rng.choice(ALPHABET) for _ in range(serials.PAYLOAD_LENGTH))
        samples.append(payload + serial_check_symbol(payload))
    return samples


def formatted(symbols: str) -> str:
    return f"PA-{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}"


def test_generated_serials_are_grouped_crockford_symbols_that_pass_their_check():
    for _ in range(200):
        serial = serial_generate()
        assert SERIAL_SHAPE.fullmatch(serial), serial
        assert serial_check(serial).status is SerialStatus.WELL_FORMED


def test_generated_serials_do_not_repeat():
    assert len({serial_generate() for _ in range(2000)}) == 2000


def test_generated_serials_use_every_symbol_in_every_random_position():
    seen = [set() for _ in range(serials.PAYLOAD_LENGTH)]
    for _ in range(1500):
        symbols = serial_generate().replace("-", "")[2:]
        for position, symbol in enumerate(symbols[: serials.PAYLOAD_LENGTH]):
            seen[position].add(symbol)
    assert all(len(symbols) == 32 for symbols in seen)


def test_every_single_symbol_substitution_is_caught():
    for symbols in sample_serials():
        for position in range(len(symbols)):
            for replacement in ALPHABET:
                if replacement == symbols[position]:
                    continue
                typo = symbols[:position] + replacement + symbols[position + 1 :]
                assert serial_check(typo).status is SerialStatus.MISTYPED, (symbols, typo)


def test_every_adjacent_transposition_is_caught():
    for symbols in sample_serials():
        for position in range(len(symbols) - 1):
            a, b = symbols[position], symbols[position + 1]
            if a == b:
                continue
            typo = symbols[:position] + b + a + symbols[position + 2 :]
            assert serial_check(typo).status is SerialStatus.MISTYPED, (symbols, typo)


def test_check_operation_is_a_totally_anti_symmetric_quasigroup():
    """The algebra behind the guarantees, checked over all 32 x 32 x 32 cases: rows and columns
    are permutations (substitutions change the result) and (c*x)*y != (c*y)*x for x != y
    (adjacent swaps change it)."""

    def op(x: int, y: int) -> int:
        return serials._double(x) ^ y

    for x in range(32):
        assert len({op(x, y) for y in range(32)}) == 32
        assert len({op(y, x) for y in range(32)}) == 32
    for c in range(32):
        for x in range(32):
            for y in range(32):
                if x != y:
                    assert op(op(c, x), y) != op(op(c, y), x)


@pytest.mark.parametrize(
    "typed",
    [
        "PA-7K3M-9QX2-WD4F",
        "pa-7k3m-9qx2-wd4f",
        "PA 7K3M 9QX2 WD4F",
        "PA7K3M9QX2WD4F",
        "7K3M-9QX2-WD4F",
        " 7k3m9qx2wd4f ",
        "PA\u20137K3M\u20139QX2\u2013WD4F",
    ],
)
def test_normalise_ignores_case_spaces_dashes_and_prefix(typed):
    assert serial_normalise(typed) == "PA-7K3M-9QX2-WD4F"


def test_normalise_reads_i_and_l_as_one_and_o_as_zero():
    assert serial_normalise("PA-IL0O-9QX2-WD4F") == "PA-1100-9QX2-WD4F"
    assert serial_normalise("pa-il0o-9qx2-wd4f") == "PA-1100-9QX2-WD4F"


@pytest.mark.parametrize(
    "typed",
    ["", "PA", "PA-7K3M-9QX2-WD4", "PA-7K3M-9QX2-WD4FF", "PA-7K3M-9QX2-WD4U", "PA-7K3M-9QX2-WD4!", "XX-7K3M-9QX2-WD4F"],
)
def test_wrong_length_or_symbols_are_malformed(typed):
    assert serial_normalise(typed) is None
    result = serial_check(typed)
    assert result.status is SerialStatus.MALFORMED
    assert result.serial is None
    assert not result.ok


def test_check_tells_mistyped_from_well_formed_and_returns_the_canonical_serial():
    symbols = sample_serials(1)[0]
    good = formatted(symbols)
    wrong_check = ALPHABET[(ALPHABET.index(symbols[-1]) + 1) % 32]
    typo = good[:-1] + wrong_check

    assert serial_check(good.lower().replace("-", " ")).status is SerialStatus.WELL_FORMED
    assert serial_check(good.lower()).serial == good
    assert serial_check(good).ok
    mistyped = serial_check(typo)
    assert mistyped.status is SerialStatus.MISTYPED
    assert mistyped.serial == typo
    assert not mistyped.ok


def test_lookalike_letters_typed_for_digits_still_pass():
    symbols = next(s for s in sample_serials(500) if "1" in s and "0" in s)
    typed = formatted(symbols).replace("1", "l").replace("0", "O")
    assert serial_check(typed).status is SerialStatus.WELL_FORMED


def test_the_documented_example_passes_its_check():
    assert serial_check(serials.SERIAL_EXAMPLE).status is SerialStatus.WELL_FORMED


@pytest.mark.parametrize("typed", ["PA-7K3M-9QX2-WD4ß", "PA-7K3M-9QX2-WD4ı", "ＰＡ-7K3M-9QX2-WD4C"])
def test_letters_outside_ascii_are_malformed_even_when_upper_casing_would_fit(typed):
    assert serial_check(typed).status is SerialStatus.MALFORMED


_SEPARATORS = st.sampled_from(list(" -_\t\n\u00a0\u2010\u2011\u2012\u2013\u2014"))


@settings(max_examples=300, derandomize=True)
@given(
    st.one_of(
        st.text(max_size=20),
        st.text(alphabet=st.one_of(st.sampled_from("PApaIiLlOoUu0189XZxz"), _SEPARATORS), max_size=18),
    )
)
def test_the_documented_pattern_matches_exactly_what_is_not_malformed(text):
    documented = re.search(serials.SERIAL_PATTERN, text) is not None
    assert documented == (serial_check(text).status is not SerialStatus.MALFORMED)
