"""The CDK stack and the constructs it is composed of."""
