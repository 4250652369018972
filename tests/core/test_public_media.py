from django.test import Client


def test_public_site_files_are_served_and_nothing_else(settings, db):
    media = settings.MEDIA_ROOT
    (media / "site" / "people").mkdir(parents=True)
    (media / "site" / "people" / "raman.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (media / "consents" / "1").mkdir(parents=True)
    (media / "consents" / "1" / "signed.pdf").write_bytes(b"%PDF-1.4 private")
    client = Client()
    response = client.get("/media/site/people/raman.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get("/media/consents/1/signed.pdf").status_code == 404
    assert client.get("/media/site/../consents/1/signed.pdf").status_code in (
        400,
        404,
    )  # refused as traversal
    assert client.get("/media/site/%2e%2e/consents/1/signed.pdf").status_code in (400, 404)
