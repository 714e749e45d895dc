/**
 * Kept for the modules that import the shared files from here: the one reading of them lives in
 * src/aws-config/ (botocore's parser, paths and profile maps).
 */
export {
  loadSharedConfig,
  sharedConfigFrom,
  type LoadedSharedConfig,
  type ProfileSettings,
  type SharedConfig,
} from "../aws-config/shared-config.js";
export { homeDir, sharedFilePaths } from "../aws-config/paths.js";
export { parseIni } from "../aws-config/ini.js";
