"""The frames between the web process and a query worker: heads that carry their format's name
with its length, whatever that length."""

from __future__ import annotations

import pytest

from policygraph.formats import RESULT_FORMATS
from policygraph.query.messages import (
    Complete,
    Streaming,
    complete,
    decode_reply,
    streaming,
)

NAMES = [f.name for f in RESULT_FORMATS] + ["sparql-results-json-with-a-long-name", "x", ""]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("deterministic", [True, False])
def test_a_format_name_of_any_length_round_trips(name: str, deterministic: bool) -> None:
    body = b'{"head": {}, "results": {"bindings": []}}'
    assert decode_reply(complete(name, body, deterministic)) == Complete(name, body, deterministic)
    assert decode_reply(streaming(name, deterministic)) == Streaming(name, deterministic)


def test_a_body_that_begins_like_a_name_is_not_read_as_one() -> None:
    # With names padded to a fixed width, a nine-letter name shifted its body by a byte.
    assert decode_reply(complete("ntriples1", b" <a> <b> <c> .", True)).body == b" <a> <b> <c> ."


def test_a_name_too_long_for_its_length_byte_is_refused() -> None:
    with pytest.raises(ValueError, match="255"):
        complete("n" * 256, b"", True)
