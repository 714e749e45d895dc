/**
 * Configured endpoint URLs and botocore's switch that ignores them all
 * (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, the profile's `ignore_configured_endpoint_urls`), for
 * `get`'s STS call, end to end. The STS stub sits at AWS_ENDPOINT_URL_STS. Where the endpoint must
 * be ignored, the helper runs in a network namespace of its own with no interface up
 * (`unshare -n`): nothing leaves the machine, and its one-line error names the host it tried,
 * which must be the real regional STS host, not the stub.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { runHelper } from "../support/run-binary.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const ROLE = "arn:aws:iam::222222222222:role/dev";
const CONFIG = `[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-1234567890\n[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\n`;
const REQUEST = "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/demo\n\n";
const REAL_STS_UNREACHABLE = `git-credential-codecommit: could not reach STS at sts.eu-west-1.amazonaws.com for profile cross role ${ROLE}: host name not found. Check the network, or set HTTPS_PROXY if AWS is reached through a proxy\n`;

let world: IsolatedEnv;
let sts: StsStub;
beforeEach(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

function get(env: Record<string, string>, isolated: boolean) {
  return runHelper(["--profile", "cross", "get"], {
    env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint, ...env },
    stdin: REQUEST,
    ...(isolated ? { wrap: ["unshare", "-n"] } : {}),
    timeoutMs: 60_000,
  });
}

describe("configured endpoints for get's STS call", () => {
  it("AWS_ENDPOINT_URL_STS is used when nothing says to ignore it", async () => {
    world.writeConfig(CONFIG);
    const r = await get({}, false);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(sts.calls.map((c) => c.action)).toEqual(["AssumeRole"]);
  });

  it("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: the regional STS host instead", async () => {
    world.writeConfig(CONFIG);
    const r = await get({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, true);
    expect([r.code, r.stderr]).toEqual([1, REAL_STS_UNREACHABLE]);
    expect(sts.calls).toEqual([]);
  });

  it("the selected profile's ignore_configured_endpoint_urls = true: the regional STS host instead", async () => {
    world.writeConfig(CONFIG.replace("source_profile = base\n", "source_profile = base\nignore_configured_endpoint_urls = true\n"));
    const r = await get({}, true);
    expect([r.code, r.stderr]).toEqual([1, REAL_STS_UNREACHABLE]);
  });

  it("the variable set to false overrides the profile's true, as in botocore", async () => {
    world.writeConfig(CONFIG.replace("source_profile = base\n", "source_profile = base\nignore_configured_endpoint_urls = true\n"));
    const r = await get({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" }, false);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(sts.calls.map((c) => c.action)).toEqual(["AssumeRole"]);
  });

  it("the profile's services section names STS's endpoint", async () => {
    world.writeConfig(
      `${CONFIG.replace("source_profile = base\n", "source_profile = base\nservices = local\n")}[services local]\nsts =\n  endpoint_url = ${sts.endpoint}\n`,
    );
    const r = await runHelper(["--profile", "cross", "get"], { env: world.env, stdin: REQUEST });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(sts.calls.map((c) => c.action)).toEqual(["AssumeRole"]);
  });
});
