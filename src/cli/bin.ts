#!/usr/bin/env node
import { main } from './main.js';
import { EXIT_INTERRUPTED } from './state.js';

// `tune trials --json | head`: a closed pipe is the reader being done, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// An interrupted run has stored every trial it owned by now, but may leave work behind that it abandoned (an
// objective that ignores its signal, a dataset being generated): do not wait for that work before exiting.
if (code === EXIT_INTERRUPTED) process.exit();
