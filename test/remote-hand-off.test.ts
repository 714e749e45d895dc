/**
 * The git-remote-codecommit mode's hand-off to `git remote-https` — a URL without credentials, this executable as
 * the only credential helper for that host, configured through GIT_CONFIG_COUNT entries appended
 * after the caller's — and which start of the binary is the remote helper at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planHandOff } from "../src/remote/hand-off.js";
import { isRemoteHelperCall } from "../src/remote/program-name.js";
import { runRemote } from "../src/remote/run-remote.js";
import { isolatedEnv, type IsolatedEnv } from "./support/isolated-env.js";

describe("isRemoteHelperCall", () => {
  const cases: ReadonlyArray<readonly [string, readonly string[], boolean]> = [
    ["git-remote-codecommit", ["origin", "codecommit://repo"], true],
    ["/usr/local/bin/git-remote-codecommit", ["origin", "codecommit://repo"], true],
    ["C:\\tools\\Git-Remote-CodeCommit.EXE", ["origin", "codecommit://repo"], true],
    // Too few arguments is still git calling a remote helper: it gets the usage error.
    ["git-remote-codecommit", [], true],
    // A copy named git-remote-codecommit, run as the credential helper the hand-off configured.
    ["/opt/bin/git-remote-codecommit", ["--region", "us-east-1", "--profile", "dev", "get"], false],
    ["git-remote-codecommit", ["--version"], false],
    ["git-credential-codecommit", ["origin", "codecommit://repo"], false],
    ["/usr/lib/node_modules/x/dist/git-credential-codecommit.cjs", ["get"], false],
    ["git-remote-codecommit-old", ["origin", "codecommit://repo"], false],
  ];
  for (const [name, argv, expected] of cases) {
    it(`${name} ${argv.join(" ")} → ${expected ? "remote helper" : "credential helper"}`, () => {
      expect(isRemoteHelperCall(name, argv)).toBe(expected);
    });
  }
});

describe("planHandOff", () => {
  it("a profile URL: no credential in the URL, helper reset, this binary with --region and --profile, UseHttpPath", () => {
    const plan = planHandOff({
      remoteName: "origin",
      repository: "demo",
      profile: "dev team",
      endpoint: { region: "eu-west-1", host: "git-codecommit.eu-west-1.amazonaws.com", overridden: false },
      selfCommand: ["/opt/gcc/git-credential-codecommit"],
      env: { HOME: "/home/u" },
      debug: false,
    });
    expect(plan.command).toBe("git");
    expect(plan.args).toEqual(["remote-https", "origin", "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo"]);
    expect(plan.env).toEqual({
      HOME: "/home/u",
      GIT_CONFIG_COUNT: "3",
      GIT_CONFIG_KEY_0: "credential.https://git-codecommit.eu-west-1.amazonaws.com.helper",
      GIT_CONFIG_VALUE_0: "",
      GIT_CONFIG_KEY_1: "credential.https://git-codecommit.eu-west-1.amazonaws.com.helper",
      GIT_CONFIG_VALUE_1: "!/opt/gcc/git-credential-codecommit --region eu-west-1 --profile 'dev team'",
      GIT_CONFIG_KEY_2: "credential.https://git-codecommit.eu-west-1.amazonaws.com.useHttpPath",
      GIT_CONFIG_VALUE_2: "true",
    });
  });

  it("no profile, the npm bin under node, an override host with a port, debug on", () => {
    const plan = planHandOff({
      remoteName: "codecommit://repo",
      repository: "repo",
      profile: undefined,
      endpoint: { region: "us-west-2", host: "land.called.honahlee:8443", overridden: true },
      selfCommand: ["/usr/bin/node", "/usr/lib/node_modules/git-credential-codecommit/dist/git-credential-codecommit.cjs"],
      env: {},
      debug: true,
    });
    expect(plan.args).toEqual(["remote-https", "codecommit://repo", "https://land.called.honahlee:8443/v1/repos/repo"]);
    expect(plan.config).toEqual([
      ["credential.https://land.called.honahlee:8443.helper", ""],
      [
        "credential.https://land.called.honahlee:8443.helper",
        "!/usr/bin/node /usr/lib/node_modules/git-credential-codecommit/dist/git-credential-codecommit.cjs --region us-west-2 --host land.called.honahlee --debug",
      ],
      ["credential.https://land.called.honahlee:8443.useHttpPath", "true"],
    ]);
  });
});

describe("runRemote", () => {
  let world: IsolatedEnv;
  beforeAll(() => {
    world = isolatedEnv();
    world.writeConfig("[profile dev]\nregion = ap-southeast-2\n[default]\nregion = us-west-2\n");
    world.writeCredentials("[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret-never-in-argv-0123\n");
  });
  afterAll(() => world.cleanup());

  /** Runs with a recording hand-off; returns the exit code, stderr and what would have run. */
  async function remote(
    argv: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; stderr: string; ran: Array<{ command: string; args: readonly string[] }> }> {
    let stderr = "";
    const ran: Array<{ command: string; args: readonly string[] }> = [];
    const code = await runRemote({
      argv,
      env: { ...world.env, ...env },
      stderr: (t) => (stderr += t),
      selfCommand: ["/opt/gcc/git-credential-codecommit"],
      handOff: async (command, args) => {
        ran.push({ command, args });
        return 7;
      },
    });
    return { code, stderr, ran };
  }

  it("hands off and returns the child's exit status, silently", async () => {
    expect(await remote(["origin", "codecommit://dev@demo"])).toEqual({
      code: 7,
      stderr: "",
      ran: [{ command: "git", args: ["remote-https", "origin", "https://git-codecommit.ap-southeast-2.amazonaws.com/v1/repos/demo"] }],
    });
  });

  it("without a profile in the URL, AWS_PROFILE's region, else the default profile's", async () => {
    expect((await remote(["origin", "codecommit://demo"], { AWS_PROFILE: "dev" })).ran[0]?.args[2]).toBe(
      "https://git-codecommit.ap-southeast-2.amazonaws.com/v1/repos/demo",
    );
    expect((await remote(["origin", "codecommit://demo"])).ran[0]?.args[2]).toBe(
      "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/demo",
    );
  });

  it("an unknown profile: one line listing the known ones, nothing run", async () => {
    const r = await remote(["origin", "codecommit://nope@demo"]);
    expect(r).toEqual({
      code: 1,
      stderr: `git-credential-codecommit: the AWS profile "nope" is not in ${world.configFile} or ${world.credentialsFile}. Known profiles: "default", "dev"\n`,
      ran: [],
    });
  });

  it("a malformed URL: one line, nothing run", async () => {
    expect(await remote(["origin", "codecommit:/demo"])).toEqual({
      code: 1,
      stderr:
        'git-credential-codecommit: the remote URL "codecommit:/demo" needs "//" after "codecommit:". Use codecommit://[PROFILE@]REPOSITORY or codecommit::REGION://[PROFILE@]REPOSITORY\n',
      ran: [],
    });
  });

  it("too few or too many arguments", async () => {
    for (const argv of [[], ["origin"], ["a", "b", "c"]]) {
      const r = await remote(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `git-credential-codecommit: git-remote-codecommit takes a remote name and a URL from git, but was given ${argv.length} argument${argv.length === 1 ? "" : "s"}. Use it through git: git clone codecommit://[PROFILE@]REPOSITORY\n`,
      );
    }
  });

  it("GIT_CREDENTIAL_CODECOMMIT_DEBUG=1 traces each step; no secret from the files appears", async () => {
    const r = await remote(["origin", "codecommit://dev@demo"], { GIT_CREDENTIAL_CODECOMMIT_DEBUG: "1" });
    expect(r.stderr.split("\n")).toEqual([
      'git-credential-codecommit[debug]: remote {"remoteName":"origin","repository":"demo","profile":"dev"}',
      'git-credential-codecommit[debug]: endpoint {"profile":"dev","region":"ap-southeast-2","host":"git-codecommit.ap-southeast-2.amazonaws.com","overridden":false}',
      'git-credential-codecommit[debug]: hand-off {"command":"git remote-https origin https://git-codecommit.ap-southeast-2.amazonaws.com/v1/repos/demo","config":["credential.https://git-codecommit.ap-southeast-2.amazonaws.com.helper=","credential.https://git-codecommit.ap-southeast-2.amazonaws.com.helper=!/opt/gcc/git-credential-codecommit --region ap-southeast-2 --profile dev --debug","credential.https://git-codecommit.ap-southeast-2.amazonaws.com.useHttpPath=true"]}',
      "git-credential-codecommit[debug]: git remote-https exited with 7",
      "",
    ]);
    expect(r.stderr).not.toContain("secret-never-in-argv-0123");
  });
});
