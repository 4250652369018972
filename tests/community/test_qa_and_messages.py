"""Q&A: public questions, held personal ones, clinicians' answers through the guard,
and private messages in a staff-only list with assignment and states."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from bedside.audit.models import AuditEvent
from bedside.community import services
from bedside.community.models import Answer, PrivateMessage, Question
from tests.community import factories as f
from tests.community.test_community import member_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_general_question_is_published(practice):
    member = f.make_member(practice, "curious_cat")
    response = member_client(member).post(
        f"/p/{practice.slug}/questions/ask/",
        {"title": "Blood pressure foods", "body": "What foods help lower blood pressure?"},
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert question.status == "open"
    assert "Blood pressure foods" in Client().get(f"/p/{practice.slug}/questions/").content.decode()


def test_question_with_own_health_details_is_held_and_offers_private_message(practice):
    member = f.make_member(practice, "curious_cat")
    client = member_client(member)

    response = client.post(
        f"/p/{practice.slug}/questions/ask/",
        {
            "title": "Diet",
            "body": "I have been diagnosed with high blood pressure, what should I eat?",
        },
    )

    body = response.content.decode()
    question = Question.objects.get()
    assert question.status == "held"
    assert "Your question was not published" in body
    assert f'action="/p/{practice.slug}/messages/new/"' in body
    assert f'name="question_id" value="{question.pk}"' in body
    assert "Diet" not in Client().get(f"/p/{practice.slug}/questions/").content.decode()
    assert Client().get(f"/p/{practice.slug}/questions/{question.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="community.question_asked")
    assert event.data == {"status": "held", "categories": ["patient_relationship"]}

    client.post(
        f"/p/{practice.slug}/messages/new/",
        {"subject": "Diet", "body": question.body, "question_id": question.pk},
    )
    message = PrivateMessage.objects.get()
    assert (message.member, message.from_question, message.state) == (member, question, "new")


def test_clinician_answer_passes_the_guard_and_is_public(practice, clinician):
    question = f.make_question(practice, f.make_member(practice))
    answer = services.answer_publish(
        membership=clinician,
        question=question,
        body="Most adults do well with about 8 cups of water a day; more in hot weather.",
    )
    question.refresh_from_db()
    assert question.status == "answered"
    page = Client().get(f"/p/{practice.slug}/questions/{question.pk}/").content.decode()
    assert "8 cups of water" in page and answer.author_name in page


def test_answer_disclosing_care_is_blocked_and_nothing_saved(practice, clinician, login):
    question = f.make_question(practice, f.make_member(practice))
    response = login(clinician).post(
        f"/community/questions/{question.pk}/",
        {"body": "Glad your new meds are working, see you at your follow-up on May 3."},
    )
    assert response.status_code == 422
    assert "The compliance guard blocked this answer." in response.content.decode()
    assert Answer.objects.count() == 0
    question.refresh_from_db()
    assert question.status == "open"


def test_editor_cannot_answer(practice, editor, login):
    question = f.make_question(practice, f.make_member(practice))
    response = login(editor).post(f"/community/questions/{question.pk}/", {"body": "Drink water."})
    assert response.status_code == 403
    assert Answer.objects.count() == 0


def test_held_question_cannot_be_answered_publicly(practice, clinician):
    from django.core.exceptions import ValidationError

    question = f.make_question(practice, f.make_member(practice), status="held")
    with pytest.raises(ValidationError):
        services.answer_publish(membership=clinician, question=question, body="Water helps.")


def test_private_messages_are_staff_only_with_assignment_and_states(
    practice, editor, clinician, login
):
    member = f.make_member(practice, "quiet_one")
    member_client(member).post(
        f"/p/{practice.slug}/messages/new/",
        {"subject": "Refill", "body": "Need a refill of my meds."},
    )
    message = PrivateMessage.objects.get()
    staff = login(editor)
    assert "Refill" in staff.get("/community/messages/").content.decode()

    staff.post(f"/community/messages/{message.pk}/", {"assignee": clinician.user.pk})
    message.refresh_from_db()
    assert (message.assigned_to, message.state) == (clinician.user, "assigned")
    staff.post(f"/community/messages/{message.pk}/", {"state": "closed"})
    message.refresh_from_db()
    assert message.state == "closed"
    assert "Need a refill" not in Client().get(f"/p/{practice.slug}/questions/").content.decode()
    assert member_client(member).get("/community/messages/").status_code == 403
    data = AuditEvent.objects.get(action="community.message_assigned").data
    assert data == {"assignee_id": clinician.user.pk, "state": "assigned"}


def test_message_cannot_be_assigned_outside_the_practice(practice, editor, outsider, login):
    message = f.make_message(practice, f.make_member(practice))
    login(editor).post(f"/community/messages/{message.pk}/", {"assignee": outsider.user.pk})
    message.refresh_from_db()
    assert message.assigned_to is None and message.state == "new"
