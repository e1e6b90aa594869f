"""Members in the community search: by name, position, department, expertise and bio."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community import search
from profiles.models import ExpertiseTag, User


def _document(user: User) -> search.Document | None:
    if not user.is_active:
        return None
    expertise = list(user.expertise.all()) if user.pk else []
    about = [
        user.position,
        user.department.name if user.department else "",
        " ".join(tag.name for tag in expertise),
        user.bio,
    ]
    return search.Document(
        title=user.full_name,
        body="\n".join(p for p in about if p),
        created_at=user.date_joined,
        author_id=user.pk,
        tags=tuple(tag.slug for tag in expertise),
    )


MEMBERS = search.SearchKind(
    key="profiles.member",
    label=_("People"),
    model=User,
    document=_document,
    visible_to=lambda user: Q(),
    url=lambda user: user.get_absolute_url(),
    order=50,
)

TAG_FACET = search.Facet(
    key="tag",
    label=_("Tag"),
    choices=lambda user: list(ExpertiseTag.objects.values_list("slug", "name")),
)
