from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from community.mailer.backends import OutboxBackend
from profiles import services


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, *args, **kwargs):
        """Account emails (verification, password reset) go through the outbox, so that a
        slow or absent mail server never holds up the sign-up or reset page."""
        message = super().render_mail(*args, **kwargs)
        message.connection = OutboxBackend()
        return message

    def save_user(self, request, user, form, commit=True):
        """Store the signup form's profile fields together with the new account."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name", "")
        user.position = data.get("position", "").strip()
        user.department = data.get("department")
        if commit:
            services.user_save(user=user)
        return user
