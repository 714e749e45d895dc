/**
 * The tests' PATH keeps the caller's tools but none of the caller's copies of this program: a
 * foreign `git-credential-codecommit` and `git-remote-codecommit` first on the caller's PATH (as
 * after installing the helper as the README says, or AWS's Python tool) never answer a test.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv } from "../support/isolated-env.js";
import { BINARY, runCommand } from "../support/run-binary.js";
import { holdsOurs, testPath } from "../support/test-path.js";

let poison: string;
let callerPath: string;
beforeAll(() => {
  poison = mkdtempSync(join(tmpdir(), "gcc-poison-"));
  const script = (name: string, body: string): void => {
    writeFileSync(join(poison, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(poison, name), 0o755);
  };
  script("git-credential-codecommit", "echo 'foreign helper ran' >&2\necho username=foreign\necho password=foreign");
  script("git-remote-codecommit", "echo 'foreign remote helper ran' >&2\nexit 3");
  // Another program in the same directory, which the tests may still need.
  script("poison-dir-tool", 'echo "tool ran: $*"');
  mkdirSync(join(poison, "sub"));
  callerPath = `${poison}:${process.env.PATH ?? "/usr/bin:/bin"}`;
});
afterAll(() => rmSync(poison, { recursive: true, force: true }));

describe("the tests' PATH", () => {
  it("drops the directory with our names, keeps its other programs, and the caller's tools", async () => {
    const path = testPath(callerPath);
    expect(path.split(":")).not.toContain(poison);
    expect(path.split(":").filter(holdsOurs)).toEqual([]);
    const env = { PATH: path };
    const found = await runCommand(
      ["sh", "-c", "command -v git-credential-codecommit git-remote-codecommit; poison-dir-tool a 'b c'; git --version"],
      { env },
    );
    expect(found.stdout).toMatch(/^tool ran: a b c\ngit version \d/);
  });

  it("isolatedEnv's PATH is the clean one", () => {
    const world = isolatedEnv();
    try {
      expect(world.env.PATH).toBe(testPath(process.env.PATH));
      expect((world.env.PATH ?? "").split(":").filter(holdsOurs)).toEqual([]);
    } finally {
      world.cleanup();
    }
  });

  it("git with credential.helper=codecommit runs our build first on it, never the foreign copy", async () => {
    const world = isolatedEnv({
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    });
    try {
      const gitEnv = { ...world.env, PATH: `${dirname(BINARY)}:${testPath(callerPath)}` };
      const r = await runCommand(["git", "-c", "credential.helper=codecommit", "-c", "credential.useHttpPath=true", "credential", "fill"], {
        env: gitEnv,
        stdin: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
        cwd: world.dir,
      });
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(
        /^protocol=https\nhost=git-codecommit\.us-east-1\.amazonaws\.com\npath=v1\/repos\/demo\nusername=AKIAIOSFODNN7EXAMPLE\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\n/,
      );

      // Without our build on it, git finds no helper and no remote helper at all: the foreign ones are gone.
      const none = await runCommand(["git", "-c", "credential.helper=codecommit", "ls-remote", "codecommit::us-east-1://dev@demo"], {
        env: { ...world.env, PATH: testPath(callerPath) },
        cwd: world.dir,
      });
      expect(none.stderr).not.toContain("foreign");
      expect(none.stderr).toContain("remote-codecommit");
      expect(none.code).not.toBe(0);
    } finally {
      world.cleanup();
    }
  });
});
