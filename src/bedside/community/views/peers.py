"""The peer space: verified clinicians of any practice; de-identified cases only."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from bedside.accounts.access import member_required
from bedside.accounts.permissions import Perm
from bedside.community import forms, selectors, services
from bedside.core.forms import add_service_errors


def peer_required(view):  # type: ignore[no-untyped-def]
    """A clinician role (Perm.PEER_SPACE) and a verified, unrevoked peer profile."""

    @member_required(Perm.PEER_SPACE)
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        peer = selectors.peer_for(user=request.user)
        if peer is None:
            raise PermissionDenied("The peer space is for clinicians verified by their practice.")
        request.peer = peer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


@peer_required
def home(request: HttpRequest) -> HttpResponse:
    specialty = request.GET.get("specialty", "")
    interest = request.GET.get("interest", "")
    return TemplateResponse(
        request,
        "community/peers/home.html",
        {
            "peers": selectors.peer_directory(specialty=specialty, interest=interest)[:200],
            "specialties": selectors.peer_specialties(),
            "specialty": specialty,
            "interest": interest,
            "cases": selectors.peer_thread_list(kind="case")[:20],
            "questions": selectors.peer_thread_list(kind="question")[:20],
        },
    )


@peer_required
def thread_new(request: HttpRequest) -> HttpResponse:
    form = forms.PeerThreadForm(request.POST or None)
    blocked = None
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.peer_thread_start(peer=request.peer, **form.cleaned_data)  # type: ignore[attr-defined]
        except services.GuardBlocked as exc:
            blocked = exc.result
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("peers:thread", thread_id=thread.pk)
    return TemplateResponse(
        request,
        "community/peers/thread_new.html",
        {"form": form, "blocked": blocked},
        status=422 if blocked else 200,
    )


@peer_required
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    the_thread = selectors.peer_thread_get(thread_id=thread_id)
    form = forms.PeerReplyForm(request.POST or None)
    blocked = None
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_reply(
                peer=request.peer, thread=the_thread, body=form.cleaned_data["body"]
            )  # type: ignore[attr-defined]
        except services.GuardBlocked as exc:
            blocked = exc.result
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("peers:thread", thread_id=the_thread.pk)
    return TemplateResponse(
        request,
        "community/peers/thread.html",
        {
            "thread": the_thread,
            "posts": the_thread.posts.select_related("author"),
            "form": form,
            "blocked": blocked,
        },
        status=422 if blocked else 200,
    )
