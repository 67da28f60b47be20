/**
 * An RFC 4180 reader for the tests, written from the RFC rather than from src/cli/csv.ts: records end in CRLF,
 * a quoted field may hold commas, CR, LF and doubled quotes. Throws on anything else (a bare quote inside an
 * unquoted field, an unterminated quote, a record not ended by CRLF), so a test fails on CSV that is merely close.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`expected a comma or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 10))}`);
  }
  if (record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}

/** Records as objects keyed by the header row; every record must have the header's width. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new Error('no header row');
  return rows.map((r, n) => {
    if (r.length !== header.length) throw new Error(`record ${n + 1} has ${r.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, r[k]]));
  });
}
