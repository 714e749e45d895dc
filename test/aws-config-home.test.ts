/**
 * End to end: with HOME="" (some CI runners, `env -i` wrappers) the shared
 * files must not be looked up relative to the working directory — the user's git repository, which
 * may ship its own `.aws/credentials`. The built helper (binary and npm bin) runs inside such a
 * repository and must use the account's files, or refuse a relative path outright.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHelper } from "./support/run-binary.js";

const INPUT = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";

let dir = "";
let repo = "";
let home = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gcc-home-"));
  repo = join(dir, "repo");
  home = join(dir, "home");
  // A repository planting credentials where a relative ~/.aws would point.
  mkdirSync(join(repo, ".aws"), { recursive: true });
  writeFileSync(join(repo, ".aws", "credentials"), "[default]\naws_access_key_id = PLANTED\naws_secret_access_key = planted\n");
  // Read from there, this one would be refused (today's main did: "…/.aws/config line 2 repeats…").
  writeFileSync(join(repo, ".aws", "config"), "[default]\n[default]\n");
  mkdirSync(join(home, ".aws"), { recursive: true });
  writeFileSync(join(home, ".aws", "credentials"), "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = home\n");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", AWS_EC2_METADATA_DISABLED: "true", HOME: "", ...extra };
}

describe.each([
  ["binary", false],
  ["npm bin", true],
])("HOME empty, run inside a repository (%s)", (_name, node) => {
  it("uses the home directory's files, never the repository's", async () => {
    const r = await runHelper(["get"], { env: env({ USERPROFILE: home }), stdin: INPUT, node, wrap: ["env", "-C", repo] });
    expect({ code: r.code, stderr: r.stderr, user: r.stdout.split("\n")[0] }).toEqual({ code: 0, stderr: "", user: "username=AKIDHOME" });
  });

  it("refuses a relative AWS_SHARED_CREDENTIALS_FILE", async () => {
    const r = await runHelper(["get"], {
      env: env({ USERPROFILE: home, AWS_SHARED_CREDENTIALS_FILE: ".aws/credentials" }),
      stdin: INPUT,
      node,
      wrap: ["env", "-C", repo],
    });
    expect(r).toMatchObject({
      code: 1,
      stdout: "quit=1\n",
      stderr:
        'git-credential-codecommit: AWS_SHARED_CREDENTIALS_FILE is the relative path ".aws/credentials", which would be read from the git repository\'s directory. Set AWS_SHARED_CREDENTIALS_FILE to an absolute path\n',
    });
  });
});
