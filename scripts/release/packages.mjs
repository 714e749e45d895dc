// Everything a release publishes around the executables (scripts/release.mjs builds those): the
// archives, the SBOM, the Debian packages, the Homebrew formula and the Scoop manifest. Their URLs
// all derive from package.json's one `repository` field: the archives are published as the assets
// of the GitHub release tagged v<version> (.github/workflows/release.yml).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tarGz, zip } from "./archive.mjs";
import { DEB_ARCHITECTURES, debianPackage } from "./deb.mjs";
import { homebrewFormula } from "./homebrew.mjs";
import { bundleSbom } from "./sbom.mjs";
import { scoopManifest } from "./scoop.mjs";

const NAME = "git-credential-codecommit";
const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** https://github.com/<owner>/<repo> from package.json's repository (a string or { url }). */
export function repositoryUrl(pkg) {
  const url = String(pkg.repository?.url ?? pkg.repository ?? "");
  const m = /^(?:git\+)?(https:\/\/github\.com\/[^/]+\/[^/.]+?)(?:\.git)?$/.exec(url);
  if (!m) throw new Error(`package.json "repository" must be a GitHub URL (https://github.com/<owner>/<repo>), not "${url}"`);
  return m[1];
}

/**
 * The seconds since 1970 every packed file is dated: SOURCE_DATE_EPOCH (reproducible-builds.org),
 * else the checkout's last commit, so the same commit packs the same bytes.
 */
function sourceDateEpoch(root) {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const r = spawnSync("git", ["log", "-1", "--format=%ct"], { cwd: root, encoding: "utf8" });
  return r.status === 0 && /^\d+$/.test(r.stdout.trim()) ? Number(r.stdout.trim()) : 0;
}

/**
 * Packs `built` (release target name → executable path) into `out`; logs each file. Archives for
 * every built target; the .deb of each built Linux glibc target; the formula when its four targets
 * were built, the manifest when Windows was.
 */
export function packageRelease({ root, out, bun, built, log }) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const { version, description, license } = pkg;
  const repository = repositoryUrl(pkg);
  const releases = `${repository}/releases/download`;
  const epoch = sourceDateEpoch(root);
  const manPage = join(root, "dist", `${NAME}.1`);
  if (!existsSync(manPage)) throw new Error(`${manPage} is missing: run "npm run build" first`);
  const docs = { LICENSE: join(root, "LICENSE"), "README.md": join(root, "README.md"), [`${NAME}.1`]: manPage };

  const archives = {};
  for (const [target, binary] of Object.entries(built)) {
    const windows = target.startsWith("windows");
    const file = `${NAME}-${version}-${target}.${windows ? "zip" : "tar.gz"}`;
    const make = windows ? zip : tarGz;
    make({
      archive: join(out, file),
      work: join(out, `.stage-${target}`),
      files: { [windows ? `${NAME}.exe` : NAME]: binary, ...docs },
      epoch,
    });
    archives[target] = { url: `${releases}/v${version}/${file}`, sha256: sha256(join(out, file)) };
    log(file);
  }

  const sbomFile = `${NAME}-${version}.cdx.json`;
  const sbom = bundleSbom({ root, bun, epoch });
  writeFileSync(join(out, sbomFile), `${JSON.stringify(sbom, null, 2)}\n`);
  log(`${sbomFile}  (${sbom.components.length} components)`);

  const bundled = sbom.components
    .filter((c) => c.type === "library")
    .map((c) => ({
      name: c.name,
      version: c.version,
      license: c.licenses?.[0]?.license?.id ?? c.licenses?.[0]?.expression ?? "see the package",
    }));
  const owner = new URL(repository).pathname.split("/")[1];
  for (const [arch, target] of Object.entries(DEB_ARCHITECTURES)) {
    if (!built[target]) continue;
    const deb = debianPackage({
      out,
      work: join(out, `.stage-deb-${arch}`),
      arch,
      binary: built[target],
      manPage,
      version,
      homepage: repository,
      maintainer: `${owner} <${owner}@users.noreply.github.com>`,
      description: [
        "git credential helper for AWS CodeCommit over HTTPS",
        "Signs CodeCommit's SigV4 passwords for git, byte-identical to",
        '"aws codecommit credential-helper", from any AWS CLI profile (roles, MFA,',
        "SSO, credential_process, web identity, container and instance roles),",
        "in milliseconds and without the AWS CLI. Installed as",
        "git-remote-codecommit too, it is git's remote helper for codecommit:// URLs.",
      ],
      bundled,
      epoch,
    });
    log(deb.slice(out.length + 1));
  }

  const meta = { version, description, homepage: repository, license };
  if (["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64"].every((t) => archives[t])) {
    writeFileSync(
      join(out, `${NAME}.rb`),
      homebrewFormula({ ...meta, summary: "Git credential helper for AWS CodeCommit over HTTPS", archives }),
    );
    log(`${NAME}.rb`);
  }
  if (archives["windows-x64"]) {
    const manifest = scoopManifest({ ...meta, archive: archives["windows-x64"], releases, repository });
    writeFileSync(join(out, `${NAME}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    log(`${NAME}.json`);
  }
}
