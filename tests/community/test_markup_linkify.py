"""Linkify only starts links where a word starts, which keeps it linear on long runs.

bleach's own patterns try to start a match at every position of an unbroken run, which
makes a 24 000-character run cost seconds (bench/markup_render.py measures it).
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
