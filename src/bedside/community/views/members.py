"""Community pages on the practice site: join, forums, threads, Q&A, messages, challenges.

These show member-specific things (members-only forums, one's own held posts,
forms), so they are not whole-page cached; the thread page caches its post list.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from bedside.accounts.access import client_ip
from bedside.community import forms, selectors, services
from bedside.community.models import Question
from bedside.community.sitecache import LocalLRU, cached_site_page
from bedside.core.forms import add_service_errors

CSRF_MARK = "__bedside_csrf__"
FRAGMENTS = LocalLRU(256)  # rendered post lists, per thread version


def _ctx(request: HttpRequest, practice, member, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        "practice": practice,
        "member": member,
        # Pages a signed-out visitor sees are cached whole: render nothing per-visitor.
        "cacheable": not request.user.is_authenticated,
        "site_base": f"/p/{practice.slug}/",
        "og_title": extra.pop("og_title", practice.name),
        "og_description": practice.description or practice.name,
        **extra,
    }


def _member_or_login(request: HttpRequest, practice):  # type: ignore[no-untyped-def]
    """The viewer's active member record here; sign-in first, 403 if not an active member."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    member = selectors.member_for(user=request.user, practice=practice)
    if member is None or not member.can_post:
        raise PermissionDenied("Join this practice's community (and confirm your e-mail) first.")
    return member, None


def join(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_register(
                practice=practice,
                base_url=request.build_absolute_uri("/"),
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return TemplateResponse(
                request,
                "community/site/join_sent.html",
                _ctx(request, practice, None, email=form.cleaned_data["email"]),
            )
    return TemplateResponse(
        request, "community/site/join.html", _ctx(request, practice, None, form=form)
    )


def verify(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    try:
        member, newly_verified = services.member_verify_email(token=token)
    except (signing.BadSignature, LookupError):
        return TemplateResponse(
            request,
            "community/site/verify_failed.html",
            _ctx(request, practice, None),
            status=400,
        )
    if member.practice_id != practice.pk:
        raise Http404
    if not newly_verified:  # a used link is not a way to sign in
        messages.info(request, "Your e-mail was already confirmed; please sign in.")
        return redirect(f"{reverse('account_login')}?next=/p/{practice.slug}/community/")
    if not request.user.is_authenticated:
        login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome, {member.display_name}! Your e-mail is confirmed.")
    return redirect("site:community", slug=practice.slug)


@cached_site_page(anonymous_only=True)
def community(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    return TemplateResponse(
        request,
        "community/site/community.html",
        _ctx(
            request,
            practice,
            member,
            forums=selectors.forum_list_for(practice=practice, member=member),
            topic=selectors.topic_of_week(practice=practice),
            og_title=f"Community · {practice.name}",
        ),
    )


@cached_site_page(anonymous_only=True)
def forum(request: HttpRequest, slug: str, forum_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    the_forum = selectors.forum_get_for(practice=practice, slug=forum_slug, member=member)
    return TemplateResponse(
        request,
        "community/site/forum.html",
        _ctx(
            request,
            practice,
            member,
            forum=the_forum,
            threads=selectors.thread_list(forum=the_forum, member=member)[:100],
            meetings=the_forum.meetings.filter(starts_at__gte=timezone.now()),
            og_title=f"{the_forum.title} · {practice.name}",
        ),
    )


def _confirmed(request: HttpRequest, form) -> dict:  # type: ignore[no-untyped-def]
    """The form's data; the digest of the warned text counts only with the box ticked."""
    data = dict(form.cleaned_data)
    if not request.POST.get("confirm_disclosure"):
        data["confirmed_digest"] = ""
    return data


def _warning_context(exc: services.DisclosureWarning, form) -> dict:  # type: ignore[no-untyped-def]
    data = form.data.copy()
    data["confirmed_digest"] = exc.digest
    form.data = data
    return {"warning": exc.result, "findings": exc.result.findings}


def thread_new(request: HttpRequest, slug: str, forum_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    the_forum = selectors.forum_get_for(practice=practice, slug=forum_slug, member=member)
    form = forms.ThreadForm(request.POST or None)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                member=member, forum=the_forum, ip=client_ip(request), **_confirmed(request, form)
            )
        except services.DisclosureWarning as exc:
            extra = _warning_context(exc, form)
        except services.PostingRateLimited as exc:
            form.add_error(None, f"You can post {exc.limit} times per {exc.minutes} minutes.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if thread.status == "held":
                messages.info(request, "Thanks! New members' first posts are reviewed first.")
            return redirect("site:thread", slug=practice.slug, thread_id=thread.pk)
    return TemplateResponse(
        request,
        "community/site/thread_new.html",
        _ctx(request, practice, member, forum=the_forum, form=form, **extra),
    )


def _post_list_html(request: HttpRequest, slug: str, thread, interactive: bool) -> str:  # type: ignore[no-untyped-def]
    """The thread's visible posts, rendered once per thread version (in this process's memory);
    the member's CSRF token is put in afterwards."""
    key = ("thread-posts", thread.pk, int(interactive))
    hit = FRAGMENTS.get(key)
    if hit is not None and hit[0] == thread.version:
        html = hit[1]
    else:
        html = render_to_string(
            "community/site/_posts.html",
            {
                "posts": selectors.post_list(thread=thread),
                "interactive": interactive,
                "csrf_mark": CSRF_MARK,
                "slug": slug,
                "reasons": forms.ReportForm.base_fields["reason"].choices,
                "kinds": forms.ReactionForm.base_fields["kind"].choices,
            },
        )
        FRAGMENTS.put(key, (thread.version, html))
    if interactive:
        html = html.replace(CSRF_MARK, get_token(request))
    return html


@cached_site_page(anonymous_only=True)
def thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    the_thread = selectors.thread_get_for(practice=practice, thread_id=thread_id, member=member)
    interactive = member is not None and member.can_post
    form = forms.ReplyForm(request.POST or None)
    extra: dict = {}
    if request.method == "POST":
        if not interactive:
            raise PermissionDenied("Join the community to reply.")
        if form.is_valid():
            try:
                post = services.post_reply(
                    member=member,
                    thread=the_thread,
                    ip=client_ip(request),
                    **_confirmed(request, form),
                )
            except services.DisclosureWarning as exc:
                extra = _warning_context(exc, form)
            except services.PostingRateLimited as exc:
                form.add_error(None, f"You can post {exc.limit} times per {exc.minutes} minutes.")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if post.status == "held":
                    messages.info(request, "Thanks! New members' first posts are reviewed first.")
                return redirect("site:thread", slug=practice.slug, thread_id=the_thread.pk)
    return TemplateResponse(
        request,
        "community/site/thread.html",
        _ctx(
            request,
            practice,
            member,
            thread=the_thread,
            posts_html=mark_safe(_post_list_html(request, practice.slug, the_thread, interactive)),  # noqa: S308 — rendered by our template from sanitised HTML
            held=selectors.own_held_posts(thread=the_thread, member=member),
            form=form,
            interactive=interactive,
            og_title=the_thread.title,
            **extra,
        ),
    )


@require_POST
def react(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    post = selectors.post_get_for_member(practice=practice, post_id=post_id, member=member)
    form = forms.ReactionForm(request.POST)
    if form.is_valid():
        services.reaction_toggle(member=member, post=post, kind=form.cleaned_data["kind"])
    return redirect(f"/p/{practice.slug}/threads/{post.thread_id}/#post-{post.pk}")


@require_POST
def report(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    post = selectors.post_get_for_member(practice=practice, post_id=post_id, member=member)
    form = forms.ReportForm(request.POST)
    if form.is_valid():
        services.post_report(member=member, post=post, reason=form.cleaned_data["reason"])
        messages.success(request, "Thank you — a moderator will look at this post.")
    return redirect("site:thread", slug=practice.slug, thread_id=post.thread_id)


@cached_site_page(anonymous_only=True)
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    return TemplateResponse(
        request,
        "community/site/questions.html",
        _ctx(
            request,
            practice,
            member,
            questions=selectors.question_list_public(practice=practice)[:50],
            og_title=f"Questions · {practice.name}",
        ),
    )


def question_ask(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                member=member, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if question.status == Question.Status.HELD:
                return TemplateResponse(
                    request,
                    "community/site/question_held.html",
                    _ctx(
                        request,
                        practice,
                        member,
                        question=question,
                        form=forms.MessageForm(
                            initial={
                                "subject": question.title,
                                "body": question.body,
                                "question_id": question.pk,
                            }
                        ),
                    ),
                )
            return redirect("site:question", slug=practice.slug, question_id=question.pk)
    return TemplateResponse(
        request, "community/site/question_ask.html", _ctx(request, practice, member, form=form)
    )


@cached_site_page(anonymous_only=True)
def question(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    the_question = selectors.question_get_public(
        practice=practice, question_id=question_id, member=member
    )
    return TemplateResponse(
        request,
        "community/site/question.html",
        _ctx(
            request,
            practice,
            member,
            question=the_question,
            answers=the_question.answers.all(),
            og_title=the_question.title if the_question.status != "held" else practice.name,
        ),
    )


def message_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.message_send(
                member=member,
                subject=data["subject"],
                body=data["body"],
                from_question_id=data.get("question_id"),
                ip=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your message was sent privately to the practice.")
            return redirect("site:community", slug=practice.slug)
    return TemplateResponse(
        request, "community/site/message_new.html", _ctx(request, practice, member, form=form)
    )


def story_submit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    form = forms.StoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_submit(member=member, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Thank you for sharing! Your story stays private until you sign a consent "
                "and the practice publishes it.",
            )
            return redirect("site:community", slug=practice.slug)
    return TemplateResponse(
        request, "community/site/story_submit.html", _ctx(request, practice, member, form=form)
    )
