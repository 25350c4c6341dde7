"""Quick add, property-based: any line parses, and every word the parser does not use stays."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from todo_app.services.quick_add import PartKind, QuickAdd, parse

NOW_LOCAL = datetime(2030, 6, 3, 9, 0)  # a Monday
PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,  # the date library loads its language data on its first call
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
QUOTES = '"\u201c\u201d'
# Words the rules look at, and their near misses, so that generated lines hit every rule.
VOCABULARY = [
    *("tomorrow", "Today", "next", "fri", "Friday", "sat", "sun", "on", "at", "in"),
    *("6pm", "6", "pm", "18:00", "6:30", "3:16", "noon", "every", "day", "weeks"),
    *("month", "Monday", "weekday", "other", "and", "the", "1st", "31st", "3", "2"),
    *("dec", "Dec", "3rd", "of", "2027", "may", "feb", "29", "30", "2030-12-03"),
    *("#home", "#Home", "#123", "#", "#a-b", "!high", "!1", "!4", "!", "/Family"),
    *("/", "Pay", "rent", "x", "3,", "dec,", "a.m.", "p1", "P2", "p4", "p10", "mp3"),
]
words = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(st.characters(exclude_characters=QUOTES), min_size=1, max_size=8),
)
separators = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"])


@st.composite
def lines(draw: st.DrawFn) -> str:
    """A line of vocabulary and random words, with no quote marks."""
    parts = draw(st.lists(st.tuples(words, separators), max_size=14))
    return "".join(word + separator for word, separator in parts)


@st.composite
def spans(draw: st.DrawFn, text: str) -> list[tuple[int, int]]:
    """A few (start, end) spans within `text`, as a UI's removed parts would be."""
    bounds = st.integers(min_value=0, max_value=len(text))
    pairs = draw(st.lists(st.tuples(bounds, bounds), max_size=3))
    return [(min(a, b), max(a, b)) for a, b in pairs]


def _used_words(quick: QuickAdd) -> list[str]:
    return [
        word
        for part in quick.parts
        if part.kind != PartKind.unsupported
        for word in part.words.split()
    ]


@PROPERTY_SETTINGS
@given(text=st.text(), data=st.data())
def test_parse_never_raises_and_spans_point_at_the_words(
    text: str, data: st.DataObject
) -> None:
    quick = parse(text, now_local=NOW_LOCAL, keep_literal=data.draw(spans(text)))
    for part in quick.parts:
        assert text[part.start : part.end] == part.words


@PROPERTY_SETTINGS
@given(text=st.one_of(lines(), st.text(st.characters(exclude_characters=QUOTES))))
def test_parse_never_loses_a_word(text: str) -> None:
    quick = parse(text, now_local=NOW_LOCAL)
    assert Counter(quick.title.split()) + Counter(_used_words(quick)) == Counter(
        text.split()
    )


@PROPERTY_SETTINGS
@given(text=lines(), data=st.data())
def test_parse_recognises_nothing_in_a_kept_literal_span(
    text: str, data: st.DataObject
) -> None:
    kept = data.draw(spans(text))
    quick = parse(text, now_local=NOW_LOCAL, keep_literal=kept)
    for part in quick.parts:
        assert not any(part.start < end and start < part.end for start, end in kept)


@PROPERTY_SETTINGS
@given(before=lines(), quoted=lines(), after=lines())
def test_parse_keeps_quoted_words_in_the_title_as_typed(
    before: str, quoted: str, after: str
) -> None:
    quick = parse(f'{before} "{quoted}" {after}', now_local=NOW_LOCAL)
    assert " ".join(quoted.split()) in quick.title
