/**
 * A `get` reads the sections its profile chain uses and checks the rest only for what makes
 * botocore refuse the file (src/aws-config/ini-reading.ts). Property-based (fast-check): on
 * generated files — small ones from every kind of line, and large ones of thousands of SSO
 * profiles with the selected profile first, in the middle or last and an unusual or refused line
 * anywhere — that reading agrees with reading each file whole: the same refusal with the same
 * file and line, the same settings for every name asked for, the same lists.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIni } from "../src/aws-config/ini.js";
import { readIni } from "../src/aws-config/ini-reading.js";
import { sharedConfigFrom, sharedConfigOnDemand, type LoadedSharedConfig } from "../src/aws-config/shared-config.js";
import { HelperError } from "../src/errors.js";
import { largeConfig, QUIRKS } from "./support/large-config.js";

type Outcome = { readonly config: LoadedSharedConfig } | { readonly refused: string };

function outcome(read: () => LoadedSharedConfig): Outcome {
  try {
    return { config: read() };
  } catch (err) {
    if (err instanceof HelperError) return { refused: err.problem };
    throw err;
  }
}

const whole = (config: string, credentials: string): Outcome =>
  outcome(() => sharedConfigFrom("/c/config", parseIni(config, "/c/config"), "/c/credentials", parseIni(credentials, "/c/credentials")));
const onDemand = (config: string, credentials: string): Outcome =>
  outcome(() => sharedConfigOnDemand("/c/config", readIni(config, "/c/config"), "/c/credentials", readIni(credentials, "/c/credentials")));

/** Names a run may ask for: those of the generators, a missing one, JavaScript's own. */
const ASKED = [
  "dev",
  "base",
  "corp",
  "default",
  "twice",
  "my team",
  "s3",
  "long",
  "empty",
  "d1",
  "100000000000-Developer",
  "x",
  "p q",
  "nope",
  "__proto__",
  "DEFAULT",
];

/** The on-demand reading answers each name as the whole one, then lists the same maps. */
function expectSameReading(config: string, credentials: string): void {
  const expected = whole(config, credentials);
  const got = onDemand(config, credentials);
  if ("refused" in expected) {
    expect(got).toEqual(expected);
    return;
  }
  if (!("config" in got)) throw new Error(`refused a file read whole: ${got.refused}`);
  const want = expected.config;
  const have = got.config;
  const maps = ["profiles", "configProfiles", "credentialsProfiles", "ssoSessions", "services"] as const;
  for (const name of ASKED) {
    for (const map of maps) {
      expect(have[map].get(name), `${map}.get(${JSON.stringify(name)})`).toEqual(want[map].get(name));
      expect(have[map].has(name), `${map}.has(${JSON.stringify(name)})`).toBe(want[map].has(name));
    }
  }
  expect(have.configSections).toEqual(want.configSections);
  for (const map of maps) expect([...have[map]], map).toEqual([...want[map]]);
}

/** Lines of every kind the reader tells apart, plain and not. */
const LINE = fc.constantFrom(
  "[profile dev]",
  "[profile dev]  ",
  "[profile base]",
  "[default]",
  "[DEFAULT]",
  "[sso-session corp]",
  "[services s]",
  '[profile "my team"]',
  "[profile  x]",
  "[profiles dev]",
  "[profile p q]",
  "[x]",
  "[x]]",
  "[]",
  "[broken",
  "region = us-east-1",
  "Region=us-west-2",
  "output: json",
  "source_profile = base",
  "role_arn = arn:aws:iam::1:role/r",
  "aws_access_key_id = AKID",
  "aws_secret_access_key = s",
  "sso_session = corp",
  "s3 =",
  "  max_concurrent_requests = 2",
  "  nonsense",
  "\tmore",
  "oops",
  "= no key",
  "# [profile dev]",
  "; comment",
  "  # indented comment",
  "",
  "  ",
  "\ufeff[default]",
  "a\u2028b = 1",
  "key\u00a0= nbsp",
  "x.y-z = 1",
);

const SMALL_FILE = fc
  .tuple(fc.array(LINE, { maxLength: 14 }), fc.constantFrom("\n", "\r\n"), fc.boolean())
  .map(([lines, eol, last]) => lines.join(eol) + (last ? eol : ""));

describe("the on-demand reading of a get agrees with the whole reading", () => {
  it("on small files of every kind of line", () => {
    fc.assert(
      fc.property(SMALL_FILE, SMALL_FILE, (config, credentials) => expectSameReading(config, credentials)),
      { numRuns: 3000 },
    );
  });

  const LARGE = fc.record({
    profiles: fc.integer({ min: 0, max: 400 }),
    selectedAt: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
    othersAt: fc.double({ min: 0, max: 1, noNaN: true }),
    quirkAt: fc.double({ min: 0, max: 1, noNaN: true }),
    chain: fc.constantFrom("static" as const, "role" as const, "sso" as const),
    quirk: fc.constantFrom(...QUIRKS),
  });

  it("on large generated config files, whatever stands where", () => {
    fc.assert(
      fc.property(LARGE, SMALL_FILE, (c, credentials) => expectSameReading(largeConfig(c), credentials)),
      { numRuns: 300 },
    );
  });

  it("on thousands of profiles: the selected one first, in the middle, last, with each quirk", () => {
    for (const quirk of QUIRKS) {
      for (const selectedAt of [0, 0.5, 1]) {
        expectSameReading(largeConfig({ profiles: 2000, selectedAt, othersAt: 1 - selectedAt, quirkAt: 0.7, chain: "role", quirk }), "");
      }
    }
  });

  it("on a credentials file of thousands of profiles", () => {
    const sections = Array.from({ length: 3000 }, (_, i) => `[acct-${i}]\naws_access_key_id = AKIA${i}\naws_secret_access_key = s${i}\n\n`);
    for (const at of [0, 1500, 3000]) {
      const text = [
        ...sections.slice(0, at),
        "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = sdev\n\n",
        ...sections.slice(at),
      ].join("");
      expectSameReading("[profile dev]\nregion = eu-west-1\n", text);
      expectSameReading("", `${text}[acct-7]\nx = 1\n`);
    }
  });
});
