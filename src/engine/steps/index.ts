// The registry of step kinds. A new kind is one new file here and one line below.
import type { StepKind } from '../kind.js';
import { branch } from './branch.js';
import { call } from './call.js';
import { choice } from './choice.js';
import { effect } from './effect.js';
import { end } from './end.js';
import { input } from './input.js';
import { say } from './say.js';
import { set } from './set.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KINDS: Record<string, StepKind<any>> = Object.fromEntries(
  [say, choice, input, branch, effect, call, set, end].map((k) => [k.type, k]),
);
