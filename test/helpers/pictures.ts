// Pictures of text made in the tests themselves: an offer drawn as a flyer (SVG text rendered by sharp),
// in a given font, colours and size, slightly rotated and saved as JPEG if asked. No picture files are
// kept in the repository; each test draws what it reads.
import sharp from 'sharp';
import { fnv1a } from '../../src/checker/corpus.js';

export interface Look {
  /** A font family fontconfig knows (the tests use DejaVu, which Debian's Chromium brings). */
  font?: string;
  size?: number;
  ink?: string;
  paper?: string;
  /** Characters per line before wrapping. */
  width?: number;
  /** Degrees. */
  rotate?: number;
  /** JPEG quality; absent: PNG. */
  jpeg?: number;
  bold?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Words wrapped into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** The text drawn as a picture (PNG, or JPEG when `look.jpeg` is set). */
export async function drawText(text: string, look: Look = {}): Promise<Buffer> {
  const size = look.size ?? 26;
  const lines = wrap(text, look.width ?? 42);
  const lineHeight = Math.round(size * 1.45);
  const paper = look.paper ?? '#ffffff';
  // Wide enough for a line of capitals in bold; the paper is then trimmed to the writing, with a margin.
  const w = Math.round(size * 0.9 * (look.width ?? 42)) + 60;
  const h = lineHeight * lines.length + 60;
  const body = lines
    .map((l, i) => `<text x="30" y="${30 + size + i * lineHeight}" font-family="${esc(look.font ?? 'DejaVu Sans')}" font-size="${size}"${look.bold ? ' font-weight="bold"' : ''} fill="${look.ink ?? '#111111'}">${esc(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${paper}"/>${body}</svg>`;
  const margin = { top: 30, bottom: 30, left: 30, right: 30, background: paper };
  let img = sharp(await sharp(Buffer.from(svg)).trim({ background: paper, threshold: 10 }).extend(margin).png().toBuffer());
  if (look.rotate) img = img.rotate(look.rotate, { background: paper });
  return look.jpeg ? img.jpeg({ quality: look.jpeg }).toBuffer() : img.png().toBuffer();
}

/** A picture with no writing: a smooth gradient with a few shapes (a photo of a landscape, say). */
export async function drawNoText(width = 640, height = 480): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#7ab8e8"/><stop offset="1" stop-color="#2f6d2f"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="480" cy="120" r="60" fill="#f7e36b"/><ellipse cx="200" cy="400" rx="180" ry="60" fill="#1f4d1f"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/**
 * The looks flyers are drawn in. Each part of a look is chosen for the i-th picture by a hash of the
 * part's name and i, each part apart from the others (a font does not always come with the same
 * colours or encoding), so a sample of a few dozen meets every font, colour pair, size, angle and
 * encoding several times, in mixed company, and the same i always gets the same look.
 * The fonts are those on the machine and CI (DejaVu; `fc-list : family`).
 */
export const FLYER_FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'DejaVu Sans Condensed', 'DejaVu Serif Condensed'] as const;
/** Ink on paper: dark on white, coloured, and one light-on-dark poster. */
export const FLYER_COLOURS = [
  { name: 'black on white', ink: '#111111', paper: '#ffffff' },
  { name: 'navy on cream', ink: '#1b2a6b', paper: '#fff6e0' },
  { name: 'dark red on pale yellow', ink: '#9b1111', paper: '#fff9c4' },
  { name: 'dark green on grey', ink: '#0b5d1e', paper: '#e8e8e8' },
  { name: 'white on near-black', ink: '#f5f5f5', paper: '#1c1c24' },
  { name: 'grey on white', ink: '#444444', paper: '#fdfdfd' },
] as const;
export const FLYER_SIZES = [18, 20, 22, 24, 26, 28, 30] as const;
/** Degrees, within ±2. */
export const FLYER_ANGLES = [0, 0.5, -0.8, 1.2, -1.5, 1.7, 2, -2] as const;
/** JPEG quality, or 0 for PNG. */
export const FLYER_ENCODINGS = [0, 55, 70, 85, 90] as const;
/** Characters a line: a narrow phone-shaped flyer to a wide one. */
export const FLYER_WIDTHS = [34, 42, 48] as const;

/** One of `list` for picture i and this part of its look. */
const pick = <T>(list: readonly T[], part: string, i: number): T => list[fnv1a(`flyer-look:${part}:${i}`) % list.length]!;

/**
 * The i-th look, with its parts named for reports (font, colours, size, angle, encoding) and a name
 * ("DejaVu Serif bold navy on cream 22px -0.8° JPEG 70"). One picture in four is bold.
 */
export function flyerLook(i: number): { look: Look; name: string; parts: Record<'font' | 'colours' | 'size' | 'angle' | 'encoding', string> } {
  const font = pick(FLYER_FONTS, 'font', i);
  const bold = pick([true, false, false, false], 'bold', i);
  const colour = pick(FLYER_COLOURS, 'colours', i);
  const size = pick(FLYER_SIZES, 'size', i);
  const rotate = pick(FLYER_ANGLES, 'angle', i);
  const jpeg = pick(FLYER_ENCODINGS, 'encoding', i);
  const look: Look = { font, size, ink: colour.ink, paper: colour.paper, rotate, width: pick(FLYER_WIDTHS, 'width', i), bold, ...(jpeg ? { jpeg } : {}) };
  const parts = { font: `${font}${bold ? ' bold' : ''}`, colours: colour.name, size: `${size}px`, angle: `${rotate}°`, encoding: jpeg ? `JPEG ${jpeg}` : 'PNG' };
  return { look, name: Object.values(parts).join(' '), parts };
}

/**
 * An offer cut to what one flyer holds: at most `max` characters (about twenty lines of forty), ending
 * at the last line or sentence end before it when that keeps most of it, else at a word.
 */
export function flyerText(text: string, max = 900): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('. ') + 1, head.lastIndexOf('! ') + 1, head.lastIndexOf('? ') + 1);
  return (end >= max * 0.6 ? head.slice(0, end) : head.slice(0, head.lastIndexOf(' '))).trim();
}
