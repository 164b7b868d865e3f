"""Size of each function's asset for the Lambda platform (manylinux wheels, the runtime's Python).

Builds `lambda/` plus its requirements as PythonFunction would, for x86_64 and arm64, and prints the
unzipped and zipped size and the largest parts. Lambda's limit is 250 MB unzipped; anything above
FLAG_MB is flagged (not failed) because it slows cold starts and deploys.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import lambda_bundle

FLAG_MB = 35
MB = 1_000_000


def main() -> None:
    print(f"function asset for Lambda python{lambda_bundle.RUNTIME_VERSION} (lambda/ + requirements.txt)")
    with tempfile.TemporaryDirectory() as tmp:
        for architecture in lambda_bundle.ARCH:
            folder = lambda_bundle.build(Path(tmp) / architecture, architecture)
            unzipped, zipped = lambda_bundle.sizes(folder)
            largest = list(lambda_bundle.package_sizes(folder).items())[:4]
            parts = ", ".join(f"{name} {size / MB:.1f}" for name, size in largest)
            flag = f"  <-- above {FLAG_MB} MB" if unzipped > FLAG_MB * MB else ""
            print(f"  {architecture:7s} {unzipped / MB:5.1f} MB unzipped, {zipped / MB:5.1f} MB zipped{flag}")
            print(f"          largest (MB): {parts}")


if __name__ == "__main__":
    main()
