"""Run the service on a laptop: moto in place of AWS, the handlers unmodified, the stand-ins built from
`contract` (which also puts lambda/, where Lambda finds the handlers, on the import path)."""

import contract  # noqa: F401
