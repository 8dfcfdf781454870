"""Building blocks of the OpenAPI document's operations, shared by its parts."""

from typing import Any

from tamatch.api.openapi_schemas import ID, Schema, ref
from tamatch.api.params import MAX_PER_PAGE

PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "description": "Page number, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
    },
    {
        "name": "per_page",
        "in": "query",
        "description": f"Items per page, at most {MAX_PER_PAGE} (default 25).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    },
]


def query(name: str, schema: Schema, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def json_content(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def operation(
    summary: str,
    ok: dict[int, str],
    errors: tuple[int, ...],
    parameters: list | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    """One operation: `ok` maps success codes to a schema name; every error has the Error body."""
    responses: dict[str, Any] = {
        str(code): {"description": summary, "content": json_content(ref(name))}
        for code, name in ok.items()
    }
    for code in (*errors, 401):
        responses[str(code)] = {"$ref": f"#/components/responses/E{code}"}
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if parameters:
        op["parameters"] = parameters
    if body:
        op["requestBody"] = {"required": True, "content": json_content(ref(body))}
    return op


def list_op(summary: str, schema: str, filters: list, forbidden: bool = False) -> dict[str, Any]:
    errors = (400, 403) if forbidden else (400,)
    return operation(summary, {200: f"{schema}Page"}, errors, [*filters, *PAGE_PARAMETERS])


def get_op(summary: str, schema: str, name: str, forbidden: bool = False) -> dict[str, Any]:
    errors = (403, 404) if forbidden else (404,)
    return operation(summary, {200: schema}, errors, [path_id(name)])
