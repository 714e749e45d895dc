/**
 * Property-based (fast-check): git's wire format and the host check hold for generated
 * input, not only the cases someone thought of. Arbitrary bytes never crash the parser nor make
 * `get` print anything but nothing or its one line; no host outside the CodeCommit forms ever gets a
 * password; every CodeCommit host gets the region the AWS CLI's own rule gives.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import { HelperError } from "../src/errors.js";
import { recognizeHost } from "../src/host.js";
import { hasBlankLine, parseRequest } from "../src/protocol.js";
import { pyStrip, textFileLines } from "../src/aws-config/python-text.js";
import { shlexSplit } from "../src/aws-config/shlex.js";

const SECRET = "prop-secret-key-0123456789abcdef";
const ENV = {
  AWS_ACCESS_KEY_ID: "AKIAPROPERTYTEST0001",
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_EC2_METADATA_DISABLED: "true",
  HOME: "/nonexistent-home",
};

/** One in-process `get`: what reached stdout and stderr, and the exit code. */
async function get(stdin: Buffer, argv: string[] = []): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = "";
  let stderr = "";
  const code = await run({
    argv: [...argv, "get"],
    env: ENV,
    readStdin: async () => stdin,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => new Date("2026-01-01T00:00:00Z"),
    promptMfa: () => {
      throw new Error("no prompt in a property test");
    },
  });
  return { stdout, stderr, code };
}

/** The shapes of an answer: nothing; the credentials; or one error line (with quit=1 unless bad input). */
function expectWellFormed(r: { stdout: string; stderr: string; code: number }): void {
  if (r.code === 0) {
    expect(r.stderr).toBe("");
    if (r.stdout !== "")
      expect(r.stdout).toMatch(/^username=AKIAPROPERTYTEST0001\npassword=20260101T000000Z[0-9a-f]{64}\npassword_expiry_utc=1767226500\n$/);
    return;
  }
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^git-credential-codecommit: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/unexpected failure|internal error|\n\s+at /);
  expect(["", "quit=1\n"]).toContain(r.stdout);
  expect(r.stderr).not.toContain(SECRET);
}

const KEYS = ["protocol", "host", "path", "username", "password", "url", "capability[]", "wwwauth[]", "state[]", "quit", ""];
/** Lines that look like git's, with arbitrary values (any UTF-16, so also lone surrogates and controls). */
const gitLike = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("\n", "\r\n", "")), {
    maxLength: 8,
  })
  .map((lines) => Buffer.from(lines.map(([k, v, eol]) => `${k}=${v}${eol}`).join("") + (lines.length % 2 ? "\n" : "")));
const anyBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

describe("the wire format, on arbitrary input", () => {
  it("parseRequest returns a request or throws its bad-input HelperError, never anything else", () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, gitLike), (input) => {
        try {
          const r = parseRequest(input);
          expect(typeof r).toBe("object");
        } catch (err) {
          expect(err).toBeInstanceOf(HelperError);
          expect((err as HelperError).kind).toBe("bad-input");
          expect((err as HelperError).userLine()).not.toContain("\n");
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("get prints nothing, the credentials, or one line: never a stack (without --debug)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBytes, gitLike), async (input) => expectWellFormed(await get(input))),
      { numRuns: 400 },
    );
  });

  it("parseRequest reads bytes as Buffer#toString would: bad UTF-8 as U+FFFD, a BOM kept", () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, gitLike), (input) => {
        const text = input.toString("utf8");
        let expected: unknown;
        let got: unknown;
        try {
          expected = parseRequest(text);
        } catch (err) {
          expected = (err as HelperError).problem;
        }
        try {
          got = parseRequest(new Uint8Array(input));
        } catch (err) {
          got = (err as HelperError).problem;
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // A BOM is a character of the first key, as for git (which would not know "\ufeffhost" either).
    expect(parseRequest(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("host=a\n")]))).toEqual({});
    expect(parseRequest(Buffer.from("host=\xff\xfe\n", "latin1"))).toEqual({ host: "\ufffd\ufffd" });
  });

  it("a config file's lines are a text file's lines (universal newlines), as split(/\\r\\n|\\r|\\n/) gives them", () => {
    const definition = (text: string): string[] => {
      const lines = text.split(/\r\n|\r|\n/);
      if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
      return lines;
    };
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "=", "\r", "\n", " ", "\u2028") }), (text) => {
        expect(textFileLines(text)).toEqual(definition(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("section names split and lines strip as Python's shlex.split and str.strip do (python3, on a sample)", () => {
    // Names of spaces and letters alone take the native split; quotes, escapes and other
    // whitespace take the scan: the sample mixes both, and Python's whitespace beyond ASCII.
    const text = fc.string({
      unit: fc.constantFrom(
        "a",
        "b",
        " ",
        " ",
        "\t",
        "\n",
        "\r",
        "'",
        '"',
        "\\",
        "\u0085",
        "\u3000",
        "\u001c",
        "\u00a0",
        "\u2007",
        "\u200b",
        "\ufeff",
        "\u000b",
      ),
      maxLength: 12,
    });
    const sample = [...new Set(fc.sample(text, { numRuns: 2000 }))];
    const python = spawnSync(
      "python3",
      [
        "-c",
        "import json,shlex,sys\ndef split(t):\n  try: return shlex.split(t)\n  except ValueError: return None\nprint(json.dumps([[split(t), t.strip()] for t in json.load(sys.stdin)]))",
      ],
      { input: JSON.stringify(sample), encoding: "utf8" },
    );
    expect(python.stderr).toBe("");
    expect(sample.map((t) => [shlexSplit(t) ?? null, pyStrip(t)])).toEqual(JSON.parse(python.stdout));
  });

  it("the blank-line detector agrees with the parser's end of request", () => {
    fc.assert(
      fc.property(gitLike, (input) => {
        const text = input.toString("latin1");
        const byLines = text
          .split("\n")
          .slice(0, -1)
          .some((l) => l === "" || l === "\r");
        expect(hasBlankLine(input, true)).toBe(byLines);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- hosts ----

/** The AWS CLI's rule (awscli/customizations/codecommit.py, extract_region): re.match, so anchored at the start only. */
const CLI_REGION_RULE = /^(vpce-.+\.)?git-codecommit(-fips)?\.([^.]+)\.(vpce\.)?amazonaws\.com/;

const region = fc.stringMatching(/^[a-z]{2}(-[a-z]{2,9}){1,2}-[1-9]$/);
const vpceId = fc.stringMatching(/^vpce-[0-9a-z]{8,17}(-[0-9a-z]{8})?$/);
const port = fc.option(
  fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`),
  { nil: "" },
);
/** Every CodeCommit host form, lower-case as git sends a URL it was given in lower case. */
const codecommitHost = fc.oneof(
  region.map((r) => ({ host: `git-codecommit.${r}.amazonaws.com`, region: r })),
  region.map((r) => ({ host: `git-codecommit-fips.${r}.amazonaws.com`, region: r })),
  region.map((r) => ({ host: `git-codecommit.${r}.amazonaws.com.cn`, region: r })),
  fc
    .tuple(vpceId, fc.boolean(), region)
    .map(([id, fips, r]) => ({ host: `${id}.git-codecommit${fips ? "-fips" : ""}.${r}.vpce.amazonaws.com`, region: r })),
);

/** The CodeCommit host forms written out independently of src/host.ts: exactly these shapes, whole name, ASCII. */
const SECTION_3 = [
  /^git-codecommit(-fips)?\.[a-z]{2}(-[a-z0-9]+)+-\d+\.amazonaws\.com$/,
  /^git-codecommit\.[a-z]{2}(-[a-z0-9]+)+-\d+\.amazonaws\.com\.cn$/,
  /^vpce-[a-z0-9]+(-[a-z0-9]+)*\.git-codecommit(-fips)?\.[a-z]{2}(-[a-z0-9]+)+-\d+\.vpce\.amazonaws\.com$/,
];
const inSection3 = (hostWithPort: string): boolean => {
  const host = hostWithPort.replace(/:\d*$/, "");
  return /^[\x21-\x7e]+$/.test(host) && SECTION_3.some((re) => re.test(host.replace(/[A-Z]/g, (c) => c.toLowerCase())));
};

/** Near misses: a CodeCommit host with something added, removed, swapped or disguised. */
const LOOKALIKES: Record<string, string> = {
  k: "\u212a",
  i: "\u0130",
  s: "\u017f",
  a: "\u0430",
  e: "\u0435",
  o: "\u043e",
  c: "\u0441",
  ".": "\u3002",
};
const mutated = fc
  .tuple(
    codecommitHost,
    fc.nat(),
    fc.string({ maxLength: 12 }),
    fc.constantFrom("prefix", "suffix", "insert", "delete", "swap", "lookalike", "case"),
  )
  .map(([{ host }, at, text, how]) => {
    const i = at % (host.length + 1);
    switch (how) {
      case "prefix":
        return text + host;
      case "suffix":
        return host + text;
      case "insert":
        return host.slice(0, i) + text + host.slice(i);
      case "delete":
        return host.slice(0, i) + host.slice(i + 1 + (text.length % 4));
      case "swap":
        return host.slice(0, i) + (text[0] ?? "x") + host.slice(i + 1);
      case "lookalike": {
        const j = [...host].findIndex((c, n) => n >= i && LOOKALIKES[c] !== undefined);
        return j < 0 ? host : host.slice(0, j) + LOOKALIKES[host[j] as string] + host.slice(j + 1);
      }
      default:
        return host.toUpperCase();
    }
  });

describe("the host check, on generated hosts", () => {
  it("every CodeCommit host form gets the region the AWS CLI's rule gives", () => {
    fc.assert(
      fc.property(codecommitHost, port, ({ host, region: r }, p) => {
        const cli = CLI_REGION_RULE.exec(host + p)?.[3];
        expect(cli).toBe(r);
        expect(recognizeHost(host + p)?.region).toBe(cli);
      }),
      { numRuns: 3000 },
    );
  });

  it("and the AWS CLI itself (python3, its own regular expression) agrees on a sample", () => {
    const sample = fc.sample(fc.tuple(codecommitHost, port), { numRuns: 300 }).map(([{ host }, p]) => host + p);
    const python = spawnSync(
      "python3",
      [
        "-c",
        "import json,re,sys\nfrom awscli.customizations import codecommit\nimport inspect\nsrc=inspect.getsource(codecommit.CodeCommitGetCommand.extract_region)\npat=re.search(r\"re\\.match\\(r'([^']+)'\", src.replace('\\n',' ')).group(1)\nprint(json.dumps([re.match(pat,h).group(3) for h in json.load(sys.stdin)]))",
      ],
      {
        input: JSON.stringify(sample),
        encoding: "utf8",
      },
    );
    expect(python.stderr).toBe("");
    expect(JSON.parse(python.stdout)).toEqual(sample.map((h) => recognizeHost(h)?.region));
  });

  it("no host outside the CodeCommit forms is recognised (near misses, look-alikes, arbitrary strings)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutated,
          fc.string({ unit: "binary", maxLength: 80 }),
          fc.webUrl().map((u) => new URL(u).host),
        ),
        (host) => {
          if (recognizeHost(host) !== undefined) expect(inSection3(host), JSON.stringify(host)).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("and such a host never gets a password from get", async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (host) => {
        const r = await get(Buffer.from(`protocol=https\nhost=${host.replace(/[\n\0]/g, "")}\npath=v1/repos/x\n\n`));
        expectWellFormed(r);
        if (!inSection3(host.replace(/[\n\0]/g, ""))) expect(r.stdout).not.toContain("password=");
      }),
      { numRuns: 300 },
    );
  });
});

describe("the built binary, on a sample of the same input", () => {
  it("arbitrary stdin: nothing, the credentials, or one line; never a stack (40 runs)", async () => {
    const { runHelper } = await import("./support/run-binary.js");
    const { isolatedEnv } = await import("./support/isolated-env.js");
    const world = isolatedEnv({ AWS_ACCESS_KEY_ID: ENV.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET });
    try {
      for (const input of fc.sample(fc.oneof(anyBytes, gitLike), { numRuns: 40, seed: 9 })) {
        const r = await runHelper(["get"], { env: world.env, stdin: input });
        expect(r.code === 0 || r.code === 1, JSON.stringify(input.toString("latin1"))).toBe(true);
        if (r.code === 1) {
          expect(r.stderr).toMatch(/^git-credential-codecommit: [^\n]+\n$/);
          expect(r.stderr).not.toMatch(/unexpected failure|internal error/);
        } else {
          expect(r.stderr).toBe("");
        }
      }
    } finally {
      world.cleanup();
    }
  });
});
