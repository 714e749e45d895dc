/**
 * Python's `json.dumps` with the default `ensure_ascii=True`, for the values the AWS CLI's caches
 * hold: strings, integers, booleans, null, lists and dicts. The CLI names its cache files after the
 * sha1 of such a dump (botocore `BaseAssumeRoleCredentialFetcher._create_cache_key`,
 * `SSOCredentialFetcher._create_cache_key`, `BaseSSOTokenFetcher._registration_cache_key`) and
 * writes their content with it (`JSONFileCache`), so both must match it byte for byte: one file
 * name off and the CLI and this helper stop sharing sessions.
 */

/** The `json.dumps` settings a caller uses. */
export interface DumpsOptions {
  /** `sort_keys=True`: dict keys in code-point order. */
  readonly sortKeys?: boolean;
  /** `separators=(item, key)`; Python's default is `(", ", ": ")`. */
  readonly separators?: readonly [string, string];
}

const DEFAULT_SEPARATORS: readonly [string, string] = [", ", ": "];

/** Serialises `value` as `json.dumps(value, sort_keys=…, separators=…)` does. An undefined property is an absent dict key. */
export function pythonJsonDumps(value: unknown, options: DumpsOptions = {}): string {
  return dumps(value, options.sortKeys === true, options.separators ?? DEFAULT_SEPARATORS);
}

function dumps(value: unknown, sortKeys: boolean, separators: readonly [string, string]): string {
  if (value === null) return "null";
  if (typeof value === "string") return pythonJsonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  const [item, key] = separators;
  // Plain loops: Array#map/filter/sort with callbacks are interpreted builtins that cost a Bun run
  // more than the work, and the warm `get` computes a key here.
  if (Array.isArray(value)) {
    let out = "";
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? "" : item}${dumps(value[i], sortKeys, separators)}`;
    return `[${out}]`;
  }
  if (typeof value === "object") {
    const keys = Object.keys(value as object);
    if (sortKeys && keys.length > 1) {
      // The default sort, without a callback, is the fast one and right unless a key holds a surrogate.
      keys.sort();
      if (SURROGATE.test(keys.join(""))) keys.sort(byCodePoint);
    }
    let out = "";
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out += `${first ? "" : item}${pythonJsonString(k)}${key}${dumps(v, sortKeys, separators)}`;
      first = false;
    }
    return `{${out}}`;
  }
  throw new TypeError(`cannot encode ${typeof value} as Python's json.dumps does`);
}

/**
 * Python sorts str keys by code point; JavaScript's default sort compares UTF-16 units, which
 * orders a character above U+FFFF (a surrogate pair) before U+E000–U+FFFF. The two agree otherwise.
 */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < ca.length && i < cb.length; i++) {
    const x = (ca[i] as string).codePointAt(0) as number;
    const y = (cb[i] as string).codePointAt(0) as number;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

const SURROGATE = /[\ud800-\udfff]/;

const NEEDS_ESCAPE = /[\u007f-\uffff]/;

/** A JSON string as Python writes it with ensure_ascii: DEL and every non-ASCII UTF-16 unit as \uXXXX, lowercase hex. */
function pythonJsonString(text: string): string {
  // JSON.stringify already escapes `"`, `\`, control characters and lone surrogates as Python does
  // (`\n`, `\t`, … by name, the rest as lowercase \u00XX).
  const json = JSON.stringify(text);
  // Role ARNs are ASCII: skip the callback replace (an interpreted builtin under Bun) when nothing needs escaping.
  if (!NEEDS_ESCAPE.test(json)) return json;
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
