"""A task's description as Markdown: emphasis, lists, links and code, nothing more.

The text is the user's own, yet it may come from an import or another client, so it is read
as Markdown only: raw HTML stays text (no rehype-raw), `$` is a dollar sign (no math), and
links open in a new tab that cannot reach back to this one. react-markdown already drops
`javascript:` and other unsafe URLs.
"""

from __future__ import annotations

import reflex as rx

# Links from a description open elsewhere, never with a handle on this page or a referrer.
LINK_REL = "noopener noreferrer nofollow"


def _link(text: object, **props: object) -> rx.Component:
    return rx.link(text, is_external=True, rel=LINK_REL, **props)


# At most two lines; the details dialog shows all of it. On the preview and on each paragraph,
# so that the paragraph a person reads is as tall as what they see.
TWO_LINES = {
    "overflow": "hidden",
    "display": "-webkit-box",
    "style": {"WebkitLineClamp": "2", "WebkitBoxOrient": "vertical"},
    "word_break": "break-word",
}


def _inline(text: object, **props: object) -> rx.Component:
    return rx.text(text, as_="p", size="2", margin="0", **TWO_LINES, **props)


def _heading(text: object) -> rx.Component:
    # A preview under a title: a heading in the text is bold, not larger than the title.
    return _inline(text, weight="bold")


PREVIEW_COMPONENTS = {
    "a": _link,
    "p": _inline,
    "h1": _heading,
    "h2": _heading,
    "h3": _heading,
    "h4": _heading,
    "h5": _heading,
    "h6": _heading,
    "ul": lambda items: rx.list.unordered(items, margin="0", padding_left="1.2rem"),
    "ol": lambda items: rx.list.ordered(items, margin="0", padding_left="1.2rem"),
    "li": lambda text: rx.list.item(text, margin="0"),
    "pre": lambda code, **_props: rx.code(code, variant="ghost"),
}


def description_preview(text: rx.Var[str]) -> rx.Component:
    """A task row's description rendered as Markdown, in at most two lines."""
    return rx.markdown(
        text,
        use_raw=False,
        use_math=False,
        use_katex=False,
        component_map=PREVIEW_COMPONENTS,
        color=rx.color("gray", 11),
        font_size="var(--font-size-2)",
        **TWO_LINES,
    )
