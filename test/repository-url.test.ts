/** clone's <repository> forms (contract §9) and doctor's clock check, as pure functions. */
import { describe, expect, it } from "vitest";
import { clockCheck } from "../src/doctor/aws-checks.js";
import { parseRepository } from "../src/repository-url.js";
import { HelperError } from "../src/errors.js";

describe("parseRepository", () => {
  const region = (profile: string | undefined) => (profile === "china" ? "cn-north-1" : "eu-west-1");
  it.each([
    ["demo", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }],
    ["my_repo.v2-x", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/my_repo.v2-x" }],
    ["https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/demo", { url: "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/demo" }],
    ["codecommit::us-east-1://dev@demo", { url: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", profile: "dev" }],
    ["codecommit::cn-northwest-1://demo", { url: "https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/demo" }],
    ["codecommit://china@demo", { url: "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo", profile: "china" }],
    ["codecommit://demo", { url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo" }],
  ])("%s", (arg, ref) => {
    expect(parseRepository(arg, region)).toEqual(ref);
  });
  it.each([["a/b"], [".."], ["codecommit://x@a/b"], ["https://github.com/a/b"], ["http://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"], ["https://u:p@git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"]])(
    "refuses %s",
    (arg) => {
      expect(() => parseRepository(arg, region)).toThrow(HelperError);
    },
  );
  it("asks for a region only when the argument names none", () => {
    expect(() => parseRepository("demo", () => undefined)).toThrow("no AWS region is configured to find the repository demo in");
    expect(parseRepository("codecommit::eu-west-1://demo", () => undefined).url).toBe("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo");
  });
});

describe("clockCheck", () => {
  const sts = new Date("2025-06-15T08:30:45Z");
  const at = (seconds: number) => new Date(sts.getTime() + seconds * 1000);
  it("passes within a minute, warns up to 5 minutes, fails beyond", () => {
    expect(clockCheck(at(60), sts)).toEqual({ status: "ok", text: "the clock agrees with STS (within a minute)" });
    expect(clockCheck(at(-180), sts).status).toBe("warn");
    expect(clockCheck(at(-180), sts).text).toBe("this computer's clock is 3 minutes behind STS; SigV4 signatures are refused beyond 5 minutes");
    expect(clockCheck(at(301), sts).status).toBe("fail");
    expect(clockCheck(at(7200), sts).text).toBe("this computer's clock is 120 minutes ahead of STS: AWS refuses SigV4 signatures more than 5 minutes off, CodeCommit passwords included");
  });
});
