/**
 * What a CodeCommit `get` runs once the request is known to be ours, as one module to import:
 * the profile checked (check-profile.ts), credentials resolved (resolve-credentials.ts: those at
 * hand without loading the fetching code) and the password signed (password.ts).
 *
 * Why one module: the executable is split at every import(), and a module that two imported
 * targets share becomes a chunk of its own, which each run pays to load (~40–90 K instructions a
 * chunk, callgrind). Importing these three separately, from get, doctor and the remote helper,
 * made three targets and the chunks between them; through this module they are one. Whatever
 * imports one of them lazily imports this module instead.
 */
export { checkProfile, effectiveProfile, type CheckedProfile } from "./check-profile.js";
export { resolveCredentials } from "./resolve-credentials.js";
export { signGitPassword } from "../password.js";
