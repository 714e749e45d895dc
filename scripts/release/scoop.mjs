// The Scoop manifest for a bucket: the Windows archive of this release, by URL and hash. Scoop's
// shims start the real executable under the executable's own name, and this program is git's
// remote helper when started as git-remote-codecommit: so the manifest makes a real copy under that
// name (pre_install) and shims both.
const NAME = "git-credential-codecommit";

/** `archive`: { url, sha256 } of the windows-x64 zip; `releases`: the URL release tags live under. */
export function scoopManifest({ version, description, homepage, license, archive, releases, repository }) {
  return {
    version,
    description,
    homepage,
    license,
    architecture: {
      "64bit": { url: archive.url, hash: archive.sha256 },
    },
    pre_install: `Copy-Item "$dir\\${NAME}.exe" "$dir\\git-remote-codecommit.exe"`,
    bin: [`${NAME}.exe`, "git-remote-codecommit.exe"],
    checkver: { github: repository },
    autoupdate: {
      architecture: {
        "64bit": { url: `${releases}/v$version/${NAME}-$version-windows-x64.zip` },
      },
      // Scoop finds the zip's line in the release's SHA256SUMS.
      hash: { url: `${releases}/v$version/SHA256SUMS` },
    },
  };
}
