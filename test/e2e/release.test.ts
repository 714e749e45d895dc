/**
 * Issue 3, release artifacts: `scripts/release.mjs` is run once, into a temp dir, and what can be
 * proven on this linux-x64 machine is proven.
 *
 * - linux-arm64 runs under qemu-user (Debian's qemu-user + libc6-arm64-cross) and prints the same
 *   username and password as linux-x64 for the same static credentials under the same frozen
 *   clock: the published vector of contract §4.
 * - The musl builds need Alpine's libstdc++ and libgcc at run time, which Debian cannot provide:
 *   their format and interpreter are checked.
 * - darwin: format, and for both the ad-hoc signature, page by page (arm64: Apple Silicon requires it).
 * - windows: format here; test/e2e/release-windows.test.ts runs it under Wine.
 * - The npm package, installed from its tarball into a temp prefix, answers a `get` through node;
 *   and `npm pack` of a checkout without dist/ builds first (`prepare`), so the package it makes
 *   installs a command that answers too.
 *
 * Run by `npm run test:release`, not `npm test`: on a fresh machine Bun fetches the six other
 * targets' runtimes (~583 MB into ~/.bun) the first time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMachOSignature } from "../../scripts/macho-signature.mjs";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { frozenAt, NODE_BIN, ROOT, runHelperAt } from "../support/run-binary.js";
import { auditPrinted } from "../support/secret-audit.js";
import { firstSessionUser, roleWorld } from "../support/role-world.js";

const NAME = "git-credential-codecommit";
const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

/** Contract §4's public vector, as a static profile, at its frozen time. */
const TIME = "2017-12-24 11:53:20";
const REQUEST = "protocol=https\nhost=git-codecommit.us-west-2.amazonaws.com\npath=v1/repos/test_repo\n\n";
const ANSWER = "username=access\npassword=20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a\npassword_expiry_utc=1514117300\n";

/** What file(1) must say about each artifact. */
const FORMATS: Record<string, RegExp> = {
  "linux-x64": /ELF 64-bit LSB (pie )?executable, x86-64, .*interpreter \/lib64\/ld-linux-x86-64\.so\.2/,
  "linux-arm64": /ELF 64-bit LSB (pie )?executable, ARM aarch64, .*interpreter \/lib\/ld-linux-aarch64\.so\.1/,
  "linux-x64-musl": /ELF 64-bit LSB (pie )?executable, x86-64, .*interpreter \/lib\/ld-musl-x86_64\.so\.1/,
  "linux-arm64-musl": /ELF 64-bit LSB (pie )?executable, ARM aarch64, .*interpreter \/lib\/ld-musl-aarch64\.so\.1/,
  "darwin-x64": /Mach-O 64-bit x86_64 executable/,
  "darwin-arm64": /Mach-O 64-bit arm64 executable/,
  "windows-x64.exe": /PE32\+ executable \(console\) x86-64, for MS Windows/,
};

let out: string;
let world: IsolatedEnv;
/** What scripts/release.mjs printed on stderr: Bun's progress goes there, and any warning. */
let releaseStderr = "";

beforeAll(() => {
  expect(existsSync(NODE_BIN), `${NODE_BIN} is missing: run "npm run build" first`).toBe(true);
  out = mkdtempSync(join(tmpdir(), "gcc-release-"));
  const release = spawnSync(process.execPath, [join(ROOT, "scripts", "release.mjs"), `--out=${out}`], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  expect(release.status, release.stderr).toBe(0);
  releaseStderr = release.stderr;
  world = isolatedEnv();
  world.writeCredentials("[static]\naws_access_key_id = access\naws_secret_access_key = secret\n");
  // A bound against a hang only: the first run on a machine downloads ~583 MB of Bun runtimes.
}, 1_800_000);

afterAll(() => {
  world?.cleanup();
  if (out) rmSync(out, { recursive: true, force: true });
});

const artifact = (name: string): string => join(out, `${NAME}-${name}`);

/** Runs argv with the request on stdin, the clock frozen at TIME; returns stdout, stderr, code. */
function runFrozen(argv: readonly string[], env: Record<string, string> = {}): { stdout: string; stderr: string; code: number | null } {
  const frozen = frozenAt(TIME);
  const r = spawnSync(frozen.wrap[0] as string, [...frozen.wrap.slice(1), ...argv], {
    env: { ...world.env, ...frozen.env, ...env },
    input: REQUEST,
    encoding: "utf8",
    timeout: 120_000,
  });
  auditPrinted(r, { env: { ...world.env, ...env }, label: argv.join(" ") });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe("release artifacts", () => {
  it("has a binary for every platform, the npm package, and SHA256SUMS over all of them", () => {
    const files = readdirSync(out).sort();
    expect(files).toEqual([...Object.keys(FORMATS).map((n) => `${NAME}-${n}`), `${NAME}-0.1.0.tgz`, "SHA256SUMS"].sort());
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
    const expected = files
      .filter((f) => f !== "SHA256SUMS")
      .map((f) => `${createHash("sha256").update(readFileSync(join(out, f))).digest("hex")}  ${f}\n`)
      .join("");
    expect(sums).toBe(expected);
  });

  for (const [name, format] of Object.entries(FORMATS)) {
    it(`${name} has its platform's executable format (file)`, () => {
      expect(execFileSync("file", ["-b", artifact(name)], { encoding: "utf8" })).toMatch(format);
    });
  }

  it("darwin-arm64 carries a valid ad-hoc signature over every page (Apple Silicon kills a binary without one)", () => {
    const sig = checkMachOSignature(artifact("darwin-arm64"));
    expect(sig.problem).toBeUndefined();
    expect(sig).toMatchObject({ signed: true, valid: true });
    // CS_ADHOC (0x2): no certificate is needed to run it.
    expect((sig.flags ?? 0) & 0x2).toBe(0x2);
  });

  it("darwin-x64 carries a valid ad-hoc signature over every page, not the stale one Bun's cross-compile leaves", () => {
    const sig = checkMachOSignature(artifact("darwin-x64"));
    expect(sig.problem).toBeUndefined();
    expect(sig).toMatchObject({ signed: true, valid: true, identifier: `${NAME}-darwin-x64` });
    expect((sig.flags ?? 0) & 0x2).toBe(0x2);
    // Every page up to the signature: a 4096-byte page per slot.
    expect(sig.pages).toBeGreaterThan(25_000);
  });

  it("scripts/release.mjs warns of no signature: its stderr is empty", () => {
    expect(releaseStderr).toBe("");
  });

  it("linux-x64 prints the published answer for static credentials under a frozen clock", () => {
    expect(runFrozen([artifact("linux-x64"), "--profile", "static", "get"])).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
  });

  it("linux-arm64 under qemu-user prints the same", () => {
    expect(existsSync(`${ARM64_SYSROOT}/lib/ld-linux-aarch64.so.1`), "apt-get install qemu-user libc6-arm64-cross (.ci/apt-packages)").toBe(true);
    // faketime's x86-64 preload fakes the clock in qemu itself; -U keeps the arm64 loader from
    // trying (and complaining about) the same library.
    const arm = runFrozen(["qemu-aarch64", "-U", "LD_PRELOAD", "-L", ARM64_SYSROOT, artifact("linux-arm64"), "--profile", "static", "get"]);
    expect(arm).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
  });

  // The Linux and macOS executables load the SDK as a chunk of their own (issue 13): a role profile
  // proves that the cross-compiled one finds it.
  it("linux-arm64 under qemu-user loads its embedded SDK: a role profile's session comes from STS", async () => {
    const roles = isolatedEnv();
    const { sts, env } = await roleWorld(roles);
    try {
      const r = await runHelperAt(["qemu-aarch64", "-L", ARM64_SYSROOT, artifact("linux-arm64")], ["--profile", "cross", "get"], { env, stdin: REQUEST, peers: [sts] });
      expect(r.stderr).toBe("");
      expect(r.stdout.split("\n")[0]).toBe(firstSessionUser(sts));
      expect(r.code).toBe(0);
    } finally {
      roles.cleanup();
      await sts.close();
    }
  });
});

/** `npm install -g <tarball>` into a temp prefix; the installed command's answer to the vector's get. */
function installAndGet(tarball: string, prefix: string): ReturnType<typeof runFrozen> {
  // Dependencies come from npm's cache when the project's own install filled it (there are none today).
  execFileSync("npm", ["install", "--global", `--prefix=${prefix}`, "--prefer-offline", "--no-audit", "--no-fund", tarball], {
    env: { ...process.env, npm_config_loglevel: "error" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  // The bin's `#!/usr/bin/env node` finds this node first.
  return runFrozen([join(prefix, "bin", NAME), "--profile", "static", "get"], { PATH: `${dirname(process.execPath)}:${world.env.PATH ?? ""}` });
}

describe("the npm package", () => {
  it("npm pack of a checkout without dist/ builds first, and npm install -g of that tarball answers a get", () => {
    // The checkout: the files git tracks, as they are in the working tree; node_modules shared.
    const checkout = join(world.dir, "checkout");
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter((f) => f !== "");
    for (const file of tracked) {
      if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      cpSync(join(ROOT, file), join(checkout, file));
    }
    symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
    expect(existsSync(join(checkout, "dist"))).toBe(false);
    // `npm install -g "$(npm pack)"`: stdout is the tarball's name alone (.npmrc keeps the build's
    // output out of it).
    const packed = execFileSync("npm", ["pack"], { cwd: checkout, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(packed).toBe(`${NAME}-0.1.0.tgz\n`);
    const tarball = join(checkout, packed.trim());
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
    expect(files).toEqual(["package/LICENSE", "package/README.md", "package/dist/git-credential-codecommit.cjs", "package/package.json"]);
    expect(installAndGet(tarball, join(world.dir, "prefix-fresh"))).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
    // A hang bound: this builds the native binary and the npm bin, then installs.
  }, 600_000);

  it("installs from the release tarball and answers a get through node", () => {
    const nodeMajor = Number(process.versions.node.split(".")[0]);
    expect(nodeMajor).toBeGreaterThanOrEqual(20);
    expect(installAndGet(join(out, `${NAME}-0.1.0.tgz`), join(world.dir, "prefix"))).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
  });
});
