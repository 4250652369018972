from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Bedside is invitation-only: nobody signs up without an invitation link."""

    def is_open_for_signup(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
