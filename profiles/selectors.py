"""Reads of members, departments and mentor applications, with their permission checks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from profiles import naming
from profiles.models import Department, EmployeeImport, ExpertiseTag, MentorApplication, User

DIRECTORY_ROLES = {choice.value for choice in User.Role}


@dataclass(frozen=True)
class DepartmentNode:
    department: Department
    depth: int


def department_tree() -> list[DepartmentNode]:
    """All departments in tree order (city hall, its administrations, their divisions)."""
    departments = list(Department.objects.all())
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[DepartmentNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for department in sorted(children.get(parent_id, []), key=lambda d: d.name):
            ordered.append(DepartmentNode(department, depth))
            walk(department.pk, depth + 1)

    walk(None, 0)
    return ordered


def department_with_descendants(department_id: int) -> set[int]:
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    found = {department_id} if department_id in parents else set()
    grew = True
    while grew:
        grew = False
        for pk, parent_id in parents.items():
            if parent_id in found and pk not in found:
                found.add(pk)
                grew = True
    return found


def members_directory(
    *,
    query: str = "",
    department_id: int | None = None,
    role: str = "",
    expertise_slug: str = "",
) -> QuerySet[User]:
    """Active members matching the directory filters, ready to list without extra queries."""
    members = (
        User.objects.filter(is_active=True, service_end__isnull=True)
        .select_related("department")
        .prefetch_related(Prefetch("expertise", queryset=ExpertiseTag.objects.order_by("name")))
        .order_by("sort_name", "pk")
    )
    for word in naming.search_key(query).split()[:5]:
        members = members.filter(search_name__contains=word)
    if department_id is not None:
        members = members.filter(department_id__in=department_with_descendants(department_id))
    if role in DIRECTORY_ROLES:
        members = members.filter(role=role)
    if expertise_slug:
        members = members.filter(expertise__slug=expertise_slug)
    return members


def expertise_in_use() -> QuerySet[ExpertiseTag]:
    return ExpertiseTag.objects.annotate(member_count=Count("members")).filter(member_count__gt=0)


def member_get(*, slug: str | None = None, pk: int | None = None) -> User:
    """An active member by profile address or id; 404 for anyone else."""
    lookup: dict[str, str | int | None] = {"slug": slug} if slug is not None else {"pk": pk}
    try:
        return (
            User.objects.select_related("department", "department__parent")
            .prefetch_related("expertise")
            .get(is_active=True, **lookup)
        )
    except User.DoesNotExist:
        raise Http404 from None


def mentor_application_latest(*, applicant: User) -> MentorApplication | None:
    return (
        applicant.mentor_applications.prefetch_related("expertise")
        .select_related("decided_by")
        .first()
    )


def mentor_applications_for_review(*, status: str = MentorApplication.Status.PENDING):
    return (
        MentorApplication.objects.filter(status=status)
        .select_related("applicant", "applicant__department", "decided_by")
        .prefetch_related("expertise")
        .order_by(
            *(
                ["created_at", "pk"]
                if status == MentorApplication.Status.PENDING
                else ["-decided_at", "-created_at", "-pk"]
            )
        )
    )


def mentor_applications_pending_count() -> int:
    return MentorApplication.objects.filter(status=MentorApplication.Status.PENDING).count()


def mentor_application_get_for(user: User, pk: int) -> MentorApplication:
    """The applicant reads their own, coordinators read any; anyone else gets a 404."""
    try:
        application = (
            MentorApplication.objects.select_related(
                "applicant", "applicant__department", "decided_by"
            )
            .prefetch_related("expertise")
            .get(pk=pk)
        )
    except MentorApplication.DoesNotExist:
        raise Http404 from None
    if user.is_coordinator:
        return application
    if application.applicant_id != user.pk:
        raise Http404
    return application


def community_counts() -> dict[str, int]:
    counts = User.objects.filter(is_active=True, service_end__isnull=True).aggregate(
        mentors=Count("pk", filter=Q(role=User.Role.MENTOR)),
        newcomers=Count("pk", filter=Q(role=User.Role.NEWCOMER)),
        accepting=Count("pk", filter=Q(role=User.Role.MENTOR, accepting_mentees=True)),
    )
    counts["departments"] = Department.objects.count()
    return counts


def members_for_mention(query: str, *, limit: int = 8) -> list[User]:
    """Active members whose name or profile address starts like `query`, for @-completion."""
    key = naming.search_key(query)[:50]
    members = User.objects.filter(is_active=True)
    if key:
        members = members.filter(Q(search_name__contains=key) | Q(slug__startswith=key))
    return list(members.order_by("sort_name")[:limit])


def member_name_for_link(match) -> str | None:
    """The name a bare link to a profile shows."""
    return (
        User.objects.filter(slug=match["slug"], is_active=True)
        .values_list("full_name", flat=True)
        .first()
    )


def recent_imports(limit: int = 10) -> QuerySet[EmployeeImport]:
    """The latest HR imports, for the import page."""
    return EmployeeImport.objects.select_related("uploaded_by")[:limit]
