/**
 * Reading a small file of the user's own from the cache without trusting what is there: never
 * blocks on a FIFO, never follows a link, never reads without bound, tells another user's file
 * from ours, and judges the directory the files live in.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_ENTRY_BYTES } from "../../src/session-cache/entry.js";
import { readCacheText, readOwnFile, untrustedDirectory } from "../../src/session-cache/own-file.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gcc-own-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ME = process.getuid?.();
const OTHER = ME === 65534 ? 65533 : 65534;

describe("readOwnFile: never blocks, never reads without bound", () => {
  it("a FIFO is not a regular file (and opening it does not wait for a writer)", () => {
    execFileSync("mkfifo", [join(dir, "fifo")]);
    expect(readOwnFile(join(dir, "fifo"), 100, ME)).toEqual({ problem: "not a regular file", kind: "foreign" });
  });
  it("a symbolic link, even to a regular file, is not followed", () => {
    writeFileSync(join(dir, "real"), "x");
    symlinkSync("/dev/zero", join(dir, "zero"));
    symlinkSync(join(dir, "real"), join(dir, "link"));
    for (const name of ["zero", "link"])
      expect(readOwnFile(join(dir, name), 100, ME)).toEqual({ problem: "a symbolic link, not a regular file", kind: "foreign" });
  });
  it("a file over the limit is refused by its size, unread", () => {
    writeFileSync(join(dir, "big"), "");
    truncateSync(join(dir, "big"), 512 * 1024 * 1024);
    expect(readOwnFile(join(dir, "big"), MAX_ENTRY_BYTES, ME)).toEqual({
      problem: "536870912 bytes, over the 65536-byte limit",
      kind: "oversize",
    });
  });
  it.skipIf(ME === undefined || ME !== 0)("another user's file is foreign (chown needs root)", () => {
    writeFileSync(join(dir, "theirs"), "x");
    chownSync(join(dir, "theirs"), OTHER, OTHER);
    expect(readOwnFile(join(dir, "theirs"), 100, ME)).toEqual({ problem: `owned by uid ${OTHER}, not by this user`, kind: "foreign" });
  });
  it("an unchanged file is not read twice; a replaced one is", () => {
    const file = join(dir, "e");
    writeFileSync(file, "one");
    const first = readOwnFile(file, 100, ME);
    expect(first).toMatchObject({ text: "one" });
    const id = (first as { id: string }).id;
    expect(readOwnFile(file, 100, ME, id)).toEqual({ unchanged: true, id });
    writeFileSync(join(dir, "e2"), "two!");
    execFileSync("mv", [join(dir, "e2"), file]);
    expect(readOwnFile(file, 100, ME, id)).toMatchObject({ text: "two!" });
  });
  it("a world-writable directory is untrusted; group-writable is not", () => {
    chmodSync(dir, 0o777);
    expect(untrustedDirectory(dir, ME ?? 0)).toBe(`${dir} is writable by other users`);
    chmodSync(dir, 0o770);
    expect(untrustedDirectory(dir, ME ?? 0)).toBeUndefined();
    expect(untrustedDirectory(dir, undefined)).toBeUndefined();
  });
  it("readCacheText (SSO token and login caches) throws for a FIFO or /dev/zero instead of hanging", () => {
    execFileSync("mkfifo", [join(dir, "token.json")]);
    symlinkSync("/dev/zero", join(dir, "login.json"));
    expect(() => readCacheText(join(dir, "token.json"))).toThrow(`${join(dir, "token.json")} is not a regular file`);
    expect(() => readCacheText(join(dir, "login.json"))).toThrow(`${join(dir, "login.json")} is a symbolic link, not a regular file`);
    writeFileSync(join(dir, "ok.json"), "{}");
    expect(readCacheText(join(dir, "ok.json"))).toBe("{}");
  });
});
