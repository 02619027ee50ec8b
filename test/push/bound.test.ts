import { describe, expect, it } from "vitest";
import { minutesInput } from "../../src/inputs.js";
import { boundText, DEFAULT_LIMITS, drainDeadline, limitsFrom, withinAfterScript } from "../../src/push/limits.js";
import { unpushedText } from "../../src/push/push.js";

const get = (value: string) => () => value;

describe("push-timeout: minutes to ms (pure)", () => {
  it.each<[string, number]>([
    ["", 15 * 60_000],
    ["15", 15 * 60_000],
    ["1", 60_000],
    ["0.1", 6_000],
    ["2.5", 150_000],
    ["1440", 1440 * 60_000],
    ["0.000001", 1],
  ])("%j → %d ms", (text, ms) => expect(minutesInput(get(text), "push-timeout", 15)).toBe(ms));

  it.each(["x", "10m", "1e3", "0", "0.0", "-1", "1,5", ".5", "Infinity", "NaN", "1441"])("%j is refused, naming the input", (text) => {
    expect(() => minutesInput(get(text), "push-timeout", 15)).toThrow(/^push-timeout must be /);
  });
});

describe("the push's bound (pure)", () => {
  it("push-timeout is the push's timeout; attempts and backoff keep their defaults", () => {
    expect(limitsFrom({}, 90_000)).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 90_000 });
    expect(limitsFrom({})).toEqual(DEFAULT_LIMITS);
  });

  it("the test-only variable overrides only the parts it gives", () => {
    expect(limitsFrom({ NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: ",2,50" }, 90_000)).toEqual({ timeoutMs: 90_000, attempts: 2, backoffMs: 50 });
    expect(limitsFrom({ NIX_RUNNER_ACTION_TEST_PUSH_LIMITS: "3000" }, 90_000)).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 3000 });
  });

  it("GitLab: push-timeout is cut to after_script's budget less its margin, never raised", () => {
    const of = (min: number, env: NodeJS.ProcessEnv) => withinAfterScript(limitsFrom({}, min * 60_000), env).timeoutMs;
    // default budget 5 min, a fifth (at most 30 s) kept back: 270 s
    expect(of(15, {})).toBe(270_000);
    expect(of(2, {})).toBe(120_000);
    expect(of(15, { RUNNER_AFTER_SCRIPT_TIMEOUT: "1h" })).toBe(15 * 60_000);
    expect(of(15, { RUNNER_AFTER_SCRIPT_TIMEOUT: "60s" })).toBe(48_000);
  });

  it("the pusher, draining, stops a little before post's deadline: 1 to 5 s, a twentieth of what is left", () => {
    const now = 1_000_000;
    expect(drainDeadline(now + 15 * 60_000, now)).toBe(now + 15 * 60_000 - 5000);
    expect(drainDeadline(now + 60_000, now)).toBe(now + 60_000 - 3000);
    expect(drainDeadline(now + 6000, now)).toBe(now + 5000);
    expect(drainDeadline(now + 500, now)).toBe(now);
    expect(drainDeadline(now - 10, now)).toBe(now);
  });

  it("names the bound in minutes, with seconds when under a minute", () => {
    expect(boundText({ ...DEFAULT_LIMITS })).toBe("push-timeout (15 min)");
    expect(boundText({ ...DEFAULT_LIMITS, timeoutMs: 6000 })).toBe("push-timeout (0.1 min, 6 s)");
  });

  it("the summary says how many selected paths were left and that the step did not push them", () => {
    expect(unpushedText(3, 10)).toBe("3 of 10 selected path(s) left unpushed (this step did not push them)");
  });
});
