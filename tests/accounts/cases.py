from bedside.accounts.permissions import Perm
from tests.url_cases import UrlCase


def _target(w):
    return w.personas["viewer"].pk


def _token(w):
    from bedside.accounts.services import api_token_create

    if "token" not in w.objects:
        w.objects["token"], _ = api_token_create(membership=w.personas["owner"], name="owner's")
    return w.objects["token"].pk


CASES = [
    UrlCase("accounts:settings", lambda w: "/settings/"),
    UrlCase(
        "accounts:practice_settings", lambda w: "/settings/practice/", perm=Perm.MANAGE_SETTINGS
    ),
    UrlCase("accounts:team", lambda w: "/settings/team/"),
    UrlCase(
        "accounts:member_role",
        lambda w: f"/settings/team/{_target(w)}/role/",
        method="post",
        perm=Perm.MANAGE_TEAM,
        scope="object",
        data=lambda w: {"role": "editor"},
    ),  # fmt: skip
    UrlCase(
        "accounts:member_remove",
        lambda w: f"/settings/team/{_target(w)}/remove/",
        method="post",
        perm=Perm.MANAGE_TEAM,
        scope="object",
    ),  # fmt: skip
    UrlCase(
        "accounts:invitation_accept",
        lambda w: "/invitations/not-a-token/",
        perm=None,
        scope="public",
        reason="token-addressed; an unknown token answers 404 and names nothing",
    ),  # fmt: skip
    UrlCase("accounts:security", lambda w: "/settings/security/"),
    UrlCase(
        "accounts:token_create",
        lambda w: "/settings/security/tokens/",
        method="post",
        data=lambda w: {"name": "x"},
    ),
    # Tokens are personal: the owner may revoke anyone's (team managers), others get 404 for
    # tokens that are not theirs; the outsider too.
    UrlCase(
        "accounts:token_revoke",
        lambda w: f"/settings/security/tokens/{_token(w)}/revoke/",
        method="post",
        perm=Perm.MANAGE_TEAM,
        scope="object",
        denied=404,
    ),  # fmt: skip
    UrlCase(
        "accounts:sign_out_everywhere",
        lambda w: "/settings/security/sign-out-everywhere/",
        method="post",
    ),
    UrlCase(
        "accounts:mfa_required",
        lambda w: "/settings/security/two-factor-required/",
        perm=None,
        scope="public",
        reason="explains the MFA rule; shows no practice data",
    ),  # fmt: skip
    UrlCase("api:me", lambda w: "/api/v1/me", api=True),
    UrlCase("api:practice_get", lambda w: "/api/v1/practice", api=True),
    UrlCase(
        "api:practice_patch",
        lambda w: "/api/v1/practice",
        api=True,
        method="patch",
        perm=Perm.MANAGE_SETTINGS,
        data=lambda w: {"phone": "(217) 555-0199"},
    ),  # fmt: skip
]
