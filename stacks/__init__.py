"""The CDK stack and the constructs it is composed of.

The stack knows the code it deploys: `qr_service` (in lambda/, where Lambda finds it) is importable
from here, for the names and rules both share. The code never imports the stack.
"""

import sys
from pathlib import Path

LAMBDA_DIR = str(Path(__file__).resolve().parent.parent / "lambda")
if LAMBDA_DIR not in sys.path:
    sys.path.insert(0, LAMBDA_DIR)
