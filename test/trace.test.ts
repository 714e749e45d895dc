/**
 * `--debug` tracing, which git shows on stderr: every line is redacted — secret-named fields by name, and
 * every registered secret value wherever it turns up, SDK messages included. Transcripts: what goes
 * in, the exact lines that come out.
 */
import { describe, expect, it } from "vitest";
import { createTracer, redactFields, sdkLogger } from "../src/trace.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=";

/** A tracer writing into an array. */
function recorder(enabled = true) {
  const lines: string[] = [];
  return { lines, trace: createTracer(enabled, (line) => lines.push(line)) };
}

describe("redactFields", () => {
  it("masks every secret-named field, whatever its case, and keeps the rest", () => {
    expect(
      redactFields({
        AccessKeyId: "AKIAEXAMPLE",
        SecretAccessKey: SECRET,
        aws_secret_access_key: SECRET,
        SessionToken: TOKEN,
        AWS_SESSION_TOKEN: TOKEN,
        Password: "p",
        username: "u",
        TokenCode: "123456",
        authorization: "AWS4-HMAC-SHA256 Credential=...",
        "X-Amz-Security-Token": TOKEN,
        token: "t",
        region: "eu-west-1",
      }),
    ).toEqual({
      AccessKeyId: "AKIAEXAMPLE",
      SecretAccessKey: "<redacted>",
      aws_secret_access_key: "<redacted>",
      SessionToken: "<redacted>",
      AWS_SESSION_TOKEN: "<redacted>",
      Password: "<redacted>",
      username: "<redacted>",
      TokenCode: "<redacted>",
      authorization: "<redacted>",
      "X-Amz-Security-Token": "<redacted>",
      token: "<redacted>",
      region: "eu-west-1",
    });
  });

  it("goes into nested objects and arrays, and renders dates", () => {
    expect(
      redactFields({
        Credentials: { SecretAccessKey: SECRET, Expiration: new Date("2030-01-01T00:00:00Z") },
        hops: [{ password: "x", profile: "a" }, "plain", 3],
      }),
    ).toEqual({
      Credentials: { SecretAccessKey: "<redacted>", Expiration: "2030-01-01T00:00:00.000Z" },
      hops: [{ password: "<redacted>", profile: "a" }, "plain", 3],
    });
  });

  it("leaves an absent or empty secret field visible as such (it says the value is missing)", () => {
    expect(redactFields({ sessionToken: undefined, password: "", tokenCode: null })).toEqual({
      sessionToken: undefined,
      password: "",
      tokenCode: "<redacted>",
    });
  });

  it("does not touch the value it was given", () => {
    const input = { secretAccessKey: SECRET };
    redactFields(input);
    expect(input.secretAccessKey).toBe(SECRET);
  });

  it("passes plain values through", () => {
    expect([redactFields("text"), redactFields(7), redactFields(null), redactFields(undefined)]).toEqual(["text", 7, null, undefined]);
  });
});

describe("createTracer", () => {
  it("writes nothing when off", () => {
    const { lines, trace } = recorder(false);
    trace("step", { secretAccessKey: SECRET });
    expect(trace.enabled).toBe(false);
    expect(lines).toEqual([]);
  });

  it("writes one prefixed line per call, fields as redacted JSON", () => {
    const { lines, trace } = recorder();
    trace("credentials resolved", { source: "profile", SecretAccessKey: SECRET });
    trace("plain step");
    expect(trace.enabled).toBe(true);
    expect(lines).toEqual([
      'git-credential-codecommit[debug]: credentials resolved {"source":"profile","SecretAccessKey":"<redacted>"}\n',
      "git-credential-codecommit[debug]: plain step\n",
    ]);
  });

  it("replaces a registered secret wherever it appears: in the message and in fields of any name", () => {
    const { lines, trace } = recorder();
    trace.secret(SECRET);
    trace.secret(TOKEN);
    trace(`sdk said: bad signature for ${SECRET}`, { note: `token=${TOKEN}`, nested: { any: SECRET } });
    expect(lines).toEqual([
      'git-credential-codecommit[debug]: sdk said: bad signature for <redacted> {"note":"token=<redacted>","nested":{"any":"<redacted>"}}\n',
    ]);
    expect(lines.join("")).not.toContain(SECRET);
    expect(lines.join("")).not.toContain(TOKEN);
  });

  it("ignores values too short to be a secret (they would mask unrelated text)", () => {
    const { lines, trace } = recorder();
    trace.secret("abc");
    trace.secret("");
    trace.secret(undefined);
    trace("abc profile");
    expect(lines).toEqual(["git-credential-codecommit[debug]: abc profile\n"]);
  });

  it("redacts a secret registered after earlier lines in every later line", () => {
    const { lines, trace } = recorder();
    trace(`before ${SECRET}`);
    trace.secret(SECRET);
    trace(`after ${SECRET}`);
    expect(lines).toEqual([`git-credential-codecommit[debug]: before ${SECRET}\n`, "git-credential-codecommit[debug]: after <redacted>\n"]);
  });
});

describe("sdkLogger", () => {
  it("routes every level into the tracer, objects as redacted JSON, registered secrets masked", () => {
    const { lines, trace } = recorder();
    trace.secret(SECRET);
    const log = sdkLogger(trace);
    log.debug("endpoint", { url: "https://sts.eu-west-1.amazonaws.com" });
    log.info(`retry with ${SECRET}`);
    log.warn({ SessionToken: TOKEN, code: "ExpiredToken" });
    log.error("failed", 2);
    expect(lines).toEqual([
      'git-credential-codecommit[debug]: sdk debug: endpoint {"url":"https://sts.eu-west-1.amazonaws.com"}\n',
      "git-credential-codecommit[debug]: sdk info: retry with <redacted>\n",
      'git-credential-codecommit[debug]: sdk warn: {"SessionToken":"<redacted>","code":"ExpiredToken"}\n',
      "git-credential-codecommit[debug]: sdk error: failed 2\n",
    ]);
  });

  it("stays silent when tracing is off, so an SDK warning never reaches git's stderr", () => {
    const { lines, trace } = recorder(false);
    sdkLogger(trace).warn("NodeVersionWarning: please upgrade");
    expect(lines).toEqual([]);
  });

  it("prints an object that cannot be JSON as text", () => {
    const { lines, trace } = recorder();
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    sdkLogger(trace).debug(cyclic);
    expect(lines).toEqual(["git-credential-codecommit[debug]: sdk debug: [object Object]\n"]);
  });
});
