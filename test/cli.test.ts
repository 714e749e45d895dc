/**
 * The command line: arguments, the operation table, and the one place that prints errors — through
 * parseArgs and run() with in-memory streams, so no test touches the real process. The built
 * binary gets the same cases in transcripts.test.ts.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type Io, type ParsedArgs, parseArgs, run } from "../src/cli.js";
import { HelperError } from "../src/errors.js";
import { PROGRAM_HELP as USAGE, helpText } from "../src/help.js";
import { VERSION } from "../src/version.js";
import { BINARY } from "./support/run-binary.js";

const NONE: ParsedArgs = {
  profile: undefined,
  region: undefined,
  hosts: [],
  debug: false,
  global: false,
  operation: undefined,
  rest: [],
  passthrough: [],
};

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
    expect(
      parseArgs(["--profile", "dev", "--region", "eu-west-1", "--host", "a.example", "--debug", "--host", "b.example", "store"]),
    ).toEqual({
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
  it("reads setup's --global and clone's words, and everything after -- untouched", () => {
    expect(parseArgs(["setup", "--global", "--profile", "dev"])).toEqual({ ...NONE, profile: "dev", global: true, operation: "setup" });
    expect(parseArgs(["clone", "--region", "eu-west-1", "demo", "dir", "--", "--depth", "1", "--profile", "x"])).toEqual({
      ...NONE,
      region: "eu-west-1",
      operation: "clone",
      rest: ["demo", "dir"],
      passthrough: ["--depth", "1", "--profile", "x"],
    });
    expect(parseArgs(["doctor", "--", "--help"])).toEqual({ ...NONE, operation: "doctor", passthrough: ["--help"] });
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
  it("refuses git clone's options given to clone before --, saying where they go", () => {
    const hint = "git clone's own options go after --, e.g. git-credential-codecommit clone REPOSITORY -- --depth 1";
    expect(usageError(["clone", "demo", "--depth", "1"]).message).toBe(`unknown option --depth. ${hint}`);
    expect(usageError(["clone", "-b", "main", "demo"]).message).toBe(`unknown option -b. ${hint}`);
    expect(usageError(["--bare", "clone", "demo"]).message).toBe(`unknown option --bare. ${hint}`);
    expect(usageError(["doctor", "--depth"]).message).toBe("unknown option --depth. Run git-credential-codecommit --help");
  });
  it("refuses an option without its value", () => {
    expect(usageError(["get", "--profile"]).message).toBe("--profile needs a value. Run git-credential-codecommit --help");
    expect(usageError(["--region", "", "get"]).message).toBe("--region needs a value. Run git-credential-codecommit --help");
    expect(usageError(["--host"]).message).toBe("--host needs a value. Run git-credential-codecommit --help");
    expect(usageError(["--profile=", "get"]).message).toBe("--profile needs a value. Run git-credential-codecommit --help");
  });
});

/** An in-memory Io: what run() printed and returned. */
async function runWith(
  argv: string[],
  stdin = "",
  env: Record<string, string> = {},
  extra: Partial<Io> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
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
    spawn: () => {
      throw new Error("no program expected to run");
    },
    ...extra,
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
  it("prints the version with the runtime main.ts names, and the usage", async () => {
    expect(await runWith(["--version"], "", {}, { runtime: "Bun 1.4.5" })).toEqual({
      code: 0,
      stdout: `git-credential-codecommit ${VERSION} (Bun 1.4.5)\n`,
      stderr: "",
    });
    expect(await runWith(["--version"])).toEqual({ code: 0, stdout: `git-credential-codecommit ${VERSION}\n`, stderr: "" });
    expect(await runWith(["--help"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect(await runWith(["-h"])).toEqual({ code: 0, stdout: USAGE, stderr: "" });
  });
  it("prints each command's help, every one with the empty-helper reset", async () => {
    for (const command of ["setup", "clone", "doctor", "get"]) {
      const text = helpText(command);
      expect(text.startsWith(`usage: git-credential-codecommit ${command === "get" ? "[--profile NAME]" : command}`), command).toBe(true);
      expect(await runWith([command, "--help"])).toEqual({ code: 0, stdout: text, stderr: "" });
      expect(await runWith(["help", command])).toEqual({ code: 0, stdout: text, stderr: "" });
    }
    expect(helpText("setup")).toContain(
      "  [credential]\n  \thelper =\n  \thelper = /usr/local/bin/git-credential-codecommit --profile dev\n",
    );
    expect(helpText("clone")).toContain("--config credential.helper= \\\n");
    for (const text of [USAGE, helpText("doctor"), helpText("get")])
      expect(text).toContain("git config credential.helper ''\n  git config --add credential.helper 'codecommit --profile ");
    expect(helpText("store")).toBe(helpText("get"));
    expect(helpText("frobnicate")).toBe(USAGE);
  });
  it("lists every command in --help, and install-remote-helper has its own help", async () => {
    expect(USAGE).toContain(
      "Commands:\n" +
        "  clone    clone a repository, set up for this helper\n" +
        "  setup    set up the current repository (or, with --global, every CodeCommit URL)\n" +
        "  doctor   check that git will use this helper and that it can sign\n" +
        '  login    sign in to IAM Identity Center (SSO) for a profile, as "aws sso login" does\n' +
        "  install-remote-helper   make git-remote-codecommit run this program, for codecommit:// URLs\n" +
        "  get, store, erase   the operations git runs\n",
    );
    const own = helpText("install-remote-helper");
    expect(own.startsWith("usage: git-credential-codecommit install-remote-helper [DIR]\n\n")).toBe(true);
    expect(await runWith(["install-remote-helper", "--help"])).toEqual({ code: 0, stdout: own, stderr: "" });
    expect(await runWith(["help", "install-remote-helper"])).toEqual({ code: 0, stdout: own, stderr: "" });
    expect(await runWith(["login", "--help"])).toEqual({ code: 0, stdout: helpText("login"), stderr: "" });
  });
  it("gives a person at a terminal a one-line hint for an unknown word; git gets silence", async () => {
    expect(await runWith(["frobnicate"], "", {}, { stdinIsTerminal: () => true })).toEqual({
      code: 1,
      stdout: "",
      stderr: 'git-credential-codecommit: unknown command "frobnicate". Run git-credential-codecommit --help\n',
    });
    expect(await runWith(["frobnicate"], GET_INPUT, {}, { stdinIsTerminal: () => false })).toEqual({ code: 0, stdout: "", stderr: "" });
  });
  it("refuses wrong words for setup and clone before running anything", async () => {
    expect(await runWith(["setup", "extra"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'git-credential-codecommit: setup takes no other arguments (got "extra"). Run git-credential-codecommit setup --help\n',
    });
    expect(await runWith(["clone", "a", "b", "c"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'git-credential-codecommit: clone takes a repository and a directory, not "c". Run git-credential-codecommit clone --help\n',
    });
    expect(await runWith(["setup", "--host", "my.proxy"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "git-credential-codecommit: setup does not take --host. Add --host NAME to the credential.helper line by hand: git config --add credential.helper 'codecommit --host NAME --region REGION'\n",
    });
    expect(await runWith(["clone", "--global", "demo"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "git-credential-codecommit: clone does not take --global. Run git-credential-codecommit clone --help\n",
    });
    expect(await runWith(["doctor", "a", "b"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "git-credential-codecommit: doctor takes at most one URL. Run git-credential-codecommit doctor --help\n",
    });
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
      stderr:
        'git-credential-codecommit: bad input from git: line 2 has no "=". Expected key=value lines as git sends them (see git-credential(1))\n',
    });
  });
});

describe("the built binary at a terminal (main.ts tells run() whether stdin is one)", () => {
  // util-linux `script` gives the binary a pseudo-terminal, as a person typing would.
  const atTerminal = (command: string) =>
    spawnSync("script", ["-qec", command, "/dev/null"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent-home", AWS_EC2_METADATA_DISABLED: "true" },
      timeout: 30_000,
    });

  it("hints at an unknown word typed at a terminal", () => {
    const r = atTerminal(`${BINARY} frobnicate`);
    expect({ code: r.status, out: r.stdout }).toEqual({
      code: 1,
      out: 'git-credential-codecommit: unknown command "frobnicate". Run git-credential-codecommit --help\r\n',
    });
  });
  it("stays silent when stdin is a pipe or a file, as from git", () => {
    const r = atTerminal(`${BINARY} frobnicate </dev/null`);
    expect({ code: r.status, out: r.stdout }).toEqual({ code: 0, out: "" });
  });
});
