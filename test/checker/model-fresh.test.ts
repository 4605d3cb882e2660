// The checker's model (src/checker/model.json) is a build artefact of the rules and the corpus: its
// features include the rules' flags and cues, so a rule changed without training again leaves a model
// that learned from other features than those it is now given (it was so from 25 Nov to 3 Dec).
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { MODEL_PATH } from '../../src/checker/model.js';
import { train } from '../../src/checker/train.js';

describe('the checker model', () => {
  it('is what npm run train:checker makes of the current rules and corpus (run it after changing either)', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const fresh = JSON.parse(JSON.stringify(train())) as unknown;
      expect(JSON.parse(readFileSync(MODEL_PATH, 'utf8'))).toEqual(fresh);
    } finally {
      log.mockRestore();
    }
  }, 60_000);
});
