/**
 * src/runtime/file-path.ts stands in for node:path on POSIX systems (node:path is dear to load under Bun):
 * its forms must give what node:path.posix gives, for the paths we build and for any other.
 */
import { posix } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { posixIsAbsolute, posixJoin, posixNormalize } from "../src/runtime/file-path.js";

/** Path pieces rich in what normalizing has to handle: empty, `.`, `..`, repeated and trailing slashes. */
const piece = fc
  .array(fc.constantFrom(".", "..", "...", "a", "b.c", "/", "/", "//", "~", " ", "\\", ".aws"), { maxLength: 8 })
  .map((p) => p.join(""));

describe("POSIX paths as node:path.posix has them", () => {
  it("the paths we build", () => {
    expect(posixJoin("/home/u", ".aws", "cli", "cache")).toBe("/home/u/.aws/cli/cache");
    expect(posixJoin("~", ".aws", "config")).toBe("~/.aws/config");
    expect(posixJoin("/home/u/", "/.aws/", "sso/cache", "x.json")).toBe("/home/u/.aws/sso/cache/x.json");
    expect(posixJoin("/", "..", "a")).toBe("/a");
    expect(posixJoin("a", "..", "..", "b/")).toBe("../b/");
    expect(posixJoin("", "")).toBe(".");
    expect(posixNormalize("a/../")).toBe("./");
    expect(posixIsAbsolute("//x")).toBe(true);
    expect(posixIsAbsolute("~/x")).toBe(false);
  });

  it("join, for any parts", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 5 }), (parts) => {
        expect(posixJoin(...parts)).toBe(posix.join(...parts));
      }),
      { numRuns: 3000 },
    );
  });

  it("normalize and isAbsolute, for any path", () => {
    fc.assert(
      fc.property(piece, (path) => {
        expect(posixNormalize(path)).toBe(posix.normalize(path));
        expect(posixIsAbsolute(path)).toBe(posix.isAbsolute(path));
      }),
      { numRuns: 3000 },
    );
  });
});
