"""`make admin-key`: the stack's AdminKeySecretArn output names the secret, read from Secrets Manager (moto);
a missing output or secret is one line. (moto's CloudFormation needs packages this project does not install,
so DescribeStacks' answer is given as the template test says the output is: tests/template/test_owners.py.)"""

import boto3
import pytest
from support.aws import moto

from tools import admin_key


def test_it_reads_the_secret_the_output_names():
    with moto():
        arn = boto3.client("secretsmanager").create_secret(Name="admin", SecretString="A" * 48)["ARN"]
        outputs = [
            {"OutputKey": "SiteUrl", "OutputValue": "https://x"},
            {"OutputKey": "AdminKeySecretArn", "OutputValue": arn},
        ]
        assert admin_key.read(admin_key.secret_arn("QrCodeGenerator", outputs)) == "A" * 48


def test_a_stack_without_the_output_says_to_deploy():
    with pytest.raises(admin_key.NoAdminKey, match="stack Older has no AdminKeySecretArn output: deploy this version"):
        admin_key.secret_arn("Older", [{"OutputKey": "SiteUrl", "OutputValue": "https://x"}])


def test_a_secret_that_cannot_be_read_is_one_line(capsys, monkeypatch):
    with moto():
        monkeypatch.setattr(
            admin_key,
            "admin_key",
            lambda stack: admin_key.read("arn:aws:secretsmanager:us-east-1:123456789012:secret:gone"),
        )
        with pytest.raises(SystemExit) as exited:
            admin_key.main(["--stack", "QrCodeGenerator"])
    assert str(exited.value).startswith("No admin key: cannot read the admin key's secret arn:aws:secretsmanager:")
    assert "\n" not in str(exited.value) and capsys.readouterr().out == ""
