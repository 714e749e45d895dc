import { defineConfig } from "vitest/config";
import { RELEASE_TESTS, shared } from "./vitest.config.mts";

/** `npm run test:release`: the release artifacts, built by scripts/release.mjs in the suite's setup. */
export default defineConfig({
  test: {
    ...shared,
    reporters: [...shared.reporters],
    include: RELEASE_TESTS,
  },
});
