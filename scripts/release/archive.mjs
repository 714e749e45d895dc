// The release archives: one per target, holding the executable under the name git runs it by, the
// licence, the README and the man page. Byte for byte the same from the same inputs (GNU tar's
// --sort/--mtime/--owner, gzip -n, zip -X at a fixed time), so anyone can rebuild and compare.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, utimesSync } from "node:fs";
import { join } from "node:path";

/**
 * Copies `files` (name in the archive → source path; the executable first) into a fresh directory
 * with the modes a user should get (0755 for the executable, 0644 for the rest) and the release's
 * time; returns the names in archive order.
 */
function stage(dir, files, epoch) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names = Object.keys(files);
  names.forEach((name, i) => {
    copyFileSync(files[name], join(dir, name));
    chmodSync(join(dir, name), i === 0 ? 0o755 : 0o644);
    utimesSync(join(dir, name), epoch, epoch);
  });
  return names;
}

/** `<archive>.tar.gz` of `files` (see stage), owned by root (0:0), entries at the top level. */
export function tarGz({ archive, work, files, epoch }) {
  const names = stage(work, files, epoch);
  const tar = [
    "--sort=name",
    "--format=gnu",
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    `--mtime=@${epoch}`,
    "-C",
    work,
    "-cf",
    "-",
    ...names,
  ];
  execFileSync("bash", ["-o", "pipefail", "-c", 'tar "$@" | gzip -n -6 > "$0"', archive, ...tar], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  rmSync(work, { recursive: true, force: true });
}

/** `<archive>.zip` of `files` (see stage), for Windows: no extra fields (uid, gid, access times), UTC times. */
export function zip({ archive, work, files, epoch }) {
  const names = stage(work, files, epoch);
  rmSync(archive, { force: true });
  execFileSync("zip", ["-X", "-q", "-6", archive, ...names], {
    cwd: work,
    env: { ...process.env, TZ: "UTC" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  rmSync(work, { recursive: true, force: true });
}
