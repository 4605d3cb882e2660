// A QR code as an SVG picture, drawn on the server from the QR encoder qrcode-terminal already brings
// (the whatsapp-web channel prints its code with it): nothing more is installed or fetched.
import { createRequire } from 'node:module';
import { esc } from './html.js';

interface QrEncoder {
  addData(text: string): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, col: number): boolean;
}

const require = createRequire(import.meta.url);
type QrClass = new (typeNumber: number, level: number) => QrEncoder;
let encoder: { QRCode: QrClass; level: number } | undefined;
const load = () =>
  (encoder ??= {
    QRCode: require('qrcode-terminal/vendor/QRCode/index.js') as QrClass,
    // Medium error correction: a phone still reads a code photographed off a screen at an angle.
    level: (require('qrcode-terminal/vendor/QRCode/QRErrorCorrectLevel.js') as { M: number }).M,
  });

/** The SVG of `text` as a QR code, with its quiet zone; `label` is its accessible name. */
export function qrSvg(text: string, label: string): string {
  const { QRCode, level } = load();
  const qr = new QRCode(-1, level);
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let path = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) path += `M${c + quiet} ${r + quiet}h1v1h-1z`;
  const size = n + 2 * quiet;
  return `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc(label)}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
