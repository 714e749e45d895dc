/**
 * git's credential wire format (git-credential(1), input and output), at function level. The same
 * cases run through the built binary in transcripts.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HelperError } from "../src/errors.js";
import { MAX_INPUT_BYTES, QUIT, formatResponse, parseRequest } from "../src/protocol.js";

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const recorded = (name: string): Buffer => readFileSync(join(__dirname, "fixtures", "git-input", name));

/** The HelperError parseRequest throws, or a test failure. */
function badInput(input: string | Buffer): HelperError {
  try {
    parseRequest(input);
  } catch (err) {
    expect(err).toBeInstanceOf(HelperError);
    return err as HelperError;
  }
  throw new Error("parseRequest accepted the input");
}

describe("parseRequest: input recorded from git 2.39 (test/fixtures/record-git-input.sh)", () => {
  it("get with credential.UseHttpPath=true", () => {
    expect(parseRequest(recorded("usehttppath.get.txt"))).toEqual({ protocol: "https", host: HOST, path: "v1/repos/demo" });
  });
  it("get without UseHttpPath has no path", () => {
    expect(parseRequest(recorded("no-usehttppath.get.txt"))).toEqual({ protocol: "https", host: HOST });
  });
  it("get for a :443 URL keeps the port in host", () => {
    expect(parseRequest(recorded("port-443.get.txt"))).toEqual({ protocol: "https", host: `${HOST}:443`, path: "v1/repos/demo" });
  });
  it("store drops the password", () => {
    expect(parseRequest(recorded("usehttppath.store.txt"))).toEqual({
      protocol: "https",
      host: HOST,
      path: "v1/repos/demo",
      username: "recorded-user",
    });
  });
});

describe("parseRequest: lenient reading", () => {
  it("reads the fields it uses", () => {
    expect(parseRequest(`protocol=https\nhost=${HOST}\npath=v1/repos/demo\nusername=alice\n\n`)).toEqual({
      protocol: "https",
      host: HOST,
      path: "v1/repos/demo",
      username: "alice",
    });
  });
  it("splits on the first = only", () => {
    expect(parseRequest("path=v1/repos/a=b=c\n")).toEqual({ path: "v1/repos/a=b=c" });
    expect(parseRequest("host=\n")).toEqual({ host: "" });
  });
  it("ignores unknown keys and capability[], wwwauth[], state[], password", () => {
    const input = [
      "capability[]=authtype",
      "capability[]=state",
      "protocol=https",
      `host=${HOST}`,
      'wwwauth[]=Basic realm="x"',
      "state[]=x",
      "password=hunter2hunter2",
      "password_expiry_utc=1700000000",
      "oauth_refresh_token=abc",
      "path=v1/repos/demo",
      "=value-with-empty-key",
      "",
    ].join("\n");
    expect(parseRequest(input)).toEqual({ protocol: "https", host: HOST, path: "v1/repos/demo" });
  });
  it("strips one trailing CR: CRLF input reads the same as LF", () => {
    const lf = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\n\n`;
    expect(parseRequest(lf.replace(/\n/g, "\r\n"))).toEqual(parseRequest(lf));
    expect(parseRequest(lf.replace(/\n/g, "\r\n"))).toEqual({ protocol: "https", host: HOST, path: "v1/repos/demo" });
  });
  it("stops at the blank line: later lines, even malformed ones, are not read", () => {
    expect(parseRequest(`protocol=https\nhost=${HOST}\n\npath=v1/repos/late\nno equals sign here\n`)).toEqual({
      protocol: "https",
      host: HOST,
    });
    expect(parseRequest(`protocol=https\r\n\r\nhost=${HOST}\r\n`)).toEqual({ protocol: "https" });
  });
  it("reads to EOF without a blank line, and a last line without LF", () => {
    expect(parseRequest(`protocol=https\nhost=${HOST}`)).toEqual({ protocol: "https", host: HOST });
  });
  it("takes the last value of a repeated key", () => {
    expect(parseRequest(`host=github.com\nhost=${HOST}\n`)).toEqual({ host: HOST });
  });
  it("reads empty input as an empty request", () => {
    expect(parseRequest("")).toEqual({});
    expect(parseRequest("\n")).toEqual({});
  });
  it("accepts input of exactly 1 MiB", () => {
    const head = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\nx=`;
    const input = `${head + "y".repeat(MAX_INPUT_BYTES - head.length - 1)}\n`;
    expect(Buffer.byteLength(input)).toBe(MAX_INPUT_BYTES);
    expect(parseRequest(input)).toEqual({ protocol: "https", host: HOST, path: "v1/repos/demo" });
  });
});

describe("parseRequest: url= expands as git's credential_from_url does", () => {
  it("gives protocol, host and path", () => {
    expect(parseRequest(`url=https://${HOST}/v1/repos/demo\n`)).toEqual({ protocol: "https", host: HOST, path: "v1/repos/demo" });
  });
  it("keeps the port in host", () => {
    expect(parseRequest(`url=https://${HOST}:443/v1/repos/demo\n`)).toEqual({
      protocol: "https",
      host: `${HOST}:443`,
      path: "v1/repos/demo",
    });
  });
  it("takes the username from userinfo, never the password", () => {
    expect(parseRequest(`url=https://alice:s3cret@${HOST}/v1/repos/demo\n`)).toEqual({
      protocol: "https",
      host: HOST,
      path: "v1/repos/demo",
      username: "alice",
    });
  });
  it("percent-decodes the path and trims its leading and trailing slashes", () => {
    expect(parseRequest(`url=https://${HOST}//v1/repos/my%20repo//\n`)).toEqual({
      protocol: "https",
      host: HOST,
      path: "v1/repos/my repo",
    });
  });
  it("has no path for a bare host", () => {
    expect(parseRequest(`url=https://${HOST}\n`)).toEqual({ protocol: "https", host: HOST });
    expect(parseRequest(`url=https://${HOST}/\n`)).toEqual({ protocol: "https", host: HOST });
  });
  it("ends the host at ? and #", () => {
    expect(parseRequest(`url=https://${HOST}?x=1\n`)).toMatchObject({ host: HOST });
    expect(parseRequest(`url=https://${HOST}#frag\n`)).toMatchObject({ host: HOST });
  });
  it("reads a look-alike host behind userinfo as the real host", () => {
    expect(parseRequest(`url=https://${HOST}@evil.net/v1/repos/demo\n`)).toEqual({
      protocol: "https",
      host: "evil.net",
      path: "v1/repos/demo",
      username: HOST,
    });
  });
  it("replaces every field read before it", () => {
    expect(parseRequest(`protocol=http\nhost=github.com\npath=other/repo\nusername=bob\nurl=https://${HOST}/v1/repos/demo\n`)).toEqual({
      protocol: "https",
      host: HOST,
      path: "v1/repos/demo",
    });
  });
  it("is overridden by fields after it", () => {
    expect(parseRequest(`url=https://${HOST}/v1/repos/demo\npath=v1/repos/other\n`)).toEqual({
      protocol: "https",
      host: HOST,
      path: "v1/repos/other",
    });
  });
  it("without a scheme is bad input (git dies on it), and never echoes userinfo", () => {
    const err = badInput(`url=alice:s3cret@${HOST}/v1/repos/demo\n`);
    expect(err.kind).toBe("bad-input");
    expect(err.message).not.toContain("s3cret");
    expect(err.userLine()).toBe(
      `git-credential-codecommit: bad input from git: url "<redacted>@${HOST}/v1/repos/demo" has no protocol. Expected key=value lines as git sends them (see git-credential(1))`,
    );
  });
});

describe("parseRequest: bad input", () => {
  it("never echoes userinfo, even one containing / and @", () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxR@fiCYEXAMPLEKEY";
    const err = badInput(`url=AKIDEXAMPLE:${secret}@${HOST}/v1/repos/demo\n`);
    expect(err.message).toBe(
      `bad input from git: url "<redacted>@${HOST}/v1/repos/demo" has no protocol. ${"Expected key=value lines as git sends them (see git-credential(1))"}`,
    );
  });

  it("a line without =", () => {
    const err = badInput(`protocol=https\nhost ${HOST}\n`);
    expect(err.kind).toBe("bad-input");
    expect(err.userLine()).toBe(
      'git-credential-codecommit: bad input from git: line 2 has no "=". Expected key=value lines as git sends them (see git-credential(1))',
    );
  });
  it("a NUL byte", () => {
    const err = badInput(`protocol=https\nhost=${HOST}\0\n`);
    expect(err.userLine()).toBe(
      "git-credential-codecommit: bad input from git: input contains a NUL byte. Expected key=value lines as git sends them (see git-credential(1))",
    );
  });
  it("a NUL byte in a Buffer", () => {
    expect(badInput(Buffer.from(`protocol=https\0\n`)).kind).toBe("bad-input");
  });
  it("more than 1 MiB, as a string or a Buffer", () => {
    const input = `protocol=https\nhost=${HOST}\n${"x".repeat(MAX_INPUT_BYTES)}`;
    const size = Buffer.byteLength(input);
    expect(badInput(input).userLine()).toBe(
      `git-credential-codecommit: bad input from git: input is ${size} bytes, over the 1 MiB limit. Expected key=value lines as git sends them (see git-credential(1))`,
    );
    expect(badInput(Buffer.from(input)).kind).toBe("bad-input");
  });
  it("counts bytes, not characters", () => {
    // 2-byte characters: under the limit in UTF-16 code units, over it in bytes.
    const input = `x=${"é".repeat(MAX_INPUT_BYTES / 2)}`;
    expect(input.length).toBeLessThan(MAX_INPUT_BYTES);
    expect(badInput(input).kind).toBe("bad-input");
  });
});

describe("formatResponse", () => {
  it("prints username, password and expiry with LF endings", () => {
    expect(formatResponse({ username: "AKID%TOKEN", password: "20171224T115320Zabc", passwordExpiryUtc: 1514117300 })).toBe(
      "username=AKID%TOKEN\npassword=20171224T115320Zabc\npassword_expiry_utc=1514117300\n",
    );
  });
  it("refuses a value the protocol cannot carry", () => {
    expect(() => formatResponse({ username: "a\nb", password: "p", passwordExpiryUtc: 0 })).toThrow(HelperError);
    expect(() => formatResponse({ username: "a", password: "p\0", passwordExpiryUtc: 0 })).toThrow(HelperError);
  });
  it("quit=1 stops git", () => {
    expect(QUIT).toBe("quit=1\n");
  });
});
