"""The account record: each change decided in SQL goes on it once, in order."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from events.account import SYSTEM_ACTOR, Account
from tests.unit.support import head, in_memory

AT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def opened(app, account_id):
    return app.record_admin_change(
        "Account",
        account_id,
        1,
        "Created",
        AT,
        SYSTEM_ACTOR,
        None,
        {"email": "nia@example.com", "name": "Nia", "is_admin": False, "invited": True},
    )


def test_a_change_goes_on_record_once_as_the_version_it_names():
    with in_memory(lambda: AT) as app:
        account_id = uuid4()
        assert opened(app, account_id) is True
        renamed = {"changes": {"name": "Nia Shah"}}
        args = ("Account", account_id, 2, "Updated", AT, SYSTEM_ACTOR, "r1", renamed)

        assert app.record_admin_change(*args) is True
        before = head(app)
        assert app.record_admin_change(*args) is True  # again: already there

        assert head(app) == before
        account = app.repository.get(account_id)
        assert isinstance(account, Account)
        assert (account.version, account.name, account.invited) == (2, "Nia Shah", True)


def test_a_change_waits_for_the_version_before_it():
    with in_memory(lambda: AT) as app:
        account_id = uuid4()
        later = ("Account", account_id, 2, "Deactivated", AT, SYSTEM_ACTOR, None, {})

        assert app.record_admin_change(*later) is False
        assert head(app) == 0
        opened(app, account_id)
        assert app.record_admin_change(*later) is True
        assert app.repository.get(account_id).active is False
