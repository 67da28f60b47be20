/** h5wasm, loaded once per thread and only when an HDF5 file is read or written. */

export type H5 = (typeof import('h5wasm/node'))['default'];
let h5Promise: Promise<H5> | undefined;

/** Loads h5wasm once; its throwing error handler turns HDF5 failures into exceptions (not just stderr). */
export async function loadH5(): Promise<H5> {
  h5Promise ??= (async () => {
    const h5 = (await import('h5wasm/node')).default;
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    return h5;
  })();
  return h5Promise;
}

/** The useful line of an h5wasm error (its messages open with a generic HDF5-DIAG banner). */
export function innermostHdf5Message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').map((l) => l.trim());
  // h5wasm's messages start with a generic "HDF5-DIAG" banner; the innermost cause is on a later line.
  return lines.filter((l) => l.length > 0 && !l.startsWith('HDF5-DIAG')).slice(-2).join(' ') || text;
}
