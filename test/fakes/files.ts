// Files people send, as the platform fakes keep and serve them: their bytes, or only their size for a
// big file, whose bytes are made up (spaces) a chunk at a time while the client reads.
import type { ServerResponse } from 'node:http';

/** A file's bytes, or only its size. */
export type FileContent = Buffer | number;

export const sizeOf = (content: FileContent): number => (typeof content === 'number' ? content : content.length);

/** Writes a file's bytes as the answer's body (its status and headers already written); stops when the client goes. */
export function sendContent(res: ServerResponse, content: FileContent): void {
  if (typeof content !== 'number') return void res.end(content);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = content;
  const more = () => {
    while (left > 0) {
      const piece = chunk.subarray(0, Math.min(chunk.length, left));
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', more);
    }
    res.end();
  };
  res.on('close', () => (left = 0));
  more();
}
