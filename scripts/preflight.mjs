// Pre-flight check for `npm test` and `.ci/run`: every external tool the suite runs is there, in a
// version that works, before a single test starts. Each missing one is named with the command that
// installs it, then the script exits 1 — never a `spawn moto_server ENOENT` from deep inside a test.
// Usage: node scripts/preflight.mjs [--release]   (--release: also what `npm run test:release` needs)
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const release = process.argv.includes("--release");
const env = process.env;

/** The full path of an executable on PATH, or undefined. */
function which(name) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Runs a command; its output (stdout then stderr), or undefined when it cannot start or fails. */
function output(cmd, args) {
  // A bound only against a hang: `aws --version` starts Python, slow on a loaded machine.
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000, env });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout}${r.stderr}`.trim();
}

const APT = (pkgs) => `sudo apt-get install -y ${pkgs}`;
const PIP = (pkgs) => `python3 -m pip install ${pkgs}`;

/**
 * One check per tool: `probe` returns a short version note when the tool is usable, or a string
 * starting with "!" that says what is wrong with the one found; undefined when it is absent.
 */
const checks = [
  {
    tool: "git ≥ 2.37",
    install: APT("git"),
    probe: () => {
      const v = output("git", ["--version"]);
      if (v === undefined) return undefined;
      const m = /(\d+)\.(\d+)/.exec(v);
      const ok = m !== null && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 37));
      return ok ? `git ${m[0]}` : `!found "${v}", the tests need git 2.37 or later`;
    },
  },
  { tool: "openssl", install: APT("openssl"), probe: () => (which("openssl") ? "openssl" : undefined) },
  { tool: "script (util-linux)", install: APT("bsdutils"), probe: () => (which("script") ? "script" : undefined) },
  {
    tool: "the pip AWS CLI v1 (aws)",
    install: PIP("'awscli<2'"),
    probe: () => {
      if (!which("aws")) return undefined;
      const v = output("aws", ["--version"]);
      if (v === undefined) return "!`aws --version` failed";
      const first = v.split(/\s/)[0] ?? v;
      return first.startsWith("aws-cli/1.") ? first : `!found ${first}; the password oracle is the pip AWS CLI v1 — put it first on PATH`;
    },
  },
  {
    tool: "python3 with botocore",
    install: PIP("botocore"),
    probe: () => {
      if (!which("python3")) return undefined;
      const v = output("python3", ["-c", "import botocore; print(botocore.__version__)"]);
      return v === undefined ? "!python3 cannot import botocore" : `botocore ${v}`;
    },
  },
  { tool: "moto_server", install: PIP("'moto[server]'"), probe: () => (which("moto_server") ? "moto_server" : undefined) },
  { tool: "faketime", install: APT("faketime"), probe: () => (which("faketime") ? "faketime" : undefined) },
  { tool: "hyperfine", install: APT("hyperfine"), probe: () => (which("hyperfine") ? "hyperfine" : undefined) },
  // test/e2e/remote-helper.test.ts records every program git starts.
  { tool: "strace", install: APT("strace"), probe: () => (which("strace") ? "strace" : undefined) },
  // test/e2e/network-faults.test.ts drops a port's SYNs inside a network namespace.
  { tool: "iptables", install: APT("iptables"), probe: () => (which("iptables") ? "iptables" : undefined) },
  {
    tool: "/usr/bin/time (GNU time)",
    install: APT("time"),
    probe: () => {
      try {
        accessSync("/usr/bin/time", constants.X_OK);
        return "/usr/bin/time";
      } catch {
        return undefined;
      }
    },
  },
  ...(release
    ? [
        { tool: "qemu-aarch64 (qemu-user)", install: APT("qemu-user"), probe: () => (which("qemu-aarch64") ? "qemu-aarch64" : undefined) },
        {
          tool: "the arm64 glibc loader (libc6-arm64-cross)",
          install: APT("libc6-arm64-cross"),
          probe: () => {
            try {
              accessSync("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1");
              return "libc6-arm64-cross";
            } catch {
              return undefined;
            }
          },
        },
        { tool: "file", install: APT("file"), probe: () => (which("file") ? "file" : undefined) },
        // npm run release packs the Windows archive and the Debian packages; the tests read them back.
        { tool: "zip", install: APT("zip"), probe: () => (which("zip") ? "zip" : undefined) },
        { tool: "zipinfo (unzip)", install: APT("unzip"), probe: () => (which("zipinfo") ? "zipinfo" : undefined) },
        { tool: "dpkg-deb", install: APT("dpkg"), probe: () => (which("dpkg-deb") ? "dpkg-deb" : undefined) },
        // test/e2e/release-man.test.ts renders the man page and finds it through MANPATH.
        { tool: "man (man-db)", install: APT("man-db"), probe: () => (which("man") && which("nroff") ? "man" : undefined) },
        // test/e2e/release-windows.test.ts runs the Windows build under Wine, with a DLL it compiles.
        {
          tool: "wine (wine, wine64)",
          install: APT("wine wine64"),
          probe: () => (which("wine") && which("wineserver") ? "wine" : undefined),
        },
        {
          tool: "x86_64-w64-mingw32-gcc (gcc-mingw-w64-x86-64-win32)",
          install: APT("gcc-mingw-w64-x86-64-win32"),
          probe: () => (which("x86_64-w64-mingw32-gcc") ? "x86_64-w64-mingw32-gcc" : undefined),
        },
      ]
    : []),
];

const found = [];
const problems = [];
const nodeMajor = Number(process.versions.node.split(".")[0]);
if (nodeMajor < 20) problems.push(`node ${process.versions.node}: the tests need Node ≥ 20`);
for (const { tool, install, probe } of checks) {
  const note = probe();
  if (note === undefined) problems.push(`${tool} is missing — install it: ${install}`);
  else if (note.startsWith("!")) problems.push(`${tool}: ${note.slice(1)} — install it: ${install}`);
  else found.push(note);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`preflight: ${p}`);
  console.error(`preflight: ${problems.length} tool(s) missing; .ci/run installs the Debian ones on a fresh machine`);
  process.exit(1);
}
console.log(`preflight: ok — ${found.join(", ")}`);
