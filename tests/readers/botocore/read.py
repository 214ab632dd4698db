"""Test-only reader for tests/differential.rs: reads AWS config/credentials file pairs with
botocore (the AWS CLI's parser) and prints one JSON line per pair:
  {"profiles": {name: {key: value}}, "resolved": {name: credentials | {"error": message}}}
or {"error": message} when botocore refuses the files.
Input on stdin: a JSON list of {"config", "credentials", "resolve": [profile names]}.
Role chains are resolved with a fake STS client inside this process: nothing talks to AWS.
"""
import datetime
import json
import os
import sys

import botocore.credentials
import botocore.session

KEYS = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "region", "output",
        "role_arn", "source_profile", "credential_source"]
UNRESOLVED = ["credential_process", "sso_session", "sso_start_url", "web_identity_token_file",
              "login_session"]


class FakeSts:
    """AssumeRole answers with the role and the keys that assumed it (as the JS reader does)."""

    def __init__(self, **kwargs):
        self.key = kwargs.get("aws_access_key_id")
        self.secret = kwargs.get("aws_secret_access_key")

    def assume_role(self, **params):
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return {"Credentials": {
            "AccessKeyId": f"assumed {params['RoleArn']} with {self.key}",
            "SecretAccessKey": f"secret of {self.secret}",
            "SessionToken": "fake-session-token",
            "Expiration": expiration,
        }}


def session_for(s, pair, profile=None):
    """The one botocore session (making one takes ~90 ms), pointed at this pair's files."""
    s.set_config_variable("config_file", pair["config"])
    s.set_config_variable("credentials_file", pair["credentials"])
    s.set_config_variable("profile", profile)
    s._config = None  # botocore caches the parsed files per session
    s._profile_map = None
    return s


def resolve(s, pair, name, settings):
    if settings is None or any(k in settings for k in UNRESOLVED):
        return {"skipped": True}
    try:
        resolver = botocore.credentials.create_credential_resolver(session_for(s, pair, name))
        c = resolver.load_credentials()
        if c is None:
            return {"error": "no credentials"}
        c = c.get_frozen_credentials()
        return {"aws_access_key_id": c.access_key, "aws_secret_access_key": c.secret_key,
                "aws_session_token": c.token}
    except Exception as e:  # every botocore error is a reading to compare
        return {"error": f"{type(e).__name__}: {e}".split("\n")[0]}


def read_pair(s, pair):
    try:
        raw = session_for(s, pair).full_config["profiles"]
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}"}
    profiles = {name: {k: v for k, v in settings.items() if k in KEYS and isinstance(v, str)}
                for name, settings in raw.items()}
    resolved = {name: resolve(s, pair, name, raw.get(name)) for name in pair.get("resolve", [])}
    return {"profiles": profiles, "resolved": resolved}


def main():
    for var in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION"]:
        os.environ.pop(var, None)
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    s = botocore.session.Session()
    s.create_client = lambda service, **kwargs: FakeSts(**kwargs)
    for pair in json.load(sys.stdin):
        print(json.dumps(read_pair(s, pair)), flush=True)


main()
