// The CycloneDX SBOM of what the executables bundle. npm's own generator (`npm sbom`, npm ≥ 9.5)
// lists every installed package with its version, licence and integrity hash, devDependencies
// included: the SDK clients and proxy agents are devDependencies only because the build compiles
// them in. Kept from its list: the packages Bun's bundler reports it put in a bundle (its metafile),
// for both output formats the release uses; so vitest, typescript or fast-check are never named.
// Added: the Bun runtime each native executable embeds.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The package directory an input path of the bundle lies in (the innermost node_modules/<name>), or undefined. */
function packageDir(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m?.[1];
}

/**
 * name@version of every npm package whose files Bun puts in the bundle of src/main.ts: the split
 * ES modules of the Linux and macOS executables and the one CommonJS file of the Windows one.
 */
export function bundledPackages({ root, bun }) {
  const tmp = mkdtempSync(join(tmpdir(), "gcc-sbom-"));
  try {
    const refs = new Set();
    for (const format of [["--format=esm", "--splitting"], ["--format=cjs"]]) {
      const meta = join(tmp, "meta.json");
      execFileSync(
        bun,
        ["build", join(root, "src", "main.ts"), "--target=bun", ...format, `--outdir=${join(tmp, "out")}`, `--metafile=${meta}`],
        { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
      );
      for (const input of Object.keys(JSON.parse(readFileSync(meta, "utf8")).inputs)) {
        const dir = packageDir(input);
        if (dir === undefined) continue;
        const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
        refs.add(`${pkg.name}@${pkg.version}`);
      }
    }
    return refs;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A UUID made from the document's own bytes: the same SBOM for the same inputs, yet unique per content. */
function contentUuid(text) {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The SBOM as an object; throws when a bundled package is not in npm's list (a stale install). */
export function bundleSbom({ root, bun, epoch }) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const bunVersion = JSON.parse(readFileSync(join(root, "node_modules", "bun", "package.json"), "utf8")).version;
  const npm = JSON.parse(
    execFileSync("npm", ["sbom", "--sbom-format=cyclonedx", "--sbom-type=application"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 << 20,
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  const bundled = bundledPackages({ root, bun });
  const components = npm.components.filter((c) => bundled.has(c["bom-ref"]));
  const missing = [...bundled].filter((ref) => !components.some((c) => c["bom-ref"] === ref));
  if (missing.length > 0) throw new Error(`npm sbom does not list ${missing.join(", ")}: run "npm ci"`);
  for (const c of components) {
    // Compiled in, whatever package.json calls them.
    c.scope = "required";
    c.properties = (c.properties ?? []).filter((p) => p.name !== "cdx:npm:package:development");
  }
  const runtime = {
    "bom-ref": `bun@${bunVersion}`,
    type: "platform",
    name: "bun",
    version: bunVersion,
    scope: "required",
    description: "The Bun runtime, embedded in each native executable by bun build --compile",
    purl: `pkg:npm/bun@${bunVersion}`,
    licenses: [{ license: { id: "MIT" } }],
    externalReferences: [{ type: "website", url: "https://bun.sh" }],
  };
  const rootRef = npm.metadata.component["bom-ref"];
  const kept = new Set([rootRef, runtime["bom-ref"], ...components.map((c) => c["bom-ref"])]);
  const dependencies = npm.dependencies
    .filter((d) => kept.has(d.ref))
    .map((d) => ({ ref: d.ref, dependsOn: (d.dependsOn ?? []).filter((r) => kept.has(r)) }));
  const top = dependencies.find((d) => d.ref === rootRef);
  if (top) top.dependsOn.push(runtime["bom-ref"]);
  dependencies.push({ ref: runtime["bom-ref"], dependsOn: [] });
  const sbom = {
    ...npm,
    serialNumber: "",
    metadata: {
      ...npm.metadata,
      timestamp: new Date(epoch * 1000).toISOString(),
      // npm names the root after the directory it ran in; the release is the package.
      component: { ...npm.metadata.component, type: "application", name: pkg.name, description: pkg.description },
    },
    components: [runtime, ...components].sort((a, b) => a["bom-ref"].localeCompare(b["bom-ref"])),
    dependencies,
  };
  sbom.serialNumber = `urn:uuid:${contentUuid(JSON.stringify(sbom))}`;
  return sbom;
}
