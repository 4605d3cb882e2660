// Pictures of text made in the tests themselves: an offer drawn as a flyer (SVG text rendered by sharp),
// in a given font, colours and size, slightly rotated and saved as JPEG if asked. No picture files are
// kept in the repository; each test draws what it reads.
import sharp from 'sharp';

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
  const w = Math.round(size * 0.62 * (look.width ?? 42)) + 60;
  const h = lineHeight * lines.length + 60;
  const body = lines
    .map((l, i) => `<text x="30" y="${30 + size + i * lineHeight}" font-family="${esc(look.font ?? 'DejaVu Sans')}" font-size="${size}"${look.bold ? ' font-weight="bold"' : ''} fill="${look.ink ?? '#111111'}">${esc(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${look.paper ?? '#ffffff'}"/>${body}</svg>`;
  let img = sharp(Buffer.from(svg));
  if (look.rotate) img = sharp(await img.png().toBuffer()).rotate(look.rotate, { background: look.paper ?? '#ffffff' });
  return look.jpeg ? img.jpeg({ quality: look.jpeg }).toBuffer() : img.png().toBuffer();
}

/** A picture with no writing: a smooth gradient with a few shapes (a photo of a landscape, say). */
export async function drawNoText(width = 640, height = 480): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#7ab8e8"/><stop offset="1" stop-color="#2f6d2f"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="480" cy="120" r="60" fill="#f7e36b"/><ellipse cx="200" cy="400" rx="180" ry="60" fill="#1f4d1f"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}
