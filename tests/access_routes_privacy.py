"""Access-matrix routes of privacy rights: one's own data export and account deletion.

Every signed-in persona may see and use these pages for their own account only (there is no
object to reach for someone else); the goodbye page after a deletion is public.
"""

from __future__ import annotations

from tests.access_support import OK, Route, expect
from tests.conftest import PERSONAS

ROUTES: dict[str, Route] = {
    "privacy_home": Route(lambda w: {}, expect(OK)),
    "privacy_export": Route(lambda w: {}, expect(OK), method="post"),
    # A GET: posting without the password and the export box only shows the form again.
    "privacy_delete": Route(lambda w: {}, expect(OK)),
    "privacy_deleted": Route(lambda w: {}, {persona: OK for persona in PERSONAS}),
}
