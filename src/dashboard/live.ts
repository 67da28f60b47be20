import type { ServerResponse } from 'node:http';
import type { Storage } from '../storage/storage.js';
import { storeVersion } from '../study/queries.js';

/**
 * Server-sent events: one poll of the store's change counter (SQLite's `PRAGMA data_version`, which takes no
 * lock and starts no transaction) every `pollMs`, shared by every open page; a change is one `change` event, and
 * the page then fetches what it shows. A comment line every 15 s keeps proxies from closing idle streams.
 */
export class LiveChanges {
  readonly #storage: Storage;
  readonly #clients = new Set<ServerResponse>();
  readonly #timer: NodeJS.Timeout;
  readonly #keepAlive: NodeJS.Timeout;
  #version: number | string | undefined;
  #polling = false;

  constructor(storage: Storage, pollMs = 250) {
    this.#storage = storage;
    this.#timer = setInterval(() => void this.#poll(), pollMs);
    this.#keepAlive = setInterval(() => this.#send(': keep-alive\n\n'), 15_000);
  }

  /** Streams changes to `res` until the page goes away. */
  add(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ version: this.#version ?? null })}\n\n`);
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const v = await storeVersion(this.#storage);
      if (this.#version !== undefined && v !== this.#version) this.#send(`event: change\ndata: ${JSON.stringify({ version: v })}\n\n`);
      this.#version = v;
    } catch (e) {
      this.#send(`event: store-error\ndata: ${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n\n`);
    } finally {
      this.#polling = false;
    }
  }

  #send(chunk: string): void {
    for (const res of this.#clients) res.write(chunk);
  }

  close(): void {
    clearInterval(this.#timer);
    clearInterval(this.#keepAlive);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
