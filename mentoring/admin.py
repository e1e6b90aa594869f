from django.contrib import admin

from community.adminsite import CoordinatorAdmin, CoordinatorInline
from mentoring.models import PlanTemplate, PlanTemplateStep


class StepInline(CoordinatorInline):
    model = PlanTemplateStep
    extra = 1
    fields = ["order", "title", "due_after_days", "article", "thread", "description"]
    raw_id_fields = ["article", "thread"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(CoordinatorAdmin):
    """Coordinators keep the adaptation plan templates here."""

    list_display = ["name", "department", "position"]
    inlines = [StepInline]
