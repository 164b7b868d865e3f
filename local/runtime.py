"""What the Lambda runtime hands a handler besides the event."""

import uuid
from dataclasses import dataclass, field


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that Powertools reads."""

    function_name: str = "create_qr"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:create_qr"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
