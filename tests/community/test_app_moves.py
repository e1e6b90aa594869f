"""knowledge, mentoring and analytics moved out of community/ to the top of the tree
(issue 13). A database made before the move must need nothing: same labels, same tables,
same migration names, and every migration applied."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

BEFORE_THE_MOVE = {
    "knowledge": (
        {"knowledge_article", "knowledge_articlecredit", "knowledge_articlerevision",
         "knowledge_articlesource", "knowledge_collection"},
        {"0001_initial"},
    ),
    "mentoring": (
        {"mentoring_feedback", "mentoring_meeting", "mentoring_mentorreport",
         "mentoring_mentorship", "mentoring_mentorshipevent", "mentoring_planstep",
         "mentoring_plantemplate", "mentoring_plantemplatestep",
         "mentoring_questionescalation", "mentoring_routingoptin"},
        {"0001_initial", "0002_plans", "0003_meetings_and_feedback", "0004_routing"},
    ),
    "analytics": (set(), set()),
}  # fmt: skip


@pytest.mark.parametrize("label", sorted(BEFORE_THE_MOVE))
def test_a_moved_app_keeps_its_label_tables_and_migrations(label):
    tables, migrations = BEFORE_THE_MOVE[label]
    config = apps.get_app_config(label)
    assert config.name == label  # a top-level package now
    assert {model._meta.db_table for model in config.get_models()} == tables
    loader = MigrationLoader(None, ignore_no_migrations=True)
    # Every migration a database of that time applied is still here, under its name
    # (later migrations may follow them).
    on_disk = {name for app, name in loader.disk_migrations if app == label}
    assert migrations <= on_disk
    assert all(name[:4] > max(migrations or {""})[:4] for name in on_disk - migrations)


@pytest.mark.django_db
def test_the_migrated_database_has_nothing_left_to_apply():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
