"""Health challenges on the practice site: list, detail with leaderboard, join, log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bedside.community import forms, selectors, services
from bedside.community.sitecache import cached_site_page
from bedside.community.views.members import _ctx, _member_or_login


@cached_site_page(anonymous_only=True)
def challenges(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    return TemplateResponse(
        request,
        "community/site/challenges.html",
        _ctx(request, practice, member, challenges=selectors.challenge_list(practice=practice)),
    )


@cached_site_page(anonymous_only=True)
def challenge(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member = selectors.member_for(user=request.user, practice=practice)
    the_challenge = selectors.challenge_get(practice=practice, slug=challenge_slug)
    entry = selectors.challenge_entry_for(challenge=the_challenge, member=member)
    return TemplateResponse(
        request,
        "community/site/challenge.html",
        _ctx(
            request,
            practice,
            member,
            challenge=the_challenge,
            entry=entry,
            leaderboard=selectors.challenge_leaderboard(challenge=the_challenge),
            join_form=forms.JoinChallengeForm(),
            progress_form=forms.ProgressForm(),
            og_title=f"{the_challenge.title} · {practice.name}",
        ),
    )


@require_POST
def challenge_join(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    the_challenge = selectors.challenge_get(practice=practice, slug=challenge_slug)
    form = forms.JoinChallengeForm(request.POST)
    form.is_valid()
    services.challenge_join(
        member=member,
        challenge=the_challenge,
        on_leaderboard=form.cleaned_data.get("on_leaderboard", False),
    )
    messages.success(request, "You're in! Log your progress below.")
    return redirect("site:challenge", slug=practice.slug, challenge_slug=the_challenge.slug)


@require_POST
def challenge_log(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    practice = selectors.practice_for_site(slug=slug)
    member, redirect_response = _member_or_login(request, practice)
    if redirect_response:
        return redirect_response
    the_challenge = selectors.challenge_get(practice=practice, slug=challenge_slug)
    form = forms.ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.challenge_log(member=member, challenge=the_challenge, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Progress logged.")
    else:
        messages.error(request, "Give a day and an amount.")
    return redirect("site:challenge", slug=practice.slug, challenge_slug=the_challenge.slug)
