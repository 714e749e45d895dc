// Builds dist/git-credential-codecommit (a native single executable, Bun --compile --bytecode) and
// dist/git-credential-codecommit.cjs (the npm package's bin, for node >= 20), and its man page.
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
  // Two output formats (below): no top-level await anywhere in src/, which CommonJS cannot have.
  execFileSync(bun, ["build", entry, "--minify", ...extra], { cwd: root, stdio: "inherit" });
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
// Linux and macOS executables are ES modules split at every dynamic import: each run loads the
// chunks it uses, in Bun's embedded file system, and no more. A `get` answered from what is at hand
// never loads the SDK and proxy agents (src/runtime/sdk.ts: ~1.4 M instructions for their mere presence in
// one bundle), nor setup, clone, doctor, login or the remote helper (~0.9 M more).
// Only where a machine here can run the result: the Windows executable stays one CommonJS bundle
// (nothing here runs it; its embedded root is B:/~BUN), as does the npm bin (node).
const splits = (target) => !/windows|win32/.test(target);
// `--compile-exec-argv=--smol` raised peak RSS by ~1.5 MB.
// git may run the helper from a directory that was just removed: a compiled Bun 1.4 refuses to
// start there unless it has exec-argv to parse, which then falls back to its own directory
// (test/e2e/hostile.test.ts).
const START_ANYWHERE = "--compile-exec-argv=--no-deprecation";
const format = splits(args.target ?? `bun-${process.platform}`) ? ["--format=esm", "--splitting"] : ["--format=cjs"];
bunBuild([
  "--compile",
  "--bytecode",
  ...format,
  JIT_POLICY,
  START_ANYWHERE,
  ...NO_AUTOLOAD,
  ...(args.target ? [`--target=${args.target}`] : []),
  `--outfile=${native}`,
]);

if (!args.target && !args.entry) {
  // The same binary started as git-remote-codecommit is git's remote helper (src/remote/program-name.ts).
  const remote = join(root, "dist", "git-remote-codecommit");
  rmSync(remote, { force: true });
  symlinkSync("git-credential-codecommit", remote);
  const cjs = join(root, "dist", "git-credential-codecommit.cjs");
  bunBuild(["--format=cjs", "--target=node", "--banner=#!/usr/bin/env node", `--outfile=${cjs}`]);
  chmodSync(cjs, 0o755);
  // The man page of the npm package ("man" in package.json) and of every release archive, written
  // from the --help texts (scripts/man-page.ts).
  execFileSync(bun, [join(root, "scripts", "man-page.ts"), `--out=${join(root, "dist", "git-credential-codecommit.1")}`], {
    cwd: root,
    stdio: "inherit",
  });
}
