// The main job, end to end, on one machine: the built helper on PATH, a local CodeCommit-compatible
// HTTPS server (git http-backend behind CodeCommit's password check), an STS peer, and a
// cross-account role profile. Clones, commits, pushes and clones again through real git.
// Run with: npm run demo (builds, bundles this file for node, runs it). It runs under node, not bun:
// the test server uses node:https, which behaves differently under Bun.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { startGitServer } from "../test/support/git-server.js";
import { isolatedEnv } from "../test/support/isolated-env.js";
import { BINARY } from "../test/support/run-binary.js";
import { startStsStub } from "../test/support/sts-stub.js";

function step(text: string): void {
  process.stdout.write(`\n==> ${text}\n`);
}

async function main(): Promise<void> {
  const world = isolatedEnv();
  const sts = await startStsStub();
  sts.registerStatic("AKIADEMOEXAMPLE00001", "demo-base-secret-0123456789");
  const server = await startGitServer({ root: join(world.dir, "repos"), secretFor: (k) => sts.secretFor(k) });
  try {
    server.createRepo("demo");
    world.writeConfig(
      "[profile central]\naws_access_key_id = AKIADEMOEXAMPLE00001\naws_secret_access_key = demo-base-secret-0123456789\n\n" +
        "[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/developer\nsource_profile = central\n",
    );
    const env = { ...world.env, PATH: `${dirname(BINARY)}:${world.env.PATH}`, AWS_ENDPOINT_URL_STS: sts.endpoint };
    // Asynchronous on purpose: the server runs in this process and must keep answering.
    const git = async (args: string[], cwd: string): Promise<string> => {
      const { stdout, stderr } = await promisify(execFile)("git", [...server.gitArgs(), ...args], { cwd, env, encoding: "utf8" });
      process.stderr.write(stderr);
      return stdout;
    };

    step(`AWS config (${world.configFile}): profile "cross" assumes a role in account 222222222222`);
    process.stdout.write(readFileSync(world.configFile, "utf8"));
    step(`git clone with credential.helper='codecommit --profile cross' from ${server.url("demo")}`);
    const first = join(world.dir, "first");
    await git(
      [
        "clone",
        "--config",
        "credential.helper=codecommit --profile cross",
        "--config",
        "credential.UseHttpPath=true",
        server.url("demo"),
        first,
      ],
      world.dir,
    );
    step("commit and push");
    writeFileSync(join(first, "hello.txt"), "pushed through git-credential-codecommit\n");
    await git(["add", "hello.txt"], first);
    await git(["commit", "-q", "-m", "hello from the demo"], first);
    await git(["push", "-q", "origin", "HEAD:main"], first);
    step("clone again and read the commit back");
    const second = join(world.dir, "second");
    await git(
      [
        "clone",
        "-q",
        "--config",
        "credential.helper=codecommit --profile cross",
        "--config",
        "credential.UseHttpPath=true",
        server.url("demo"),
        second,
      ],
      world.dir,
    );
    process.stdout.write(await git(["log", "-1", "--format=%h %s"], second));
    const ok = server.requests.filter((r) => r.status === 200).length;
    const assumed = sts.calls.filter((c) => c.action === "AssumeRole").length;
    step(`done: ${ok} authenticated git requests, ${assumed} STS AssumeRole call(s), passwords verified the CodeCommit way`);
  } finally {
    await server.close();
    await sts.close();
    world.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
