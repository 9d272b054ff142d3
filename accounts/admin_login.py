"""Brute-force limits on the admin's own sign-in form (/admin/login/).

Staff accounts are the valuable ones, and Django's admin login has no limit of its own (the site's
sign-in has allauth's). Failed attempts are counted per address and per account name
(`ADMIN_LOGIN_ADDRESS_RATE`, `ADMIN_LOGIN_ACCOUNT_RATE`); once either is used up the form is
refused with 429 *before* the password is checked, so a guess that happens to be right after many
wrong ones does not sign in either. The per-account limit lets anyone delay one editor's admin
sign-in for a window; the editor can still sign in on the site (editors have a verified address)
and open the admin from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.api_throttle import client_ip
from common.ratelimit import failure_record, failures_wait

LoginView = Callable[..., HttpResponse]


def admin_login_limited(login_view: LoginView) -> LoginView:
    @wraps(login_view)
    def view(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method != "POST":
            return login_view(request, extra_context)
        address = client_ip(request)
        account = str(request.POST.get("username", "")).strip().lower()[:254]
        address_rate = settings.ADMIN_LOGIN_ADDRESS_RATE
        account_rate = settings.ADMIN_LOGIN_ACCOUNT_RATE
        waits = [failures_wait("admin-login-address", address, address_rate)]
        if account:
            waits.append(failures_wait("admin-login-account", account, account_rate))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            response = render(request, "accounts/admin_login_limited.html", status=429)
            response["Retry-After"] = str(math.ceil(wait))
            return response
        response = login_view(request, extra_context)
        # The admin answers a failed attempt with the form again (200), a success with a redirect.
        if response.status_code == 200:
            failure_record("admin-login-address", address, address_rate)
            if account:
                failure_record("admin-login-account", account, account_rate)
        return response

    return view
