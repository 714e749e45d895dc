"""
The oracle of test/botocore-differential.test.ts: for each case (environment + --profile), what
the pip AWS CLI's botocore decides, without network and without running any process.

Reads JSON from stdin: {"cases": [{"id": str, "env": {...}, "profileArg": str|null}, ...]};
the files the environment points to already exist. Prints one JSON document: {"results": [...]},
each result either {"id", "outcome": "refused", "error": <exception class>, "path"?} or
{"id", "outcome": "accepted", "profiles", "ssoSessions", "services", "region", "source"}.

botocore runs its own code everywhere it decides; only the providers that would reach the
network or run a command (credential_process, login, container, instance metadata) are replaced
by stand-ins that report what they would have used. Everything else is botocore 1.43 itself:
Session.full_config, get_scoped_config, create_credential_resolver and each provider's load().
"""
import json
import os
import sys

import botocore.credentials as bc
import botocore.exceptions as bx
import botocore.session


class Marker:
    """Stands in for credentials a network call or a process would produce."""

    def __init__(self, info):
        self.info = info
        self.method = "marker"


def _process_load(self):
    command = self._credential_process
    if command is None:
        return None
    return Marker({"kind": "process", "profile": self._profile_name, "command": command})


def _login_load(self):
    profile = self._load_config().get("profiles", {}).get(self._profile_name, {})
    if "login_session" not in profile:
        return None
    return Marker({"kind": "login-session", "profile": self._profile_name, "loginSession": profile["login_session"]})


def _container_load(self):
    if self.ENV_VAR in self._environ or self.ENV_VAR_FULL in self._environ:
        return Marker({"kind": "canonical", "name": "EcsContainer"})
    return None


def _imds_load(self):
    if getattr(self._role_fetcher, "_disabled", False):
        return None
    return Marker({"kind": "canonical", "name": "Ec2InstanceMetadata"})


bc.ProcessProvider.load = _process_load
bc.LoginProvider.load = _login_load
bc.ContainerProvider.load = _container_load
bc.InstanceMetadataProvider.load = _imds_load


def _fetcher(creds):
    refresh = creds._refresh_using
    refresh = getattr(refresh, "_refresh", refresh)  # the MFA wrapper
    return refresh.__self__


def describe(creds, session):
    if creds is None:
        return {"kind": "container-or-imds"}
    if isinstance(creds, Marker):
        return creds.info
    method = creds.method
    if method in ("env", "shared-credentials-file", "config-file"):
        access = getattr(creds, "_access_key", None) if hasattr(creds, "_access_key") else creds.access_key
        secret = getattr(creds, "_secret_key", None) if hasattr(creds, "_secret_key") else creds.secret_key
        token = getattr(creds, "_token", None) if hasattr(creds, "_token") else creds.token
        out = {"accessKeyId": access, "secretAccessKey": secret, "sessionToken": token}
        if method == "env":
            out["kind"] = "env"
            out["hasExpiration"] = getattr(creds, "_expiry_time", None) is not None
        else:
            out["kind"] = "static"
            out["file"] = os.path.expanduser(os.path.expandvars(session.get_config_variable(
                "credentials_file" if method == "shared-credentials-file" else "config_file")))
        return out
    if method == "assume-role":
        f = _fetcher(creds)
        kw = f._assume_kwargs
        return {
            "kind": "assume-role",
            "roleArn": f._role_arn,
            "externalId": kw.get("ExternalId"),
            "roleSessionName": None if f._using_default_session_name else kw.get("RoleSessionName"),
            "mfaSerial": kw.get("SerialNumber"),
            "durationSeconds": kw.get("DurationSeconds"),
            "source": describe(f._source_credentials, session),
        }
    if method == "assume-role-with-web-identity":
        f = _fetcher(creds)
        return {
            "kind": "web-identity",
            "roleArn": f._role_arn,
            "tokenFile": f._web_identity_token_loader._web_identity_token_path,
            "roleSessionName": None if f._using_default_session_name else f._assume_kwargs.get("RoleSessionName"),
        }
    if method == "sso":
        f = _fetcher(creds)
        return {
            "kind": "sso",
            "startUrl": f._start_url,
            "ssoRegion": f._sso_region,
            "accountId": f._account_id,
            "roleName": f._role_name,
            "sessionName": f._sso_session_name,
        }
    return {"kind": "unexpected:" + str(method)}


def decide(case):
    os.environ.clear()
    os.environ.update(case["env"])
    session = botocore.session.Session()
    if case.get("profileArg"):
        # What awscli's clidriver does for --profile.
        session.set_config_variable("profile", case["profileArg"])
    try:
        full = session.full_config
        scoped = session.get_scoped_config()
        resolver = bc.create_credential_resolver(session)
        creds = resolver.load_credentials()
        source = describe(creds, session)
        if source["kind"] == "canonical":
            # Found at the end of the chain: the container or instance metadata.
            source = {"kind": "container-or-imds"}
        return {
            "outcome": "accepted",
            "profiles": full.get("profiles", {}),
            "ssoSessions": full.get("sso_sessions", {}),
            "services": full.get("services", {}),
            "region": scoped.get("region"),
            "source": source,
        }
    except bx.BotoCoreError as e:
        out = {"outcome": "refused", "error": type(e).__name__, "message": str(e)}
        if isinstance(e, bx.ConfigParseError):
            out["path"] = e.kwargs.get("path")
            # configparser's own error knows the line (ParsingError: the first bad one).
            cause = e.kwargs.get("error")
            line = getattr(cause, "lineno", None)
            if line is None and getattr(cause, "errors", None):
                line = cause.errors[0][0]
            out["line"] = line
        return out


def main():
    cases = json.load(sys.stdin)["cases"]
    results = []
    for case in cases:
        result = decide(case)
        result["id"] = case["id"]
        results.append(result)
    json.dump({"results": results}, sys.stdout)


main()
