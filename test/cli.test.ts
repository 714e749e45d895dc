/**
 * Contract §1: arguments, the operation table, and the one place that prints errors — through
 * parseArgs and run() with in-memory streams (STYLE habit 1). The built binary gets the same cases in
 * transcripts.test.ts.
 */
import { describe, expect, it } from "vitest";
import { type Io, type ParsedArgs, USAGE, parseArgs, run } from "../src/cli.js";
import { HelperError } from "../src/errors.js";
import { VERSION } from "../src/version.js";

const NONE: ParsedArgs = { profile: undefined, region: undefined, hosts: [], debug: false, global: false, operation: undefined, rest: [], passthrough: [] };

function usageError(argv: string[]): HelperError {
  try {
    parseArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(HelperError);
    return err as HelperError;
  }
  throw new Error(`parseArgs accepted ${JSON.stringify(argv)}`);
}

describe("parseArgs", () => {
  it("takes the operation git appends last", () => {
    expect(parseArgs(["get"])).toEqual({ ...NONE, operation: "get" });
    expect(parseArgs(["--profile", "dev", "get"])).toEqual({ ...NONE, profile: "dev", operation: "get" });
  });
  it("reads every option, in any order around the operation", () => {
    expect(parseArgs(["--profile", "dev", "--region", "eu-west-1", "--host", "a.example", "--debug", "--host", "b.example", "store"])).toEqual({
      ...NONE,
      profile: "dev",
      region: "eu-west-1",
      hosts: ["a.example", "b.example"],
      debug: true,
      operation: "store",
      rest: [],
    });
    expect(parseArgs(["erase", "--profile", "dev"])).toEqual({ ...NONE, profile: "dev", operation: "erase" });
  });
  it("accepts --opt=value", () => {
    expect(parseArgs(["--profile=dev", "--region=cn-north-1", "--host=my.proxy.example", "get"])).toEqual({
      ...NONE,
      profile: "dev",
      region: "cn-north-1",
      hosts: ["my.proxy.example"],
      operation: "get",
    });
  });
  it("keeps a value containing = after the first", () => {
    expect(parseArgs(["--profile=a=b", "get"]).profile).toBe("a=b");
  });
  it("takes a value that starts with a dash as the option's value", () => {
    expect(parseArgs(["--profile", "-odd-", "get"]).profile).toBe("-odd-");
  });
  it("keeps later positionals in rest (setup, clone, doctor)", () => {
    expect(parseArgs(["clone", "--region", "us-east-1", "myrepo", "mydir"])).toEqual({
      ...NONE,
      region: "us-east-1",
      operation: "clone",
      rest: ["myrepo", "mydir"],
    });
  });
  it("passes an unknown operation through (run() ignores it)", () => {
    expect(parseArgs(["frobnicate"])).toEqual({ ...NONE, operation: "frobnicate" });
  });
  it("lets --version and --help win over an operation", () => {
    expect(parseArgs(["--version"])).toEqual({ ...NONE, operation: "--version" });
    expect(parseArgs(["get", "--help"])).toEqual({ ...NONE, operation: "--help", rest: ["get"] });
    expect(parseArgs(["-h"]).operation).toBe("-h");
  });
  it("has no operation for no arguments", () => {
    expect(parseArgs([])).toEqual(NONE);
  });
  it("refuses an unknown option, naming it", () => {
    const err = usageError(["--frobnicate", "get"]);
    expect(err.kind).toBe("usage");
    expect(err.userLine()).toBe("git-credential-codecommit: unknown option --frobnicate. Run git-credential-codecommit --help");
    expect(usageError(["get", "-x"]).message).toBe("unknown option -x. Run git-credential-codecommit --help");
  });
  it("refuses an option without its value", () => {
    expect(usageError(["get", "--profile"]).message).toBe("--profile needs a value. Run git-credential-codecommit --help");
    expect(usageError(["--region", "", "get"]).message).toBe("--region needs a value. Run git-credential-codecommit --help");
    expect(usageError(["--host"]).message).toBe("--host needs a value. Run git-credential-codecommit --help");
    expect(usageError(["--profile=", "get"]).message).toBe("--profile needs a value. Run git-credential-codecommit --help");
  });
});

/** An in-memory Io: what run() printed and returned. */
async function runWith(argv: string[], stdin = "", env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    argv,
    env: { AWS_EC2_METADATA_DISABLED: "true", HOME: "/nonexistent-home", ...env },
    readStdin: async () => Buffer.from(stdin),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => new Date("2017-12-24T11:53:20Z"),
    promptMfa: () => {
      throw new Error("no MFA prompt expected");
    },
  };
  const code = await run(io);
  return { code, stdout, stderr };
}

const GET_INPUT = "protocol=https\nhost=git-codecommit.us-west-2.amazonaws.com\npath=v1/repos/test_repo\n\n";

// A get that signs is checked through the built binary (transcripts.test.ts): the SDK reads its
// credentials from process.env, not from Io.env.
describe("run: the operation table", () => {
  it("store and erase print nothing and succeed", async () => {
    expect(await runWith(["store"], GET_INPUT)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await runWith(["erase"], GET_INPUT)).toEqual({ code: 0, stdout: "", stderr: "" });
  });
  it("ignores an unknown operation", async () => {
    expect(await runWith(["frobnicate"], GET_INPUT)).toEqual({ code: 0, stdout: "", stderr: "" });
  });
  it("prints the version and the usage", async () => {
    expect(await runWith(["--version"])).toEqual({ code: 0, stdout: `git-credential-codecommit ${VERSION}\n`, stderr: "" });
    expect(await runWith(["--help"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect(await runWith(["-h"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
  });
  it("fails on an unknown option with one line and no quit=1", async () => {
    expect(await runWith(["--frobnicate", "get"], GET_INPUT)).toEqual({
      code: 1,
      stdout: "",
      stderr: "git-credential-codecommit: unknown option --frobnicate. Run git-credential-codecommit --help\n",
    });
  });
  it("fails without an operation", async () => {
    expect(await runWith([])).toEqual({
      code: 1,
      stdout: "",
      stderr: "git-credential-codecommit: no operation given. Run git-credential-codecommit --help\n",
    });
  });
  it("stays silent for a host it does not answer", async () => {
    expect(await runWith(["get"], "protocol=https\nhost=github.com\npath=a/b\n\n")).toEqual({ code: 0, stdout: "", stderr: "" });
  });
  it("prints quit=1 and one line when it answers but fails", async () => {
    expect(await runWith(["get"], "protocol=https\nhost=git-codecommit.us-west-2.amazonaws.com\n\n")).toEqual({
      code: 1,
      stdout: "quit=1\n",
      stderr:
        'git-credential-codecommit: git did not send the repository path for git-codecommit.us-west-2.amazonaws.com, which the CodeCommit signature needs. Run "git config --global credential.https://git-codecommit.us-west-2.amazonaws.com.UseHttpPath true" (or set credential.UseHttpPath=true for this repository)\n',
    });
  });
  it("prints no quit=1 for bad input", async () => {
    expect(await runWith(["get"], "protocol=https\nnonsense\n")).toEqual({
      code: 1,
      stdout: "",
      stderr: 'git-credential-codecommit: bad input from git: line 2 has no "=". Expected key=value lines as git sends them (see git-credential(1))\n',
    });
  });
});
