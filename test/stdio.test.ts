/**
 * git's wire format (LF line endings only, on every platform; bounded input), for the code that
 * moves the bytes: src/runtime/stdio.ts writes exactly what it is given, with no newline translation of
 * its own. There is no platform branch in it, so this holds for the Windows build too, which this
 * machine cannot run (Debian's wine 8 lacks bcryptprimitives.dll, which Bun needs).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatResponse, hasBlankLine, QUIT } from "../src/protocol.js";
import { readUpTo, writeAll } from "../src/runtime/stdio.js";

const dir = mkdtempSync(join(tmpdir(), "gcc-stdio-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function written(text: string): Buffer {
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(file, "w");
  try {
    writeAll(fd, text);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file);
}

function readBack(bytes: Buffer | string, limit: number): Buffer {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, bytes);
  const fd = openSync(file, "r");
  try {
    return Buffer.from(readUpTo(fd, limit));
  } finally {
    closeSync(fd);
  }
}

function readBackUntilBlank(bytes: string): Buffer {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, bytes);
  const fd = openSync(file, "r");
  try {
    return Buffer.from(readUpTo(fd, 1024 * 1024, hasBlankLine));
  } finally {
    closeSync(fd);
  }
}

describe("writeAll", () => {
  it("writes the answer byte for byte, LF only", () => {
    const answer = formatResponse({ username: "AKIDEXAMPLE%token", password: "20171224T115320Zabc", passwordExpiryUtc: 1514116100 });
    const bytes = written(answer);
    expect(bytes.toString("utf8")).toBe("username=AKIDEXAMPLE%token\npassword=20171224T115320Zabc\npassword_expiry_utc=1514116100\n");
    expect(bytes.includes(0x0d)).toBe(false);
    expect(written(QUIT).toString("latin1")).toBe("quit=1\n");
  });
  it("encodes as UTF-8 and writes everything, however long", () => {
    const long = `é€${"x".repeat(300_000)}\n`;
    expect(written(long).equals(Buffer.from(long, "utf8"))).toBe(true);
  });
});

describe("readUpTo", () => {
  it("reads to the end", () => {
    const request = "protocol=https\r\nhost=git-codecommit.us-east-1.amazonaws.com\r\n\r\n";
    expect(readBack(request, 1024 * 1024).toString("latin1")).toBe(request);
    expect(readBack("", 1024 * 1024).length).toBe(0);
  });
  it("reads exactly the limit, and stops soon after passing it", () => {
    expect(readBack(Buffer.alloc(100_000, 0x61), 100_000).length).toBe(100_000);
    const over = readBack(Buffer.alloc(1_000_000, 0x61), 100_000).length;
    expect(over).toBeGreaterThan(100_000);
    expect(over).toBeLessThan(1_000_000);
  });
});

describe("readUpTo with git's blank line, which ends a request while stdin stays open", () => {
  it("returns at the blank line, leaving what follows unread", () => {
    // (The binary answering while git holds the pipe open is proven in test/e2e/hostile.test.ts.)
    const got = readBackUntilBlank("protocol=https\nhost=h\n\nmore=1\n");
    expect(got.toString("latin1")).toBe("protocol=https\nhost=h\n\nmore=1\n");
  });
  it("finds the blank line however the request is split into reads", () => {
    const request = Buffer.from("protocol=https\r\nhost=h\r\n\r\nafter");
    for (let cut = 1; cut < request.length; cut++) {
      const first = request.subarray(0, cut);
      const tail = first.subarray(Math.max(0, first.length - 2));
      const found = hasBlankLine(first, true) || hasBlankLine(Buffer.concat([tail, request.subarray(cut)]), false);
      expect(found, `cut at ${cut}`).toBe(true);
    }
  });
  it("a blank line only: at the start, or after a line feed", () => {
    expect(hasBlankLine(Buffer.from("\n"), true)).toBe(true);
    expect(hasBlankLine(Buffer.from("\r\n"), true)).toBe(true);
    expect(hasBlankLine(Buffer.from("\n"), false)).toBe(false);
    expect(hasBlankLine(Buffer.from("a=b\nc=d\n"), true)).toBe(false);
    expect(hasBlankLine(Buffer.from("a=b\r\r\n"), true)).toBe(false);
    expect(hasBlankLine(Buffer.from("a=b\n\r\n"), true)).toBe(true);
  });
});
