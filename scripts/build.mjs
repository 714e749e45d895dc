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

function bunBuild(extra) {
  // --bytecode requires CommonJS output (no top-level await anywhere in src/).
  execFileSync(bun, ["build", entry, "--format=cjs", "--minify", ...extra], { cwd: root, stdio: "inherit" });
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
// Measured for issue 13, not (yet) done here: the SDK's presence in the bundle costs every run,
// even one that never loads it, ~0.7 ms (store 5.05 ms against 4.36 ms for the same build with
// `--external '@aws-sdk/*' --external '@smithy/*'`, with the STS, SSO and OIDC clients bundled).
// A prototype moved the SDK into a second entry point through Bun.build (a plugin resolving
// `@aws-sdk/*` imported from src/ to `require("./aws-sdk.js").mN`, entry naming "[name].[ext]")
// and worked on linux-x64; it needs its cross targets (Windows' B:/~BUN/root) proven first.
// `--compile-exec-argv=--smol` raised peak RSS by ~1.5 MB.
// git may run the helper from a directory that was just removed: a compiled Bun 1.4 refuses to
// start there unless it has exec-argv to parse, which then falls back to its own directory (issue 9).
const START_ANYWHERE = "--compile-exec-argv=--no-deprecation";
bunBuild(["--compile", "--bytecode", JIT_POLICY, START_ANYWHERE, ...NO_AUTOLOAD, ...(args.target ? [`--target=${args.target}`] : []), `--outfile=${native}`]);

if (!args.target && !args.entry) {
  // Issue 11: the same binary started as git-remote-codecommit is git's remote helper (contract §9).
  const remote = join(root, "dist", "git-remote-codecommit");
  rmSync(remote, { force: true });
  symlinkSync("git-credential-codecommit", remote);
  const cjs = join(root, "dist", "git-credential-codecommit.cjs");
  bunBuild(["--target=node", "--banner=#!/usr/bin/env node", `--outfile=${cjs}`]);
  chmodSync(cjs, 0o755);
}
