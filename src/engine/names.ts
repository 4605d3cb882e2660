/** Variable names that flows may store into and read from (`$name` in say vars and branch `on`). */
export const VAR_NAME = /^[a-z][a-z0-9_.]*$/;
/** The variable a value refers to: "$name" in say vars and effect args reads the variable `name`. */
export function varRef(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('$') ? value.slice(1) : undefined;
}
/** Session fields a flow can read and set besides its variables. */
export const SESSION_FIELDS = ['lang', 'consent', 'safety'] as const;

/** A `next` that ends this flow: back to the caller, or to the main menu. */
export const TARGET_END = '@end';
/** Leaves every flow; the next message starts afresh. */
export const TARGET_IDLE = '@idle';
/** A `next` of `flow:<id>` goes to another flow. */
export const FLOW_TARGET = 'flow:';
