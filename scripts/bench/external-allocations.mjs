// Where a process allocates ArrayBuffer backing stores from JS (issue 17, session 29): a preload that counts every
// typed array of ≥ 4 KB constructed with a fresh buffer (`new Float32Array(n)`, `Float32Array.from`, …) and every
// typed-array `slice` (how tfjs' wasm backend copies values out of its heap in `readSync`/`dataSync`), by the call
// site (the first frames of the stack), and prints the largest sites' totals to stderr at exit. V8 counts those
// buffers as external memory, and enough of them start full collections whose concurrent marking runs on V8's
// helper threads. Views over an existing buffer (the wasm heap's `typedArrayFromHeap`) allocate nothing and are
// not counted. Counting starts after the preload's first tick (module loading is left out; data loading is not).
//
//   node --import ./scripts/bench/external-allocations.mjs dist/scripts/bench/gnn-workers.js --child 1 --steps 10 --dropout 0.167
//
// A site allocated once per training step shows a count that is a multiple of the steps.
const MIN_BYTES = 4096;
const FRAMES = 6;
const sites = new Map();
let counting = false;
setTimeout(() => {
  counting = true;
}, 0);

function note(kind, bytes) {
  if (!counting || bytes < MIN_BYTES) return;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES + 3;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const where = stack.split('\n').slice(3, 3 + FRAMES).map((l) => l.trim().replace(/^at /, '').replace(/.*\/(dist|node_modules)\//, '')).join(' < ');
  const key = `${kind} ${where}`;
  const s = sites.get(key) ?? { calls: 0, bytes: 0 };
  s.calls += 1;
  s.bytes += bytes;
  sites.set(key, s);
}

for (const name of ['Float32Array', 'Float64Array', 'Int32Array', 'Uint32Array', 'Uint8Array']) {
  const Native = globalThis[name];
  globalThis[name] = new Proxy(Native, {
    construct(target, args, newTarget) {
      const made = Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
      const onBuffer = args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer;
      if (!onBuffer) note(`new ${name}`, made.byteLength);
      return made;
    },
  });
}

const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
const slice = TypedArray.slice;
TypedArray.slice = function (...args) {
  const copy = slice.apply(this, args);
  note('slice', copy.byteLength);
  return copy;
};

process.on('exit', () => {
  const rows = [...sites].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15);
  const total = [...sites.values()].reduce((t, s) => t + s.bytes, 0);
  process.stderr.write(`external allocations ≥ ${MIN_BYTES} B from JS: ${(total / 1e6).toFixed(1)} MB in all; largest sites:\n`);
  for (const [key, s] of rows) process.stderr.write(`${(s.bytes / 1e6).toFixed(1).padStart(7)} MB ${String(s.calls).padStart(5)}× ${key}\n`);
});
