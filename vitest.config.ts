import { defineConfig } from "vitest/config";

// Tiers: `unit` needs neither Nix, root nor any tool beyond Node, git and Debian's essential packages
// (npm run test:unit, seconds; the steps run from src/ in process, test/helpers/step-io.ts);
// `bundles` (*.bundle.test.ts) runs the built dist/ bundles, building them first when src/ changed
// (npm run test:bundles, test/helpers/build-bundles.ts); `integration` (*.integration.test.ts) runs
// real Nix, daemons, runners and servers, as root; `forge` a real Gitea; `e2e` the action and the GitLab
// CLI under real runners and gitlab-ci-local. `npm test` runs them all.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests share one real Nix store and daemon; running files one at a time keeps them honest.
    fileParallelism: false,
    // every file removes the folders its tests made in the temp dir: jobs (newJob) and tempDir's
    setupFiles: ["test/helpers/cleanup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.integration.test.ts", "test/**/*.bundle.test.ts", "test/forge/**", "test/e2e/**"],
          // nothing shared (no store, no daemon, ports picked free): its files run side by side, one per core
          fileParallelism: true,
          maxWorkers: "100%",
        },
      },
      { extends: true, test: { name: "bundles", include: ["test/**/*.bundle.test.ts"], globalSetup: ["test/helpers/build-bundles.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/**/*.integration.test.ts"] } },
      // A real Gitea with its runner registered (test/forge/): npm run test:forge. Builds Gitea on
      // first use (scripts/install-gitea.mjs, about 5 minutes) and the Nix job image.
      {
        extends: true,
        test: { name: "forge", include: ["test/forge/**/*.forge.test.ts"], testTimeout: 900_000, hookTimeout: 1_800_000 },
      },
      // The action under real runners and GitLab jobs under gitlab-ci-local, one row of
      // test/e2e/rows.ts a describe, each check a test: npm run e2e. Makes images and the real installer on first use (minutes on a fresh machine).
      {
        extends: true,
        test: { name: "e2e", include: ["test/e2e/**/*.e2e.test.ts"], testTimeout: 900_000, hookTimeout: 3_600_000 },
      },
    ],
  },
});
