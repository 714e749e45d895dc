/**
 * scripts/preflight.mjs, run before `npm test`: each missing tool is named with the command that
 * installs it and the check exits 1, instead of a test failing with `spawn moto_server ENOENT`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ROOT } from "./support/run-binary.js";

let bin: string;
beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), "gcc-preflight-"));
  symlinkSync(process.execPath, join(bin, "node"));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

/** The check with PATH holding only `bin` (node and whatever the test puts there). */
function preflight(args: string[] = []) {
  const r = spawnSync(join(bin, "node"), [join(ROOT, "scripts", "preflight.mjs"), ...args], {
    env: { PATH: bin },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

it("names every missing tool with its install command, and exits 1", () => {
  expect(preflight(["--release"])).toEqual({
    stdout: "",
    stderr: [
      "preflight: git ≥ 2.37 is missing — install it: sudo apt-get install -y git",
      "preflight: openssl is missing — install it: sudo apt-get install -y openssl",
      "preflight: script (util-linux) is missing — install it: sudo apt-get install -y bsdutils",
      "preflight: the pip AWS CLI v1 (aws) is missing — install it: python3 -m pip install 'awscli<2'",
      "preflight: python3 with botocore is missing — install it: python3 -m pip install botocore",
      "preflight: moto_server is missing — install it: python3 -m pip install 'moto[server]'",
      "preflight: faketime is missing — install it: sudo apt-get install -y faketime",
      "preflight: hyperfine is missing — install it: sudo apt-get install -y hyperfine",
      "preflight: strace is missing — install it: sudo apt-get install -y strace",
      "preflight: iptables is missing — install it: sudo apt-get install -y iptables",
      "preflight: qemu-aarch64 (qemu-user) is missing — install it: sudo apt-get install -y qemu-user",
      "preflight: file is missing — install it: sudo apt-get install -y file",
      "preflight: zip is missing — install it: sudo apt-get install -y zip",
      "preflight: zipinfo (unzip) is missing — install it: sudo apt-get install -y unzip",
      "preflight: dpkg-deb is missing — install it: sudo apt-get install -y dpkg",
      "preflight: man (man-db) is missing — install it: sudo apt-get install -y man-db",
      "preflight: wine (wine, wine64) is missing — install it: sudo apt-get install -y wine wine64",
      "preflight: x86_64-w64-mingw32-gcc (gcc-mingw-w64-x86-64-win32) is missing — install it: sudo apt-get install -y gcc-mingw-w64-x86-64-win32",
      "preflight: 18 tool(s) missing; .ci/run installs the Debian ones on a fresh machine",
      "",
    ].join("\n"),
    code: 1,
  });
});

it("refuses the AWS CLI v2 and a git older than 2.37", () => {
  const fake = (name: string, says: string) => writeFileSync(join(bin, name), `#!/bin/sh\necho '${says}'\n`, { mode: 0o755 });
  fake("aws", "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12");
  fake("git", "git version 2.30.2");
  const { stderr, code } = preflight();
  expect(code).toBe(1);
  expect(stderr.split("\n").filter((l) => /aws|git/.test(l) && !l.includes("tool(s) missing"))).toEqual([
    'preflight: git ≥ 2.37: found "git version 2.30.2", the tests need git 2.37 or later — install it: sudo apt-get install -y git',
    "preflight: the pip AWS CLI v1 (aws): found aws-cli/2.15.0; the password oracle is the pip AWS CLI v1 — put it first on PATH — install it: python3 -m pip install 'awscli<2'",
  ]);
});

it("passes on this machine, listing what it found", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "preflight.mjs")], { encoding: "utf8", timeout: 120_000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout.startsWith("preflight: ok — git ")).toBe(true);
});
