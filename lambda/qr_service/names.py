"""Names the functions, the stack and the local run share: environment variables, metrics, events.

The stack (stacks/) and the local run (local/) import these; nothing here imports anything, so the
cache-hit path pays nothing for it.
"""

from enum import StrEnum

# Where the handlers' Powertools metrics go: one namespace; the `service` dimension is the deployment's.
SERVICE = "qr-code-generator"
NAMESPACE = "QrCodeGenerator"


class Env(StrEnum):
    """The environment variables the stack (or the local run) gives the functions."""

    TABLE_NAME = "TABLE_NAME"
    BUCKET_NAME = "BUCKET_NAME"
    EVENT_BUS_NAME = "EVENT_BUS_NAME"
    QR_BASE_URL = "QR_BASE_URL"
    ALLOWED_ORIGIN = "ALLOWED_ORIGIN"
    CACHE_TTL_SECONDS = "CACHE_TTL_SECONDS"
    ALLOWED_HOSTS = "ALLOWED_HOSTS"  # qr.allowed_hosts in their ASCII form, comma-separated; empty: any host
    SERVICE_NAME = "POWERTOOLS_SERVICE_NAME"  # the deployment's stack name; SERVICE when unset (make run)
    ACCESS = "ACCESS"  # qr.access: "public" (no key needed for /qr) or "key"
    KEYS_TABLE_NAME = "KEYS_TABLE_NAME"  # the API keys' table (hashes only)
    # The Secrets Manager secret (ARN or name) that holds the admin key: a variable's name, not a secret.
    ADMIN_KEY_SECRET = "ADMIN_KEY_SECRET"  # noqa: S105
    CODES_TABLE_NAME = "CODES_TABLE_NAME"  # dynamic codes and their daily counters


class Metric(StrEnum):
    """Every metric the handlers emit (count, one per occurrence)."""

    CACHE_HITS = "CacheHits"
    CACHE_MISSES = "CacheMisses"
    IMAGES_GENERATED = "ImagesGenerated"
    REQUESTS_REJECTED = "RequestsRejected"
    UNEXPECTED_ERRORS = "UnexpectedErrors"
    STORAGE_FAILURES = "StorageFailures"
    EVENT_PUBLISH_FAILURES = "EventPublishFailures"
    CACHE_READ_FAILURES = "CacheReadFailures"
    MAPPINGS_STORED = "MappingsStored"
    OLDER_MAPPINGS_SKIPPED = "OlderMappingsSkipped"
    MAPPING_STORE_FAILURES = "MappingStoreFailures"
    MALFORMED_EVENTS = "MalformedEvents"
    UNREADABLE_RENDERS = "UnreadableRenders"
    IMAGE_READ_FAILURES = "ImageReadFailures"
    KEY_CHECK_FAILURES = "KeyCheckFailures"  # the keys table or the admin secret could not be read
    CODE_STORE_FAILURES = "CodeStoreFailures"  # the codes table could not be read or written (a 503)
    REDIRECTS = "Redirects"  # a dynamic code's link followed (a 302)
    SCANS_LOST = "ScansLost"  # a redirect whose count could not be written (the viewer was still sent on)


# Our own metrics that count something gone wrong; the stack alarms on each.
FAILURE_METRICS = (
    Metric.UNEXPECTED_ERRORS,
    Metric.STORAGE_FAILURES,
    Metric.EVENT_PUBLISH_FAILURES,
    Metric.MAPPING_STORE_FAILURES,
    Metric.CACHE_READ_FAILURES,
    Metric.UNREADABLE_RENDERS,
    Metric.IMAGE_READ_FAILURES,
    Metric.KEY_CHECK_FAILURES,
    Metric.CODE_STORE_FAILURES,
    Metric.SCANS_LOST,
)

# The API's resources (contract/gateway.py lists each with its methods; the handlers route on them).
API_PATH = "/qr"
BATCH_PATH = "/qr/batch"  # many codes in one request, and a ZIP of them
KEYS_PATH = "/keys"
KEY_ID = "id"  # /keys/{id}, /codes/{id}, /c/{id}
CODES_PATH = "/codes"
LINK_PATH = "/c"
# A code's images (/c/<id>.png and .svg on the site) reach the stage under this prefix (the distribution's
# origin path for them; make run's stand-in adds it too), where create_qr draws them.
CODE_IMAGES_PREFIX = "/img"
CODE_IMAGE_FILE = "file"

# The API's methods and what a browser may send cross-origin: the stack's preflight and create_qr's own
# (which answers it in `make run`) say the same.
API_METHODS = ("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS")
CORS_ALLOW_HEADERS = ("Content-Type", "X-API-Key")
# The header a caller's key travels in (never the URL: URLs are logged and cached).
API_KEY_HEADER = "X-API-Key"
ACCESS_MODES = ("public", "key")
CORS_MAX_AGE_SECONDS = 600
# Every image the service answers (a stored /qr/<key> from the bucket, a GET /qr from create_qr): opened on
# its own it runs nothing; an SVG may show the logo it embeds as a data: URI.
IMAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; sandbox"

# The event create_qr puts on the bus and the stack's rule routes to store_url.
EVENT_SOURCE = "qr_code"
EVENT_DETAIL_TYPE = "qr_code"
