"""Owners: who may call. The API keys' table (hashes only, kept when the stack goes), the admin key (a
Secrets Manager secret generated at deploy time, never a literal) and `manage_keys`, which serves /keys."""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Duration, RemovalPolicy, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from contract.settings import Settings
from qr_service import keys
from qr_service.names import Env
from stacks.functions import python_function


class Owners(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, allowed_origins: list[str]) -> None:
        super().__init__(scope, construct_id)
        self.keys = dynamodb.Table(
            self,
            "KeysTable",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            # The keys people were given outlive a `cdk destroy` by mistake; delete the table by hand.
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.admin_key = secretsmanager.Secret(
            self,
            "AdminKey",
            description="The admin key of the QR service's API (X-API-Key on /keys): make admin-key prints it",
            # Letters and digits only: never mistaken for a `qrk_` key (qr_service/keys.py).
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=keys.ADMIN_KEY_LENGTH, exclude_punctuation=True, include_space=False
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(self.admin_key).acknowledge(
            Ack(
                id="AwsSolutions-SMG4",
                reason="A bearer key that people copy into their tools: an automatic rotation would lock them out "
                "unannounced. docs/security.md says how to rotate it by hand (put a new value; warm functions take "
                "it within five minutes).",
            )
        )
        self.manage_keys = python_function(
            self,
            "ManageKeys",
            index="manage_keys.py",
            description="Creates, lists and revokes the API's keys, for the admin key only",
            settings=settings,
            environment={
                Env.ALLOWED_ORIGIN: ",".join(allowed_origins),
                Env.KEYS_TABLE_NAME: self.keys.table_name,
                Env.ADMIN_KEY_SECRET: self.admin_key.secret_arn,
            },
            memory_size=256,
            timeout=Duration.seconds(10),
        )
        self.manage_keys.add_to_role_policy(
            iam.PolicyStatement(
                actions=["dynamodb:PutItem", "dynamodb:Scan", "dynamodb:DeleteItem"],
                resources=[self.keys.table_arn],
            )
        )
        self.grant_check(self.manage_keys)

    def environment(self) -> dict[str, str]:
        """What a function that checks keys is told: where they are."""
        return {Env.KEYS_TABLE_NAME: self.keys.table_name, Env.ADMIN_KEY_SECRET: self.admin_key.secret_arn}

    def grant_check(self, function: lambda_.IFunction) -> None:
        """A key check: read one key's item and record its day of use; read the admin key."""
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:GetItem", "dynamodb:UpdateItem"], resources=[self.keys.table_arn])
        )
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[self.admin_key.secret_arn])
        )
