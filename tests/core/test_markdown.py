import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from initiativek.core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
    render_plain,
)


class _Elements(HTMLParser):
    """Collects every start tag and its attributes (values unescaped, as a browser sees them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def url_scheme(value: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", value)
    return urlsplit(cleaned).scheme.lower()


def assert_no_executable_markup(html: str) -> None:
    lowered = html.lower()
    for raw in ("<script", "<iframe", "<svg", "<img", "<object", "<embed", "<style", "<form"):
        assert raw not in lowered
    for tag in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html):
        assert tag.lower() in ALLOWED_TAGS
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert not name.startswith("on")
            assert name != "style"
            if tag == "a" and name == "rel":
                assert value == "noopener noreferrer nofollow"
                continue
            assert name in ALLOWED_ATTRIBUTES.get(tag, set())
            if name in {"href", "src"}:
                assert url_scheme(value or "") in ALLOWED_URL_SCHEMES | {""}


# --- Ordinary Markdown --------------------------------------------------------------------------


def test_emphasis_and_strikethrough_render():
    html = render_markdown("**fett**, *kursiv* und ~~alt~~")

    assert html == "<p><strong>fett</strong>, <em>kursiv</em> und <del>alt</del></p>\n"


def test_lists_render_and_keep_their_start_number():
    html = render_markdown("- Parken\n- Mobilität\n\n3. drei\n4. vier")

    assert "<ul>\n<li>Parken</li>\n<li>Mobilität</li>\n</ul>" in html
    assert '<ol start="3">\n<li>drei</li>' in html


def test_links_render_with_rel_against_tabnabbing_and_spam():
    html = render_markdown('[Smart Parking](https://example.org/parken "Mehr") <mailto:a@b.de>')

    assert (
        '<a href="https://example.org/parken" title="Mehr" rel="noopener noreferrer nofollow">'
        "Smart Parking</a>"
    ) in html
    assert '<a href="mailto:a@b.de" rel="noopener noreferrer nofollow">' in html


def test_tables_render_without_alignment_styles():
    html = render_markdown("| Ort | Stand |\n|:--|--:|\n| Konstanz | umgesetzt |")

    assert "<table>" in html
    assert "<th>Ort</th>" in html
    assert "<td>umgesetzt</td>" in html
    assert "style" not in html


def test_headings_move_one_level_down_and_stop_at_h4():
    html = render_markdown("# Eins\n\n## Zwei\n\n### Drei\n\n###### Sechs")

    assert html == "<h2>Eins</h2>\n<h3>Zwei</h3>\n<h4>Drei</h4>\n<h4>Sechs</h4>\n"


def test_code_blocks_keep_their_content_escaped():
    html = render_markdown("```html\n<script>alert(1)</script>\n```")

    assert html == "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n"


def test_images_become_links_instead_of_being_embedded():
    html = render_markdown('![Lageplan *neu*](https://example.org/plan.png "Plan")')

    assert "<img" not in html
    assert (
        '<a href="https://example.org/plan.png" title="Plan" rel="noopener noreferrer nofollow">'
        "Lageplan neu</a>"
    ) in html


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
    assert render_markdown("  \n ") == ""
    assert isinstance(render_markdown(None), SafeString)


def test_raw_html_is_shown_as_text():
    html = render_markdown('<b onclick="x()">fett</b>')

    assert html == '<p>&lt;b onclick="x()"&gt;fett&lt;/b&gt;</p>\n'


def test_javascript_link_is_not_a_link():
    html = render_markdown("[klick](javascript:alert(1)) [b](jav&#x61;script:alert(1))")

    assert "<a" not in html
    assert_no_executable_markup(html)


def test_data_url_image_loses_its_address():
    html = render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)")

    assert "href" not in html
    assert_no_executable_markup(html)


def test_template_filter_renders_sanitized_markdown():
    template = Template("{% load markdown %}{{ text|markdown }}|{{ text|markdown_plain:12 }}")

    out = template.render(Context({"text": "**Kora** <script>alert(1)</script> Chatbot"}))

    assert out.startswith("<p><strong>Kora</strong> &lt;script&gt;")
    assert out.endswith("|Kora &lt;scrip…")


# --- Plain text -------------------------------------------------------------------------------


def test_plain_text_drops_markup_and_joins_lines():
    text = "# Titel\n\n**Smart** Parking in\n*Villingen-Schwenningen*:\n\n- [Karte](https://x.de)"

    assert render_plain(text) == "Titel Smart Parking in Villingen-Schwenningen: Karte"


def test_plain_text_is_cut_at_max_length_with_ellipsis():
    plain = render_plain("Die Zukunft der Stadt mit Daten gestalten", max_length=20)

    assert plain == "Die Zukunft der Sta…"
    assert len(plain) == 20


def test_plain_text_of_empty_input_is_empty():
    assert render_plain(None) == ""
    assert render_plain("") == ""


def test_plain_text_keeps_html_as_text_for_the_template_to_escape():
    assert render_plain("a <b>c</b> &amp; d") == "a <b>c</b> & d"


# --- Nothing executable survives, whatever the input ----------------------------------------

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>-->",
    "<object data=x.swf>",
    "<form action=javascript:alert(1)><button>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[ref]\n\n[ref]: javascript:alert(1)\n",
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    '[x](https://ok.example/" onclick="alert(1))',
    'onerror=alert(1) style="color:red"',
    "&lt;script&gt;",
    "&#60;script&#62;",
]
MARKDOWN = [
    "**",
    "*",
    "_",
    "~~",
    "`",
    "```",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "> ",
    "# ",
    "| a | b |\n|---|---|\n| ",
    " | ",
    "[",
    "](",
    ")",
    "<",
    ">",
    '"',
    "'",
    "=",
    "\\",
    "&",
    "    ",
    "https://example.org/",
    "mailto:a@b.de",
]
fragments = st.one_of(
    st.sampled_from(ATTACKS),
    st.sampled_from(MARKDOWN),
    st.text(max_size=12),
)
documents = st.lists(fragments, max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_no_executable_markup_survives_generated_input(text):
    assert_no_executable_markup(render_markdown(text))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ATTACKS), st.text(max_size=30))
def test_no_executable_markup_in_link_targets(attack, label):
    text = f"[{label}]({attack}) ![{label}]({attack}) <{attack}>"

    assert_no_executable_markup(render_markdown(text))


def test_every_known_attack_is_neutralised():
    for attack in ATTACKS:
        assert_no_executable_markup(render_markdown(attack))


def test_the_check_itself_catches_unsanitized_html():
    unsafe = [
        "<script>alert(1)</script>",
        '<a href="jav&#x61;script:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p onclick="x()">x</p>',
        '<p style="color:red">x</p>',
        "<img src=x>",
    ]
    for html in unsafe:
        with pytest.raises(AssertionError):
            assert_no_executable_markup(html)
