"""The CDK stacks and the constructs they are composed of, built from `contract` (which also puts
lambda/ on the import path, for the names and rules the stack shares with the code it deploys).
The code never imports the stack."""

import contract  # noqa: F401
