from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import EDITORS_GROUP, User


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
    return user
