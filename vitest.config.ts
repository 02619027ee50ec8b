import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests share one real Nix store and daemon; running files one at a time keeps them honest.
    fileParallelism: false,
  },
});
