"""The composer and calendar pages: DST, previews, readability, links, media."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bedside.content import checks, services
from bedside.content.media import clean_image
from bedside.content.models import MediaAsset, Post
from tests.helpers import CLEAN_TEXT, plain_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(owner):
    return (
        plain_channel(owner, type="x", name="X account"),
        plain_channel(owner, type="mastodon", name="Toots"),
    )


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # spring forward (2026-03-08): 01:30 CST exists, 02:00-03:00 does not
        ("2026-03-08T01:30", dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)),
        # fall back (2026-11-01): 01:30 happens twice; the first (CDT) is meant
        ("2026-11-01T01:30", dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)),
        # the skipped hour moves forward by the gap
        ("2026-03-08T02:30", dt.datetime(2026, 3, 8, 8, 30, tzinfo=dt.UTC)),
    ],
)
def test_composer_schedules_in_the_practice_zone_across_dst(
    editor, login, channels, time_machine, local, utc
):
    time_machine.move_to(dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    response = login(editor).post(
        "/content/compose/",
        {"text": CLEAN_TEXT, "channels": [channels[1].pk], "scheduled_local": local},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.scheduled_at == utc
    page = login(editor).get(f"/content/calendar/?date={local[:10]}").content.decode()
    assert f'data-date="{local[:10]}"' in page and post.title[:20] in page


def test_composer_preview_counts_per_network_and_highlights_findings(editor, login, channels):
    x, masto = channels
    text = "Happy birthday to Mrs. Okafor! " + "Stay well. " * 25 + "https://example.org/tips"
    response = login(editor).post(
        "/content/compose/preview/", {"text": text, "channels": [x.pk, masto.pk]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    x_count = checks.limits.count("x", text)
    assert f"{x_count} / 280" in page and x_count > 280
    assert f"{checks.limits.count('mastodon', text)} / 500" in page
    assert "example.org is not on your list of credible health sources" in page
    assert "Grade" in page
    # a network's own text is checked too
    response = login(editor).post(
        "/content/compose/preview/",
        {"text": CLEAN_TEXT, "channels": [masto.pk], f"variant_{masto.pk}": "Hi Mrs. Okafor!"},
    )
    assert ">Mrs. Okafor</mark>" in response.content.decode()


def test_composer_embeds_the_compliance_editor_with_highlights(editor, login, channels):
    page = login(editor).get("/content/compose/").content.decode()
    assert 'hx-post="/compliance/check/findings/"' in page and 'name="text"' in page
    response = login(editor).post(
        "/compliance/check/findings/",
        {"text": "Happy birthday to Mrs. Okafor!", "text_field": "text", "editor_kind": "post"},
    )
    body = response.content.decode()
    assert 'data-category="name"' in body and "Mrs. Okafor<sup" in body


def test_composer_refuses_over_limit_variant_and_keeps_the_input(editor, login, channels):
    x, masto = channels
    response = login(editor).post(
        "/content/compose/",
        {"text": "Short.", "channels": [x.pk, masto.pk], f"variant_{x.pk}": "z" * 300},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "X account: X allows 280 characters" in page
    assert "z" * 300 in page
    assert Post.objects.count() == 0


def test_composer_refuses_a_past_time(editor, login, channels):
    response = login(editor).post(
        "/content/compose/",
        {"text": CLEAN_TEXT, "channels": [channels[1].pk], "scheduled_local": "2001-01-01T09:00"},
    )
    assert "This time has already passed" in response.content.decode()
    assert Post.objects.count() == 0


def test_save_and_submit_from_the_composer(editor, login, channels):
    response = login(editor).post(
        "/content/compose/",
        {"text": CLEAN_TEXT, "channels": [channels[1].pk], "action": "submit"},
    )
    assert response.status_code == 302
    assert Post.objects.get().state == "in_review"


def test_readability_grade():
    easy = checks.readability("Get your flu shot. It is quick. It helps you stay well.")
    hard = checks.readability(
        "Immunization against seasonal influenza substantially diminishes hospitalization "
        "probability among individuals experiencing chronic cardiovascular complications."
    )
    assert easy.ok and easy.grade <= 8
    assert not hard.ok and hard.grade > 12
    assert checks.readability("").words == 0


def test_link_checks_against_the_practice_list(owner):
    text = "See cdc.gov/flu and https://www.medlineplus.gov/x and https://quackcures.biz/now"
    results = checks.link_checks(
        text, credible=["cdc.gov", "medlineplus.gov"], own_site="https://maple.example"
    )
    assert [(r.domain, r.credible) for r in results] == [
        ("cdc.gov", True),
        ("medlineplus.gov", True),
        ("quackcures.biz", False),
    ]
    services.credible_domains_set(actor=owner, domains=["quackcures.biz"])
    from bedside.content.selectors import credible_domains

    assert credible_domains(practice=owner.practice) == ["quackcures.biz"]


def test_calendar_week_view_and_observance_suggestions(editor, login, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 10, 15, tzinfo=dt.UTC))
    month = login(editor).get("/content/calendar/").content.decode()
    assert "American Heart Month" in month and "February 2026" in month
    week = login(editor).get("/content/calendar/?view=week&date=2026-10-14").content.decode()
    assert "Week of Oct 12, 2026" in week
    # a month-long observance is suggested on the first day of the view it overlaps
    assert "observance=breast-cancer-month&amp;date=2026-10-12" in week
    library = login(editor).get("/content/library/").content.decode()
    for name in (
        "American Heart Month",
        "Breast Cancer Awareness Month",
        "National Immunization Awareness Month",
        "Flu season",
    ):
        assert name in library
    compose = login(editor).get("/content/compose/?observance=heart-month").content.decode()
    assert "February is American Heart Month" in compose


def test_drag_and_drop_keeps_the_time_and_move_to_sets_both(
    editor, owner, login, channels, time_machine
):
    time_machine.move_to(dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    post = services.post_create(
        actor=editor,
        text=CLEAN_TEXT,
        channel_ids=[channels[1].pk],
        scheduled_at=dt.datetime(2026, 2, 10, 15, 0, tzinfo=dt.UTC),  # 09:00 in Chicago
    )
    client = login(editor)
    client.post(f"/content/posts/{post.pk}/move/", {"date": "2026-02-12"}, HTTP_HX_REQUEST="true")
    post.refresh_from_db()
    assert post.scheduled_at == dt.datetime(2026, 2, 12, 15, 0, tzinfo=dt.UTC)
    client.post(f"/content/posts/{post.pk}/move/", {"when": "2026-02-13T16:45"})
    post.refresh_from_db()
    assert post.scheduled_at == dt.datetime(2026, 2, 13, 22, 45, tzinfo=dt.UTC)
    assert login(owner).get(f"/content/posts/{post.pk}/").status_code == 200


# --------------------------------------------------------------------------- media


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (41.0, 52.0, 0.0), 3: "W", 4: (87.0, 37.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_gps_are_stripped(editor):
    raw = _jpeg_with_gps()
    assert b"PhoneMaker" in raw
    asset = services.media_upload(actor=editor, data=raw, alt_text="A red square")
    stored = asset.file.read()
    assert b"PhoneMaker" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert not reopened.getexif()
    assert (asset.width, asset.height, asset.mime) == (64, 48, "image/jpeg")


def test_alt_text_is_required(editor):
    with pytest.raises(ValidationError) as exc:
        services.media_upload(actor=editor, data=_jpeg_with_gps(), alt_text="  ")
    assert "alt_text" in exc.value.message_dict
    assert MediaAsset.objects.count() == 0


def test_a_non_image_named_jpg_is_refused(editor, login, channels):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = login(editor).post(
        "/content/compose/",
        {"text": CLEAN_TEXT, "channels": [channels[1].pk], "image": fake, "alt_text": "x"},
    )
    assert "This file is not an image Bedside can read." in response.content.decode()
    assert Post.objects.count() == 0 and MediaAsset.objects.count() == 0


def test_decompression_bombs_and_huge_images_are_refused():
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, format="PNG")  # tiny file, 144 megapixels
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ValidationError, match="too large to open safely"):
        clean_image(bomb.getvalue())  # Pillow's own bomb check, as an error
    wide = io.BytesIO()
    Image.new("RGB", (9000, 10)).save(wide, format="PNG")
    with pytest.raises(ValidationError, match="9000×10 pixels; the limit is 8000"):
        clean_image(wide.getvalue())
    with pytest.raises(ValidationError, match="larger than 8 MB"):
        clean_image(b"\xff" * (8 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="empty"):
        clean_image(b"")


def test_next_never_redirects_off_site(editor, login, channels):
    post = services.post_create(actor=editor, text=CLEAN_TEXT, channel_ids=[channels[1].pk])
    response = login(editor).post(
        f"/content/posts/{post.pk}/submit/", {"next": "//evil.example/phish"}
    )
    assert response["Location"] == f"/content/posts/{post.pk}/"


def test_calendar_move_to_form_is_keyboard_reachable(editor, login, channels, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    post = services.post_create(
        actor=editor, text=CLEAN_TEXT, channel_ids=[channels[1].pk],
        scheduled_at=dt.datetime(2026, 2, 10, 15, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    page = login(editor).get("/content/calendar/?date=2026-02-10").content.decode()
    assert f'<label for="move-{post.pk}">Move to</label>' in page
    assert 'value="2026-02-10T09:00"' in page  # shown in the practice's time
    response = login(editor).post(
        f"/content/posts/{post.pk}/move/",
        {"when": "2026-02-11T08:15", "next": "/content/calendar/?date=2026-02-10"},
    )
    assert response["Location"] == "/content/calendar/?date=2026-02-10"
    post.refresh_from_db()
    assert post.scheduled_at == dt.datetime(2026, 2, 11, 14, 15, tzinfo=dt.UTC)
