"""Dynamic codes: their table (codes and daily scan counters; people have printed these, so it is backed up
and outlives the stack), `manage_codes` (/codes, any valid key) and `redirect` (/c/{id}, the printed link)."""

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from contract.settings import Settings
from qr_service.codes import OWNER_INDEX
from qr_service.names import Env
from stacks.functions import python_function
from stacks.owners import Owners


class DynamicCodes(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        owners: Owners,
        base_url: str,
        allowed_origins: list[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.Table(
            self,
            "CodesTable",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            # Printed codes must keep working: the table survives `cdk destroy` (docs/operations.md).
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.table.add_global_secondary_index(
            index_name=OWNER_INDEX,
            partition_key=dynamodb.Attribute(name="owner", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="created_at", type=dynamodb.AttributeType.STRING),
        )
        common: dict[str, str] = {
            Env.ALLOWED_ORIGIN: ",".join(allowed_origins),
            Env.CODES_TABLE_NAME: self.table.table_name,
        }
        self.manage_codes = python_function(
            self,
            "ManageCodes",
            index="manage_codes.py",
            description="Makes, lists, reads (with scan counts), changes and deletes a key's dynamic codes",
            settings=settings,
            environment={
                **common,
                **owners.environment(),
                Env.QR_BASE_URL: base_url,
                Env.ALLOWED_HOSTS: ",".join(settings.allowed_hosts),
            },
            memory_size=512,  # a logo in a new code's style is decoded to be checked
            timeout=Duration.seconds(10),
        )
        owners.grant_check(self.manage_codes)
        self.manage_codes.add_to_role_policy(
            iam.PolicyStatement(
                actions=[
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:Query",
                    "dynamodb:Scan",
                ],
                resources=[self.table.table_arn],
            )
        )
        self.manage_codes.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:Query"], resources=[f"{self.table.table_arn}/index/{OWNER_INDEX}"])
        )
        self.redirect = python_function(
            self,
            "Redirect",
            index="redirect.py",
            description="Sends a scan of a dynamic code to its target and counts it (people, bots, country)",
            settings=settings,
            environment=common,
            memory_size=256,
            timeout=Duration.seconds(5),
        )
        # Read a code, add to its counters: nothing else.
        self.redirect.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:GetItem", "dynamodb:UpdateItem"], resources=[self.table.table_arn])
        )
