/**
 * What `setup` and `clone` tell the user after writing the helper line: the storing helpers doctor
 * would flag for the URL. One that setup's empty reset now hides may still hold a CodeCommit password
 * from before (git never erases one: CodeCommit answers 403, not 401); one configured after ours, in a
 * file git reads later, is still handed every password to keep.
 */
import { helpersFor, type ActiveHelper } from "../git/credential-config.js";
import { classifyHelper } from "../git/helper-line.js";
import type { GitContext } from "../git/run-git.js";
import { gitHome, storedCodeCommitEntries, storeFiles } from "../git/stored-credentials.js";

/**
 * `note: …` lines for `url` as git now sees it, naming `fix` (doctor --fix); `cleared`: every
 * configured helper is reset for it (clone); `before`: the helpers configured before setup changed them.
 */
export async function setupNotes(
  ctx: GitContext,
  url: string,
  fix: string,
  cleared = false,
  before: readonly ActiveHelper[] = [],
): Promise<string> {
  const active = cleared ? [] : await helpersFor(ctx, url);
  const oursAt = active.findIndex((h) => classifyHelper(h.value).kind === "ours");
  const home = gitHome(ctx.env);
  const notes: string[] = [];
  const seen = new Set<string>();
  // Also those setup just replaced: what they stored is still where they stored it.
  for (const h of [...before, ...(await helpersFor(ctx, url, true))]) {
    const kind = classifyHelper(h.value);
    if (kind.kind !== "storing" || seen.has(h.value)) continue;
    seen.add(h.value);
    const at = active.findIndex((a) => a.value === h.value && a.scope === h.scope);
    if (oursAt !== -1 && at > oursAt) {
      notes.push(
        `note: "${h.value}" (${h.scope} config) runs after git-credential-codecommit, so git still hands it every password to keep; remove it from that config`,
      );
    } else if (kind.name === "store") {
      for (const e of storedCodeCommitEntries(storeFiles(h.value, ctx.env, home))) {
        notes.push(
          `note: ${e.file} still holds a CodeCommit password for ${e.host}, which git would replay once expired; ${fix} erases it`,
        );
      }
    } else {
      notes.push(
        `note: "${h.value}" may still hold a CodeCommit password from before, which git would replay once expired; ${fix} erases it`,
      );
    }
  }
  return notes.map((n) => `${n}\n`).join("");
}
