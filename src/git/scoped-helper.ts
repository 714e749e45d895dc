/**
 * The credential settings that make this helper the only one git runs for one CodeCommit origin,
 * as `credential.<url>.*` entries. git applies every matching `credential.helper` in config order
 * (credential.c: urlmatch with select_all), so entries scoped to the origin and read last clear a
 * storing helper configured anywhere before them — also one given with `git -c` — while other hosts
 * (a submodule on GitHub, say) keep theirs.
 */

/**
 * The three entries for `origin` (`https://host[:port]`, as git matches it: the port must be the
 * same, a missing one is 443): helper reset, `helper`, and `useHttpPath`.
 */
export function scopedHelperEntries(origin: string, helper: string): Array<readonly [string, string]> {
  const scope = `credential.${origin}`;
  return [
    // An empty value clears every helper configured before it (gitcredentials(7)): no storing
    // helper (osxkeychain, manager, store) ever sees the 15-minute password.
    [`${scope}.helper`, ""],
    [`${scope}.helper`, helper],
    // The signature covers the repository path, which git sends only with useHttpPath.
    [`${scope}.useHttpPath`, "true"],
  ];
}
