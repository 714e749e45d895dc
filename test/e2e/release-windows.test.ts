/**
 * The Windows executable, run: built for bun-windows-x64 and started under Debian's Wine, it must
 * answer byte for byte as the Linux build does at the same frozen wall clock.
 *
 * - Debian 12's Wine 8.0 has no bcryptprimitives.dll, whose ProcessPrng the Bun runtime imports
 *   (Windows 10 and Wine 8.13 or later have it). test/support/wine/bcryptprimitives.c stands in for
 *   it: compiled here with mingw-w64 and put beside the executable, where Windows looks first.
 * - faketime freezes the clock of wine and everything it starts; the Linux build gets the same time.
 * - HOME names a directory with other credentials: botocore on Windows never reads HOME (Git Bash
 *   sets it), only USERPROFILE, which Wine sets to its prefix's user directory.
 *
 * Run by `npm run test:release`. The Wine prefix is made once (wineboot, slow the first time) in a
 * temp dir and its wineserver stopped at the end.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConnectProxy } from "../support/connect-proxy.js";
import { firstSessionUser } from "../support/role-world.js";
import { BINARY, frozenAt, ROOT, runCommand } from "../support/run-binary.js";
import { startStsStub } from "../support/sts-stub.js";

const TIME = "2017-12-24 11:53:20";
/** git's request as a Windows git writes it when a tool in between turns LF into CRLF. */
const REQUEST_CRLF = "protocol=https\r\nhost=git-codecommit.us-west-2.amazonaws.com\r\npath=v1/repos/test_repo\r\n\r\n";
const REQUEST = REQUEST_CRLF.replaceAll("\r\n", "\n");
/** The published SigV4 vector for these static credentials at TIME (as in test/e2e/release.test.ts). */
const ANSWER =
  "username=access\npassword=20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a\npassword_expiry_utc=1514117300\n";
const STATIC = "[static]\naws_access_key_id = access\naws_secret_access_key = secret\n";

let dir = "";
let exe = "";
let wineEnv: Record<string, string> = {};
/** Wine's %USERPROFILE% on this side. */
let profileDir = "";
/** The environment both builds share: no AWS settings of the caller's, HOME with a decoy profile. */
let common: Record<string, string> = {};

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/**
 * Runs argv at the frozen time with `input` as stdin: a file, not a pipe. A Unix pipe handed to a
 * Windows program is Wine's own kind of handle, on which Bun's stdin stream fails (EBADF); a pipe
 * made by Windows works, and the last test gives it one.
 */
function run(argv: readonly string[], env: Record<string, string>, input: string, cwd?: string): Run {
  const frozen = frozenAt(TIME);
  const stdinFile = join(dir, "stdin.txt");
  writeFileSync(stdinFile, input);
  const stdin = openSync(stdinFile, "r");
  try {
    // A bound against a hang only: a busy machine's Wine may take a while to start.
    const r = spawnSync(frozen.wrap[0] as string, [...frozen.wrap.slice(1), ...argv], {
      env: { ...env, ...frozen.env },
      stdio: [stdin, "pipe", "pipe"],
      cwd,
      encoding: "utf8",
      timeout: 300_000,
    });
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  } finally {
    closeSync(stdin);
  }
}

const onWindows = (args: readonly string[], extra: Record<string, string> = {}, input = REQUEST_CRLF): Run =>
  run(["wine", exe, ...args], { ...wineEnv, ...extra }, input);
/** Runs a batch file under Wine's cmd, which parses its pipes, redirections and quoted paths with spaces. */
function runBatch(name: string, lines: readonly string[], extra: Record<string, string> = {}): Run {
  writeFileSync(join(dir, name), `${lines.join("\r\n")}\r\n`);
  return run(["wine", "cmd", "/c", name], { ...wineEnv, ...extra }, "", dir);
}

const onLinux = (args: readonly string[], extra: Record<string, string> = {}, input = REQUEST): Run =>
  run([BINARY, ...args], { ...common, ...extra }, input);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gcc-wine "));
  exe = join(dir, "git-credential-codecommit.exe");
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--target=bun-windows-x64", `--outfile=${exe}`], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync("x86_64-w64-mingw32-gcc", [
    "-shared",
    "-o",
    join(dir, "bcryptprimitives.dll"),
    join(ROOT, "test", "support", "wine", "bcryptprimitives.c"),
    "-lbcrypt",
  ]);

  const decoyHome = join(dir, "decoy home");
  mkdirSync(join(decoyHome, ".aws"), { recursive: true });
  writeFileSync(join(decoyHome, ".aws", "credentials"), "[static]\naws_access_key_id = FROMHOME\naws_secret_access_key = decoy\n");
  common = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: decoyHome, AWS_EC2_METADATA_DISABLED: "true" };
  wineEnv = {
    ...common,
    WINEPREFIX: join(dir, "prefix"),
    WINEDEBUG: "-all",
    // No Mono or Gecko installer dialog during wineboot: nothing here needs them.
    WINEDLLOVERRIDES: "mscoree,mshtml=",
  };
  execFileSync("wine", ["wineboot", "--init"], { env: wineEnv, stdio: "ignore", timeout: 600_000 });
  // Under faketime every start would see the prefix as out of date (libfaketime fakes file times
  // too) and update it again, saying so on stderr: "disable" tells Wine to leave it as booted.
  writeFileSync(join(dir, "prefix", ".update-timestamp"), "disable\n");
  // Wine's USERPROFILE: C:\users\<the Unix user>, the one directory under drive_c/users besides Public.
  const users = readdirSync(join(dir, "prefix", "drive_c", "users")).filter((u) => u !== "Public");
  expect(users).toHaveLength(1);
  profileDir = join(dir, "prefix", "drive_c", "users", users[0] as string);
  mkdirSync(join(profileDir, ".aws"), { recursive: true });
  writeFileSync(join(profileDir, ".aws", "credentials"), STATIC);
  // The Linux build reads the same file through its HOME.
  mkdirSync(join(dir, "linux home", ".aws"), { recursive: true });
  writeFileSync(join(dir, "linux home", ".aws", "credentials"), STATIC);
}, 1_200_000);

afterAll(() => {
  if (wineEnv.WINEPREFIX) spawnSync("wineserver", ["-k"], { env: wineEnv, timeout: 60_000 });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fromEnvironment = { AWS_ACCESS_KEY_ID: "access", AWS_SECRET_ACCESS_KEY: "secret" };

describe("the Windows build under Wine", () => {
  it("--version, as the Linux build prints it", () => {
    const linux = onLinux(["--version"]);
    expect(linux).toMatchObject({ stderr: "", code: 0 });
    expect(onWindows(["--version"])).toEqual(linux);
  }, 600_000);

  it("get from the environment: CRLF in, the Linux build's answer out", () => {
    const linux = onLinux(["get"], fromEnvironment);
    expect(linux).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
    expect(onWindows(["get"], fromEnvironment)).toEqual(linux);
  }, 600_000);

  it("get from %USERPROFILE%\\.aws\\credentials, never from HOME (Git Bash sets it)", () => {
    const linux = onLinux(["--profile", "static", "get"], { HOME: join(dir, "linux home") });
    expect(linux).toEqual({ stdout: ANSWER, stderr: "", code: 0 });
    // Wine keeps the Unix HOME from Windows programs: cmd sets one, as Git Bash would.
    writeFileSync(join(dir, "request.txt"), REQUEST_CRLF);
    const bat = ['@set "HOME=%~dp0decoy home"', '@"%~dp0git-credential-codecommit.exe" --profile static get < "%~dp0request.txt"'];
    expect(runBatch("home.bat", bat)).toEqual(linux);
  }, 600_000);

  it("AWS_SHARED_CREDENTIALS_FILE=%USERPROFILE%\\.aws\\credentials expands as botocore expands it", () => {
    expect(onWindows(["--profile", "static", "get"], { AWS_SHARED_CREDENTIALS_FILE: "%USERPROFILE%\\.aws\\credentials" })).toEqual({
      stdout: ANSWER,
      stderr: "",
      code: 0,
    });
  }, 600_000);

  it("CRLF input through a Windows pipe (cmd's `type … | …`)", () => {
    writeFileSync(join(dir, "request.txt"), REQUEST_CRLF);
    expect(runBatch("pipe.bat", ['@type "%~dp0request.txt" | "%~dp0git-credential-codecommit.exe" get'], fromEnvironment)).toEqual({
      stdout: ANSWER,
      stderr: "",
      code: 0,
    });
  }, 600_000);

  it("install-remote-helper copies itself where links can't be made, into a path with spaces", () => {
    const spaced = join(dir, "Program Files", "CodeCommit");
    mkdirSync(spaced, { recursive: true });
    cpSync(exe, join(spaced, "git-credential-codecommit.exe"));
    cpSync(join(dir, "bcryptprimitives.dll"), join(spaced, "bcryptprimitives.dll"));
    const windowsDir = `Z:${spaced.replaceAll("/", "\\")}`;
    writeFileSync(join(dir, "install.bat"), `@"%~dp0Program Files\\CodeCommit\\git-credential-codecommit.exe" install-remote-helper\r\n`);
    const r = run(["wine", "cmd", "/c", "install.bat"], { ...wineEnv, PATH: "/usr/bin:/bin" }, "", dir);
    expect(r).toEqual({
      stdout: `copied ${windowsDir}\\git-credential-codecommit.exe to ${windowsDir}\\git-remote-codecommit.exe (run this again after each upgrade)\nnote: ${windowsDir} is not on PATH, so git will not find git-remote-codecommit.exe; add it to PATH\n`,
      stderr: "",
      code: 0,
    });
    expect(readFileSync(join(spaced, "git-remote-codecommit.exe")).equals(readFileSync(exe))).toBe(true);
  }, 600_000);

  it("STS through the proxy the registry's Internet Settings name, with no *_proxy variable (reg query)", async () => {
    const sts = await startStsStub();
    sts.registerStatic("AKIABASEEXAMPLE00001", "base-secret-1111111111");
    const stsPort = Number(new URL(sts.endpoint).port);
    // A name that resolves nowhere: only the proxy can reach it.
    const target = "sts.registry-proxy.example:8080";
    const proxy = await startConnectProxy((t) => (t === target ? stsPort : undefined));
    const key = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";
    const settings: Array<[string, string, string]> = [
      ["ProxyEnable", "REG_DWORD", "1"],
      ["ProxyServer", "REG_SZ", new URL(proxy.url).host],
      ["ProxyOverride", "REG_SZ", "*.corp.example;<local>"],
    ];
    try {
      for (const [name, type, value] of settings)
        execFileSync("wine", ["reg", "add", key, "/v", name, "/t", type, "/d", value, "/f"], {
          env: wineEnv,
          stdio: "ignore",
          timeout: 300_000,
        });
      writeFileSync(
        join(profileDir, ".aws", "config"),
        "[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-1111111111\n" +
          "[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = base\nregion = us-east-1\n",
      );
      writeFileSync(join(dir, "request.txt"), REQUEST_CRLF);
      writeFileSync(join(dir, "proxy.bat"), '@"%~dp0git-credential-codecommit.exe" --profile cross get < "%~dp0request.txt"\r\n');
      // Asynchronous: the stub and the proxy answer from this process while Wine runs.
      const r = await runCommand(["wine", "cmd", "/c", "proxy.bat"], {
        env: { ...wineEnv, AWS_ENDPOINT_URL_STS: `http://${target}` },
        cwd: dir,
        timeoutMs: 300_000,
      });
      expect({ stderr: r.stderr, code: r.code, user: r.stdout.split("\n")[0] }).toEqual({
        stderr: "",
        code: 0,
        user: firstSessionUser(sts),
      });
      expect(proxy.connects).toEqual([`POST http://${target}/`]);
      expect(sts.calls.map((c) => c.action)).toEqual(["AssumeRole"]);
    } finally {
      execFileSync("wine", ["reg", "add", key, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "0", "/f"], {
        env: wineEnv,
        stdio: "ignore",
        timeout: 300_000,
      });
      await proxy.close();
      await sts.close();
    }
  }, 600_000);
});
