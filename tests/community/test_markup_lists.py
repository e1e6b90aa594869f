"""A list may start on the line right after a line of text, the CommonMark way.

Members write "Нужно:\\n- паспорт" as they do in messengers; Python-Markdown alone wants a
blank line before the list and shows such text as plain lines. These tests run the real
pipeline (markup.render) and compare its HTML with the newlines between tags dropped.
"""

from __future__ import annotations

import pytest

from community import markup


def _html(source: str) -> str:
    return str(markup.render(source)).replace("\n", "")


def test_an_ordered_list_right_after_a_line_of_text_is_a_list():
    assert _html("Могу научить:\n1. Работе в СЭД\n2. Оформлению командировок") == (
        "<p>Могу научить:</p><ol><li>Работе в СЭД</li><li>Оформлению командировок</li></ol>"
    )


@pytest.mark.parametrize("marker", ["-", "*", "+"])
def test_a_bullet_list_right_after_a_line_of_text_is_a_list(marker):
    assert _html(f"Нужно:\n{marker} паспорт\n{marker} СНИЛС") == (
        "<p>Нужно:</p><ul><li>паспорт</li><li>СНИЛС</li></ul>"
    )


def test_it_renders_exactly_as_with_a_blank_line_before_the_list():
    for source in ("Нужно:\n- паспорт\n- СНИЛС", "Шаги:\n1. заявление\n2. приказ"):
        with_blank_line = source.replace("\n", "\n\n", 1)
        assert markup.render(source) == markup.render(with_blank_line)


def test_a_list_already_after_a_blank_line_is_unchanged():
    assert _html("Нужно:\n\n- паспорт\n- СНИЛС") == (
        "<p>Нужно:</p><ul><li>паспорт</li><li>СНИЛС</li></ul>"
    )


def test_the_text_before_the_list_keeps_its_line_breaks():
    assert _html("Коллеги,\nнужно:\n- паспорт") == (
        "<p>Коллеги,<br>нужно:</p><ul><li>паспорт</li></ul>"
    )


def test_a_list_after_a_line_inside_a_blockquote():
    assert _html("> Нужно:\n> - паспорт\n> - СНИЛС") == (
        "<blockquote><p>Нужно:</p><ul><li>паспорт</li><li>СНИЛС</li></ul></blockquote>"
    )


def test_a_list_after_a_line_inside_a_nested_blockquote():
    assert _html("> > Нужно:\n> > 1. паспорт") == (
        "<blockquote><blockquote><p>Нужно:</p><ol><li>паспорт</li></ol></blockquote></blockquote>"
    )


def test_a_list_after_the_text_of_a_list_item_is_nested_in_it():
    # CommonMark: the item's text is a paragraph, and the indented list interrupts it.
    assert _html("- Шаги:\n  1. заявление\n  2. приказ") == (
        "<ul><li>Шаги:<ol><li>заявление</li><li>приказ</li></ol></li></ul>"
    )


def test_nested_lists_are_unchanged():
    assert _html("- Нужно:\n    - паспорт\n    - СНИЛС\n- Готово") == (
        "<ul><li>Нужно:<ul><li>паспорт</li><li>СНИЛС</li></ul></li><li>Готово</li></ul>"
    )


def test_list_lines_inside_fenced_code_stay_code():
    html = _html("Пример:\n```\nНужно:\n- паспорт\n1. СНИЛС\n```")
    assert "<ul>" not in html and "<ol>" not in html and "<li>" not in html
    assert "<code>Нужно:- паспорт1. СНИЛС</code>" in html


def test_list_lines_inside_indented_code_stay_code():
    html = _html("Пример:\n\n    Нужно:\n    - паспорт\n    1. СНИЛС")
    assert "<ul>" not in html and "<ol>" not in html and "<li>" not in html
    assert "<code>Нужно:- паспорт1. СНИЛС</code>" in html


def test_a_line_indented_as_code_after_text_stays_in_the_paragraph():
    # Neither a list (four spaces is too deep) nor code (code cannot interrupt a paragraph).
    assert _html("Нужно:\n    - паспорт") == "<p>Нужно:<br>    - паспорт</p>"


def test_an_ordered_item_not_numbered_1_does_not_interrupt_text():
    # CommonMark: only a list starting at 1 may interrupt a paragraph, so that a wrapped
    # line starting with a number is not mistaken for a list.
    assert _html("Итоги:\n2. второе\n3. третье") == "<p>Итоги:<br>2. второе<br>3. третье</p>"
    assert _html("Отчёт сдаём в\n2024. году") == "<p>Отчёт сдаём в<br>2024. году</p>"


def test_an_ordered_list_not_starting_at_1_still_needs_a_blank_line():
    assert _html("Итоги:\n\n2. второе\n3. третье") == (
        '<p>Итоги:</p><ol start="2"><li>второе</li><li>третье</li></ol>'
    )


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("Итог: 1. первое, 2. второе - и всё", "<p>Итог: 1. первое, 2. второе - и всё</p>"),
        ("Объём:\n1.5 литра", "<p>Объём:<br>1.5 литра</p>"),
        ("Счёт:\n-1 очко", "<p>Счёт:<br>-1 очко</p>"),
        (
            "Выделено:\n*важно* и **очень**",
            "<p>Выделено:<br><em>важно</em> и <strong>очень</strong></p>",
        ),
    ],
    ids=["numbers-mid-line", "decimal", "negative-number", "emphasis"],
)
def test_list_markers_mid_line_or_without_a_space_stay_text(source, html):
    assert _html(source) == html
