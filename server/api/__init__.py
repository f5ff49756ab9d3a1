"""The REST API under /api/v1, documented as OpenAPI at /api/openapi.json."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, Response
from flask_smorest import Api, Blueprint
from werkzeug.exceptions import HTTPException

from server.api import (
    achievements,
    admin_log,
    auth,
    badges,
    charter,
    commitments,
    deal_reviews,
    endorsements,
    feed,
    health,
    imports,
    invitations,
    leaderboards,
    mentorships,
    passwords,
    preferences,
    recognitions,
    reliability,
    reviews,
    scoring_rules,
    screens,
    targets,
    team_screen,
    teams,
    territory_plans,
    tokens,
    users,
)
from server.api.openapi import SchemaRulesPlugin, storable_text
from server.api.schemas import ErrorSchema
from server.errors import handle_http_exception


class WolfpackApi(Api):
    """flask-smorest's Api, answering errors with the uniform body.

    Blueprints are documented when the OpenAPI document is first read, not as
    they are registered: that took 0.16 s of the 0.43 s an app took to start,
    and most apps (workers, the suite's thousands) never serve the document.
    """

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app: Flask, **kwargs: Any) -> None:
        self._undocumented: list[tuple[Blueprint, str, Any]] = []
        self._documenting = threading.Lock()
        super().__init__(app, **kwargs)
        as_dict = self.spec.to_dict

        def documented() -> dict[str, Any]:
            self._document_blueprints()
            return as_dict()

        self.spec.to_dict = documented

    def register_blueprint(
        self, blp: Blueprint, *, parameters: Any = None, **options: Any
    ) -> None:
        """Register the blueprint's views now, and its documentation for later."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _document_blueprints(self) -> None:
        with self._documenting:
            for blp, name, parameters in self._undocumented:
                blp.register_views_in_doc(
                    self, self._app, self.spec, name=name, parameters=parameters
                )
                self.spec.tag({"name": name, "description": blp.description})
            self._undocumented.clear()

    def handle_http_exception(self, error: HTTPException) -> Response:
        """Answer with the uniform error body instead of flask-smorest's own."""
        return handle_http_exception(error)


def init_api(app: Flask) -> WolfpackApi:
    """Register every API blueprint and the OpenAPI document."""
    app.config.update(
        API_TITLE="Wolfpack",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = WolfpackApi(
        app,
        spec_kwargs={
            "info": {
                "description": "Commitments, recognition and accountability for "
                "sales teams, on an event-sourced record."
            },
            "extra_plugins": [SchemaRulesPlugin()],
        },
    )
    api.ma_plugin.converter.add_attribute_function(storable_text)
    api.spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (
        auth,
        users,
        passwords,
        tokens,
        teams,
        commitments,
        targets,
        charter,
        scoring_rules,
        recognitions,
        deal_reviews,
        endorsements,
        achievements,
        mentorships,
        reviews,
        territory_plans,
        feed,
        leaderboards,
        badges,
        preferences,
        reliability,
        screens,
        team_screen,
        admin_log,
        invitations,
        imports,
    ):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
    app.register_blueprint(health.blp)
    return api
