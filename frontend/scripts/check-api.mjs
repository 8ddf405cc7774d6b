#!/usr/bin/env node
// Checks the typed client against a running gateway: every path (and method) the client calls must be
// in the gateway's merged /api/openapi.json. Not part of `npm test`: it needs the system running.
//
//   npm run check-api                      # http://127.0.0.1:$SHELFSPACE_PORT (default 8080)
//   SHELFSPACE_URL=http://host:8080 npm run check-api
//   npm run check-api -- ./openapi.json    # a saved document instead of a live gateway
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'api');

/** Every `/api/...` literal in the client modules, with the HTTP method of the call it sits in. */
export function clientCalls(source, file) {
  const calls = [];
  const literal = /([`'])(\/api\/[^`'?]*)(?:\?[^`']*)?\1/g;
  for (const match of source.matchAll(literal)) {
    const rest = source.slice(match.index + match[0].length);
    const end = rest.search(/\n\s*(?:export |\}\n)|request[<(]/);
    const callTail = end === -1 ? rest : rest.slice(0, end);
    const method = /method:\s*'([A-Z]+)'/.exec(callTail)?.[1] ?? 'GET';
    calls.push({ method, path: match[2], template: normalize(match[2]), file });
  }
  return calls;
}

/** `/api/media/${seg(id)}` and `/api/media/{media_id}` both become `/api/media/{}`. */
export function normalize(path) {
  return path.replace(/\$\{[^}]*\}/g, '{}').replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
}

async function loadDocument() {
  const file = process.argv[2];
  if (file) return JSON.parse(readFileSync(file, 'utf8'));
  const base = process.env.SHELFSPACE_URL ?? `http://127.0.0.1:${process.env.SHELFSPACE_PORT ?? '8080'}`;
  const url = `${base.replace(/\/$/, '')}/api/openapi.json`;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new Error(`Cannot reach ${url} (${error.cause?.code ?? error.message}). Start the system first.`);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}.`);
  return response.json();
}

/** The calls of every client module in src/api (tests excluded). */
export function readClientCalls() {
  const files = readdirSync(apiDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  return files.flatMap((f) => clientCalls(readFileSync(join(apiDir, f), 'utf8'), f));
}

async function main() {
  const calls = readClientCalls();
  const document = await loadDocument();
  const served = new Map();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    const methods = new Set(Object.keys(operations).map((m) => m.toUpperCase()));
    const key = normalize(path);
    served.set(key, new Set([...(served.get(key) ?? []), ...methods]));
  }
  const problems = [];
  const seen = new Set();
  for (const call of calls) {
    const id = `${call.method} ${call.template}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const methods = served.get(call.template);
    if (!methods) problems.push(`${id}  (${call.file}): path not in openapi.json`);
    else if (!methods.has(call.method)) problems.push(`${id}  (${call.file}): path served, but not for ${call.method}`);
  }
  console.log(`Checked ${seen.size} client calls against ${served.size} documented paths.`);
  if (problems.length) {
    console.error(`${problems.length} call(s) the gateway does not document:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('Every call the client makes is documented.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(2);
  });
}
