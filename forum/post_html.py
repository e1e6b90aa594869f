"""A forum post's HTML: the one render path of a post, for the thread page, its chunks,
the live-update fragment and the reactions a click sends back.

Written in Python rather than as a template because a chunk shows up to fifty posts: the
template engine spent about half a millisecond on each (its variable lookups, includes and
filters), which made a long topic's first chunk 1.7× a 20-post topic's page. Here a post
costs a few dozen string joins, every value goes through the standard library's
`html.escape()` (Django's, wrapped to accept lazy strings, cost as much again), and the
markup is kept tight (the first chunk stays under 100 KiB).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forum import rules
from forum.models import Post, Reaction, Thread
from profiles.models import User

if TYPE_CHECKING:
    from forum.selectors import PostView

EMOJI = {"like": "👍", "thanks": "🙏", "agree": "🤝", "idea": "💡"}


@dataclass(frozen=True)
class PostPage:
    """What a post's HTML needs besides the post, worked out once per page (or chunk)."""

    thread: Thread
    viewer_id: int
    csrf_token: str
    can_reply: bool
    can_accept: bool
    is_moderator: bool
    people_url: str
    labels: dict[str, str]
    reaction_kinds: list[tuple[str, str]]
    time_format: str
    role_names: dict[str, str]
    # Each author's avatar, drawn once per page: a chunk's fifty posts have a few authors.
    avatars: dict[int, str] = field(default_factory=dict)

    def avatar(self, member) -> str:
        if member.pk not in self.avatars:
            self.avatars[member.pk] = _avatar(member)
        return self.avatars[member.pk]

    @classmethod
    def for_viewer(cls, user, thread: Thread, csrf_token: str) -> PostPage:
        return cls(
            thread=thread,
            viewer_id=user.pk,
            csrf_token=csrf_token,
            can_reply=rules.can_reply(user, thread),
            can_accept=rules.can_accept_answer(user, thread),
            is_moderator=rules.is_moderator(user),
            people_url=reverse("profiles:directory"),
            labels={
                "edited": _("edited"),
                "new": _("new"),
                "accepted": _("Accepted answer"),
                "deleted": _("This post was deleted."),
                "hidden": _("This post is hidden by moderators."),
                "hidden_pending": _("Hidden from other members until a moderator reviews it."),
                "reply": _("Reply"),
                "unaccept": _("Unaccept"),
                "accept": _("Accept answer"),
                "edit": _("Edit"),
                "delete": _("Delete"),
                "report": _("Report"),
                "restore": _("Restore"),
                "hide": _("Hide"),
                "continue": _("Continue this thread →"),
            },
            reaction_kinds=[(str(kind), str(label)) for kind, label in Reaction.Kind.choices],
            time_format=_strftime_format(formats.get_format("SHORT_DATETIME_FORMAT")),
            role_names={str(role): str(name) for role, name in User.Role.choices},
        )


def post_article(item: PostView, page: PostPage, *, opening: bool = False) -> SafeString:
    """The post's <article>, as the thread page shows it to this viewer."""
    post, labels, thread = item.post, page.labels, page.thread
    number = post.number
    accepted = thread.accepted_answer_id == post.pk
    classes = ["post", "post-opening" if opening else f"indent-{item.indent}"]
    if item.is_new:
        classes.append("post-new")
    if accepted:
        classes.append("post-accepted")
    author = post.author
    created = timezone.localtime(post.created_at)
    parts = [
        f'<article class="{" ".join(classes)}" id="post-{number}" data-path="{escape(post.path)}"'
        f' aria-labelledby="post-{number}-author">\n'
        f'<header class="post-head">{page.avatar(author)}\n'
        f'<a id="post-{number}-author" class="post-author" href="{page.people_url}'
        f'{escape(author.slug)}/">{escape(author.full_name)}</a>\n'
        f'<span class="badge badge-{escape(author.role)}">'
        f"{escape(page.role_names.get(author.role, ''))}</span>\n"
        # The time is the post's permalink, as in Discourse and Slack.
        f'<a class="post-permalink muted small" href="{item.url}">'
        f'<time datetime="{created.isoformat()}">'
        f"{_time(created, page.time_format)}</time></a>"
    ]
    if post.edit_count and ((not item.text_hidden and not post.is_deleted) or page.is_moderator):
        parts.append(f'\n<a class="muted small" href="{item.url}revisions/">{labels["edited"]}</a>')
    if item.is_new:
        parts.append(f'\n<span class="badge badge-new">{labels["new"]}</span>')
    if accepted:
        parts.append(f'\n<span class="badge badge-approved">{labels["accepted"]}</span>')
    parts.append("\n</header>\n")
    if post.is_deleted:
        parts.append(f'<p class="tombstone">{labels["deleted"]}</p>\n')
    elif item.text_hidden:
        parts.append(f'<p class="tombstone">{labels["hidden"]}</p>\n')
    else:
        if post.is_hidden:
            parts.append(f'<p class="notice small">{labels["hidden_pending"]}</p>')
        # body_html is the markup pipeline's sanitised output (community/markup.py).
        parts.append(f'<div class="prose post-body">{post.body_html}</div>\n')
        parts.append(_actions(item, page, opening=opening, accepted=accepted))
    if item.continue_below:
        parts.append(
            f'\n<p class="continue-thread"><a href="?focus={number}#post-{number}">'
            f"{labels['continue']}</a></p>"
        )
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped or ours)


def _actions(item: PostView, page: PostPage, *, opening: bool, accepted: bool) -> str:
    labels, url, thread = page.labels, item.url, page.thread
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(page.csrf_token)}">'
    parts = [
        '<footer class="post-actions">',
        reactions(item.post, item.my_reactions, page),
    ]
    if page.can_reply:
        parts.append(
            f'\n<a class="button button-small button-secondary" href="{url}reply/">'
            f"{labels['reply']}</a>"
        )
    if page.can_accept and not opening and thread.is_question:
        if accepted:
            action, label = reverse("forum:unaccept", args=[thread.pk]), labels["unaccept"]
        else:
            action, label = f"{url}accept/", labels["accept"]
        parts.append(
            f'\n<form method="post" action="{action}">{csrf}'
            f'<button class="button button-small button-secondary">{label}</button></form>'
        )
    if item.can_edit:
        parts.append(f'\n<a class="small" href="{url}edit/">{labels["edit"]}</a>')
    if item.can_delete:
        parts.append(
            f'\n<form method="post" action="{url}delete/">{csrf}'
            f'<button class="link-button small">{labels["delete"]}</button></form>'
        )
    if not item.is_own:
        parts.append(f'\n<a class="small" href="{url}flag/">{labels["report"]}</a>')
    if page.is_moderator:
        hidden = item.post.is_hidden
        parts.append(
            f'\n<form method="post" action="{url}moderate/">{csrf}'
            f'<button class="link-button small" name="action" '
            f'value="{"restore" if hidden else "hide"}">'
            f"{labels['restore'] if hidden else labels['hide']}</button></form>"
        )
    parts.append("\n</footer>")
    return "".join(parts)


def reactions(post: Post, mine: set[str], page: PostPage) -> SafeString:
    """A post's reaction buttons: buttons of the page's one reaction form (#react, in
    forum/thread.html), each naming its post and kind («5:like»); forum.js sends them
    without a reload and swaps this block for the answer. No form, token or address per
    post. The label names the reaction and its count."""
    own = " disabled" if post.author_id == page.viewer_id else ""
    counts = post.reaction_counts or {}
    buttons = []
    for kind, label in page.reaction_kinds:
        count = counts.get(kind, 0)
        buttons.append(
            f'<button form="react" name="reaction" value="{post.pk}:{kind}" '
            f'aria-pressed="{"true" if kind in mine else "false"}" '
            f'aria-label="{escape(label)}{f": {count}" if count else ""}"{own}>'
            f"{EMOJI.get(kind, '')}{f' <span>{count}</span>' if count else ''}</button>"
        )
    return mark_safe(f'<div class="reactions">{"".join(buttons)}</div>')  # noqa: S308


# Django's date format letters that strftime spells the same way, zero-padded.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def _strftime_format(django_format: str) -> str:
    """The strftime equivalent of a Django date format, or the Django format itself
    (prefixed with "django:") when it uses letters strftime spells otherwise: Django's
    dateformat costs 30 µs a date, strftime 2."""
    if all(not char.isalpha() or char in _STRFTIME for char in django_format):
        return "".join(_STRFTIME.get(char, char.replace("%", "%%")) for char in django_format)
    return f"django:{django_format}"


def _time(moment, time_format: str) -> str:
    if time_format.startswith("django:"):
        return dateformat.format(moment, time_format.removeprefix("django:"))
    return moment.strftime(time_format)


def _avatar(member) -> str:
    """As includes/avatar.html draws it (small): the photo, or the initials on a hue."""
    if member.avatar:
        source = reverse("profiles:avatar", args=[member.slug])
        version = escape(member.avatar.name).replace("/", "").replace(".", "")
        return (
            f'<img class="avatar avatar-small" src="{source}?v={version}" '
            f'alt="{escape(member.full_name)}">'
        )
    return (
        f'<span class="avatar avatar-small avatar-initials avatar-hue-{member.avatar_hue}" '
        f'aria-hidden="true">{escape(member.initials)}</span>'
    )
