from django.contrib import admin

from chat.models import Room
from community.adminsite import CoordinatorAdmin


@admin.register(Room)
class RoomAdmin(CoordinatorAdmin):
    """Rooms by name only: coordinators do not read members' conversations here."""

    list_display = ["__str__", "kind", "access", "created_at", "is_archived"]
    list_filter = ["kind", "access", "is_archived"]
    fields = ["name", "topic", "access", "is_archived"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=Room.Kind.CHANNEL)
