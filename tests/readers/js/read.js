// Test-only reader for tests/differential.rs: reads AWS config/credentials file pairs the way
// the AWS SDK for JavaScript v3 does and prints one JSON line per pair:
//   {"profiles": {name: {key: value}}, "resolved": {name: credentials | {"error": message}}}
// or {"error": message} when the files cannot be read at all.
// Input on stdin: a JSON list of {"config", "credentials", "resolve": [profile names]}.
// `region` is what the SDK's region resolution gives (it prefers config over credentials);
// the other keys are the merged profile as `parseKnownFiles` gives it. Role chains are
// resolved with a fake STS inside this process (`roleAssumer`): nothing talks to AWS.
"use strict";
const { parseKnownFiles } = require("@smithy/shared-ini-file-loader");
const { loadConfig, NODE_REGION_CONFIG_OPTIONS } = require("@smithy/core/config");
const { fromIni } = require("@aws-sdk/credential-providers");

const KEYS = [
  "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "output",
  "role_arn", "source_profile", "credential_source",
];
// Profiles whose credentials come from somewhere the differential test does not fake.
const UNRESOLVED = ["credential_process", "sso_session", "sso_start_url", "web_identity_token_file", "login_session"];

/** What the fake STS returns for AssumeRole: the role and the keys that assumed it. */
async function fakeAssumeRole(source, params) {
  return {
    accessKeyId: `assumed ${params.RoleArn} with ${source.accessKeyId}`,
    secretAccessKey: `secret of ${source.secretAccessKey}`,
    sessionToken: "fake-session-token",
    expiration: new Date(Date.now() + 3600 * 1000),
  };
}

async function region(files, profile) {
  const options = { ...NODE_REGION_CONFIG_OPTIONS, environmentVariableSelector: () => undefined, default: () => undefined };
  return loadConfig(options, { ...files, profile, ignoreCache: true })();
}

async function resolve(files, profile, settings) {
  if (!settings || UNRESOLVED.some((k) => k in settings)) return { skipped: true };
  try {
    const c = await fromIni({ ...files, profile, ignoreCache: true, roleAssumer: fakeAssumeRole })();
    return { aws_access_key_id: c.accessKeyId, aws_secret_access_key: c.secretAccessKey, aws_session_token: c.sessionToken ?? null };
  } catch (e) {
    return { error: String(e.message).split("\n")[0] };
  }
}

async function readPair(pair) {
  const files = { filepath: pair.credentials, configFilepath: pair.config };
  let merged;
  try {
    merged = await parseKnownFiles({ ...files, ignoreCache: true });
  } catch (e) {
    return { error: String(e.message) };
  }
  const profiles = {};
  for (const [name, all] of Object.entries(merged)) {
    const settings = {};
    for (const key of KEYS) if (typeof all[key] === "string") settings[key] = all[key];
    const r = await region(files, name);
    if (r !== undefined) settings.region = r;
    profiles[name] = settings;
  }
  const resolved = {};
  for (const name of pair.resolve || []) resolved[name] = await resolve(files, name, merged[name]);
  return { profiles, resolved };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  for (const pair of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
    process.stdout.write(JSON.stringify(await readPair(pair)) + "\n");
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
