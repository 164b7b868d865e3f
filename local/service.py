"""The two handlers over moto: the AWS resources the stack builds, the environment it gives the
functions, and every moto call on one MotoThread."""

import os
from typing import Any

from contract.settings import Settings


class LocalService:
    def __init__(self, port: int, settings: Settings, admin_key: str) -> None:
        """`settings`: cdk.json's `qr`, as the stack reads them (contract.settings.from_cdk_json); `admin_key`:
        the value the deployed stack keeps in its Secrets Manager secret."""
        origin = f"http://127.0.0.1:{port}"
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
                "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
                "POWERTOOLS_METRICS_DISABLED": "true",
            }
        )
        from moto import mock_aws

        from local import emulation
        from local.delivery import EventDelivery
        from local.moto_thread import MotoThread

        self.mock = mock_aws()
        self.mock.start()
        self.moto = MotoThread()
        self.resources: emulation.Resources = self.moto.call(
            emulation.create, emulation.Resources(), emulation.EVENT_PATTERN, admin_key
        )
        self.settings = settings
        os.environ.update(
            self.resources.environment(
                origin, f"{origin},http://localhost:{port}", self.settings.allowed_hosts, self.settings.access
            )
        )
        self.origin = origin
        import manage_codes
        import manage_keys
        import redirect

        import create_qr
        import store_url

        self.functions: dict[str, Any] = {
            "create_qr": create_qr,
            "manage_keys": manage_keys,
            "manage_codes": manage_codes,
            "redirect": redirect,
        }
        self.delivery = EventDelivery(self.moto, self.resources, store_url)

    def invoke_api(self, function: str, event: dict[str, object]) -> tuple[dict[str, object], str]:
        """A function's proxy response, and whether it was a cache "hit", a "miss" or neither ("-")."""
        answer: tuple[dict[str, object], str] = self.moto.call(self._api, function, event)
        return answer

    def _api(self, function: str, event: dict[str, object]) -> tuple[dict[str, object], str]:
        """On the moto thread: the function, then, before any other request, the event a miss put on the bus.

        A miss is a create_qr 200 that announced an image (the answer may be an image, not JSON).
        """
        from local.runtime import LambdaContext

        response = self.functions[function].handler(event, LambdaContext(function_name=function))
        if function != "create_qr" or response["statusCode"] != 200:
            return response, "-"
        return response, "miss" if self.delivery.deliver_pending() else "hit"

    def image(self, key: str) -> tuple[bytes, dict[str, str]] | None:
        """A stored image and the headers S3 keeps with it (its type and Cache-Control), or None."""
        found: tuple[bytes, dict[str, str]] | None = self.moto.call(self._read_image, key)
        return found

    def _read_image(self, key: str) -> tuple[bytes, dict[str, str]] | None:
        from qr_service.aws import s3

        client = s3()
        try:
            obj = client.get_object(Bucket=self.resources.bucket, Key=key)
        except client.exceptions.NoSuchKey:
            return None
        return obj["Body"].read(), {"Content-Type": obj["ContentType"], "Cache-Control": obj["CacheControl"]}

    def start(self) -> None:
        self.delivery.start()

    def stop(self) -> None:
        self.delivery.stop()
        self.moto.stop()
        self.mock.stop()
