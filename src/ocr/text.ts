// The text read from a picture, tidied for the checker and for showing the person what was read.

/** The text as read: lines trimmed, runs of blank lines made one, stray symbols-only lines dropped. */
export function cleanOcrText(raw: string): string {
  const lines = raw
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .map((l) => (/[\p{L}\p{N}]/u.test(l) ? l : ''));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** The first lines of what was read, for showing the person (so they can see a misread). */
export function firstLines(text: string, lines = 3, chars = 160): string {
  const kept = text.split('\n').filter((l) => l.trim()).slice(0, lines).join(' / ');
  return kept.length > chars ? `${kept.slice(0, chars - 1).trimEnd()}…` : kept;
}
