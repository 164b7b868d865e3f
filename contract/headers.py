"""The page's and the images' headers, defined once: CloudFront sends them when deployed, `make run`
locally.

No CDK import here, so the local server can use it without loading the CDK.
"""

from qr_service.names import IMAGE_CONTENT_SECURITY_POLICY


def content_security_policy(api_origin: str | None = None, image_origin: str | None = None) -> str:
    """Only the page's own files, no inline script or style; it may call the API and show images, nothing else.

    Origins other than the page's own are added where the page really uses them; either may be a CDK token.
    `data:` images are the studio's previews, which the API answers as data URIs (nothing stored).
    """
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": " ".join(filter(None, ["'self'", "data:", image_origin])),
        "connect-src": " ".join(filter(None, ["'self'", api_origin])),
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


HSTS_SECONDS = 2 * 365 * 86400  # two years, subdomains included
IMAGE_CORS_ORIGIN = "*"  # anyone may embed or fetch the images


def image_headers() -> dict[str, str]:
    """What the distribution adds to an image (the object's own Cache-Control and type stay as stored)."""
    return {
        "Access-Control-Allow-Origin": IMAGE_CORS_ORIGIN,
        "Content-Security-Policy": IMAGE_CONTENT_SECURITY_POLICY,
        "Strict-Transport-Security": f"max-age={HSTS_SECONDS}; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
    }
