"""The pipeline stays fast on hostile input: long runs, floods of brackets.

bleach's linkify patterns and Python-Markdown's link scanner both cost quadratic time on
some inputs; bench/markup_render.py measures what the guards keep them to.
"""

from __future__ import annotations

from community import markup


def test_url_pattern_cannot_start_inside_a_run():
    text = "a-.a-.example.com"
    assert markup._LINKIFY_URL.match(text, 0)
    assert all(markup._LINKIFY_URL.match(text, pos) is None for pos in range(1, len(text)))


def test_email_pattern_cannot_start_inside_a_local_part():
    text = "ivan.petrov@city.ru"
    assert markup._LINKIFY_EMAIL.match(text, 0)
    assert all(markup._LINKIFY_EMAIL.match(text, pos) is None for pos in range(1, 11))


def test_urls_and_emails_in_ordinary_text_are_still_linked():
    html = str(markup.render("см. (www.kazan.ru), https://city.example.org/a?b=1 и ivan@city.ru"))
    assert 'href="http://www.kazan.ru"' in html
    assert 'href="https://city.example.org/a?b=1"' in html
    assert 'href="mailto:ivan@city.ru"' in html


def test_only_allowed_schemes_become_links():
    html = str(markup.render("data:text/html,hi vbscript:x feed:x.com"))
    assert 'href="data:' not in html and 'href="vbscript:' not in html
    assert 'href="feed:' not in html


def test_a_flood_of_brackets_is_shown_as_text():
    html = str(markup.render("[" * 5000 + " and ![" * 300))
    assert html.count("[") == 5300
    assert "<a" not in html and "<img" not in html


def test_a_flood_in_one_paragraph_leaves_links_in_the_others_alone():
    links = " ".join(f"[l{n}](/p/{n})" for n in range(markup.MAX_BRACKETS_PER_PARAGRAPH))
    html = str(markup.render(links + "\n\n" + "[" * 500))
    assert html.count("<a ") == markup.MAX_BRACKETS_PER_PARAGRAPH
    assert html.count("[") == 500


def test_the_bracket_stand_in_cannot_be_smuggled_in():
    assert str(markup.render("a\ue000b")) == "<p>a\ufffdb</p>"


def test_a_long_link_is_shown_as_text_rather_than_scanned_forever():
    html = str(markup.render("[" + "x" * markup.LINK_SCAN_LIMIT + "](/far)"))
    assert "<a" not in html


def test_brackets_in_code_keep_their_shape_when_the_paragraph_is_flooded():
    fenced = "```\n" + "[1, 2]\n" * 200 + "```"
    inline = "`[x]` " + "[" * 100
    html = str(markup.render(fenced + "\n\n" + inline))
    assert "\\[" not in html
    assert html.count("[1, 2]") == 200 and "<code>[x]</code>" in html
