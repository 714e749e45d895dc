// Builds dist/git-credential-codecommit (a native single executable, Bun --compile --bytecode) and
// dist/git-credential-codecommit.cjs (the npm package's bin, for node >= 20).
// Usage: node scripts/build.mjs [--target=bun-linux-arm64 --outfile=dist/...]
//        node scripts/build.mjs --entry=probe.ts --outfile=...   (the native build of another entry
//        point with the same flags, and no npm bin: bench/bench.ts --breakdown times such probes)
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bun = join(root, "node_modules", ".bin", process.platform === "win32" ? "bun.exe" : "bun");
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const entry = args.entry ?? join(root, "src", "main.ts");

function bunBuild(extra, moreEntries = []) {
  // --bytecode requires CommonJS output (no top-level await anywhere in src/).
  execFileSync(bun, ["build", entry, ...moreEntries, "--format=cjs", "--minify", ...extra], { cwd: root, stdio: "inherit" });
}

mkdirSync(join(root, "dist"), { recursive: true });
const native = args.outfile ?? join(root, "dist", "git-credential-codecommit");
// git runs the helper inside the user's repository, so a compiled Bun must not read the working
// directory's .env (it would set AWS_* variables: other credentials, another STS endpoint) or
// bunfig.toml (whose `preload` runs the repository's code). The last two are off by default today.
const NO_AUTOLOAD = ["dotenv", "bunfig", "tsconfig", "package-json"].map((f) => `--no-compile-autoload-${f}`);
// A run lasts ~10 ms: tiering functions up to the JIT costs more than it saves (bench/bench.ts:
// -0.4 ms and -3 MB for `get`, and no slower on a cold assume-role path).
const JIT_POLICY = "--compile-jit-policy=10";
// The SDK and the proxy agents (src/sdk.ts) are a second bundle inside the executable, loaded by
// src/sdk-loader.ts's `import("./sdk.js")`, which Bun resolves beside the program's own bundle in the
// embedded file system: a run that never loads them (a warm `get`, `store`) no longer pays for
// their presence, ~1.4 M instructions of ~10 M (issue 13). Only where a machine here can run the
// result: the Windows build keeps one bundle (no Windows runs here; its embedded root is B:/~BUN).
const splitsSdk = (target) => !/windows|win32/.test(target);
const SDK_APART = ["--external", "*sdk.js"];
// `--compile-exec-argv=--smol` raised peak RSS by ~1.5 MB.
// git may run the helper from a directory that was just removed: a compiled Bun 1.4 refuses to
// start there unless it has exec-argv to parse, which then falls back to its own directory (issue 9).
const START_ANYWHERE = "--compile-exec-argv=--no-deprecation";
const apart = !args.entry && splitsSdk(args.target ?? `bun-${process.platform}`);
bunBuild(
  ["--compile", "--bytecode", JIT_POLICY, START_ANYWHERE, ...NO_AUTOLOAD, ...(args.target ? [`--target=${args.target}`] : []), ...(apart ? SDK_APART : []), `--outfile=${native}`],
  apart ? [join(root, "src", "sdk.ts")] : [],
);

if (!args.target && !args.entry) {
  // Issue 11: the same binary started as git-remote-codecommit is git's remote helper (contract §9).
  const remote = join(root, "dist", "git-remote-codecommit");
  rmSync(remote, { force: true });
  symlinkSync("git-credential-codecommit", remote);
  const cjs = join(root, "dist", "git-credential-codecommit.cjs");
  bunBuild(["--target=node", "--banner=#!/usr/bin/env node", `--outfile=${cjs}`]);
  chmodSync(cjs, 0o755);
}
