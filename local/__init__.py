"""Run the service on a laptop: moto in place of AWS, the handlers unmodified.

The handlers and `qr_service` live in lambda/, where Lambda finds them; they are importable from here.
"""

import sys
from pathlib import Path

LAMBDA_DIR = str(Path(__file__).resolve().parent.parent / "lambda")
if LAMBDA_DIR not in sys.path:
    sys.path.insert(0, LAMBDA_DIR)
