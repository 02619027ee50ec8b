import { afterAll } from "vitest";
import { removeJobs } from "../../scripts/lib/runner.mjs";
import { removeTempDirs } from "./temp-dirs.js";

// Set up for every test file (vitest.config.ts): once its tests are done, the job folders they made
// in the temp dir (newJob) go, and so do the folders made with tempDir.
afterAll(() => {
  removeJobs();
  removeTempDirs();
});
