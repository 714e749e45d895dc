"""
The oracle of test/endpoint-differential.test.ts: for each case (environment, config file,
service, region), the URL and signing region botocore's own client would send the request to.

Reads JSON from stdin: {"cases": [{"id", "env": {...}, "service", "region"}, ...]}; the config file
AWS_CONFIG_FILE names already exists. Prints {"results": [...]}, each {"id", "url", "signingRegion"}
or {"id", "error": <exception class>}. botocore 1.43 decides everything: Session, create_client and
the client's endpoint rule set resolution for one operation, as _make_api_call does it; nothing is sent.
"""
import json
import os
import sys

import botocore.exceptions as bx
import botocore.loaders
import botocore.session

# One data loader for every session: its cache keeps each service model read once.
LOADER = botocore.loaders.create_loader()

OPERATION = {"sts": "GetCallerIdentity", "sso": "GetRoleCredentials", "sso-oidc": "CreateToken", "signin": "CreateOAuth2Token"}


def decide(case):
    os.environ.clear()
    os.environ.update(case["env"])
    try:
        session = botocore.session.Session()
        session.register_component("data_loader", LOADER)
        client = session.create_client(
            case["service"], region_name=case["region"], aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret"
        )
        operation = client.meta.service_model.operation_model(OPERATION[case["service"]])
        context = {}
        url, _, _ = client._resolve_endpoint_ruleset(operation, {}, context)
        signing = context.get("signing", {}).get("region", case["region"])
        return {"id": case["id"], "url": url, "signingRegion": signing}
    except (bx.BotoCoreError, ValueError) as err:
        return {"id": case["id"], "error": type(err).__name__}


def main():
    cases = json.load(sys.stdin)["cases"]
    saved = dict(os.environ)
    results = [decide(c) for c in cases]
    os.environ.clear()
    os.environ.update(saved)
    json.dump({"results": results}, sys.stdout)


main()
