/**
 * An error the user can act on: its message says what is wrong and what to do, so the main step
 * fails with the message alone (no stack), and the post step warns with it (or fails, when
 * fail-on-push-error asks). Anything else that is thrown is a bug and is reported with its stack.
 */
export class ActionError extends Error {
  override name = "ActionError";
}

/**
 * Bad input: the message names the input and the fix. Its own class because the post step must
 * tell it apart: main has already failed on it, so post says so once and pushes nothing.
 */
export class InputError extends ActionError {
  override name = "InputError";
}
