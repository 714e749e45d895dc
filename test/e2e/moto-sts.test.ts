/**
 * Against moto_server, a real STS protocol peer: a cross-account role profile resolves through it,
 * and the AWS CLI, reading the session our helper cached, computes the very same username and
 * password under the same frozen clock (the CLI as the oracle for both the password and the cache).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { startMoto, type Moto } from "../support/moto.js";
import { frozenAt, runCommand, runHelper } from "../support/run-binary.js";

const REQUEST = "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/shared-lib\n\n";

let moto: Moto;
let world: IsolatedEnv;
beforeAll(async () => {
  moto = await startMoto();
  world = isolatedEnv({ AWS_ENDPOINT_URL_STS: moto.endpoint });
  world.writeConfig(
    [
      "[profile central]",
      "aws_access_key_id = AKIAMOTOEXAMPLE00001",
      "aws_secret_access_key = moto-central-secret-0123456789",
      "[profile cross]",
      "role_arn = arn:aws:iam::222222222222:role/developer",
      "source_profile = central",
      "role_session_name = alice",
      "",
    ].join("\n"),
  );
}, 30_000);
afterAll(async () => {
  await moto?.close();
  world?.cleanup();
});

describe("moto_server as the STS peer", () => {
  it("our get and the AWS CLI's, same frozen second, give identical lines from one role session", async () => {
    // Freeze both at the current second: moto issues sessions on the real clock.
    const stamp = new Date().toISOString().slice(0, 19).replace("T", " ");
    const clock = frozenAt(stamp);
    const ours = await runHelper(["--profile", "cross", "get"], { env: { ...world.env, ...clock.env }, stdin: REQUEST, wrap: clock.wrap });
    expect(ours.stderr).toBe("");
    expect(ours.code).toBe(0);
    const lines = ours.stdout.split("\n");
    expect(lines[0]).toMatch(/^username=ASIA[A-Z0-9]{16}%\S+$/);

    const cli = await runCommand(["aws", "codecommit", "credential-helper", "get", "--profile", "cross"], {
      env: { ...world.env, ...clock.env },
      stdin: REQUEST,
      wrap: clock.wrap,
    });
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    // The CLI found our cache entry, so it signed with the same session: byte-identical answers.
    expect(cli.stdout.split("\n").slice(0, 2)).toEqual(lines.slice(0, 2));
  });
});
