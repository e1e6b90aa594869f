"""Create a believable city community in Russian. Running it again changes nothing."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from community import search
from profiles import demo, seeding, services
from profiles.models import Department, ExpertiseTag, MentorApplication, User

DEMO_PASSWORD = "nastavnik-demo"
DEMO_LOGINS = ["coordinator@example.com", "mentor@example.com", "newcomer@example.com"]


class Command(BaseCommand):
    help = "Load demo data: departments, ~10 mentors, ~20 newcomers and a coordinator."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has members (used by `make run`).",
        )

    def handle(self, *args, **options) -> None:
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("Members exist already; demo data not loaded.")
            return
        self._seed()

    @transaction.atomic
    def _seed(self) -> None:
        today = datetime.date.today()
        divisions = self._departments()
        tags = self._expertise()
        # One hash for everyone: hashing 30 passwords would take most of a minute.
        password_hash = make_password(DEMO_PASSWORD)
        created = 0

        def ensure(
            email: str, full_name: str, role: str, position: str, division: str, **fields
        ) -> User:
            nonlocal created
            user = User.objects.filter(email=email).first()
            if user is None:
                user = services.user_create(
                    email=email,
                    full_name=full_name,
                    role=role,
                    position=position,
                    department=divisions[division],
                    **fields,
                )
                user.password = password_hash
                user.save(update_fields=["password"])
                created += 1
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            return user

        email, name, position, division, expertise, years, bio = demo.COORDINATOR
        coordinator = ensure(
            email,
            name,
            User.Role.COORDINATOR,
            position,
            division,
            bio=bio,
            service_start=demo.service_start(years, today),
        )
        coordinator.expertise.add(*(tags[slug] for slug in expertise))
        search.index(coordinator)  # the expertise is part of what finds a member
        for email, name, position, division, expertise, years, bio in demo.MENTORS:
            mentor = ensure(
                email,
                name,
                User.Role.MENTOR,
                position,
                division,
                bio=bio,
                service_start=demo.service_start(years, today),
                mentor_capacity=2,
            )
            mentor.expertise.add(*(tags[slug] for slug in expertise))
            search.index(mentor)
        for index, (email, name, position, division) in enumerate(demo.NEWCOMERS):
            ensure(
                email,
                name,
                User.Role.NEWCOMER,
                position,
                division,
                service_start=today - datetime.timedelta(days=14 + 9 * index),
            )
        self._applications(tags)
        for loader in seeding.DEMO_LOADERS:
            loader.load(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready: {created} new members, {User.objects.count()} in all."
            )
        )
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}): {', '.join(DEMO_LOGINS)}")

    def _departments(self) -> dict[str, Department]:
        city_hall, _ = Department.objects.get_or_create(
            name="Мэрия города",
            parent=None,
            defaults={"kind": Department.Kind.CITY_HALL, "short_name": "Мэрия"},
        )
        divisions = {}
        for name, short_name, children in demo.DEPARTMENTS:
            administration, _ = Department.objects.get_or_create(
                name=name,
                parent=city_hall,
                defaults={"kind": Department.Kind.ADMINISTRATION, "short_name": short_name},
            )
            for child in children:
                divisions[child], _ = Department.objects.get_or_create(
                    name=child,
                    parent=administration,
                    defaults={"kind": Department.Kind.DIVISION},
                )
        return divisions

    def _expertise(self) -> dict[str, ExpertiseTag]:
        return {
            slug: ExpertiseTag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for name, slug in demo.EXPERTISE
        }

    def _applications(self, tags: dict[str, ExpertiseTag]) -> None:
        for email, expertise, motivation in demo.PENDING_APPLICATIONS:
            applicant = User.objects.get(email=email)
            if (
                applicant.is_newcomer
                and not MentorApplication.objects.filter(applicant=applicant).exists()
            ):
                services.mentor_application_submit(
                    applicant=applicant,
                    motivation=motivation,
                    expertise=[tags[slug] for slug in expertise],
                )
