// Small pieces the broadcast, dashboard and account pages share.
import type { Lang } from '../../engine/types.js';
import { esc } from './html.js';

/**
 * A table whose cells carry their column's name (shown on small screens, where rows stack; a `compact`
 * one keeps each row on one line there). Cells are HTML, escaped by the caller.
 */
export function table(headers: string[], rows: string[][], opts: { compact?: boolean } = {}): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td data-label="${esc(headers[i] ?? '')}">${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table${opts.compact ? ' class="compact"' : ''}><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

const formats: Partial<Record<Lang, Intl.NumberFormat>> = {};
/** A number as the page's language writes it (1.234 in Bahasa Indonesia, 1,234 in English). */
export const fmt = (lang: Lang, n: number) => (formats[lang] ??= new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB')).format(n);
