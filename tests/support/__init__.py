"""What the tests share besides fixtures (those are in conftest.py): where the project is, the stacks'
templates, AWS in moto, requests that break each rule, the local server, the handler calls."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
