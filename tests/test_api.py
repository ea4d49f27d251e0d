"""The HTTP API on the seeds: every endpoint, and one JSON error shape for every error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsweave.api import create_app
from newsweave.errors import NotFoundError
from newsweave.model import Dossier
from newsweave.store import Store


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_dossier: Dossier) -> Path:
    """The seeds' dossier saved in a store, once per session."""
    path = tmp_path_factory.mktemp("api") / "seeds.db"
    with Store(path) as store:
        store.save(seed_dossier)
    return path


@pytest.fixture(scope="module")
def client(seed_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seed_db, token="secret-token")) as test_client:
        yield test_client


def assert_error(response: object, status: int, code: str) -> dict[str, object]:
    from httpx2 import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return dict(error)


# ---------------------------------------------------------------- the app factory


def test_missing_database_is_a_clear_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no such database.*newsweave run"):
        create_app(tmp_path / "absent.db")


def test_app_keeps_the_database_path(seed_db: Path) -> None:
    assert create_app(seed_db).state.db_path == str(seed_db)


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    error = assert_error(client.get("/api/no-such-thing"), 404, "not_found")
    assert "/api/no-such-thing" in str(error["message"])


def test_unknown_page_is_an_escaped_html_404(client: TestClient) -> None:
    response = client.get("/<script>alert(1)</script>")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)" not in response.text
