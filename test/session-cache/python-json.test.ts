/**
 * The one imitation of Python's `json.dumps`, against python3 itself on generated data: the AWS
 * CLI names its cache files after a sha1 of such a dump, so one byte off and the CLI and the helper
 * stop sharing sessions. Strings mix every kind of character that is escaped differently (controls,
 * quotes, DEL, non-ASCII, characters outside the BMP, lone surrogates); keys too, so sort_keys is
 * tested on code points beyond U+FFFF; values nest lists and dicts with ints, booleans and null.
 */
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { pythonJsonDumps, type DumpsOptions } from "../../src/session-cache/python-json.js";
import { prng } from "../support/prng.js";

const CASES = 400;

/** Characters grouped by how json.dumps(ensure_ascii=True) writes them. */
const POOLS: readonly (readonly string[])[] = [
  [..."abcXYZ019 -_:/.@=+arn"],
  ['"', "\\", "/"],
  ["\u0000", "\u0001", "\b", "\t", "\n", "\f", "\r", "\u001f"],
  ["\u007f", "\u0080", "é", "ß", "ÿ"],
  ["\u2028", "\u2029", "日", "本", "\ud7ff", "\ue000", "\uffff"],
  ["😀", "🚀", "𝄞", "\u{10ffff}"],
  ["\ud800", "\udbff", "\udc00", "\udfff"],
];

function generator(seed: number) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const text = (max: number): string => Array.from({ length: int(max + 1) }, () => pick(pick(POOLS))).join("");
  const integer = (): number =>
    pick([0, 1, -1, 900, 3600, 43200, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, int(1e9) - 5e8]);
  const value = (depth: number): unknown => {
    const kind = int(depth > 0 ? 7 : 5);
    if (kind === 0 || kind === 1) return text(12);
    if (kind === 2) return integer();
    if (kind === 3) return pick([true, false]);
    if (kind === 4) return null;
    if (kind === 5) return Array.from({ length: int(4) }, () => value(depth - 1));
    return dict(depth - 1);
  };
  const dict = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i--) out[text(6)] = value(depth);
    return out;
  };
  return { dict, value };
}

/**
 * What python3's json.dumps writes for each value under each of `settings`, in one python run (a
 * python start costs more than all the dumping).
 */
function pythonDumps(values: readonly unknown[], settings: readonly DumpsOptions[]): string[][] {
  const calls = settings.map(
    (o) =>
      `[json.dumps(v, sort_keys=${o.sortKeys ? "True" : "False"}${o.separators ? `, separators=${JSON.stringify(o.separators)}` : ""}) for v in values]`,
  );
  const code = `import json,sys; values = json.loads(sys.stdin.read()); sys.stdout.write(json.dumps([${calls.join(", ")}]))`;
  // The values travel as JSON (lone surrogates as \\u escapes, which json.loads keeps); the dumps come back ASCII.
  return JSON.parse(execFileSync("python3", ["-c", code], { input: JSON.stringify(values), encoding: "utf8" })) as string[][];
}

const SETTINGS: ReadonlyArray<[string, DumpsOptions]> = [
  ["the defaults (JSONFileCache's entries)", {}],
  ["sort_keys=True (an assumed-role session's key)", { sortKeys: true }],
  ["sort_keys=True, separators=(',', ':') (an SSO role session's key)", { sortKeys: true, separators: [",", ":"] }],
];

describe(`pythonJsonDumps agrees with python3's json.dumps on ${CASES} generated values`, () => {
  const { dict, value } = generator(0x5eed);
  const values = [...Array.from({ length: CASES / 2 }, () => dict(3)), ...Array.from({ length: CASES / 2 }, () => value(3))];
  let expected: string[][] = [];
  beforeAll(() => {
    expected = pythonDumps(
      values,
      SETTINGS.map(([, options]) => options),
    );
  });

  it.each(SETTINGS.map(([name, options], i) => [name, options, i] as const))("%s", (_, options, i) => {
    const mismatches = values.map((v, n) => [pythonJsonDumps(v, options), expected[i]?.[n]]).filter(([ours, theirs]) => ours !== theirs);
    expect(mismatches).toEqual([]);
  });

  it("writes a hand-picked value as json.dumps does", () => {
    const value = { startUrl: "https://ünïcode/\u007f\u2028😀", n: 42, list: ["a", "b"], none: null, yes: true, nested: { 'k"ey': "v\\" } };
    expect(pythonJsonDumps(value)).toBe(
      '{"startUrl": "https://\\u00fcn\\u00efcode/\\u007f\\u2028\\ud83d\\ude00", "n": 42, "list": ["a", "b"], "none": null, "yes": true, "nested": {"k\\"ey": "v\\\\"}}',
    );
    const [plain, sorted] = pythonDumps([value], [{}, { sortKeys: true }]);
    expect([pythonJsonDumps(value), pythonJsonDumps(value, { sortKeys: true })]).toEqual([plain?.[0], sorted?.[0]]);
  });

  it("leaves out an undefined property, as an absent dict key", () => {
    expect(pythonJsonDumps({ RoleArn: "r", ExternalId: undefined, DurationSeconds: 900 }, { sortKeys: true })).toBe(
      '{"DurationSeconds": 900, "RoleArn": "r"}',
    );
  });

  it("refuses what json.dumps would write differently (a fraction)", () => {
    expect(() => pythonJsonDumps({ a: 1.5 })).toThrow(TypeError);
  });
});
