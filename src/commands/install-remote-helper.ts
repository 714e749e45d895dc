/**
 * `install-remote-helper [DIR]`: the name git-remote-codecommit next to this program (or in DIR),
 * so git finds the remote helper for codecommit:// URLs on PATH (src/remote/install.ts).
 */
import { HelperError } from "../errors.js";
import { installRemoteHelper } from "../remote/install.js";
import type { Command } from "./command.js";

export const installRemoteHelperCommand: Command = async (args, io) => {
  if (args.rest.length > 1 || io.selfPath === undefined) {
    throw new HelperError("usage", "install-remote-helper takes at most one directory", "Run git-credential-codecommit --help");
  }
  io.stdout(installRemoteHelper({ selfPath: io.selfPath, dir: args.rest[0], pathEnv: io.env.PATH }));
  return 0;
};
