/**
 * `--debug` tracing to stderr, which git shows the user. Every line passes through redaction: values of
 * secret-named fields are masked, and every secret value the tracer has been told about is replaced
 * wherever it appears, so an SDK debug message cannot leak one either.
 */

/** Field names whose values are secrets, compared case-insensitively (GCM's Trace.cs habit). */
const SECRET_FIELDS =
  /^(secretaccesskey|aws_secret_access_key|sessiontoken|aws_session_token|password|username|tokencode|authorization|x-amz-security-token|token)$/i;

export interface Tracer {
  readonly enabled: boolean;
  /** Writes one redacted line, if tracing is on. */
  (message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Registers a value that must never be printed, wherever it turns up. */
  secret(value: string | undefined): void;
}

export function createTracer(enabled: boolean, write: (line: string) => void): Tracer {
  const secrets = new Set<string>();
  const scrub = (text: string): string => {
    let out = text;
    for (const s of secrets) out = out.split(s).join("<redacted>");
    return out;
  };
  const trace = ((message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (!enabled) return;
    const rendered = fields === undefined ? "" : ` ${JSON.stringify(redactFields(fields))}`;
    write(`git-credential-codecommit[debug]: ${scrub(message + rendered)}\n`);
  }) as Tracer;
  Object.defineProperty(trace, "enabled", { value: enabled });
  trace.secret = (value) => {
    // Short strings would mask unrelated text and are no real secret anyway.
    if (value && value.length >= 8) secrets.add(value);
  };
  return trace;
}

/** A deep copy of `value` with every secret-named field masked. */
export function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELDS.test(k) && v !== undefined && v !== "" ? "<redacted>" : redactFields(v);
    }
    return out;
  }
  return value;
}

/** The SDK's logger interface, routed into the tracer so its warnings never reach git's stderr. */
export function sdkLogger(trace: Tracer): {
  debug(...a: unknown[]): void;
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
} {
  const log =
    (level: string) =>
    (...args: unknown[]) => {
      if (trace.enabled) trace(`sdk ${level}: ${args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" ")}`);
    };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(redactFields(v));
  } catch {
    return String(v);
  }
}
