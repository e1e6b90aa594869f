import difflib

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def diff_table(before: str, after: str) -> SafeString:
    """Line changes between two texts: removed lines struck out, added lines marked."""
    old, new = before.splitlines(), after.splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag == "equal":
            rows += [("diff-same", " ", line) for line in old[i1:i2]]
            continue
        rows += [("diff-removed", "−", line) for line in old[i1:i2]]
        rows += [("diff-added", "+", line) for line in new[j1:j2]]
    body = format_html_join(
        "", '<tr class="{}"><td aria-hidden="true">{}</td><td>{}</td></tr>', rows
    )
    return format_html(
        '<table class="diff"><caption class="visually-hidden">{}</caption>'
        "<tbody>{}</tbody></table>",
        _("Changes"),
        body,
    )
