// CSV as spreadsheets write it: RFC 4180 quotes (a quoted cell may hold commas, quotes doubled, line
// breaks), a byte-order mark, CRLF; separated by commas, or by semicolons as a spreadsheet set to
// Indonesian writes it (told by the header line).

export interface CsvRow {
  /** The line of the file the row starts on (1: the header). */
  line: number;
  cells: string[];
}

/** The rows of a CSV text, the header first; rows with nothing in any cell (",,,") are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cur = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRow = () => {
    cells.push(cur);
    const trimmed = cells.map((c) => c.trim());
    if (trimmed.some(Boolean)) rows.push({ line: start, cells: trimmed });
    cells = [];
    cur = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cur += ch;
      }
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === sep) (cells.push(cur), (cur = ''));
    else if (ch === '\r' && src[i + 1] === '\n') continue;
    else if (ch === '\n') {
      endRow();
      line++;
      start = line;
    } else cur += ch;
  }
  endRow();
  return rows;
}
