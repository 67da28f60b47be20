// roff text → plain text, for scripts/make-beir-corpus.mjs: the escapes of groff(7) that man pages use, and the
// mdoc(7) macro lines a BSD-style page writes its text with. What only changes layout or fonts is dropped.

const NAMED = {
  em: '—', en: '–', hy: '-', mi: '-', bu: '•', aq: "'", dq: '"', lq: '"', rq: '"', oq: "'", cq: "'", co: '©', rg: '®',
  tm: '™', de: '°', mu: '×', di: '÷', pl: '+', eq: '=', '<=': '≤', '>=': '≥', '!=': '≠', '->': '→', '<-': '←', 'R"': '"',
  'L"': '"', ga: '`', ha: '^', ti: '~', rs: '\\', sl: '/', ba: '|', at: '@', sh: '#', Do: '$', dg: '†', sc: '§', ps: '¶',
  '*W': '-', Aq: "'", '--': '—', 'C+': 'C++', PI: 'π', 'C`': "'", "C'": "'",
};

/** One roff text line (or macro argument) → plain text. */
export function roffInline(s) {
  return s
    .replace(/\\".*$/, '')
    .replace(/\\f(?:\[[^\]]*\]|\([A-Za-z0-9]{2}|[A-Za-z0-9])/g, '')
    .replace(/\\s[-+]?(?:\[[^\]]*\]|\([0-9]{2}|[0-9])/g, '')
    .replace(/\\[hvwoxNDlLbZ](['|])(?:(?!\1).)*\1/g, '')
    .replace(/\\\*(?:\[([^\]]*)\]|\((..)|(.))/g, (_, a, b, c) => NAMED[a ?? b ?? c] ?? '')
    .replace(/\\\((..)/g, (_, n) => NAMED[n] ?? '')
    .replace(/\\\[([^\]]*)\]/g, (_, n) => NAMED[n] ?? (/^u[0-9A-F]{4,6}$/.test(n) ? String.fromCodePoint(parseInt(n.slice(1), 16)) : ''))
    .replace(/\\n[+-]?(?:\[[^\]]*\]|\(..|.)/g, '')
    .replace(/\\\$[0-9*@]/g, '')
    .replace(/\\[kgzYmM](?:\[[^\]]*\]|\(..|.)/g, '')
    .replace(/\\[-e\\.]/g, (m) => (m === '\\-' ? '-' : m === '\\.' ? '.' : '\\'))
    .replace(/\\[ ~0]/g, ' ')
    .replace(/\\(['`])/g, '$1')
    .replace(/\\[&|^,/:%cdupartq{}!?)]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MDOC_DROP = new Set(['Op', 'Oo', 'Oc', 'Ns', 'No', 'Ql', 'Dq', 'Sq', 'Qq', 'Pq', 'Bq', 'Brq', 'Aq', 'Do', 'Dc', 'So', 'Sc', 'Qo', 'Qc', 'Po', 'Pc', 'Bo', 'Bc', 'Ao', 'Ac', 'Eo', 'Ec', 'Ar', 'Cm', 'Em', 'Sy', 'Pa', 'Ev', 'Va', 'Li', 'Ic', 'Ft', 'Fn', 'Fa', 'Fo', 'Fc', 'Cd', 'In', 'Dv', 'Er', 'Ad', 'An', 'Lk', 'Mt', 'Ms', 'Tn', 'Sm', 'Ap', 'Nm', 'It', 'Ss', 'Sh', 'Vt', 'Xo', 'Xc']);
const SYSTEMS = { Bx: 'BSD', Ux: 'UNIX', At: 'AT&T UNIX', Nx: 'NetBSD', Fx: 'FreeBSD', Ox: 'OpenBSD', Dx: 'DragonFly', Bsx: 'BSD/OS', St: '' };

/**
 * An mdoc(7) macro line ("Nm ls", "Fl a Ar file", "Xr ls 1 ,") → its text ("ls", "-a file", "ls(1),"); "Nd …"
 * becomes "- …" so that a NAME section reads as "name - summary", as a man(7) page's does.
 */
export function mdocLine(line) {
  const tokens = line.match(/"[^"]*"|\S+/g) ?? [];
  const out = [];
  let glue = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].replace(/^"|"$/g, '');
    if (t === 'Nd') {
      out.push('-');
      continue;
    }
    if (t === 'Fl') {
      const next = tokens[i + 1];
      if (next !== undefined && !/^[A-Z][a-z]{1,2}$/.test(next)) {
        out.push(`-${roffInline(next)}`);
        i++;
      } else out.push('-');
      continue;
    }
    if (t === 'Xr' && tokens[i + 2] !== undefined) {
      out.push(`${roffInline(tokens[i + 1])}(${tokens[i + 2]})`);
      i += 2;
      continue;
    }
    if (t === 'Ns') {
      glue = true;
      continue;
    }
    if (t in SYSTEMS) {
      if (SYSTEMS[t] !== '') out.push(SYSTEMS[t]);
      continue;
    }
    if (MDOC_DROP.has(t)) continue;
    const text = roffInline(t);
    if (text.length === 0) continue;
    if ((glue || /^[.,;:)\]?!]+$/.test(text)) && out.length > 0) out[out.length - 1] += text;
    else out.push(text);
    glue = false;
  }
  return out.join(' ');
}
