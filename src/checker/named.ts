/** The ids whose names a text holds, in the order it first names them (at most `most`). Pure. */
export function namedInOrder<Id extends string>(t: string, names: Readonly<Record<Id, RegExp>>, ids: readonly Id[], most = 2): Id[] {
  const found: [Id, number][] = [];
  for (const id of ids) {
    const m = names[id].exec(t);
    if (m) found.push([id, m.index]);
  }
  return found.sort((a, b) => a[1] - b[1]).slice(0, most).map(([id]) => id);
}
