// The Debian packages: the executable in /usr/bin, git-remote-codecommit beside it as a link (the
// same program is git's remote helper under that name), the man page gzipped, and the copyright
// file in Debian's machine-readable format. Built by dpkg-deb alone (no debhelper, no network);
// --root-owner-group makes every file root's without fakeroot.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const NAME = "git-credential-codecommit";

/** Debian's architecture names for the release's Linux (glibc) targets. */
export const DEB_ARCHITECTURES = { amd64: "linux-x64", arm64: "linux-arm64" };

/** Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, 1 per link and directory. */
function installedSize(dir) {
  let kib = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "DEBIAN") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) kib += 1 + installedSize(path);
    else if (entry.isSymbolicLink()) kib += 1;
    else kib += Math.ceil(lstatSync(path).size / 1024);
  }
  return kib;
}

/** The copyright file (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/). */
function copyright({ homepage, bundled }) {
  const list = bundled.map((c) => ` ${c.name} ${c.version} (${c.license})`).join("\n");
  return `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ${NAME}
Upstream-Contact: ${homepage}/issues
Source: ${homepage}
Comment: The executable is compiled with Bun and embeds the Bun runtime and these npm packages,
 each under its own licence (their versions are in the release's CycloneDX SBOM):
${list}

Files: *
Copyright: The ${NAME} authors
License: Apache-2.0

License: Apache-2.0
 Licensed under the Apache License, Version 2.0 (the "License");
 you may not use this file except in compliance with the License.
 You may obtain a copy of the License at
 .
 http://www.apache.org/licenses/LICENSE-2.0
 .
 Unless required by applicable law or agreed to in writing, software
 distributed under the License is distributed on an "AS IS" BASIS,
 WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 See the License for the specific language governing permissions and
 limitations under the License.
 .
 On Debian systems, the complete text of the Apache License, Version 2.0
 can be found in "/usr/share/common-licenses/Apache-2.0".
`;
}

/**
 * Builds `<out>/git-credential-codecommit_<version>_<arch>.deb` from the executable `binary` and the
 * man page `manPage`; `bundled` names what the executable embeds, for the copyright file.
 */
export function debianPackage({ out, work, arch, binary, manPage, version, homepage, maintainer, description, bundled, epoch }) {
  rmSync(work, { recursive: true, force: true });
  const dir = (path) => {
    mkdirSync(join(work, path), { recursive: true, mode: 0o755 });
    return join(work, path);
  };
  const file = (path, mode) => {
    chmodSync(path, mode);
    utimesSync(path, epoch, epoch);
  };
  const bin = dir("usr/bin");
  copyFileSync(binary, join(bin, NAME));
  file(join(bin, NAME), 0o755);
  symlinkSync(NAME, join(bin, "git-remote-codecommit"));
  const man1 = dir("usr/share/man/man1");
  // -n: no name or time in the gzip header, so the package is the same for the same page.
  execFileSync("bash", ["-c", 'gzip -9n < "$0" > "$1"', manPage, join(man1, `${NAME}.1.gz`)]);
  file(join(man1, `${NAME}.1.gz`), 0o644);
  const doc = dir(`usr/share/doc/${NAME}`);
  writeFileSync(join(doc, "copyright"), copyright({ homepage, bundled }));
  file(join(doc, "copyright"), 0o644);

  const [summary, ...more] = description;
  const control = [
    `Package: ${NAME}`,
    `Version: ${version}`,
    `Architecture: ${arch}`,
    `Maintainer: ${maintainer}`,
    `Installed-Size: ${installedSize(work)}`,
    "Depends: git",
    "Section: vcs",
    "Priority: optional",
    `Homepage: ${homepage}`,
    `Description: ${summary}`,
    ...more.map((line) => (line === "" ? " ." : ` ${line}`)),
  ].join("\n");
  writeFileSync(join(dir("DEBIAN"), "control"), `${control}\n`);
  file(join(work, "DEBIAN", "control"), 0o644);

  const deb = join(out, `${NAME}_${version}_${arch}.deb`);
  // gzip rather than dpkg's default xz: for this 110 MB executable xz -6 saves a quarter (41 MB
  // against 54 MB) but costs ~110 s of CPU against gzip's 5 s; every dpkg and apt reads either.
  execFileSync("dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", work, deb], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  rmSync(work, { recursive: true, force: true });
  return deb;
}
