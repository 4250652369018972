"""Staff pages under /community/: moderation, site content, Q&A, messages, challenges, peers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip, member_required
from bedside.accounts.permissions import Perm
from bedside.community import forms, selectors, services
from bedside.core.forms import add_service_errors


def _practice(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.practice  # type: ignore[attr-defined]


@member_required()
def manage(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    return TemplateResponse(
        request,
        "community/manage/home.html",
        {"counts": selectors.manage_counts(practice=practice), "site_slug": practice.slug},
    )


@member_required(Perm.MODERATE)
def moderation(request: HttpRequest) -> HttpResponse:
    queue = selectors.moderation_queue(practice=_practice(request))
    return TemplateResponse(request, "community/manage/moderation.html", queue)


def _moderate(request: HttpRequest, post_id: int, service) -> HttpResponse:  # type: ignore[no-untyped-def]
    post = selectors.post_get_for_staff(practice=_practice(request), post_id=post_id)
    service(post=post, actor=request.user, ip=client_ip(request))
    messages.success(request, "Done.")
    return redirect(request.POST.get("next") or "community:moderation")


@require_POST
@member_required(Perm.MODERATE)
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    return _moderate(request, post_id, services.post_hide)


@require_POST
@member_required(Perm.MODERATE)
def post_restore(request: HttpRequest, post_id: int) -> HttpResponse:
    return _moderate(request, post_id, services.post_restore)


@require_POST
@member_required(Perm.MODERATE)
def post_approve(request: HttpRequest, post_id: int) -> HttpResponse:
    return _moderate(request, post_id, services.post_approve)


@member_required(Perm.MODERATE)
def members(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "community/manage/members.html",
        {"members": selectors.member_list_for_staff(practice=_practice(request))},
    )


@require_POST
@member_required(Perm.MODERATE)
def member_suspend(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.member_get_for_staff(practice=_practice(request), member_id=member_id)
    if request.POST.get("action") == "reinstate":
        services.member_reinstate(member=member, actor=request.user, ip=client_ip(request))
    else:
        services.member_suspend(member=member, actor=request.user, ip=client_ip(request))
    return redirect("community:members")


@require_POST
@member_required(Perm.MODERATE)
def thread_pin(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = selectors.thread_get_for_staff(practice=_practice(request), thread_id=thread_id)
    form = forms.PinForm(request.POST)
    form.is_valid()
    services.thread_pin(
        thread=thread,
        actor=request.user,
        pinned=form.cleaned_data.get("pinned", False),
        topic_of_week=form.cleaned_data.get("topic_of_week", False),
    )
    return redirect("community:forums")


@member_required(Perm.MODERATE)
def forums(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    form = forms.ForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_create(practice=practice, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:forums")
    forum_list = selectors.forum_list_for_staff(practice=practice)
    return TemplateResponse(
        request,
        "community/manage/forums.html",
        {"forums": forum_list, "form": form, "meeting_form": forms.MeetingForm()},
    )


@require_POST
@member_required(Perm.MODERATE)
def meeting_add(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for_staff(practice=_practice(request), forum_id=forum_id)
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_add(forum=forum, actor=request.user, **form.cleaned_data)
            messages.success(request, "Meeting added.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Give the meeting's start, mode and place or link.")
    return redirect("community:forums")


@member_required(Perm.PUBLISH)
def profiles(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    form = forms.ProfileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinician_profile_create(
                practice=practice, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:profiles")
    return TemplateResponse(
        request,
        "community/manage/profiles.html",
        {"profiles": selectors.profile_list_for_staff(practice=practice), "form": form},
    )


@member_required(Perm.PUBLISH)
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    practice = _practice(request)
    profile = selectors.profile_get_for_staff(practice=practice, profile_id=profile_id)
    form = forms.ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinician_profile_update(
                profile=profile, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:profiles")
    return TemplateResponse(
        request, "community/manage/profile_edit.html", {"profile": profile, "form": form}
    )


@member_required(Perm.PUBLISH)
def blog(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    form = forms.BlogForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.blog_entry_publish(practice=practice, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:blog")
    return TemplateResponse(
        request,
        "community/manage/blog.html",
        {"entries": selectors.blog_list_for_staff(practice=practice), "form": form},
    )


@require_POST
@member_required(Perm.PUBLISH)
def blog_unpublish(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.blog_get_for_staff(practice=_practice(request), entry_id=entry_id)
    services.blog_entry_unpublish(entry_id=entry.pk, actor=request.user)
    return redirect("community:blog")


@member_required(Perm.PUBLISH)
def events(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_create(practice=practice, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:events")
    return TemplateResponse(
        request,
        "community/manage/events.html",
        {"events": selectors.event_list_for_staff(practice=practice), "form": form},
    )


@member_required(Perm.PUBLISH)
def boards(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    form = forms.BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_create(practice=practice, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:boards")
    return TemplateResponse(
        request,
        "community/manage/boards.html",
        {
            "boards": selectors.board_list_for_staff(practice=practice),
            "form": form,
            "card_form": forms.CardForm(),
        },
    )


@require_POST
@member_required(Perm.PUBLISH)
def board_card_add(request: HttpRequest, board_id: int) -> HttpResponse:
    board = selectors.board_get_for_staff(practice=_practice(request), board_id=board_id)
    form = forms.CardForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.board_card_create(board=board, actor=request.user, **form.cleaned_data)
            messages.success(request, "Card added.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "A card needs a title, an image and its description (alt text).")
    return redirect("community:boards")


@member_required(Perm.ANSWER_QUESTIONS)
def questions(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "community/manage/questions.html",
        {"questions": selectors.question_list_for_staff(practice=_practice(request))},
    )


@member_required(Perm.ANSWER_QUESTIONS)
def question_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    practice = _practice(request)
    question = selectors.question_get_for_staff(practice=practice, question_id=question_id)
    form = forms.AnswerForm(request.POST or None)
    blocked = None
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_publish(
                membership=request.membership,  # type: ignore[attr-defined]
                question=question,
                body=form.cleaned_data["body"],
                ip=client_ip(request),
            )
        except services.GuardBlocked as exc:
            blocked = exc.result
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Answer published.")
            return redirect("community:questions")
    return TemplateResponse(
        request,
        "community/manage/question_answer.html",
        {"question": question, "form": form, "blocked": blocked, "site_slug": practice.slug},
        status=422 if blocked else 200,
    )


@member_required(Perm.COMPOSE)
def inbox(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    return TemplateResponse(
        request,
        "community/manage/messages.html",
        {
            "messages_list": selectors.message_list_for_staff(
                practice=_practice(request), state=state
            ),
            "state": state,
        },
    )


@member_required(Perm.COMPOSE)
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    practice = _practice(request)
    message = selectors.message_get_for_staff(practice=practice, message_id=message_id)
    if request.method == "POST":
        if "state" in request.POST:
            form = forms.StateForm(request.POST)
            if form.is_valid():
                services.message_set_state(
                    message=message, actor=request.user, state=form.cleaned_data["state"]
                )
        else:
            form = forms.AssignForm(request.POST)
            if form.is_valid():
                assignee_id = form.cleaned_data["assignee"]
                team = selectors.team_list(practice=practice)
                match = next((m for m in team if m.user_id == assignee_id), None)
                if assignee_id and match is None:
                    messages.error(request, "Choose someone on the practice's team.")
                    return redirect("community:message", message_id=message.pk)
                try:
                    services.message_assign(
                        message=message,
                        actor=request.user,
                        assignee=match.user if match else None,
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
        return redirect("community:message", message_id=message.pk)
    team = selectors.team_list(practice=practice)
    return TemplateResponse(
        request,
        "community/manage/message.html",
        {"message": message, "team": team, "states": forms.StateForm.base_fields["state"].choices},
    )


@member_required(Perm.MODERATE)
def challenges(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    form = forms.ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_create(practice=practice, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("community:challenges")
    items = [
        (c, selectors.challenge_summary(challenge=c))
        for c in selectors.challenge_list(practice=practice)
    ]
    return TemplateResponse(
        request, "community/manage/challenges.html", {"items": items, "form": form}
    )


@member_required(Perm.MANAGE_TEAM)
def peer_invite(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    clinicians = [m for m in selectors.team_list(practice=practice) if m.can(Perm.PEER_SPACE)]
    form = forms.PeerInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = next((m for m in clinicians if m.pk == data["membership"]), None)
        if membership is None:
            form.add_error("membership", "Choose a clinician of this practice.")
        else:
            try:
                services.peer_invite(
                    practice=practice,
                    actor=request.user,
                    membership=membership,
                    npi=data["npi"],
                    specialty=data["specialty"],
                    interests=data["interests"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Verified into the peer space.")
                return redirect("community:peer_invite")
    return TemplateResponse(
        request,
        "community/manage/peer_invite.html",
        {"form": form, "clinicians": clinicians},
        status=400 if form.errors else 200,
    )


@member_required(Perm.PUBLISH)
def stories(request: HttpRequest) -> HttpResponse:
    practice = _practice(request)
    return TemplateResponse(
        request,
        "community/manage/stories.html",
        {
            "stories": selectors.story_list_for_staff(practice=practice),
            "consents": selectors.consent_choices(practice=practice),
        },
    )


@require_POST
@member_required(Perm.PUBLISH)
def story_action(request: HttpRequest, story_id: int) -> HttpResponse:
    practice = _practice(request)
    story = selectors.story_get_for_staff(practice=practice, story_id=story_id)
    if request.POST.get("action") == "unpublish":
        services.story_unpublish(
            story=story, actor=request.user, reason="staff", ip=client_ip(request)
        )
        return redirect("community:stories")
    form = forms.StoryPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the consent that covers this story.")
        return redirect("community:stories")
    consent = selectors.consent_get_for_staff(
        practice=practice, consent_id=form.cleaned_data["consent"]
    )
    try:
        services.story_publish(
            membership=request.membership,  # type: ignore[attr-defined]
            story=story,
            consent=consent,
            ip=client_ip(request),
        )
    except services.GuardBlocked as exc:
        cats = ", ".join(sorted({f["category"] for f in exc.result.findings}))
        messages.error(request, f"The compliance guard blocked this story ({cats}).")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Story published.")
    return redirect("community:stories")
