/**
 * Config entries handed to a child git through its environment: after the caller's, and where git
 * reads them last — GIT_CONFIG_PARAMETERS (git -c) when set, else GIT_CONFIG_COUNT — checked
 * against real git's reading.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { withConfigEntries } from "../src/git/config-env.js";

describe("withConfigEntries", () => {
  it("appends after the caller's entries and keeps them", () => {
    const env = { PATH: "/bin", GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.sslCAInfo", GIT_CONFIG_VALUE_0: "/ca.pem" };
    expect(
      withConfigEntries(env, [
        ["a.b", "1"],
        ["c.d", ""],
      ]),
    ).toEqual({
      PATH: "/bin",
      GIT_CONFIG_COUNT: "3",
      GIT_CONFIG_KEY_0: "http.sslCAInfo",
      GIT_CONFIG_VALUE_0: "/ca.pem",
      GIT_CONFIG_KEY_1: "a.b",
      GIT_CONFIG_VALUE_1: "1",
      GIT_CONFIG_KEY_2: "c.d",
      GIT_CONFIG_VALUE_2: "",
    });
  });
  it("starts at 0 without GIT_CONFIG_COUNT", () => {
    expect(withConfigEntries({}, [["a.b", "1"]])).toEqual({ GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "a.b", GIT_CONFIG_VALUE_0: "1" });
  });
  it("appends to GIT_CONFIG_PARAMETERS when set (git -c), which git reads after GIT_CONFIG_COUNT", () => {
    const env = {
      GIT_CONFIG_PARAMETERS: "'credential.helper'='store'",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.sslCAInfo",
      GIT_CONFIG_VALUE_0: "/ca.pem",
    };
    expect(
      withConfigEntries(env, [
        ["a.b", ""],
        ["a.b", "!/opt/it's here --x"],
      ]),
    ).toEqual({
      ...env,
      GIT_CONFIG_PARAMETERS: "'credential.helper'='store' 'a.b'='' 'a.b'=''\\!'/opt/it'\\''s here --x'",
    });
  });
  it("real git reads the appended entries last, quotes and ! intact", () => {
    const given = {
      GIT_CONFIG_PARAMETERS: "'x.helper'='store'",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "x.helper",
      GIT_CONFIG_VALUE_0: "count",
    };
    const env = withConfigEntries(given, [
      ["x.helper", ""],
      ["x.helper", "!'a b' it's!"],
      ["x.other", "true"],
    ]);
    const out = execFileSync("git", ["config", "--null", "--get-regexp", "^x\\."], {
      env: { PATH: process.env.PATH, HOME: "/nonexistent", GIT_CONFIG_NOSYSTEM: "1", ...env } as NodeJS.ProcessEnv,
      encoding: "utf8",
    });
    expect(out.split("\0")).toEqual(["x.helper\ncount", "x.helper\nstore", "x.helper\n", "x.helper\n!'a b' it's!", "x.other\ntrue", ""]);
  });
  it("refuses a GIT_CONFIG_COUNT that git itself would refuse", () => {
    expect(() => withConfigEntries({ GIT_CONFIG_COUNT: "two" }, [])).toThrow('GIT_CONFIG_COUNT is "two", not a number');
  });
});
