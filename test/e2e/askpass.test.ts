/**
 * The MFA code asked through git's askpass programs, as an IDE or a GUI git runs us: no controlling
 * terminal (`setsid`), `GIT_ASKPASS` (or `core.askPass`, or `SSH_ASKPASS`) set to a prompt window.
 * The stand-in window accepts only git's own prompt shape, as VS Code's does (it splits the prompt
 * on spaces and takes `<Username|Password> for '<url>':`), records each question, and answers.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { BINARY, runCommand, runHelper, type RunResult } from "../support/run-binary.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
const SERIAL = "arn:aws:iam::111111111111:mfa/dev";
const CODE = "418207";
const PROMPT = `Password for '${SERIAL}': `;

let world: IsolatedEnv;
let sts: StsStub;
/** A directory with a space, as `C:\Program Files\…` or VS Code's own install path may have. */
let bin: string;
beforeEach(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
  bin = join(world.dir, "ide bin");
  mkdirSync(bin);
  world.writeConfig(
    "[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-1234567890\n" +
      `[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = ${SERIAL}\n`,
  );
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

/**
 * An askpass stand-in named `name`: it logs each prompt on its own line (with its argument count),
 * refuses any prompt but git's password shape with exit 2, and otherwise prints `answer` and exits
 * with `status`.
 */
function askpass(name: string, answer: string, status = 0): { path: string; asked: () => string[] } {
  const path = join(bin, name);
  const log = join(world.dir, `${name}.log`);
  writeFileSync(
    path,
    `#!/bin/sh
printf '%s|%s\\n' "$#" "$1" >> '${log}'
[ "$#" -eq 1 ] || exit 2
set -f; set -- $1
case "$1 $2" in "Password for") ;; *) exit 2 ;; esac
case "$3" in "'"*"':") ;; *) exit 2 ;; esac
[ "$#" -eq 3 ] || exit 2
printf '%s\\n' '${answer}'
exit ${status}
`,
  );
  chmodSync(path, 0o755);
  return {
    path,
    asked: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l !== "")
        : [],
  };
}

/** `get` as a GUI's git runs it: a new session without a controlling terminal. */
function get(env: Record<string, string>, node = false): Promise<RunResult> {
  return runHelper(["--profile", "mfa", "get"], {
    env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint, ...env },
    stdin: REQUEST,
    wrap: ["setsid", "-w"],
    secrets: [CODE],
    peers: [sts],
    node,
  });
}

const assumeRoles = (): Record<string, string>[] => sts.calls.filter((c) => c.action === "AssumeRole").map((c) => c.params);

function expectFailure(r: RunResult, line: string): void {
  expect(r.stderr).toBe(`git-credential-codecommit: ${line}\n`);
  expect(r.stdout).toBe("quit=1\n");
  expect(r.code).toBe(1);
}

describe("MFA through git's askpass programs, with no terminal", () => {
  it.each([["GIT_ASKPASS"], ["SSH_ASKPASS"]])(
    "%s: asked once in git's shape, the code goes to STS, the second get asks nobody",
    async (variable) => {
      const window = askpass("askpass.sh", CODE);
      const first = await get({ [variable]: window.path });
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^username=ASIA[A-Z0-9]{16}%[^\n]+\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\npassword_expiry_utc=\d+\n$/);
      expect(window.asked()).toEqual([`1|${PROMPT}`]);
      expect(assumeRoles()).toHaveLength(1);
      expect(assumeRoles()[0]).toMatchObject({ SerialNumber: SERIAL, TokenCode: CODE, RoleArn: "arn:aws:iam::222222222222:role/admin" });

      const second = await get({ [variable]: window.path });
      // The same cached session: the username (key id and token) is the first get's.
      expect(second.stdout.split("\n")[0]).toBe(first.stdout.split("\n")[0]);
      expect(second.stderr).toBe("");
      expect(window.asked()).toHaveLength(1);
      expect(assumeRoles()).toHaveLength(1);
    },
  );

  it("the npm bin under node asks the same way", async () => {
    const window = askpass("askpass.sh", CODE);
    const r = await get({ GIT_ASKPASS: window.path }, true);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^username=ASIA/);
    expect(window.asked()).toEqual([`1|${PROMPT}`]);
    expect(assumeRoles()[0]).toMatchObject({ SerialNumber: SERIAL, TokenCode: CODE });
  });

  it("GIT_ASKPASS comes before SSH_ASKPASS", async () => {
    const ide = askpass("ide-askpass", CODE);
    const ssh = askpass("ssh-askpass", "000000");
    const r = await get({ GIT_ASKPASS: ide.path, SSH_ASKPASS: ssh.path });
    expect(r.stderr).toBe("");
    expect(ide.asked()).toEqual([`1|${PROMPT}`]);
    expect(ssh.asked()).toEqual([]);
    expect(assumeRoles()[0]?.TokenCode).toBe(CODE);
  });

  it("core.askPass from git's config, read when GIT_ASKPASS is unset, before SSH_ASKPASS", async () => {
    const configured = askpass("configured-askpass", CODE);
    const ssh = askpass("ssh-askpass", "000000");
    writeFileSync(world.env.GIT_CONFIG_GLOBAL as string, `[core]\n\taskPass = ${configured.path}\n`);
    const r = await get({ SSH_ASKPASS: ssh.path });
    expect(r.stderr).toBe("");
    expect(configured.asked()).toEqual([`1|${PROMPT}`]);
    expect(ssh.asked()).toEqual([]);
  });

  it("through real git: git credential fill, the helper run by git, core.askPass set", async () => {
    const configured = askpass("askpass.sh", CODE);
    writeFileSync(
      world.env.GIT_CONFIG_GLOBAL as string,
      `[core]\n\taskPass = ${configured.path}\n[credential]\n\thelper = "${BINARY}" --profile mfa\n\tuseHttpPath = true\n`,
    );
    const r = await runCommand(["setsid", "-w", "git", "credential", "fill"], {
      env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint },
      stdin: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
      cwd: world.dir,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^protocol=https\nhost=git-codecommit\.us-east-1\.amazonaws\.com\npath=v1\/repos\/demo\nusername=ASIA/);
    expect(configured.asked()).toEqual([`1|${PROMPT}`]);
    expect(assumeRoles()[0]?.TokenCode).toBe(CODE);
  });

  it("an empty GIT_ASKPASS turns the askpass programs off, as in git", async () => {
    const ssh = askpass("ssh-askpass", CODE);
    expectFailure(
      await get({ GIT_ASKPASS: "", SSH_ASKPASS: ssh.path }),
      `profile mfa needs an MFA code for ${SERIAL}, but GIT_TERMINAL_PROMPT=0 forbids prompting. Run a git command from a terminal once, or run "aws sts get-caller-identity --profile mfa" to cache a role session first`,
    );
    expect(ssh.asked()).toEqual([]);
  });

  it("cancelled (the window closed, nothing typed): one line, quit=1, nobody asked STS", async () => {
    const window = askpass("askpass.sh", "");
    expectFailure(
      await get({ GIT_ASKPASS: window.path }),
      `the MFA prompt for ${SERIAL} (profile mfa) was cancelled: the askpass program "${window.path}" answered nothing. Run the git command again and enter the code from your MFA device`,
    );
    expect(assumeRoles()).toEqual([]);
  });

  it("the askpass program fails and there is no terminal: one line, quit=1", async () => {
    const window = askpass("askpass.sh", CODE, 1);
    const env = { ...world.env };
    delete (env as Record<string, string | undefined>).GIT_TERMINAL_PROMPT;
    const r = await runHelper(["--profile", "mfa", "get"], {
      env: { ...env, AWS_ENDPOINT_URL_STS: sts.endpoint, GIT_ASKPASS: window.path },
      stdin: REQUEST,
      wrap: ["setsid", "-w"],
    });
    expectFailure(
      r,
      `profile mfa needs an MFA code for ${SERIAL}, but the askpass program "${window.path}" failed (it exited with status 1) and there is no terminal to ask on. Run a git command from a terminal once, or run "aws sts get-caller-identity --profile mfa" to cache a role session first`,
    );
    expect(window.asked()).toEqual([`1|${PROMPT}`]);
    expect(assumeRoles()).toEqual([]);
  });

  it("an answer that is not a code is refused before STS sees it", async () => {
    const window = askpass("askpass.sh", "hunter2");
    expectFailure(
      await get({ GIT_ASKPASS: window.path }),
      `the MFA code for ${SERIAL} must be 6 digits. Run the git command again and type the code from your MFA device`,
    );
    expect(assumeRoles()).toEqual([]);
  });
});
