/**
 * The secret key, the session token, the password and the username (which carries the
 * token) never reach stderr, logs or traces. One assertion for every test that runs the helper with
 * known secrets.
 */
import { expect } from "vitest";

/**
 * Fails when `text` contains any of `secrets`. The failure message names the secret by position and
 * its first characters only, so a leak is not copied in full into the test report.
 */
export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  secrets.forEach((secret, i) => {
    // A short or empty "secret" would match unrelated text (or everything) and prove nothing.
    if (secret.length < 8) throw new Error(`expectNoSecrets: secret #${i} is too short (${secret.length} chars) to check for`);
    expect(text.includes(secret), `secret #${i} (${secret.slice(0, 4)}…, ${secret.length} chars) leaked into the output`).toBe(false);
  });
}
