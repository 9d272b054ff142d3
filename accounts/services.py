from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.exports import registered_exports
from accounts.models import EDITORS_GROUP, USER_COLUMNS, ApiToken, User
from common.model_rows import ModelColumns, rows
from common.row_watch import WATCH

# Raw tokens look like "rmf_<43 url-safe chars>" (256 bits of randomness). The "rmf_" marker lets
# secret scanners recognise a leaked token; the prefix shown in the UI is the first 12 chars.
TOKEN_MARKER = "rmf_"  # noqa: S105 (a public marker, not a secret)
TOKEN_PREFIX_LENGTH = 12
TOKEN_NAME_MAX_LENGTH = 80
MAX_TOKENS_PER_USER = 20
# Writing last_used_at on every request would turn each API read into a write; a minute is
# precise enough for "last used" and caps the writes at one per token per minute.
TOKEN_LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token could not be created; the message is safe to show to the learner."""


@transaction.atomic
def editor_create(*, email: str, password: str, username: str | None = None) -> User:
    """Make (or promote) a staff user in the Editors group, able to curate content only."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, username=username or email.split("@")[0][:150])
        if User.objects.filter(username=user.username).exists():
            user.username = email[:150]
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    # The operator vouches for the address: the editor can sign in on the site too (sign-in
    # requires a verified address), and it is the address that owns the account.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        # allauth keeps addresses lower-cased and looks them up that way.
        defaults={"email": user.email.lower(), "verified": True, "primary": True},
    )
    return user


def _token_hash(raw: str) -> str:
    # A fast hash is right here: the secret is 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a named token for `user`; returns the row and the raw token (shown only once)."""
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, so you can recognise it later.")
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise TokenError(f"Token names are at most {TOKEN_NAME_MAX_LENGTH} characters.")
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise TokenError(f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one first.")
    raw = TOKEN_MARKER + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:TOKEN_PREFIX_LENGTH], secret_hash=_token_hash(raw)
    )
    return token, raw


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user owning the raw token, or None (unknown, revoked, or inactive user)."""
    raw = raw.strip()
    if not raw.startswith(TOKEN_MARKER) or len(raw) > 200:
        return None
    digest = _token_hash(raw)
    for token in _tokens_with_prefix(raw[:TOKEN_PREFIX_LENGTH]):
        if hmac.compare_digest(token.secret_hash, digest):
            if not token.user.is_active:
                return None
            now = timezone.now()
            if token.last_used_at is None or now - token.last_used_at >= TOKEN_LAST_USED_PRECISION:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            return token.user
    return None


TOKEN_COLUMNS = ModelColumns(ApiToken, "t")


def _tokens_with_prefix(prefix: str) -> list[ApiToken]:
    """The tokens starting with `prefix`, each with its user: every token request asks, so the
    rows are read with one short SQL statement (`common.model_rows`) rather than an ORM query,
    and kept per process until PostgreSQL reports a write to them (`common.row_watch`: a token
    created, revoked or used; the user's own row is kept the same way)."""
    if not WATCH.keeping:  # token and user in one statement
        found = rows(  # a token request's first statement: it checks the connection too
            f"SELECT {TOKEN_COLUMNS.sql}, {USER_COLUMNS.sql} FROM {TOKEN_COLUMNS.table} t "  # noqa: S608
            f"JOIN {USER_COLUMNS.table} u ON u.id = t.user_id WHERE t.prefix = %s",
            [prefix],
        )
        tokens = []
        for row in found:
            token = TOKEN_COLUMNS.instance(row[: len(TOKEN_COLUMNS)])
            token.user = USER_COLUMNS.instance(row[len(TOKEN_COLUMNS) :])
            tokens.append(token)
        return tokens
    # Kept apart, as they are written apart (a mark moves the user's progress version).
    found = WATCH.read("token", prefix, lambda: _token_rows(prefix))
    tokens = []
    for row in found:
        token = TOKEN_COLUMNS.instance(row)
        try:
            token.user = User.objects.get(pk=token.user_id)
        except User.DoesNotExist:  # deleted since the tokens were read
            continue
        tokens.append(token)
    return tokens


def _token_rows(prefix: str) -> list[tuple]:
    return rows(  # a token request's first statement: it checks the connection too
        f"SELECT {TOKEN_COLUMNS.sql} FROM {TOKEN_COLUMNS.table} t WHERE t.prefix = %s",  # noqa: S608
        [prefix],
    )


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of `user`'s tokens; False when it does not exist or belongs to someone else."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything we hold about `user`, as JSON-able data (never secrets or OAuth tokens)."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    data: dict[str, Any] = {
        "format": "roadmapfinder-export/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "is_profile_public": user.is_profile_public,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_editor": user.is_editor,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "connected_accounts": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "connected_at": account.date_joined.isoformat(),
                "last_login": account.last_login.isoformat() if account.last_login else None,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("provider", "uid")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            }
            for token in ApiToken.objects.filter(user=user)
        ],
    }
    for name, section in sorted(registered_exports().items()):
        data[name] = section(user)
    return data


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything personal hanging off it.

    Every personal row references the user with on_delete=CASCADE (email addresses, connected
    accounts and their OAuth tokens, API tokens, progress), so deleting the user removes them
    in the same transaction. The caller signs the session out.
    """
    user.delete()


def sessions_clear_expired() -> None:
    """Delete expired sessions: what `manage.py clearsessions` does, for the beat schedule.

    Every anonymous progress mark starts a two-week session row; without this the table only grows.
    """
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
