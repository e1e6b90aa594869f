from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from profiles import services


class AccountAdapter(DefaultAccountAdapter):
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
