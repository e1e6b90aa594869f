from __future__ import annotations

from unittest import mock

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_channel_layer_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"ok": True}, "channel_layer": {"ok": True}},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch("community.views._database_answers", side_effect=OSError("db down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "OSError"}
    assert body["checks"]["channel_layer"] == {"ok": True}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_channel_layer_is_down(client):
    with mock.patch("community.views.get_channel_layer", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"] == {"ok": False, "error": "RuntimeError"}
