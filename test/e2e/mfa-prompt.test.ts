/**
 * The MFA code is asked on the terminal and not echoed (as the AWS CLI's
 * getpass). The helper runs under a real pseudo-terminal (`script`), with git's stdin and stdout
 * redirected away from it, as when git runs the helper from an interactive shell.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { BINARY, NODE_BIN } from "../support/run-binary.js";
import { auditPrinted } from "../support/secret-audit.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
const SERIAL = "arn:aws:iam::111111111111:mfa/dev";
const CODE = "418207";

let world: IsolatedEnv;
let sts: StsStub;
beforeEach(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
  world.writeConfig(
    "[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-1234567890\n" +
      `[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = ${SERIAL}\n`,
  );
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

/** Runs `get` on a pty; types `typed` once the prompt shows. Returns what the terminal showed. */
function onTerminal(helper: string, typed: string): Promise<{ terminal: string; stdout: string; stderr: string }> {
  const req = join(world.dir, "request");
  const out = join(world.dir, "stdout");
  const err = join(world.dir, "stderr");
  writeFileSync(req, REQUEST);
  const env: Record<string, string> = { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint, TERM: "dumb" };
  delete env.GIT_TERMINAL_PROMPT;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", `${helper} --profile mfa get < '${req}' > '${out}' 2> '${err}'`, "/dev/null"], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let terminal = "";
    let typedYet = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stdout.on("data", (d: Buffer) => {
      terminal += d.toString("utf8");
      // Type only once the prompt is up, so the terminal is already in its no-echo state.
      if (!typedYet && terminal.includes(`Password for '${SERIAL}': `)) {
        typedYet = true;
        child.stdin.write(typed);
      }
    });
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      child.stdin.destroy();
      const r = { terminal, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") };
      // The terminal and stderr are what the user sees; the MFA code is a secret in play (secret-audit.ts).
      try {
        auditPrinted(
          { stdout: r.stdout, stderr: r.stderr + r.terminal },
          { env, peers: [sts], secrets: [CODE], label: `${helper} --profile mfa get` },
        );
        resolve(r);
      } catch (leak) {
        reject(leak as Error);
      }
    });
  });
}

describe.each([
  ["the native binary", BINARY],
  ["the npm bin under node", `'${process.execPath}' '${NODE_BIN}'`],
])("MFA prompt: %s", (_name, helper) => {
  it("reads the code from the terminal without echoing it, and sends it to STS", async () => {
    const r = await onTerminal(helper, `${CODE}\r`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^username=ASIA[A-Z0-9]{16}%/);
    expect(r.terminal.replace(/\r/g, "")).toBe(`Password for '${SERIAL}': \n`);
    expect(r.terminal).not.toContain(CODE);
    const assume = sts.calls.find((c) => c.action === "AssumeRole");
    expect(assume?.params).toMatchObject({ SerialNumber: SERIAL, TokenCode: CODE });
  });

  it("Backspace edits the hidden line", async () => {
    const r = await onTerminal(helper, `41x\x7f8207\r`);
    expect(r.stderr).toBe("");
    expect(sts.calls.find((c) => c.action === "AssumeRole")?.params.TokenCode).toBe(CODE);
    expect(r.terminal).not.toContain("41");
  });
});
