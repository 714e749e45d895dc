/** The secret audit that runHelper, the git-running tests and the direct spawns apply (test/support/secret-audit.ts) can fail. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../support/run-binary.js";
import { audited, leaksIn, secretsInPlay } from "../support/secret-audit.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "gcc-audit-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("secretsInPlay", () => {
  it("finds environment, shared-file and cache secrets, and skips strings too short to mean anything", () => {
    mkdirSync(join(home, ".aws", "cli", "cache"), { recursive: true });
    mkdirSync(join(home, ".aws", "sso", "cache"), { recursive: true });
    writeFileSync(
      join(home, ".aws", "credentials"),
      "[a]\naws_secret_access_key = file-secret-123456\naws_session_token: file-token-123456\n",
    );
    writeFileSync(
      join(home, ".aws", "cli", "cache", "k.json"),
      JSON.stringify({ Credentials: { SecretAccessKey: "cache-secret-123456", SessionToken: "cache-token-123456" } }),
    );
    writeFileSync(
      join(home, ".aws", "sso", "cache", "t.json"),
      JSON.stringify({ accessToken: "sso-access-token-1", refreshToken: "short" }),
    );
    const found = secretsInPlay({ HOME: home, AWS_SECRET_ACCESS_KEY: "env-secret-123456", AWS_SESSION_TOKEN: "tiny" });
    expect(found.sort()).toEqual(
      [
        "cache-secret-123456",
        "cache-token-123456",
        "env-secret-123456",
        "file-secret-123456",
        "file-token-123456",
        "sso-access-token-1",
      ].sort(),
    );
  });
});

describe("leaksIn", () => {
  const answer = "username=AKIAEXAMPLE%session-token-abcdef\npassword=20260101T000000Zabcdef0123456789\npassword_expiry_utc=1\n";
  it("allows secrets on the username= and password= lines only", () => {
    expect(leaksIn(answer, "", ["session-token-abcdef"])).toEqual([]);
  });
  it("reports a secret, the password or the token on stderr, by prefix only", () => {
    expect(leaksIn(answer, "debug: 20260101T000000Zabcdef0123456789", [])).toEqual(["a secret (2026…, 32 chars) leaked into stderr"]);
    expect(leaksIn(answer, "token session-token-abcdef", [])).toEqual(["a secret (sess…, 20 chars) leaked into stderr"]);
    expect(leaksIn("quit=1\nenv-secret-123456\n", "env-secret-123456", ["env-secret-123456"])).toEqual([
      "a secret (env-…, 17 chars) leaked into stderr and stdout",
    ]);
  });
});

describe("audited, through real git", () => {
  const SECRET = "file-secret-through-git-0123";
  const PASSWORD = "20260101T000000Z0123456789abcdef0123456789abcdef0123456789abcdef";
  const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\n\n";

  /** `git credential fill` with a stand-in helper that answers and writes `noise` to stderr, which git passes on. */
  function fill(noise: string) {
    writeFileSync(join(home, ".aws", "credentials"), `[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = ${SECRET}\n`);
    const helper = join(home, "git-credential-standin");
    writeFileSync(
      helper,
      `#!/bin/sh\ncat >/dev/null\nprintf 'username=AKIAEXAMPLE\\npassword=${PASSWORD}\\n'\nprintf '%s\\n' '${noise}' >&2\n`,
    );
    chmodSync(helper, 0o755);
    const env = { HOME: home, PATH: process.env.PATH ?? "", GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0" };
    return audited({ env, label: "git credential fill" }, () =>
      runCommand(["git", "-c", `credential.helper=${helper}`, "credential", "fill"], { env, stdin: REQUEST }),
    );
  }

  beforeEach(() => mkdirSync(join(home, ".aws"), { recursive: true }));

  it("passes when the helper's secrets stay on git's username=/password= lines", async () => {
    const r = await fill("harmless");
    expect(r.stdout).toBe(`protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\nusername=AKIAEXAMPLE\npassword=${PASSWORD}\n`);
    expect(r.stderr).toBe("harmless\n");
  });
  it("fails when the helper writes a key from the shared files to stderr, which git shows", async () => {
    await expect(fill(`using ${SECRET}`)).rejects.toThrow("a secret (file…, 28 chars) leaked into stderr (git credential fill)");
  });
  it("fails when the helper writes the password it issued to stderr", async () => {
    await expect(fill(`signed ${PASSWORD}`)).rejects.toThrow("a secret (2026…, 64 chars) leaked into stderr (git credential fill)");
  });
});
