"""Markdown that members write (project descriptions, lessons learned, …) rendered safely.

Two layers, so that a mistake in one does not open the page to script:

1. markdown-it-py (CommonMark + tables + strikethrough) with ``html=False``: raw HTML in the
   source is shown as text, never passed through; its link validation already drops
   ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` links.
2. nh3 with an explicit allow-list of tags, attributes and URL schemes; everything else is
   removed. Links get ``rel="noopener noreferrer nofollow"``.

Choices:

- Headings move one level down and stop at ``<h4>`` (``#`` → h2, ``##`` → h3, ``###`` and
  deeper → h4): the page around the text owns its ``<h1>``, so a member's ``# Titel`` must not
  compete with it, and the outline stays valid.
- Images are not embedded (no requests to foreign servers from our pages, no tracking pixels):
  ``![Plan](https://…/plan.png)`` becomes a link with the alt text.
- Strikethrough renders as ``<del>``; table cell alignment (a ``style`` attribute) is dropped.
- ``<ol start>`` is kept (an integer attribute without risk) so "3. …" stays "3.".
"""

from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
        "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"


def render_markdown(text: str | None) -> SafeString:
    """Return the HTML for Markdown ``text``, safe to put into a page unescaped.

    ``None`` and empty (or whitespace-only) text give an empty string.
    """
    if not text or not text.strip():
        return mark_safe("")
    html = _parser().render(text)
    return mark_safe(_cleaner().clean(html))


def render_plain(text: str | None, max_length: int | None = None) -> str:
    """Return the words of Markdown ``text`` without markup, on one line.

    For meta descriptions, previews and mail subjects. With ``max_length``, the text is cut at
    a word boundary and ends with "…". The result is plain text, not HTML: templates must escape
    it (they do by default) – characters like ``<`` are kept as written.
    """
    if not text or not text.strip():
        return ""
    words: list[str] = []
    for token in _parser().parse(text):
        if token.type == "inline":
            words.append(_inline_text(token.children or []))
    plain = " ".join(" ".join(words).split())
    if max_length is not None:
        plain = Truncator(plain).chars(max_length)
    return plain


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    rules = md.add_render_rule
    rules("heading_open", lambda self, tokens, idx, options, env: f"<{_heading(tokens[idx])}>")
    rules("heading_close", lambda self, tokens, idx, options, env: f"</{_heading(tokens[idx])}>\n")
    rules("s_open", lambda self, tokens, idx, options, env: "<del>")
    rules("s_close", lambda self, tokens, idx, options, env: "</del>")
    rules("image", _render_image_as_link)
    return md


def _heading(token: Token) -> str:
    level = int(token.tag[1])
    return f"h{min(level + 1, 4)}"


def _render_image_as_link(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(_inline_text(token.children or [])) or src
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<a href="{src}"{title_attr}>{alt}</a>'


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
