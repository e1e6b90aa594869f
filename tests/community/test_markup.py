"""The user-text pipeline (community.markup) against a corpus of XSS vectors.

Every vector is rendered and the OUTPUT is parsed with the stdlib HTML parser; the
checks are structural (which tags, which attributes, which URLs), never "this substring
is absent": escaped text such as "&lt;script&gt;" is the expected, harmless outcome.
No database is needed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from pygments.token import STANDARD_TYPES

from community import markup
from tests.xss_corpus import CORPUS

XSS_VECTORS = [pytest.param(payload, id=name) for name, payload in CORPUS]


# --- The checker ---------------------------------------------------------------------

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
# What Pygments' HTML formatter may put on a span, and nothing else.
PYGMENTS_CLASSES = frozenset(STANDARD_TYPES.values()) - {""}


def normalize_url(value: str) -> str:
    """What a browser's URL parser acts on, more or less, erring towards suspicion.

    html.parser has already decoded character references in attribute values (as a
    browser does); here every whitespace and control/format character is removed
    (browsers drop tabs and newlines anywhere and C0 controls at the ends) and case is
    folded, since schemes are case-insensitive.
    """
    kept = (
        ch
        for ch in value
        if not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"})
    )
    return "".join(kept).lower()


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []
        self.others: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.others.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.others.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.others.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.others.append(f"unknown declaration {data!r}")


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _class_allowed(tag: str, value: str | None) -> bool:
    if tag == "div":
        return value == "highlight"
    if tag == "span":
        return value in PYGMENTS_CLASSES
    if tag == "code":
        return value is not None and re.fullmatch(r"language-[a-z0-9+#-]{1,30}", value) is not None
    return False


def violations(html: str) -> dict[str, list[str]]:
    """Every way the HTML breaks the pipeline's contract, grouped by rule."""
    parsed = _parse(html)
    found: dict[str, list[str]] = {
        "tags": [],
        "events": [],
        "style": [],
        "schemes": [],
        "images": [],
        "rel": [],
        "classes": [],
    }
    for tag in [tag for tag, _ in parsed.elements] + parsed.end_tags:
        if tag not in markup.ALLOWED_TAGS:
            found["tags"].append(f"<{tag}> is not allowed")
    found["tags"].extend(parsed.others)
    for tag, attrs in parsed.elements:
        names = [name for name, _ in attrs]
        for name, value in attrs:
            if name.startswith("on"):
                found["events"].append(f"<{tag} {name}={value!r}>")
            if name == "style":
                found["style"].append(f"<{tag} style={value!r}>")
            if name in {"href", "src"}:
                url = normalize_url(value or "")
                scheme = _URL_SCHEME.match(url)
                if url.startswith(DANGEROUS_SCHEMES) or (
                    scheme and scheme.group()[:-1] not in markup.ALLOWED_PROTOCOLS
                ):
                    found["schemes"].append(f"<{tag} {name}={value!r}>")
            if name == "class" and not _class_allowed(tag, value):
                found["classes"].append(f"<{tag} class={value!r}>")
        if tag == "img":
            for name, value in attrs:
                if name != "src":
                    continue
                # Browsers read "\" as "/" in http(s) URLs, so "/\host" is "//host".
                url = normalize_url(value or "").replace("\\", "/")
                if _URL_SCHEME.match(url) or url.startswith("//"):
                    found["images"].append(f"<img src={value!r}> is not same-site")
        if tag == "a":
            rels = [value for name, value in attrs if name == "rel"]
            if rels != [markup.LINK_REL]:
                found["rel"].append(f"<a> has rel {rels!r}, attributes {names!r}")
    return found


@cache
def _rendered(payload: str) -> str:
    return str(markup.render(payload))


@cache
def _violations_of(payload: str) -> dict[str, list[str]]:
    return violations(_rendered(payload))


# --- The checker checks something ----------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "html"),
    [
        ("tags", "<p><script>alert(1)</script></p>"),
        ("tags", "<svg></svg>"),
        ("tags", "<p><!-- hi --></p>"),
        ("events", '<p onclick="alert(1)">x</p>'),
        ("style", '<p style="color: red">x</p>'),
        ("schemes", '<a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>'),
        ("schemes", '<a href=" DATA:text/html,x" rel="nofollow ugc noopener">x</a>'),
        ("schemes", '<img src="vbscript:msgbox(1)">'),
        ("schemes", '<a href="ssh://evil.com" rel="nofollow ugc noopener">x</a>'),
        ("images", '<img src="//evil.example/x.png">'),
        ("images", '<img src="/\\evil.example/x.png">'),
        ("images", '<img src="https://evil.example/x.png">'),
        ("images", '<img src="/&#47;evil.example/x.png">'),
        ("rel", '<a href="/x">x</a>'),
        ("rel", '<a href="/x" rel="nofollow">x</a>'),
        ("classes", '<span class="btn">x</span>'),
        ("classes", '<p class="k">x</p>'),
    ],
)
def test_the_checker_flags_each_kind_of_unsafe_markup(rule, html):
    assert violations(html)[rule], f"the checker let {html!r} through"


def test_the_checker_accepts_markup_the_pipeline_allows():
    html = (
        '<h2>T</h2><p><a href="https://example.org/" rel="nofollow ugc noopener">x</a> '
        '<img alt="a" src="/media/x.png" title="t"></p>'
        '<div class="highlight"><pre><span class="k">def</span></pre></div>'
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    assert violations(html) == {rule: [] for rule in violations(html)}


def test_the_corpus_is_large_and_every_vector_has_its_own_name():
    names = [name for name, _ in CORPUS]
    assert len(names) >= 80
    assert len(set(names)) == len(names)
    assert len({payload for _, payload in CORPUS}) == len(names)


# --- The corpus against render() -----------------------------------------------------


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_no_tag_outside_the_allowlist_survives(payload):
    assert _violations_of(payload)["tags"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_no_event_handler_attribute_survives(payload):
    assert _violations_of(payload)["events"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_no_style_attribute_survives(payload):
    assert _violations_of(payload)["style"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_only_http_https_mailto_and_relative_urls_survive(payload):
    assert _violations_of(payload)["schemes"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_images_only_ever_load_from_this_site(payload):
    assert _violations_of(payload)["images"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_every_link_carries_the_user_content_rel(payload):
    assert _violations_of(payload)["rel"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_classes_never_borrow_the_sites_own_styles(payload):
    assert _violations_of(payload)["classes"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_sanitizing_rendered_output_again_changes_nothing(payload):
    html = _rendered(payload)
    assert str(markup.sanitize(html)) == html


def test_javascript_links_never_survive():
    """The markdown forms of javascript: links all render, but never as live links."""
    for payload in (
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ):
        parsed = _parse(_rendered(payload))
        hrefs = [value for tag, attrs in parsed.elements for name, value in attrs if name == "href"]
        assert not any("script" in normalize_url(href or "") for href in hrefs), payload


def test_code_containing_script_is_shown_as_text():
    parsed = _Text()
    parsed.feed(_rendered("```html\n<script>alert(1)</script>\n```"))
    assert "script" not in parsed.tags
    assert "<script>alert(1)</script>" in parsed.text


# --- Real markdown still works -------------------------------------------------------


class _Text(HTMLParser):
    """Collects start tags with attributes and the decoded text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data

    def attrs_of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.attrs if name == tag]


def _read(source: str) -> _Text:
    parsed = _Text()
    parsed.feed(str(markup.render(source)))
    parsed.close()
    return parsed


def test_fenced_code_is_highlighted_with_pygments_and_escaped():
    html = str(markup.render('```python\ndef greet():\n    return "<b>hi</b> & bye"\n```'))
    parsed = _read('```python\ndef greet():\n    return "<b>hi</b> & bye"\n```')
    assert {"class": "highlight"} in parsed.attrs_of("div")
    span_classes = {attrs.get("class") for attrs in parsed.attrs_of("span")}
    assert {"k", "nf", "s2"} <= span_classes
    assert "b" not in parsed.tags
    assert 'return "<b>hi</b> & bye"' in parsed.text
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; bye" in html


def test_tables_render_with_alignment():
    parsed = _read("| Left | Middle | Right |\n|:-----|:------:|------:|\n| a | b | c |")
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(parsed.tags)
    assert [attrs.get("align") for attrs in parsed.attrs_of("th")] == ["left", "center", "right"]
    assert [attrs.get("align") for attrs in parsed.attrs_of("td")] == ["left", "center", "right"]


def test_https_links_are_kept_with_the_user_content_rel():
    parsed = _read("[the docs](https://example.org/docs?a=1&b=2)")
    assert parsed.attrs_of("a") == [
        {"href": "https://example.org/docs?a=1&b=2", "rel": markup.LINK_REL}
    ]
    assert "the docs" in parsed.text


def test_bare_urls_are_linkified():
    parsed = _read("See https://example.org/page and www.example.org for more.")
    assert [attrs["href"] for attrs in parsed.attrs_of("a")] == [
        "https://example.org/page",
        "http://www.example.org",
    ]
    assert all(attrs["rel"] == markup.LINK_REL for attrs in parsed.attrs_of("a"))


def test_mailto_links_are_kept():
    parsed = _read("[write to us](mailto:mentors@example.org) or help@example.org")
    hrefs = [attrs["href"] for attrs in parsed.attrs_of("a")]
    assert hrefs == ["mailto:mentors@example.org", "mailto:help@example.org"]


def test_relative_images_are_kept_with_alt_and_title():
    parsed = _read('![A chart](/media/x.png "Monthly visits")')
    assert parsed.attrs_of("img") == [
        {"alt": "A chart", "src": "/media/x.png", "title": "Monthly visits"}
    ]


def test_headings_lists_blockquotes_and_emphasis_render():
    parsed = _read(
        "# Title\n\n## Part\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "> quoted\n\n*soft* **strong** `code`\n\n---"
    )
    for tag in ("h1", "h2", "ul", "ol", "li", "blockquote", "em", "strong", "code", "hr"):
        assert tag in parsed.tags, tag
    assert "quoted" in parsed.text


def test_ordered_lists_keep_their_start_number():
    parsed = _read("3. third\n4. fourth")
    assert parsed.attrs_of("ol") == [{"start": "3"}]


def test_single_newlines_become_line_breaks():
    parsed = _read("first line\nsecond line")
    assert parsed.tags == ["p", "br"]
    assert parsed.text == "first line\nsecond line"


def test_over_long_sources_are_refused_not_cut():
    word = "word "
    at_limit = word * (markup.MAX_SOURCE_LENGTH // len(word))
    assert _read(at_limit).text.count("word") == markup.MAX_SOURCE_LENGTH // len(word)
    with pytest.raises(ValidationError) as error:
        markup.render(at_limit + "x" * len(word))
    assert error.value.code == "too_long"


# --- cook() --------------------------------------------------------------------------


def test_cook_returns_the_html_and_the_current_markup_version():
    cooked = markup.cook("**hi** <script>alert(1)</script>")
    assert set(cooked) == {"html", "version"}
    assert cooked["version"] == markup.MARKUP_VERSION
    assert isinstance(cooked["html"], str)
    assert cooked["html"] == str(markup.render("**hi** <script>alert(1)</script>"))
    assert [tag for tag, _ in _parse(cooked["html"]).elements] == ["p", "strong"]


def test_a_reused_converter_forgets_the_previous_text():
    # Each thread keeps one converter: a reference defined in one text must not turn a
    # bracket in the next text into a link.
    assert "evil.example" in markup.render("[site]: https://evil.example/\n\n[site][site]")
    html = markup.render("see [site][site]")
    assert "evil.example" not in html and "<a" not in html


def test_threads_convert_at_the_same_time_without_mixing_texts():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"**{n}** [link {n}](https://example.org/{n})" for n in range(200)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(markup.render, texts))
    assert results == [markup.render(text) for text in texts]
