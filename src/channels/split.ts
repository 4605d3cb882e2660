// Splitting a long text into messages a platform takes: at paragraph, then line, then word
// boundaries, and inside a word only between characters (never inside one), each piece measured as
// the platform measures it (escaped HTML on one, characters on another).

/** Splits `text` into pieces of at most `limit` by `size`. */
export function splitBy(text: string, limit: number, size: (s: string) => number): string[] {
  if (size(text) <= limit) return [text];
  const out: string[] = [];
  const pushPiece = (piece: string, seps: string[]): void => {
    if (size(piece) <= limit) {
      out.push(piece);
      return;
    }
    const [sep, ...rest] = seps;
    if (sep === undefined) {
      // No boundary left: cut by code points so that no character is broken.
      let cur = '';
      let curSize = 0;
      for (const ch of piece) {
        const chSize = size(ch);
        if (curSize + chSize > limit) (out.push(cur), (cur = ''), (curSize = 0));
        cur += ch;
        curSize += chSize;
      }
      if (cur) out.push(cur);
      return;
    }
    let cur = '';
    for (const part of piece.split(sep)) {
      const next = cur ? cur + sep + part : part;
      if (size(next) <= limit) cur = next;
      else {
        if (cur) out.push(cur);
        if (size(part) <= limit) cur = part;
        else (pushPiece(part, rest), (cur = ''));
      }
    }
    if (cur) out.push(cur);
  };
  pushPiece(text, ['\n\n', '\n', ' ']);
  return out;
}
