"""The API's OpenAPI 3 document, written from the request's rules (qr_service.fields) and the
gateway's decisions (contract.gateway). `make contract` writes it to website/openapi.json, which is
checked in, served by `make run` and deployed on the site; a test fails when the file is stale.
"""

import json
from pathlib import Path

from contract import gateway
from qr_service import batch, codes, content, errors, keys, names
from qr_service import fields as F

DOCUMENT = Path(__file__).resolve().parent.parent / "website" / "openapi.json"
LICENSE_URL = "https://opensource.org/license/mit"
TAG = "qr"
KEYS_TAG = "keys"


def _schema_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def field_schema(spec: F.Field) -> dict[str, object]:
    """The JSON Schema of one field: what a client generator or a fuzzer needs; the rules between
    fields (capacity, contrast, style minimums) are in the description and the error codes."""
    schema: dict[str, object] = {"description": spec.description, "type": spec.type}
    if spec.choices:
        # The canonical values, so that generated clients get an enum type; the service also takes any letter case.
        schema["enum"] = list(spec.choices)
    elif spec.pattern and spec.extra_choices:
        schema["pattern"] = "^(?:" + spec.pattern[1:-1] + "|" + "|".join(spec.extra_choices) + ")$"
    elif spec.pattern:
        schema["pattern"] = spec.pattern
    for key, value in (
        ("minLength", spec.min_length),
        ("maxLength", spec.max_length),
        ("minimum", spec.minimum),
        ("maximum", spec.maximum),
        ("default", spec.default),
        ("example", spec.example),
    ):
        if value is not None:
            schema[key] = value
    if spec.name == "logo":
        schema["format"] = "byte"
    return schema


def _ref(kind: str, name: str) -> dict[str, object]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _part_schema(part: content.Part) -> dict[str, object]:
    schema: dict[str, object] = {"type": part.type, "description": part.description}
    if part.choices:
        schema["enum"] = list(part.choices)
    if part.pattern:  # an optional part may also be sent empty, as if left out
        schema["pattern"] = part.pattern if part.required else f"^$|{part.pattern}"
    for key, value in (
        ("maxLength", part.max_length),
        ("minimum", part.minimum),
        ("maximum", part.maximum),
        ("default", part.default),
    ):
        if value is not None:
            schema[key] = value
    return schema


def _content_schemas() -> dict[str, object]:
    """`content`: one object schema per type, chosen by `type`, each part from its declaration."""
    kinds: dict[str, object] = {}
    for kind in content.KINDS.values():
        name = f"{_schema_name(kind.name)}Content"
        kinds[name] = {
            "type": "object",
            "description": f"{kind.title}: {kind.standard}.",
            "required": [content.TYPE_FIELD, *(part.name for part in kind.parts if part.required)],
            "additionalProperties": False,
            "properties": {
                content.TYPE_FIELD: {"type": "string", "enum": [kind.name]},
                **{part.name: _part_schema(part) for part in kind.parts},
            },
        }
    refs = {kind: _ref("schemas", f"{_schema_name(kind)}Content") for kind in content.KINDS}
    return {
        **kinds,
        "Content": {
            "description": F.CONTENT.description,
            "oneOf": list(refs.values()),
            "discriminator": {"propertyName": content.TYPE_FIELD, "mapping": {k: r["$ref"] for k, r in refs.items()}},
        },
    }


def _codes_table(rules: tuple[errors.Rule, ...]) -> str:
    lines = ["| code | status | message (params in braces) |", "|---|---|---|"]
    lines += [
        f"| `{r.code}` | {r.status} | {r.message.replace('|', '/').replace('{{', '{').replace('}}', '}')} |"
        for r in rules
    ]
    return "\n".join(lines)


def _error_schema() -> dict[str, object]:
    rules = F.all_rules()
    return {
        "type": "object",
        "required": ["message", "code"],
        "properties": {
            "message": {"type": "string", "description": "What is wrong and how to fix it, in the API's field names."},
            "code": {
                "type": "string",
                "description": "Stable, machine-readable: a client decides on this, not on the message. Each:\n\n"
                + _codes_table(rules),
                "enum": [r.code for r in rules],
            },
            "field": {
                "type": "string",
                "description": "The request field at fault, when the error is about one (a form can show it there).",
                "enum": [
                    *F.FIELDS,
                    *content.PART_PATHS,
                    *keys.BODY_FIELDS,
                    batch.ITEMS_FIELD,
                    "target",
                    "active",
                    "next",
                ],
            },
            "params": {
                "type": "object",
                "description": "The values the message was written from (the code's params), for a client's own words.",
                "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}]},
            },
        },
    }


def _error_response(description: str) -> dict[str, object]:
    return {
        "description": description,
        "headers": {"Access-Control-Allow-Origin": _ref("headers", "AccessControlAllowOrigin")},
        "content": {"application/json": {"schema": _ref("schemas", "Error")}},
    }


_ERROR_RESPONSES = {
    "BadRequest": ("400", "The request is not valid; nothing was created or changed. `code` says which rule."),
    "TooLarge": (
        "413",
        f"The body is larger than {F.MAX_BODY_BYTES} bytes (`body.too_large`), or than API Gateway's "
        f"{gateway.MAX_PAYLOAD_BYTES} (`request.too_large`); nothing was created.",
    ),
    "DirectCall": (
        "403",
        "Deployed only: the call did not come through the site's CloudFront distribution (`route.direct`).",
    ),
    "Throttled": (
        "429",
        "Deployed only: over this client's share at the edge (`request.rate_limited`) or the stage throttle "
        "(`request.throttled`); try again shortly.",
    ),
    "Unreadable": (
        "422",
        "The drawing did not read back to the url with a decoder (`render.unreadable`); nothing was stored. "
        "A larger box_size, square modules or no logo usually helps.",
    ),
    "InternalError": ("500", "Something unexpected; logged with its stack trace, which the answer never carries."),
    "StorageUnavailable": (
        "503",
        "The image could not be stored (`service.storage`) or, where a key is needed, the key could not be checked "
        "(`service.keys`); nothing was cached, announced or changed. Try again.",
    ),
}


SECURITY_SCHEME = "ApiKey"
KEY_REQUIRED: list[dict[str, list[str]]] = [{SECURITY_SCHEME: []}]


# Answers about who calls: not in every operation's list (a public /qr never gives them), so apart.
_AUTH_RESPONSES = {
    "Unauthorized": (
        "401",
        "No key (`auth.missing`) or a key that is unknown or revoked (`auth.invalid`): send a valid one in X-API-Key.",
    ),
    "Forbidden": (
        "403",
        "A valid key that is not the admin key (`auth.forbidden`): only the admin manages keys. Deployed, also a "
        "call that did not come through the site's CloudFront distribution (`route.direct`).",
    ),
}


def _with(errors_: dict[str, dict[str, object]], answers: dict[str, object]) -> dict[str, object]:
    """An operation's responses: its own answers, then the errors, by status."""
    return {**answers, **errors_}


def _keyed_errors(forbidden: str) -> dict[str, dict[str, object]]:
    """What an operation that needs a key may answer besides its own: `forbidden` is its 403's response."""
    return {
        "401": _ref("responses", "Unauthorized"),
        "403": _ref("responses", forbidden),
        "429": _ref("responses", "Throttled"),
        "500": _ref("responses", "InternalError"),
        "503": _ref("responses", "StorageUnavailable"),
    }


def _no_store() -> dict[str, object]:
    """The headers of a JSON answer that is never kept."""
    return {
        "Access-Control-Allow-Origin": _ref("headers", "AccessControlAllowOrigin"),
        "Cache-Control": _ref("headers", "NoStore"),
    }


def _batch_path(answer_errors: dict[str, object]) -> dict[str, object]:
    """POST /qr/batch: many codes over a shared style, each made as POST /qr would, and a ZIP of them. A style
    field sent as null is left out, as in POST /qr."""
    style = {
        name: {"type": F.FIELDS[name].type, "allOf": [_ref("schemas", _schema_name(name))], "nullable": True}
        for name in batch.SHARED_FIELDS
    }
    item = {
        "type": "object",
        "description": "A /qr body (`url` or `content`, and style that overrides the shared one) and an optional "
        "`name` for its file in the ZIP.",
        "additionalProperties": False,
        "properties": {
            "url": _ref("schemas", "Url"),
            "content": _ref("schemas", "Content"),
            batch.NAME_FIELD: {"type": "string", "maxLength": 100},
            **style,
        },
    }
    result = {
        "type": "object",
        "required": ["index"],
        "additionalProperties": False,
        "properties": {
            "index": {"type": "integer", "minimum": 0},
            "qr_code_url": {"type": "string"},
            "text": _TEXT,
            "error": _ref("schemas", "Error"),
        },
    }
    return {
        names.BATCH_PATH: {
            "post": {
                "operationId": "createQrBatch",
                "tags": [TAG],
                "summary": f"Make 1 to {batch.MAX_ITEMS} codes in one request, and a ZIP of them",
                "description": "Each item is made (or found in the cache) as POST /qr would make it, over the shared "
                "style; a bad item is answered with its error and fails alone. The images made go into a ZIP with "
                "a `manifest.csv` (a content item's type only, never its text), stored beside the images for as "
                f"long. An item's image is at most {batch.MAX_SIDE} pixels wide (`batch.image_size`), so that a "
                f"whole batch fits the function's time; the body is at most {batch.MAX_BODY_BYTES} bytes. The edge "
                "counts a batch once per client rule, and in a rule of its own (RateLimitBatch).",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [batch.ITEMS_FIELD],
                                "additionalProperties": False,
                                "properties": {
                                    batch.ITEMS_FIELD: {
                                        "type": "array",
                                        "minItems": 1,
                                        "maxItems": batch.MAX_ITEMS,
                                        "items": item,
                                    },
                                    **style,
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "One result per item, in order, and the ZIP's address (null when nothing "
                        "was made; `zip_error` says why when it could not be stored).",
                        "headers": {
                            "Access-Control-Allow-Origin": _ref("headers", "AccessControlAllowOrigin"),
                            "Cache-Control": _ref("headers", "NoStore"),
                        },
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["message", "results", "zip_url"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "message": {"type": "string"},
                                        "results": {"type": "array", "items": result},
                                        "zip_url": {"type": "string", "nullable": True},
                                        "zip_error": _ref("schemas", "Error"),
                                    },
                                }
                            }
                        },
                    },
                    **answer_errors,
                },
            },
        }
    }


def _keys_paths() -> dict[str, object]:
    """/keys and /keys/{id}: the admin's, in every deployment."""
    admin_errors = _keyed_errors("Forbidden")
    no_store = _no_store()
    return {
        gateway.KEYS_PATH: {
            "post": {
                "operationId": "createKey",
                "tags": [KEYS_TAG],
                "summary": "Create an API key (admin only); the answer is the only time the key is shown",
                "description": "Makes a random key (256 bits), stores only its SHA-256 with the id, name and time, "
                'and answers the key once. Where qr.access is "key", /qr takes it from then on.',
                "security": KEY_REQUIRED,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("schemas", "KeyRequest")}},
                },
                "responses": _with(
                    admin_errors,
                    {
                        "201": {
                            "description": "The new key: store `key` now, it is kept only as a hash.",
                            "headers": no_store,
                            "content": {"application/json": {"schema": _ref("schemas", "KeyCreated")}},
                        },
                        "400": _ref("responses", "BadRequest"),
                        "413": _ref("responses", "TooLarge"),
                    },
                ),
            },
            "get": {
                "operationId": "listKeys",
                "tags": [KEYS_TAG],
                "summary": "List the API keys (admin only): ids, names, creation time and last day of use, never keys",
                "description": "Every key that is not revoked, oldest first. The day of last use is written at most "
                "once a day per key.",
                "security": KEY_REQUIRED,
                "responses": _with(
                    admin_errors,
                    {
                        "200": {
                            "description": "Every key, oldest first.",
                            "headers": no_store,
                            "content": {"application/json": {"schema": _ref("schemas", "KeyList")}},
                        }
                    },
                ),
            },
        },
        f"{gateway.KEYS_PATH}/{{{names.KEY_ID}}}": {
            "delete": {
                "operationId": "revokeKey",
                "tags": [KEYS_TAG],
                "summary": "Revoke an API key (admin only): its very next request is refused",
                "description": "Deletes the key's record; every key check reads it strongly consistently, so no "
                "request after this answer is accepted with it.",
                "security": KEY_REQUIRED,
                "parameters": [
                    {
                        "name": names.KEY_ID,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": keys.ID_PATTERN},
                    }
                ],
                "responses": _with(
                    admin_errors,
                    {
                        "204": {"description": "Revoked.", "headers": no_store},
                        "404": _error_response("No key has this id (`key.not_found`): it may be revoked already."),
                    },
                ),
            }
        },
    }


def _key_schemas() -> dict[str, object]:
    key_id = {"type": "string", "pattern": keys.ID_PATTERN, "description": "The key's id (not a secret)."}
    name = {
        "type": "string",
        "minLength": 1,
        "maxLength": keys.NAME_MAX_LENGTH,
        "description": "A label for people: which job or colleague holds the key.",
        "example": "ci",
    }
    created = {"type": "string", "format": "date-time", "description": "When the key was made (UTC)."}
    return {
        "KeyRequest": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {"name": name},
        },
        "KeyCreated": {
            "type": "object",
            "required": ["id", "name", "key", "created_at"],
            "additionalProperties": False,
            "properties": {
                "id": key_id,
                "name": name,
                "key": {
                    "type": "string",
                    "pattern": f"^{keys.PREFIX}[0-9a-f]{{12}}_[A-Za-z0-9_-]{{43}}$",
                    "description": "The key itself, shown this once: send it as X-API-Key.",
                },
                "created_at": created,
            },
        },
        "KeyList": {
            "type": "object",
            "required": ["keys"],
            "additionalProperties": False,
            "properties": {
                "keys": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "name", "created_at", "last_used"],
                        "additionalProperties": False,
                        "properties": {
                            "id": key_id,
                            "name": name,
                            "created_at": created,
                            "last_used": {
                                "type": "string",
                                "format": "date",
                                "nullable": True,
                                "description": "The last day (UTC) a request carried the key; null if never.",
                            },
                        },
                    },
                }
            },
        },
    }


CODES_TAG = "codes"
_CODE_ID = {
    "name": names.KEY_ID,
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": codes.ID_PATTERN},
}


def _codes_paths() -> dict[str, object]:
    """/codes (a key's dynamic codes) and /c/{id} (a printed code's link, for anyone)."""
    key_errors = _keyed_errors("DirectCall")
    no_store = _no_store()
    code = {"application/json": {"schema": _ref("schemas", "Code")}}
    missing = _error_response("No code of this key has this id (`code.not_found`); another key's is not told apart.")
    link_refused = {
        "description": "",
        "headers": {"Cache-Control": _ref("headers", "NoStore")},
        "content": {
            "application/json": {"schema": _ref("schemas", "Error")},
            "text/html": {"schema": {"type": "string", "description": "A small page saying so, for a person."}},
        },
    }
    link_responses: dict[str, object] = {
        "302": {
            "description": "To the code's current target; never cached, so an edit is followed at the next scan.",
            "headers": {
                "Location": {"required": True, "schema": {"type": "string", "format": "uri"}},
                "Cache-Control": _ref("headers", "NoStore"),
            },
        },
        "404": {**link_refused, "description": "No code has this id (`link.not_found`)."},
        "410": {**link_refused, "description": "The code was deleted or switched off (`link.gone`)."},
        "429": _ref("responses", "Throttled"),
        "500": _ref("responses", "InternalError"),
        "503": _ref("responses", "StorageUnavailable"),
    }
    image_paths: dict[str, object] = {}
    for kind, content_type in F.FORMATS.items():
        image_responses: dict[str, object] = {
            "200": {
                "description": "The code's image: its short link in its stored style, read back like every image. "
                "The same after the target changes; public in every access mode (it is printed for anyone).",
                "headers": {
                    "Cache-Control": {
                        "description": "public, max-age=<seconds the image is kept>.",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+$"},
                    }
                },
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            },
            "404": _error_response("No code has this id (`link.not_found`)."),
            "410": _error_response("The code was deleted (`link.gone`)."),
            "429": _ref("responses", "Throttled"),
            "500": _ref("responses", "InternalError"),
            "503": _ref("responses", "StorageUnavailable"),
        }
        image_paths[f"{names.LINK_PATH}/{{{names.KEY_ID}}}.{kind}"] = {
            method: {
                "operationId": f"{method}Code{kind.capitalize()}",
                "tags": [CODES_TAG],
                "summary": f"The code's {kind.upper()} image" + (" (headers only)" if method == "head" else ""),
                "description": "Fetching it never counts as a scan.",
                "security": [],
                "parameters": [_CODE_ID],
                "responses": image_responses,
            }
            for method in ("get", "head")
        }
    return {
        **image_paths,
        names.CODES_PATH: {
            "post": {
                "operationId": "createCode",
                "tags": [CODES_TAG],
                "summary": "Make a dynamic code: a short link to a target you can change after it is printed",
                "description": "Any valid key, in either access mode. `target` follows the `url` rules (and the "
                "deployment's allowed hosts), reported at the field `target`; the style fields are /qr's.",
                "security": KEY_REQUIRED,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("schemas", "CodeRequest")}},
                },
                "responses": _with(
                    key_errors,
                    {
                        "201": {"description": "The new code.", "headers": no_store, "content": code},
                        "400": _ref("responses", "BadRequest"),
                        "413": _ref("responses", "TooLarge"),
                    },
                ),
            },
            "get": {
                "operationId": "listCodes",
                "tags": [CODES_TAG],
                "summary": "This key's codes, newest first (the admin key: everyone's), a page at a time",
                "description": f"At most {codes.PAGE_LIMIT} a page; `next` is the following page's token, or null.",
                "security": KEY_REQUIRED,
                "parameters": [{"name": "next", "in": "query", "schema": {"type": "string", "maxLength": 2000}}],
                "responses": _with(
                    key_errors,
                    {
                        "200": {
                            "description": "A page of codes.",
                            "headers": no_store,
                            "content": {"application/json": {"schema": _ref("schemas", "CodeList")}},
                        },
                        "400": _error_response("`next` is not a token this service gave (`next.invalid`)."),
                    },
                ),
            },
        },
        f"{names.CODES_PATH}/{{{names.KEY_ID}}}": {
            "get": {
                "operationId": "getCode",
                "tags": [CODES_TAG],
                "summary": "A code with its scans: people and bots by day, and countries",
                "description": "`scans.total` and each day's `scans` count people; `bots` crawlers and previewers.",
                "security": KEY_REQUIRED,
                "parameters": [_CODE_ID],
                "responses": _with(
                    key_errors,
                    {
                        "200": {
                            "description": "The code and its counts.",
                            "headers": no_store,
                            "content": {"application/json": {"schema": _ref("schemas", "CodeWithScans")}},
                        },
                        "404": missing,
                    },
                ),
            },
            "patch": {
                "operationId": "changeCode",
                "tags": [CODES_TAG],
                "summary": "Change a code's target, or switch it off and on (`active`)",
                "description": "The printed image stays the same: it holds the short link, not the target.",
                "security": KEY_REQUIRED,
                "parameters": [_CODE_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("schemas", "CodeChange")}},
                },
                "responses": _with(
                    key_errors,
                    {
                        "200": {"description": "The changed code.", "headers": no_store, "content": code},
                        "400": _ref("responses", "BadRequest"),
                        "404": missing,
                    },
                ),
            },
            "delete": {
                "operationId": "deleteCode",
                "tags": [CODES_TAG],
                "summary": "Delete a code: its link answers 410 from then on",
                "description": "Its id is never given again; its counts are kept.",
                "security": KEY_REQUIRED,
                "parameters": [_CODE_ID],
                "responses": _with(
                    key_errors, {"204": {"description": "Deleted.", "headers": no_store}, "404": missing}
                ),
            },
        },
        f"{names.LINK_PATH}/{{{names.KEY_ID}}}": {
            "get": {
                "operationId": "followCode",
                "tags": [CODES_TAG],
                "summary": "A printed code's link: sends the viewer to its target, and counts the scan",
                "description": "Counted per UTC day as a person or a bot (by user agent) and per country (from the "
                "edge); no address, user agent or referrer is stored. A failed count never fails the redirect.",
                "security": [],
                "parameters": [_CODE_ID],
                "responses": link_responses,
            },
            "head": {
                "operationId": "checkCode",
                "tags": [CODES_TAG],
                "summary": "As GET, without a body, and not counted",
                "description": "The same status and Location as GET.",
                "security": [],
                "parameters": [_CODE_ID],
                "responses": link_responses,
            },
        },
    }


def _code_schemas() -> dict[str, object]:
    style = {name: _ref("schemas", _schema_name(name)) for name in codes.STYLE_FIELDS}
    target = {**field_schema(F.URL), "description": "Where the code sends a scan; the `url` rules apply."}
    code_props: dict[str, object] = {
        "id": {"type": "string", "pattern": codes.ID_PATTERN, "description": "48 random bits, URL-safe."},
        "short_url": {"type": "string", "description": "What the image encodes: <site>/c/<id>."},
        "target": {"type": "string"},
        "png_url": {"type": "string"},
        "svg_url": {"type": "string"},
        "active": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "style": {"type": "object", "description": "The style fields it was made with.", "properties": style},
    }
    required = ["id", "short_url", "target", "png_url", "svg_url", "active", "created_at", "updated_at", "style"]
    day = {
        "type": "object",
        "required": ["date", "scans", "bots"],
        "properties": {
            "date": {"type": "string", "format": "date"},
            "scans": {"type": "integer", "minimum": 0},
            "bots": {"type": "integer", "minimum": 0},
        },
    }
    return {
        "CodeRequest": {
            "type": "object",
            "required": ["target"],
            "additionalProperties": False,
            "properties": {"target": target, **style},
        },
        "CodeChange": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {"target": target, "active": {"type": "boolean"}},
        },
        "Code": {"type": "object", "required": required, "additionalProperties": False, "properties": code_props},
        "CodeWithScans": {
            "type": "object",
            "required": [*required, "scans"],
            "additionalProperties": False,
            "properties": {
                **code_props,
                "scans": {
                    "type": "object",
                    "required": ["total", "bots", "days", "countries"],
                    "properties": {
                        "total": {"type": "integer", "minimum": 0, "description": "People."},
                        "bots": {"type": "integer", "minimum": 0},
                        "days": {"type": "array", "items": day},
                        "countries": {
                            "type": "object",
                            "description": "Scans (people and bots) per ISO country code, or `unknown`.",
                            "additionalProperties": {"type": "integer"},
                        },
                    },
                },
            },
        },
        "ListedCode": {
            "type": "object",
            "required": [*required, "recent_scans"],
            "additionalProperties": False,
            "properties": {
                **code_props,
                "recent_scans": {
                    "type": "object",
                    "description": f"The last {codes.RECENT_DAYS} UTC days, today included: people, bots, and the "
                    "days that had any.",
                    "required": ["days", "scans", "bots", "per_day"],
                    "properties": {
                        "days": {"type": "integer", "enum": [codes.RECENT_DAYS]},
                        "scans": {"type": "integer", "minimum": 0, "description": "People."},
                        "bots": {"type": "integer", "minimum": 0},
                        "per_day": {"type": "array", "items": day},
                    },
                },
            },
        },
        "CodeList": {
            "type": "object",
            "required": ["codes", "next"],
            "additionalProperties": False,
            "properties": {
                "codes": {"type": "array", "items": _ref("schemas", "ListedCode")},
                "next": {"type": "string", "nullable": True},
            },
        },
    }


def for_access(document: dict[str, object], access: str) -> dict[str, object]:
    """The document as a deployment with this qr.access serves it: with "key", every /qr operation but the
    preflight needs a key and may answer 401. The checked-in document is the public one."""
    if access != "key":
        return document
    changed = json.loads(json.dumps(document))
    for method, operation in changed["paths"][gateway.API_PATH].items():
        if method != "options":
            operation["security"] = KEY_REQUIRED
            operation["responses"]["401"] = _ref("responses", "Unauthorized")
    return changed  # type: ignore[no-any-return]


_TEXT = {
    "type": "string",
    "description": "Exactly what the code holds: the url, or the text written from `content`; the read-back compared "
    "the decoded bytes with it.",
}


def build() -> dict[str, object]:
    body_props = {name: _ref("schemas", _schema_name(name)) for name in F.BODY_FIELDS}
    answer_errors: dict[str, object] = {status: _ref("responses", n) for n, (status, _) in _ERROR_RESPONSES.items()}
    get_errors: dict[str, object] = {s: r for s, r in answer_errors.items() if s != "413"}
    image: dict[str, object] = {
        "description": "The image itself (the same bytes on a miss and a hit). HEAD answers the headers alone.",
        "headers": {
            "Access-Control-Allow-Origin": _ref("headers", "AccessControlAllowOrigin"),
            "Cache-Control": {
                "description": "public, max-age=<seconds until this image's cache entry expires>: the edge and "
                "browsers may keep the image exactly that long.",
                "required": True,
                "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+$"},
            },
            "ETag": {
                "description": "The quoted sha256 of the bytes.",
                "required": True,
                "schema": {"type": "string", "pattern": '^"[0-9a-f]{64}"$'},
            },
            "Content-Security-Policy": {
                "description": "An image opened on its own runs nothing (the stored images carry the same).",
                "required": True,
                "schema": {"type": "string", "enum": [names.IMAGE_CONTENT_SECURITY_POLICY]},
            },
            "X-Content-Type-Options": {
                "description": "The browser takes the declared type, never a sniffed one.",
                "required": True,
                "schema": {"type": "string", "enum": ["nosniff"]},
            },
            "Vary": {
                "description": "Origin: the CORS header depends on the caller's origin.",
                "required": True,
                "schema": {"type": "string", "enum": ["Origin"]},
            },
        },
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in F.FORMATS.values()},
    }
    get_responses: dict[str, object] = {"200": image, **get_errors}
    query = [
        {
            "name": name,
            "in": "query",
            **({"required": True} if F.FIELDS[name].required else {}),
            "schema": _ref("schemas", _schema_name(name)),
        }
        for name in F.QUERY_FIELDS
    ]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "QR code generator",
            "version": "0.1.0",
            "description": "Turn a link into a QR code image that scans back to exactly that link. Images are "
            "cached for a day (the stack's cache_days). Every error is JSON `{message, code, field?, params?}` "
            "with the CORS header; `code` is stable (the Error schema lists each). Every rule is checked by the "
            "service itself, deployed and local alike; API Gateway only limits the payload to "
            f"{gateway.MAX_PAYLOAD_BYTES} bytes (413), the methods (405 for any other on /qr) and the rate (429). "
            "A request body is at most "
            f"{F.MAX_BODY_BYTES} bytes (413) and nests JSON at most {F.MAX_JSON_DEPTH} levels.",
            "license": {"name": "MIT", "url": LICENSE_URL},
            # Each deployment serves this document from its own site, so the one to ask is its owner.
            "contact": {"name": "The owner of this deployment (it runs in their own AWS account)"},
        },
        "servers": [{"url": "http://127.0.0.1:8000", "description": "make run (deployed, the stack's own origin)"}],
        "security": [],
        "tags": [
            {"name": TAG, "description": "QR code images of links."},
            {"name": KEYS_TAG, "description": "The API keys, for the deployment's admin (docs/security.md)."},
            {"name": CODES_TAG, "description": "Dynamic codes: print once, change the target, count scans."},
        ],
        "paths": {
            gateway.API_PATH: {
                "post": {
                    "operationId": "createQrCode",
                    "tags": [TAG],
                    "summary": "Make (or find in the cache) the QR code image of a link",
                    "description": "Validates every option, then answers the image's URL: from the cache when the "
                    "same link and options were asked for within the cache lifetime, otherwise a new image that a "
                    "decoder has read back before it was stored. `inline: true` adds the image as a data: URI. A "
                    "refusal changes nothing.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("schemas", "QrRequest")}},
                    },
                    "responses": {
                        "200": {
                            "description": "The image's URL; `cached` says whether it came from the cache. With "
                            "`preview: true`, only the image, drawn and read back, and nothing stored.",
                            "headers": {
                                "Access-Control-Allow-Origin": _ref("headers", "AccessControlAllowOrigin"),
                                "Cache-Control": _ref("headers", "NoStore"),
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"oneOf": [_ref("schemas", "QrResponse"), _ref("schemas", "QrPreview")]}
                                }
                            },
                        },
                        **answer_errors,
                    },
                },
                "get": {
                    "operationId": "getQrImage",
                    "tags": [TAG],
                    "summary": "The QR code image of a link, for <img src>: one request, the image itself",
                    "description": "The same options as POST (all but `logo` and `inline`) as query parameters; "
                    "answers the image's bytes with a public max-age until the cache entry expires, so an embed "
                    "keeps working after the day: it is made again on the next view.",
                    "parameters": query,
                    "responses": get_responses,
                },
                "head": {
                    "operationId": "headQrImage",
                    "tags": [TAG],
                    "summary": "The image's headers, as GET would answer them",
                    "description": "Exactly GET's status and headers, without the body.",
                    "parameters": query,
                    "responses": get_responses,
                },
                "options": {
                    "operationId": "preflight",
                    "tags": [TAG],
                    "summary": "CORS preflight for POST from a browser",
                    "description": "What a browser asks before a cross-origin POST; answered by API Gateway "
                    "deployed and by the function in `make run`, with the same methods, headers and max age.",
                    "responses": {
                        "204": {
                            "description": "The allowed origin, methods and headers.",
                            "headers": {
                                "Access-Control-Allow-Origin": _ref("headers", "AccessControlAllowOrigin"),
                                "Access-Control-Allow-Methods": {
                                    "description": ",".join(names.API_METHODS),
                                    "required": True,
                                    "schema": {"type": "string"},
                                },
                                "Access-Control-Allow-Headers": {
                                    "description": ",".join(names.CORS_ALLOW_HEADERS),
                                    "required": True,
                                    "schema": {"type": "string"},
                                },
                            },
                        },
                        "403": _ref("responses", "DirectCall"),
                        "429": _ref("responses", "Throttled"),
                    },
                },
            },
            **_batch_path(answer_errors),
            **_keys_paths(),
            **_codes_paths(),
        },
        "components": {
            "schemas": {
                **{_schema_name(name): field_schema(spec) for name, spec in F.FIELDS.items() if spec.type != "object"},
                **_content_schemas(),
                "QrRequest": {
                    "type": "object",
                    "description": "A link (`url`) or other content (`content`): exactly one of the two (neither is "
                    "400 url.required, both 400 content.with_url; a schema cannot say so without making generated "
                    "clients and fuzzers choose a branch for every other field too).",
                    "additionalProperties": False,
                    "properties": body_props,
                },
                "QrResponse": {
                    "type": "object",
                    "required": ["message", "text", "qr_code_url", "cached", "expires_at", "verified"],
                    "additionalProperties": False,
                    "properties": {
                        "message": {"type": "string", "example": "QR code created."},
                        "text": _TEXT,
                        "qr_code_url": {"type": "string", "description": "Where the image is, until expires_at."},
                        "cached": {"type": "boolean", "description": "true when the image came from the cache."},
                        "expires_at": {
                            "type": "string",
                            "format": "date-time",
                            "description": "When the image and its cache entry expire (UTC).",
                        },
                        "verified": {
                            "type": "boolean",
                            "enum": [True],
                            "description": "Always true: a decoder read the url back from the image before it was "
                            "stored, and only such images are stored, so hits are verified too.",
                        },
                        "data_uri": {
                            "type": "string",
                            "description": "Only with `inline: true`: the image as a data: URI (base64).",
                            "pattern": "^data:image/(png|svg\\+xml);base64,",
                        },
                    },
                },
                "QrPreview": {
                    "type": "object",
                    "required": ["message", "preview", "text", "verified", "data_uri"],
                    "additionalProperties": False,
                    "properties": {
                        "message": {"type": "string"},
                        "text": _TEXT,
                        "preview": {"type": "boolean", "enum": [True]},
                        "verified": {"type": "boolean", "enum": [True]},
                        "data_uri": {
                            "type": "string",
                            "description": "The image as a data: URI (base64); it is stored nowhere.",
                            "pattern": "^data:image/(png|svg\\+xml);base64,",
                        },
                    },
                },
                "Error": _error_schema(),
                **_key_schemas(),
                **_code_schemas(),
            },
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": names.API_KEY_HEADER,
                    "description": "An API key: the admin key (make admin-key) or one it created with POST /keys. "
                    '/keys always needs the admin key; /qr needs a key only where qr.access is "key".',
                }
            },
            "headers": {
                "AccessControlAllowOrigin": {
                    "description": "The caller's Origin when it is allowed, otherwise the first allowed origin.",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "NoStore": {
                    "description": "no-store: answers are not cached by browsers.",
                    "schema": {"type": "string"},
                },
            },
            "responses": {
                name: _error_response(text) for name, (_, text) in {**_ERROR_RESPONSES, **_AUTH_RESPONSES}.items()
            },
        },
    }


def render() -> str:
    """The document as website/openapi.json holds it."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def document() -> dict[str, object]:
    """The checked-in document, as the site deploys it."""
    loaded: dict[str, object] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return loaded
