/**
 * `clone`, and no password stored on the way: the clone's own environment repeats setup's settings scoped to the
 * repository's origin, appended where git reads them last — after a `git -c credential.helper=store`
 * in GIT_CONFIG_PARAMETERS — so no storing helper is handed the password during the clone.
 */
import { describe, expect, it } from "vitest";
import { planClone, type CloneOptions } from "../src/commands/clone.js";

const OPTIONS: CloneOptions = { profile: "dev", region: undefined, repository: "", directory: "work", gitArgs: [] };
const noProfile = () => ({ name: "default", settings: undefined });

describe("planClone", () => {
  it("appends origin-scoped entries to GIT_CONFIG_PARAMETERS, in git's quoting, after the caller's", () => {
    const url = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo";
    const plan = planClone(
      { ...OPTIONS, repository: url },
      { env: { GIT_CONFIG_PARAMETERS: "'credential.helper'='store'" }, profileInEffect: noProfile },
    );
    expect(plan.args).toEqual([
      "clone",
      "--config",
      "credential.helper=",
      "--config",
      "credential.helper=codecommit --profile dev",
      "--config",
      "credential.UseHttpPath=true",
      "--",
      url,
      "work",
    ]);
    expect(plan.env).toEqual({
      GIT_CONFIG_PARAMETERS: [
        "'credential.helper'='store'",
        "'credential.https://git-codecommit.eu-west-1.amazonaws.com.helper'=''",
        "'credential.https://git-codecommit.eu-west-1.amazonaws.com.helper'='codecommit --profile dev'",
        "'credential.https://git-codecommit.eu-west-1.amazonaws.com.useHttpPath'='true'",
      ].join(" "),
    });
  });

  it("without GIT_CONFIG_PARAMETERS: after the GIT_CONFIG_COUNT entries; the port stays in the scope, as git matches it", () => {
    const url = "https://git-codecommit.us-east-1.amazonaws.com:8443/v1/repos/demo";
    const env = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "credential.helper", GIT_CONFIG_VALUE_0: "store" };
    const plan = planClone({ ...OPTIONS, profile: undefined, region: "us-east-1", repository: url }, { env, profileInEffect: noProfile });
    const scope = "credential.https://git-codecommit.us-east-1.amazonaws.com:8443";
    expect(plan.env).toEqual({
      ...env,
      GIT_CONFIG_COUNT: "4",
      GIT_CONFIG_KEY_1: `${scope}.helper`,
      GIT_CONFIG_VALUE_1: "",
      GIT_CONFIG_KEY_2: `${scope}.helper`,
      GIT_CONFIG_VALUE_2: "codecommit --region us-east-1",
      GIT_CONFIG_KEY_3: `${scope}.useHttpPath`,
      GIT_CONFIG_VALUE_3: "true",
    });
  });
});
