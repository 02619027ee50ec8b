import { afterAll } from "vitest";
import { removeTempDirs } from "../../scripts/lib/runner.mjs";

// Set up for every test file (vitest.config.ts): once its tests are done, the folders they made in
// the temp dir with tempDir or newJob go.
afterAll(() => removeTempDirs());
