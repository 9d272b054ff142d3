"""One error shape for the whole API: `{"detail": "<message>"}`.

Invalid input (422) adds `errors`, one entry per problem naming the field, so a client can show
the message next to the right input. The middleware gives the same shape to the answers Django
produces outside ninja (an unknown path under /api/, a method the path does not accept, and the
500 page should anything ever crash).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

API_PREFIX = "/api/"


class FieldErrorOut(Schema):
    """One invalid input."""

    field: str = Field(
        description="Dotted name of the offending input, e.g. `page` or `status`.",
        examples=["status"],
    )
    location: str = Field(
        description="Where it was sent: `query`, `path`, `body` or `header`.", examples=["body"]
    )
    message: str = Field(examples=["Input should be 'done', 'in_progress', 'skipped' or 'none'"])


class ErrorOut(Schema):
    """Every error answer of the API."""

    detail: str = Field(description="What went wrong, for people.", examples=["Not found."])


class ValidationErrorOut(ErrorOut):
    """Invalid input: `detail` summarises, `errors` names each field."""

    errors: list[FieldErrorOut] = Field(description="One entry per problem.")


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    loc = [str(part) for part in error.get("loc", ())]
    location = loc[0] if loc else "body"
    parts = loc[1:]
    # ninja nests a body under the view argument's name ("payload"); clients never see that name.
    if location == "body" and parts and parts[0] == "payload":
        parts = parts[1:]
    # pydantic marks a bad dict key with a trailing "[key]"; the key itself already names it.
    if parts and parts[-1] == "[key]":
        parts = parts[:-1]
    return {
        "field": ".".join(parts) or location,
        "location": location,
        "message": str(error.get("msg", "Invalid value.")),
    }


def validation_errors_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    field_errors = [_field_error(error) for error in errors]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in field_errors[:5])
    return {"detail": f"Invalid input. {summary}".strip(), "errors": field_errors}


def install_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, validation_errors_body(exc.errors), status=422)

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = exc.message
        if detail == "Unauthorized":  # ninja's default when no credentials matched
            detail = "Authentication required: sign in, or send Authorization: Bearer <token>."
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = api.create_response(
            request, {"detail": "Too many requests: slow down and retry later."}, status=429
        )
        # ninja's throttles add Retry-After themselves; a Throttled raised elsewhere (failed
        # token attempts) carries its wait.
        if exc.wait is not None:
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = exc.message
        if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail = "The request body must be a JSON object, sent as application/json."
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return api.create_response(
            request, {"detail": f"The request body is larger than {limit} bytes."}, status=413
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) if exc.args and isinstance(exc.args[0], str) else ""
        # get_object_or_404's message names a model class; our own raise Http404("...") texts
        # are written for clients.
        if not message or "matches the given query" in message:
            message = "Not found."
        return api.create_response(request, {"detail": message}, status=404)


class ApiErrorShapeMiddleware:
    """Under /api/, turn Django's own HTML/plain 404, 405 and 500 answers into
    `{"detail": ...}`."""

    MESSAGES = {404: "Not found.", 405: "Method not allowed.", 500: "Internal server error."}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code in self.MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            detail = self.MESSAGES[response.status_code]
            allowed = ""
            if response.has_header("Allow"):
                # ninja builds Allow from a set; a stable order keeps answers cacheable.
                allowed = ", ".join(sorted(m.strip() for m in response["Allow"].split(",")))
                detail = f"{detail[:-1]}. Allowed: {allowed}."
            shaped = JsonResponse({"detail": detail}, status=response.status_code)
            if allowed:
                shaped["Allow"] = allowed
            return shaped
        return response
