#!/usr/bin/env node
import { main } from './main.js';

// `tune trials --json | head`: a closed pipe is the reader being done, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
