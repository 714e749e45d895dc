/**
 * Python's `json.dumps` with its default settings (`ensure_ascii=True`, separators `", "` and
 * `": "`), for the values the SSO cache holds: strings, integers, booleans, null, lists and dicts.
 * The AWS CLI writes ~/.aws/sso/cache with it and derives the registration file's name from it, so
 * both must match byte for byte (botocore `JSONFileCache`, `BaseSSOTokenFetcher._registration_cache_key`).
 */

/** Serialises `value`; with `sortKeys`, dict keys in code-point order as `sort_keys=True` does. */
export function pythonJson(value: unknown, sortKeys = false): string {
  if (value === null) return "null";
  if (typeof value === "string") return pythonJsonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v, sortKeys)).join(", ")}]`;
  if (typeof value === "object") {
    // An undefined property is an absent dict key.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Every key here is ASCII, where code-point and UTF-16 order agree.
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJson(v, sortKeys)}`).join(", ")}}`;
  }
  throw new TypeError(`cannot encode ${typeof value} as Python's json.dumps does`);
}

/** A string as Python escapes it with ensure_ascii: DEL and every non-ASCII UTF-16 unit as \uXXXX. */
function pythonJsonString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes, control characters and lone surrogates as Python does.
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
