// Trafficking indicators (data/indicators.yaml): the checklist of the staff's identification interview,
// from a sourced reference, with the rule that turns the answers into "indicated victim" or not.
// Reviewed data, validated at load as data/partners.yaml is: shape first, then references (unique ids,
// groups the rule names that exist), every problem named with the file, the entry and the field.
import { join } from 'node:path';
import { z } from 'zod';
import { ROOT } from '../content/index.js';
import { Bilingual, Reviewed } from '../content/schema.js';
import { describeIssue, readDataYaml } from './partners.js';

export const INDICATORS_FILE = 'indicators.yaml';

/**
 * How much one indicator weighs on its own (the ILO/European Commission operational indicators'
 * grading), when the file grades them: its references may not, and then a rule counts with `any`.
 */
export const STRENGTHS = ['strong', 'medium', 'weak'] as const;
export type Strength = (typeof STRENGTHS)[number];

const Id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case: a lower-case letter, then letters, digits or _');
const Count = z.number().int().min(1).max(50);

const IndicatorSchema = z
  .object({
    id: Id,
    group: Id,
    question: Bilingual,
    strength: z.enum(STRENGTHS).optional(),
    source: z.string().url('source must be the address of the reference the indicator is read in').regex(/^https:\/\//, 'source must be an https address'),
    source_title: z.string().min(1).optional(),
    reviewed: Reviewed.optional(),
    note: Bilingual.optional(),
  })
  .strict();

/**
 * One way of being indicated: at least `strong` strong, `medium` medium and `weak` weak indicators
 * answered yes (those given; counted only in `groups` when given), and, with `each_group`, at least
 * one yes in each of those groups.
 */
const ClauseSchema = z
  .object({
    strong: Count.optional(),
    medium: Count.optional(),
    weak: Count.optional(),
    /** At least this many indicators answered yes, whatever their strength. */
    any: Count.optional(),
    groups: z.array(Id).min(1).optional(),
    each_group: z.array(Id).min(1).optional(),
  })
  .strict()
  .refine((c) => c.strong || c.medium || c.weak || c.any || c.each_group, 'a clause needs a count (strong, medium, weak, any) or each_group');

/** The rule: indicated when any of its clauses holds. */
const RuleSchema = z
  .object({
    any_of: z.array(ClauseSchema).min(1),
    description: Bilingual.optional(),
    source: z.string().url().optional(),
  })
  .strict();

export type Indicator = z.infer<typeof IndicatorSchema>;
export type IndicatorClause = z.infer<typeof ClauseSchema>;
export type IndicatorRule = z.infer<typeof RuleSchema>;

export interface Indicators {
  /** In the file's order (the interview's order). */
  list: readonly Indicator[];
  byId: ReadonlyMap<string, Indicator>;
  /** Groups in the order they first appear. */
  groups: readonly string[];
  rule: IndicatorRule;
}

/** Checks a parsed indicators document; throws one error listing every problem. */
export function indicatorsFrom(doc: unknown, file = INDICATORS_FILE): Indicators {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: must be a mapping with the keys "rule" and "indicators"`);
  const unknownKeys = Object.keys(doc).filter((k) => k !== 'rule' && k !== 'indicators' && k !== 'sources');
  if (unknownKeys.length) throw new Error(`${file}: unknown top-level key(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')} (only "rule", "indicators", "sources")`);
  const problems: string[] = [];
  const rawList = (doc as { indicators?: unknown }).indicators;
  if (!Array.isArray(rawList) || rawList.length === 0) throw new Error(`${file}: indicators: must be a list of indicators`);
  const list: Indicator[] = [];
  const byId = new Map<string, Indicator>();
  rawList.forEach((raw, i) => {
    const rawId = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    const entry = `indicators[${i}]${rawId ? ` (${rawId})` : ''}`;
    const parsed = IndicatorSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: ${entry}.${describeIssue(issue)}`);
      return;
    }
    if (byId.has(parsed.data.id)) {
      problems.push(`${file}: ${entry}.id: "${parsed.data.id}" appears twice`);
      return;
    }
    byId.set(parsed.data.id, parsed.data);
    list.push(parsed.data);
  });
  const groups = [...new Set(list.map((x) => x.group))];
  const rule = RuleSchema.safeParse((doc as { rule?: unknown }).rule);
  if (!rule.success) for (const issue of rule.error.issues) problems.push(`${file}: rule.${describeIssue(issue)}`);
  else {
    rule.data.any_of.forEach((c, i) => {
      for (const s of STRENGTHS) {
        if (c[s] && !list.some((x) => x.strength === s)) problems.push(`${file}: rule.any_of[${i}].${s}: no indicator is graded ${s}`);
      }
      for (const g of [...(c.groups ?? []), ...(c.each_group ?? [])]) {
        if (!groups.includes(g)) problems.push(`${file}: rule.any_of[${i}]: group "${g}" has no indicator`);
      }
    });
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return { list, byId, groups, rule: rule.data! };
}

/** Reads and checks data/indicators.yaml (or the file of that name in `dataDir`). */
export function loadIndicators(dataDir: string = join(ROOT, 'data')): Indicators {
  const file = join(dataDir, INDICATORS_FILE);
  return indicatorsFrom(readDataYaml(file), file);
}

/** Whether one clause of the rule holds for the indicators answered yes. */
export function clauseHolds(clause: IndicatorClause, yes: readonly Indicator[]): boolean {
  const counted = clause.groups ? yes.filter((i) => clause.groups!.includes(i.group)) : yes;
  const count = (s: Strength) => counted.filter((i) => i.strength === s).length;
  if (clause.strong && count('strong') < clause.strong) return false;
  if (clause.medium && count('medium') < clause.medium) return false;
  if (clause.weak && count('weak') < clause.weak) return false;
  if (clause.any && counted.length < clause.any) return false;
  if (clause.each_group && !clause.each_group.every((g) => yes.some((i) => i.group === g))) return false;
  return true;
}
