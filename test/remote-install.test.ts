/**
 * `install-remote-helper [DIR]` (README, "From git-remote-codecommit"): the name git-remote-codecommit as a link to this
 * program, idempotent, never over someone else's file, with a note when PATH will not lead git to it.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HelperError } from "../src/errors.js";
import { installRemoteHelper } from "../src/remote/install.js";

let root: string;
let bin: string;
let self: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "gcc-install-"));
  bin = join(root, "bin");
  mkdirSync(bin);
  self = join(bin, "git-credential-codecommit");
  writeFileSync(self, "#!/bin/sh\n", { mode: 0o755 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("installRemoteHelper", () => {
  it("links next to the program, relatively, and says nothing more when that directory is on PATH", () => {
    expect(installRemoteHelper({ selfPath: self, dir: undefined, pathEnv: `/nowhere:${bin}` })).toBe(
      `linked ${join(bin, "git-remote-codecommit")} -> ${self}\n`,
    );
    expect(readlinkSync(join(bin, "git-remote-codecommit"))).toBe("git-credential-codecommit");
  });

  it("a second run changes nothing", () => {
    installRemoteHelper({ selfPath: self, dir: undefined, pathEnv: bin });
    expect(installRemoteHelper({ selfPath: self, dir: undefined, pathEnv: bin })).toBe(
      `${join(bin, "git-remote-codecommit")} already runs ${self}\n`,
    );
  });

  it("started through a link, it links to the real file; into another directory, absolutely", () => {
    const other = join(root, "other");
    mkdirSync(other);
    const viaLink = join(root, "started-as");
    symlinkSync(self, viaLink);
    expect(installRemoteHelper({ selfPath: viaLink, dir: other, pathEnv: "" })).toBe(
      `linked ${join(other, "git-remote-codecommit")} -> ${self}\nnote: ${other} is not on PATH, so git will not find git-remote-codecommit; add it to PATH\n`,
    );
    expect(readlinkSync(join(other, "git-remote-codecommit"))).toBe(self);
  });

  it("warns when another git-remote-codecommit comes first on PATH", () => {
    const python = join(root, "python-bin");
    mkdirSync(python);
    // pip's entry point is executable; git passes over a file that is not, and so does the note.
    writeFileSync(join(python, "git-remote-codecommit"), "#!/usr/bin/python3\n", { mode: 0o755 });
    expect(installRemoteHelper({ selfPath: self, dir: undefined, pathEnv: `${python}:${bin}` })).toBe(
      `linked ${join(bin, "git-remote-codecommit")} -> ${self}\nnote: git will run ${join(python, "git-remote-codecommit")} instead, which comes earlier on PATH; remove it (pip uninstall git-remote-codecommit)\n`,
    );
  });

  it("leaves a file that is not this program alone and says so", () => {
    const theirs = join(bin, "git-remote-codecommit");
    writeFileSync(theirs, "#!/usr/bin/python3\n");
    let thrown: unknown;
    try {
      installRemoteHelper({ selfPath: self, dir: undefined, pathEnv: bin });
    } catch (err) {
      thrown = err;
    }
    expect((thrown as HelperError).userLine()).toBe(
      `git-credential-codecommit: ${theirs} already exists and is not a link to ${self} (the Python git-remote-codecommit, or an older copy?). Remove it (pip uninstall git-remote-codecommit) and run again`,
    );
    expect(lstatSync(theirs).isSymbolicLink()).toBe(false);
  });

  it("a directory that does not exist is one line, not a stack", () => {
    const missing = join(root, "missing");
    expect(() => installRemoteHelper({ selfPath: self, dir: missing, pathEnv: "" })).toThrow(
      new HelperError(
        "usage",
        `cannot create ${join(missing, "git-remote-codecommit")} (ENOENT)`,
        "Pass an existing directory you may write to, e.g. install-remote-helper ~/.local/bin",
      ),
    );
  });
});

/** Where links can't be made (Windows without developer mode or elevation): a copy, in any directory. */
describe("installRemoteHelper where links fail", () => {
  const eperm = (): never => {
    throw Object.assign(new Error("operation not permitted"), { code: "EPERM" });
  };
  let spaced: string;
  let program: string;

  beforeEach(() => {
    spaced = join(root, "Program Files", "Code Commit");
    mkdirSync(spaced, { recursive: true });
    program = join(spaced, "git-credential-codecommit.exe");
    writeFileSync(program, "MZ git-credential-codecommit 0.2\n", { mode: 0o755 });
  });

  it("copies next to the program (paths with spaces), named .exe, and a second run keeps the copy", () => {
    const dest = join(spaced, "git-remote-codecommit.exe");
    expect(installRemoteHelper({ selfPath: program, dir: undefined, pathEnv: spaced, link: eperm })).toBe(
      `copied ${program} to ${dest} (run this again after each upgrade)\n`,
    );
    expect(lstatSync(dest).isSymbolicLink()).toBe(false);
    expect(readFileSync(dest, "utf8")).toBe("MZ git-credential-codecommit 0.2\n");
    expect(installRemoteHelper({ selfPath: program, dir: undefined, pathEnv: spaced, link: eperm })).toBe(
      `${dest} already runs ${program}\n`,
    );
  });

  it("replaces an earlier version's copy after an upgrade, never another program", () => {
    const dest = join(spaced, "git-remote-codecommit.exe");
    writeFileSync(dest, "MZ git-credential-codecommit 0.1\n");
    expect(installRemoteHelper({ selfPath: program, dir: undefined, pathEnv: spaced, link: eperm })).toBe(
      `copied ${program} to ${dest} (run this again after each upgrade)\n`,
    );
    expect(readFileSync(dest, "utf8")).toBe("MZ git-credential-codecommit 0.2\n");
    writeFileSync(dest, "MZ pip launcher for git_remote_codecommit\n");
    expect(() => installRemoteHelper({ selfPath: program, dir: undefined, pathEnv: spaced, link: eperm })).toThrow(
      /already exists and is not a link/,
    );
    expect(readFileSync(dest, "utf8")).toBe("MZ pip launcher for git_remote_codecommit\n");
  });

  it("a link reported made but not there (Wine) is a copy too", () => {
    const dest = join(spaced, "git-remote-codecommit.exe");
    expect(installRemoteHelper({ selfPath: program, dir: undefined, pathEnv: spaced, link: () => {} })).toBe(
      `copied ${program} to ${dest} (run this again after each upgrade)\n`,
    );
    expect(readFileSync(dest, "utf8")).toBe("MZ git-credential-codecommit 0.2\n");
  });

  it("any other failure to link is one line, and nothing is copied", () => {
    const eacces = (): never => {
      throw Object.assign(new Error("permission denied"), { code: "EACCES" });
    };
    const dest = join(spaced, "git-remote-codecommit.exe");
    expect(() => installRemoteHelper({ selfPath: program, dir: undefined, pathEnv: spaced, link: eacces })).toThrow(
      new HelperError(
        "usage",
        `cannot create ${dest} (EACCES)`,
        "Pass an existing directory you may write to, e.g. install-remote-helper ~/.local/bin",
      ),
    );
    expect(() => lstatSync(dest)).toThrow();
  });
});
