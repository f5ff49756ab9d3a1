"""What /api/openapi.json states beyond each field's own type, bounds and pattern."""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import fields

from server.api.patterns import STORABLE


class SchemaRulesPlugin(BasePlugin):
    """Add a schema's rules across its fields (its ``OPENAPI``) to its component.

    JSON Schema can say some of them (``oneOf`` by kind, say); rules it cannot say
    are written in the schema's description, and answered 409 by the write side.
    """

    def schema_helper(
        self, name: str, definition: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any] | None:
        """Return the schema class's extra JSON Schema keywords, if it has any."""
        schema = kwargs.get("schema")
        if schema is None:
            return None
        return dict(getattr(resolve_schema_cls(schema), "OPENAPI", {}))


def storable_text(
    self: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """State that text holds no NUL, on every string that states nothing stricter.

    The input guard refuses NUL in any request (PostgreSQL text cannot hold it);
    this is where the document says so, once for every field.
    """
    if not isinstance(field, fields.String) or {"pattern", "format", "enum"} & set(ret):
        return {}
    return {"pattern": STORABLE}
