"""Slow down password guessing: too many failed sign-ins get 429 (Flask-Limiter).

Failed sign-ins are counted per client address (the real one: server.proxies)
twice over: per account at that address, so that guessing from one place cannot
lock the account's owner out from another, and across every account, so that
one address cannot try a password against everybody (password spraying). The
counts live in memory, or in Redis when WOLFPACK_REDIS_URL is set, so that every
instance counts together.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter, RequestLimit

from server.accounts import normalise_email
from server.config import Settings
from server.errors import error_response
from server.proxies import client_key

PER_ACCOUNT = "10 per 15 minutes"  # failed sign-ins to one account from one address
PER_ADDRESS = "50 per 15 minutes"  # failed sign-ins from one address, any account
SIGN_IN = "auth.login"
PASSWORD_CHANGE = "passwords.change"  # noqa: S105 - an endpoint, guessed by thieves


def protect_sign_in(app: Flask, settings: Settings) -> Limiter:
    """Limit failed sign-ins, and wrong current passwords given to change one."""
    limiter = Limiter(
        key_func=client_address,
        app=app,
        storage_uri=settings.bounded_redis_url() or "memory://",
        key_prefix=f"{settings.socketio_channel}:sign-in",
        strategy="moving-window",
        on_breach=_refuse,
        # Redis down: count in this process meanwhile rather than refuse sign-ins.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    view: Callable[..., Any] = app.view_functions[SIGN_IN]
    limits = ((PER_ACCOUNT, _account_at_address), (PER_ADDRESS, client_address))
    for limit, key in limits:
        view = limiter.limit(limit, key_func=key, deduct_when=_failed)(view)
    app.view_functions[SIGN_IN] = view
    change: Callable[..., Any] = app.view_functions[PASSWORD_CHANGE]
    app.view_functions[PASSWORD_CHANGE] = limiter.limit(
        PER_ACCOUNT, key_func=_password_change_at_address, deduct_when=_wrong
    )(change)
    app.extensions["sign_in_limiter"] = limiter
    return limiter


def forget_failures() -> None:
    """Forget this account's failures at this address (its owner just got in)."""
    limiter: Limiter = current_app.extensions["sign_in_limiter"]
    for found in limiter.current_limits:
        if _account_at_address() in found.request_args:
            limiter.limiter.clear(found.limit, *found.request_args)


def client_address() -> str:
    """Return the client's address (behind a trusted proxy, the one it saw).

    IPv6 addresses count by their /64 (see ``proxies.client_key``).
    """
    return client_key(request.remote_addr)


def _account_at_address() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    account = normalise_email(email) if isinstance(email, str) else ""
    return f"{account}@{client_address()}"


def _password_change_at_address() -> str:
    return f"password-change@{client_address()}"


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _wrong(response: Response) -> bool:
    return response.status_code == 403


def _refuse(limit: RequestLimit) -> Response:
    wait = max(1, math.ceil(limit.window[0] - time.time()))
    return error_response(
        429,
        "rate_limited",
        "Too many wrong passwords; try again in "
        f"{math.ceil(wait / 60)} minute{'s' if wait > 60 else ''}.",
        headers={"Retry-After": str(wait)},
    )
