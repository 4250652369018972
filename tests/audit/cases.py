from bedside.accounts.permissions import Perm
from tests.url_cases import UrlCase

CASES = [UrlCase("audit:log", lambda w: "/audit/", perm=Perm.VIEW_AUDIT)]
