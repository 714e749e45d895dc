// Builds the release artifacts into dist/release/ (or --out=DIR): the native binary for every
// platform, cross-compiled here by `bun build --compile --target=...` with the same flags as
// scripts/build.mjs, the npm package (`npm pack`), the archives, SBOM, Debian packages, Homebrew
// formula and Scoop manifest around them (scripts/release/packages.mjs), and SHA256SUMS over all.
//
// Bun 1.4.5 fetches each target's runtime once, from the npm registry (the tarball of
// @oven/bun-<os>-<aarch64|x64>[-musl], not GitHub), into ~/.bun/install/cache; after that every
// release builds offline.
//
// Needs `npm run build` first: the npm package packs dist/git-credential-codecommit.cjs as built,
// and this script never rewrites dist/ itself (tests may be running that binary).
// Usage: node scripts/release.mjs [--out=DIR] [--only=linux-arm64,...]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkMachOSignature, signMachOAdHoc } from "./macho-signature.mjs";
import { packageRelease } from "./release/packages.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const out = resolve(root, args.out ?? join("dist", "release"));
const NAME = "git-credential-codecommit";

/** Release name → Bun's --target. The musl builds are for Alpine, which needs `apk add libstdc++ libgcc` to run them. */
const TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "linux-x64-musl": "bun-linux-x64-musl",
  "linux-arm64-musl": "bun-linux-arm64-musl",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
};

const cjs = join(root, "dist", `${NAME}.cjs`);
if (!existsSync(cjs)) {
  console.error(`${cjs} is missing: run "npm run build" first`);
  process.exit(1);
}
const only = args.only ? args.only.split(",") : Object.keys(TARGETS);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** Release target name → the executable built for it, for scripts/release/packages.mjs. */
const built = {};
for (const name of only) {
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown target ${name}; known: ${Object.keys(TARGETS).join(", ")}`);
  const outfile = join(out, `${NAME}-${name}${name.startsWith("windows") ? ".exe" : ""}`);
  built[name] = outfile;
  const started = Date.now();
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), `--target=${target}`, `--outfile=${outfile}`], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  console.log(`${basename(outfile)}  (${target}, ${Date.now() - started} ms)`);
  if (name.startsWith("darwin")) {
    // Bun signs what it compiles for darwin-arm64 (ad hoc); Apple Silicon kills an unsigned or
    // badly signed binary at start. Its darwin-x64 build keeps a stale signature that covers only
    // part of the file, which a Mac may kill it for when it reads an uncovered page: re-signed
    // here, ad hoc, over every page. What still fails the check is said.
    if (!checkMachOSignature(outfile).valid) signMachOAdHoc(outfile, basename(outfile));
    const sig = checkMachOSignature(outfile);
    if (!sig.valid)
      console.warn(
        `  warning: ${basename(outfile)} has no valid ad-hoc signature (${sig.problem}); re-sign it on a Mac: codesign --force --sign - ${basename(outfile)}`,
      );
  }
}

// --ignore-scripts: `prepare` would rebuild dist/, which is already built (see above).
const pack = JSON.parse(
  execFileSync("npm", ["pack", "--json", "--ignore-scripts", `--pack-destination=${out}`], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }),
);
console.log(`${pack[0].filename}  (npm package: ${pack[0].files.map((f) => f.path).join(", ")})`);

// Archives, SBOM, Debian packages, Homebrew formula, Scoop manifest.
const bun = join(root, "node_modules", ".bin", process.platform === "win32" ? "bun.exe" : "bun");
packageRelease({ root, out, bun, built, log: (line) => console.log(line) });

const sums = readdirSync(out)
  .filter((f) => f !== "SHA256SUMS")
  .sort()
  .map(
    (f) =>
      `${createHash("sha256")
        .update(readFileSync(join(out, f)))
        .digest("hex")}  ${f}\n`,
  )
  .join("");
writeFileSync(join(out, "SHA256SUMS"), sums);
console.log(`SHA256SUMS in ${out}`);
