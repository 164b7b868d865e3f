"""What the deployed stack and `make run` share, with no CDK import: what API Gateway and CloudFront
decide (gateway.py, headers.py, edge_rules.py), the OpenAPI document (openapi.py), the page's files
(site.py), the deployment's settings (settings.py) and the names it derives from them (naming.py).

stacks/ builds the real thing from it; local/ builds the stand-ins from it. It is also where the
functions' code is: lambda/, put on the import path here, the one place that does so for the CDK app,
`make run` and the tools (pytest and mypy read it from pyproject.toml), as Lambda does.
"""

import sys
from pathlib import Path

LAMBDA_DIR = Path(__file__).resolve().parent.parent / "lambda"
PYTHON_RUNTIME = "python3.14"  # the functions' runtime; tests/template/test_stack.py holds the template to it
if str(LAMBDA_DIR) not in sys.path:
    sys.path.insert(0, str(LAMBDA_DIR))
