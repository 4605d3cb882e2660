/**
 * The ids whose names a text holds, in the order it first names them (at most `most`). Pure. `at`:
 * where an expression's first match in `t` starts, -1 where it has none (the checker's prefilter
 * knows it sooner than a search, detect.ts).
 */
export function namedInOrder<Id extends string>(
  t: string, names: Readonly<Record<Id, RegExp>>, ids: readonly Id[], most = 2, at: (re: RegExp) => number = (re) => re.exec(t)?.index ?? -1,
): Id[] {
  const found: [Id, number][] = [];
  for (const id of ids) {
    const i = at(names[id]);
    if (i >= 0) found.push([id, i]);
  }
  return found.sort((a, b) => a[1] - b[1]).slice(0, most).map(([id]) => id);
}
