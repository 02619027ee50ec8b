import type { BumpInputs } from "./inputs.js";

/** What a bump that changed flake.lock does next: the commit, where it goes, and the pull request. */
export interface BumpPlan {
  message: string;
  push: {
    branch: string;
    /** The bump branch is regenerated from the base on every run, so it is force-pushed. */
    force: boolean;
    /**
     * Skip the push when the branch already has this commit's content: a bump that is already
     * waiting gets no new CI run. Only for the bump branch; the base branch always gets the commit.
     */
    skipWhenSame: boolean;
  };
  pull?: PullPlan;
}

export interface PullPlan {
  title: string;
  body: string;
  head: string;
  base: string;
  labels: string[];
}

/** Pure: the inputs and the new date of the input in, what to commit, push and open out. */
export function planBump(i: Pick<BumpInputs, "mode" | "base" | "bumpBranch" | "input" | "labels">, date: string): BumpPlan {
  const message = `chore(ci): Update nixos to ${date}`;
  if (i.mode === "push") return { message, push: { branch: i.base, force: false, skipWhenSame: false } };
  return {
    message,
    push: { branch: i.bumpBranch, force: true, skipWhenSame: true },
    pull: {
      title: message,
      body: `Updates the flake input \`${i.input}\` to its newest revision (${date}).\n\nOpened by the bump-nixpkgs workflow.`,
      head: i.bumpBranch,
      base: i.base,
      labels: i.labels,
    },
  };
}
