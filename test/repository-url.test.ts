/** clone's <repository> forms (README, "Per repository: `clone` and `setup`") and doctor's clock check, as pure functions. */
import { describe, expect, it } from "vitest";
import { clockCheck } from "../src/doctor/aws-checks.js";
import { parseRepository, type RepositoryContext } from "../src/repository-url.js";
import { HelperError } from "../src/errors.js";

describe("parseRepository", () => {
  /** Profiles as the shared files would give them; AWS_PROFILE and the rest of botocore's choice are the lookup's business. */
  const SETTINGS: Record<string, Record<string, string>> = {
    default: { region: "eu-west-1" },
    china: { region: "cn-north-1" },
    fips: { region: "us-east-1", use_fips_endpoint: "true" },
    bare: {},
  };
  const ctx = (env: Record<string, string> = {}, region?: string): RepositoryContext => ({
    region,
    env,
    profile: (p) => ({ name: p ?? "default", settings: SETTINGS[p ?? "default"] }),
  });
  const parse = (arg: string, c = ctx()) => {
    const ref = parseRepository(arg, c);
    return { url: ref.url, ...(ref.profile !== undefined ? { profile: ref.profile } : {}) };
  };
  it.each([
    ["demo", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }],
    ["my_repo.v2-x", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/my_repo.v2-x" }],
    [
      "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/demo",
      { url: "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/demo" },
    ],
    ["codecommit::us-east-1://dev@demo", { url: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", profile: "dev" }],
    ["codecommit::cn-northwest-1://demo", { url: "https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/demo" }],
    ["codecommit://china@demo", { url: "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo", profile: "china" }],
    ["codecommit://demo", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }],
    ["codecommit://demo/", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }],
    // The remote helper's host choice: the profile's use_fips_endpoint.
    ["codecommit://fips@demo", { url: "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo", profile: "fips" }],
  ])("%s", (arg, ref) => {
    expect(parse(arg)).toEqual(ref);
  });
  it("takes FIPS and CODE_COMMIT_ENDPOINT from the environment as the remote helper does", () => {
    expect(parse("codecommit::us-west-2://demo", ctx({ AWS_USE_FIPS_ENDPOINT: "true" })).url).toBe(
      "https://git-codecommit-fips.us-west-2.amazonaws.com/v1/repos/demo",
    );
    expect(parse("demo", ctx({ AWS_USE_FIPS_ENDPOINT: "TRUE" })).url).toBe(
      "https://git-codecommit-fips.eu-west-1.amazonaws.com/v1/repos/demo",
    );
    const custom = parseRepository("codecommit::us-east-1://dev@demo", ctx({ CODE_COMMIT_ENDPOINT: "codecommit.internal:8443" }));
    expect(custom).toEqual({
      url: "https://codecommit.internal:8443/v1/repos/demo",
      profile: "dev",
      endpoint: { region: "us-east-1", host: "codecommit.internal:8443", overridden: true },
    });
  });
  it("--region counts only where the argument names no region", () => {
    expect(parse("demo", ctx({}, "ap-south-1")).url).toBe("https://git-codecommit.ap-south-1.amazonaws.com/v1/repos/demo");
    expect(parse("codecommit://china@demo", ctx({}, "ap-south-1")).url).toBe(
      "https://git-codecommit.ap-south-1.amazonaws.com/v1/repos/demo",
    );
    expect(parse("codecommit::us-east-1://demo", ctx({}, "ap-south-1")).url).toBe(
      "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo",
    );
  });
  it.each([
    ["a/b"],
    [".."],
    ["codecommit://x@a/b"],
    ["codecommit::nowhere://demo"],
    ["https://github.com/a/b"],
    ["http://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"],
    ["https://u:p@git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"],
  ])("refuses %s", (arg) => {
    expect(() => parseRepository(arg, ctx())).toThrow(HelperError);
  });
  it("refuses a codecommit: URL with the remote helper's words", () => {
    expect(() => parseRepository("codecommit::nowhere://dev@demo", ctx())).toThrow(
      'the remote URL "codecommit::nowhere://dev@demo" starts with "nowhere", which is neither codecommit nor an AWS region',
    );
  });
  it("needs a region only when the argument names none", () => {
    const none = (): RepositoryContext => ({ region: undefined, env: {}, profile: () => ({ name: "bare", settings: SETTINGS.bare }) });
    expect(() => parseRepository("demo", none())).toThrow("no AWS region is configured to find the repository demo in");
    expect(() => parseRepository("codecommit://demo", none())).toThrow(
      "no AWS region for this remote: the URL names none, profile bare has no region",
    );
    expect(parseRepository("codecommit::eu-west-1://demo", none()).url).toBe(
      "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo",
    );
  });
});

describe("clockCheck", () => {
  const sts = new Date("2025-06-15T08:30:45Z");
  const at = (seconds: number) => new Date(sts.getTime() + seconds * 1000);
  it("passes within a minute, warns up to 5 minutes, fails beyond", () => {
    expect(clockCheck(at(60), sts)).toEqual({ status: "ok", text: "the clock agrees with STS (within a minute)" });
    expect(clockCheck(at(-180), sts).status).toBe("warn");
    expect(clockCheck(at(-180), sts).text).toBe(
      "this computer's clock is 3 minutes behind STS; SigV4 signatures are refused beyond 5 minutes",
    );
    expect(clockCheck(at(301), sts).status).toBe("fail");
    expect(clockCheck(at(7200), sts).text).toBe(
      "this computer's clock is 120 minutes ahead of STS: AWS refuses SigV4 signatures more than 5 minutes off, CodeCommit passwords included",
    );
  });
});
