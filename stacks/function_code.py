"""Where the functions' code is and which Python runs it, without the CDK.

stacks/functions.py deploys it; tools/lambda_bundle.py builds the same bundle to test and measure it,
and so do tests that must not load the CDK. tests/test_stack.py holds the template to PYTHON_RUNTIME.
"""

from pathlib import Path

LAMBDA_DIR = Path(__file__).resolve().parent.parent / "lambda"
PYTHON_RUNTIME = "python3.14"
