/** Variable names that flows may store into and read from (`$name` in say vars and branch `on`). */
export const VAR_NAME = /^[a-z][a-z0-9_.]*$/;
/** Session fields a flow can read and set besides its variables. */
export const SESSION_FIELDS = ['lang', 'consent'] as const;
