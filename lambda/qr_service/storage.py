"""The images bucket: content-addressed objects, so a retry or a race overwrites, never duplicates."""

from qr_service import aws


def put_image(bucket: str, key: str, body: bytes, content_type: str, max_age: int) -> None:
    aws.s3().put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType=content_type,
        CacheControl=f"public, max-age={max_age}, immutable",
    )


def get_image(bucket: str, key: str) -> bytes:
    """A stored image's bytes; errors (NoSuchKey included) propagate, the caller decides."""
    return aws.s3().get_object(Bucket=bucket, Key=key)["Body"].read()
