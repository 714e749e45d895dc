/**
 * doctor's check of the profile named on the helper line: one that is not in the shared files (a
 * typo, say) gets the known profiles and the `setup --profile NAME` that writes the nearest one —
 * never `aws configure --profile <typo>`, which would create the typo as a new profile.
 */
import { loadSharedConfig } from "../aws-config/shared-config.js";
import type { Env } from "../env.js";
import { fail, type Check } from "./check.js";

/** ✗ when `profile` is named but in neither file; undefined when it is there (the AWS checks go on). */
export function helperProfileCheck(profile: string, env: Env, setupWith: (profile: string) => string): Check | undefined {
  let config: ReturnType<typeof loadSharedConfig>;
  try {
    config = loadSharedConfig(env);
  } catch {
    // A file botocore would refuse: the credential check explains it.
    return undefined;
  }
  if (config.profiles.has(profile)) return undefined;
  const known = [...config.profiles.keys()].sort();
  const where = `${config.configFile || "(no config file)"} or ${config.credentialsFile || "(no credentials file)"}`;
  const text = `the helper line names the AWS profile "${profile}", which is not in ${where}`;
  if (known.length === 0)
    return fail(`${text}, and no profiles are configured`, `aws configure --profile ${profile.replace(/[^A-Za-z0-9._-]/g, "")}`);
  return fail(`${text}. Known profiles: ${known.map((p) => JSON.stringify(p)).join(", ")}`, setupWith(nearest(profile, known)));
}

/** The known name fewest single-character edits away (ties: the first in order). */
export function nearest(name: string, known: readonly string[]): string {
  let best = known[0] as string;
  let bestCost = Infinity;
  for (const candidate of known) {
    const cost = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (cost < bestCost) [best, bestCost] = [candidate, cost];
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] as number;
}
