def test_healthz_reports_database_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_shows_role_home_page(client, cast):
    client.force_login(cast.staff)

    response = client.get("/")

    assert response.status_code == 200
    assert cast.school1.name in response.content.decode()
