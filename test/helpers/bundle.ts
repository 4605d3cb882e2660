// Builds an engine Bundle from YAML strings, for engine tests that need no files.
import { parseFlow, type Bundle, type Flow } from '../../src/engine/flow.js';
import type { Lang } from '../../src/engine/types.js';

export const COUNTRIES = [
  { code: 'MY', names: ['Malaysia', 'Malaysia'], tz: 'Asia/Kuala_Lumpur' },
  { code: 'KH', names: ['Kamboja', 'Cambodia'], tz: 'Asia/Phnom_Penh' },
  { code: 'TW', names: ['Taiwan', 'Taiwan'], tz: 'Asia/Taipei' },
];

export const REGIONS = [
  { code: 'NB', names: ['Nusa Tenggara Barat', 'West Nusa Tenggara', 'NTB', 'Lombok'], tz: 'Asia/Makassar' },
  { code: 'JI', names: ['Jawa Timur', 'East Java', 'Jatim'], tz: 'Asia/Jakarta' },
  { code: 'SU', names: ['Sumatera Utara', 'North Sumatra', 'Sumut'], tz: 'Asia/Jakarta' },
  { code: 'SA', names: ['Sulawesi Utara', 'North Sulawesi', 'Sulut'], tz: 'Asia/Makassar' },
];

/** Labels are the key itself, except these (to test matching typed answers to labels). */
export const LABELS: Record<string, Record<string, string>> = {
  id: { 'l.guide': 'Panduan migrasi aman', 'l.check': 'Cek tawaran kerja', 'l.yes': 'Ya', 'l.no': 'Tidak' },
  en: { 'l.guide': 'Safe migration guide', 'l.check': 'Check a job offer', 'l.yes': 'Yes', 'l.no': 'No' },
};

export function bundleFrom(files: Record<string, string>): Bundle {
  const flows = new Map<string, Flow>();
  for (const [id, yaml] of Object.entries(files)) {
    const { flow, problems } = parseFlow(`${id}.yaml`, yaml);
    if (!flow) throw new Error(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    flows.set(id, flow);
  }
  return {
    flows,
    entry: 'welcome',
    menu: 'main',
    intents: { emergency: 'emergency', language: 'language', stop: 'stop', forget: 'forget' },
    countries: COUNTRIES,
    regions: REGIONS,
    emergencyContacts: ['hotline'],
    label: (lang: Lang, key: string) => LABELS[lang]?.[key] ?? key,
  };
}

/** A small world of flows exercising every step kind. */
export const WORLD: Record<string, string> = {
  welcome: `
spec_version: 1
id: welcome
start: check
steps:
  check: { type: branch, on: lang, cases: { id: consent, en: consent }, default: ask_lang }
  ask_lang:
    type: choice
    say: [w.lang]
    choices:
      - { id: id, label: l.id, next: set_id }
      - { id: en, label: l.en, next: set_en }
  set_id: { type: set, set: { lang: id }, next: consent }
  set_en: { type: set, set: { lang: en }, next: consent }
  consent:
    type: choice
    say: [w.privacy]
    choices:
      - { id: agree, label: l.yes, next: agreed }
      - { id: decline, label: l.no, next: "@idle" }
  agreed: { type: set, set: { consent: true }, next: "flow:main" }
`,
  main: `
spec_version: 1
id: main
start: menu
steps:
  menu:
    type: choice
    say: [m.title]
    choices:
      - { id: check, label: l.check, next: "flow:ask" }
      - { id: guide, label: l.guide, next: "flow:guide" }
      - { id: sub, label: l.sub, next: sub }
  sub:
    type: call
    flow: guide
    next: after_sub
  after_sub:
    type: say
    say: [m.after_call]
    next: menu
`,
  guide: `
spec_version: 1
id: guide
start: intro
steps:
  intro:
    type: say
    say: [g.one, { key: g.two, vars: { who: "$name" } }, { contacts: [hotline] }]
    next: country
  country:
    type: input
    say: [g.country]
    input: { type: country, store: dest }
    next: by_country
  by_country: { type: branch, on: dest, cases: { KH: risky }, default: fine }
  risky: { type: end, say: [g.risky] }
  fine: { type: end, say: [g.fine] }
`,
  ask: `
spec_version: 1
id: ask
start: name
steps:
  name:
    type: input
    say: [a.name]
    input: { type: text, store: name, max: 20, hint: a.name_hint }
    next: phone
  phone:
    type: input
    say: [a.phone]
    input: { type: phone, store: phone }
    next: when
  when:
    type: input
    say: [a.when]
    input: { type: date, store: when, past: true }
    next: sure
  sure:
    type: input
    say: [a.sure]
    input: { type: yesno, store: sure }
    next: decide
  decide: { type: branch, on: sure, cases: { "true": save }, default: "@end" }
  save:
    type: effect
    effect: save
    args: { name: "$name", fixed: 3 }
    store: saved
    outcomes: { ok: saved, error: failed }
  saved: { type: end, say: [{ key: a.saved, vars: { ref: "$saved.ref" } }] }
  failed: { type: end, say: [a.failed] }
`,
  emergency: `
spec_version: 1
id: emergency
start: show
steps:
  show:
    type: choice
    say: [e.help, { contacts: [hotline] }]
    choices:
      - { id: continue, label: e.continue, next: "@end" }
      - { id: menu, label: e.menu, next: "flow:main" }
`,
  language: `
spec_version: 1
id: language
start: ask
steps:
  ask:
    type: choice
    say: [lang.ask]
    choices:
      - { id: id, label: l.id, next: set_id }
      - { id: en, label: l.en, next: set_en }
  set_id: { type: set, set: { lang: id }, next: done }
  set_en: { type: set, set: { lang: en }, next: done }
  done: { type: end, say: [lang.done] }
`,
  stop: `
spec_version: 1
id: stop
start: bye
steps:
  bye: { type: say, say: [s.bye], next: "@idle" }
`,
  forget: `
spec_version: 1
id: forget
start: confirm
steps:
  confirm:
    type: choice
    say: [f.confirm]
    choices:
      - { id: "yes", label: l.yes, next: erase }
      - { id: "no", label: l.no, next: "@end" }
  erase:
    type: effect
    effect: forget
    outcomes: { ok: done, error: "@end" }
  done: { type: say, say: [f.done], next: "@idle" }
`,
};
