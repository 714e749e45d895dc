/**
 * STS is called in the CodeCommit host's region unless the profile names one (China
 * hosts need China STS), and no "default STS region" warning reaches git. The STS stub records the
 * region of each call's SigV4 credential scope.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { runHelper } from "../support/run-binary.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const BASE = "[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-1234567890\n";

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

async function getFor(host: string, profile: string): Promise<void> {
  const r = await runHelper(["--profile", profile, "get"], {
    env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint },
    stdin: `protocol=https\nhost=${host}\npath=v1/repos/demo\n\n`,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
}

describe("STS region", () => {
  it.each([
    ["git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1"],
    ["git-codecommit.eu-west-1.amazonaws.com", "eu-west-1"],
    ["git-codecommit-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"],
    ["vpce-0123abcd-4567efgh.git-codecommit.ap-southeast-2.vpce.amazonaws.com", "ap-southeast-2"],
  ])("a role profile without a region assumes the role in the host's region: %s → %s", async (host, region) => {
    world.writeConfig(`${BASE}[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = base\n`);
    await getFor(host, "cross");
    expect(sts.calls.map((c) => [c.action, c.signingRegion])).toEqual([["AssumeRole", region]]);
  });

  it("the profile's own region wins over the host's", async () => {
    world.writeConfig(
      `${BASE}[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = base\nregion = eu-central-1\n`,
    );
    await getFor("git-codecommit.us-west-2.amazonaws.com", "cross");
    expect(sts.calls.map((c) => [c.action, c.signingRegion])).toEqual([["AssumeRole", "eu-central-1"]]);
  });
});
