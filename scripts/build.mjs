// Builds dist/git-credential-codecommit (a native single executable, Bun --compile --bytecode) and
// dist/git-credential-codecommit.cjs (the npm package's bin, for node >= 20).
// Usage: node scripts/build.mjs [--target=bun-linux-arm64 --outfile=dist/...]
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bun = join(root, "node_modules", ".bin", process.platform === "win32" ? "bun.exe" : "bun");
const entry = join(root, "src", "main.ts");
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));

function bunBuild(extra) {
  // --bytecode requires CommonJS output (no top-level await anywhere in src/).
  execFileSync(bun, ["build", entry, "--format=cjs", "--minify", ...extra], { cwd: root, stdio: "inherit" });
}

mkdirSync(join(root, "dist"), { recursive: true });
const native = args.outfile ?? join(root, "dist", "git-credential-codecommit");
bunBuild(["--compile", "--bytecode", ...(args.target ? [`--target=${args.target}`] : []), `--outfile=${native}`]);

if (!args.target) {
  const cjs = join(root, "dist", "git-credential-codecommit.cjs");
  bunBuild(["--target=node", "--banner=#!/usr/bin/env node", `--outfile=${cjs}`]);
  chmodSync(cjs, 0o755);
}
