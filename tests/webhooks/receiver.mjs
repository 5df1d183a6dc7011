// A webhook receiver for the tests, written against the Standard Webhooks
// specification alone, with Node's built-ins only (http, crypto): the
// independent implementation that checks parcours's signatures.
//
//   node receiver.mjs [--seed N]
// Listens on 127.0.0.1 on a free port and prints {"port": N} on its first
// line of stdout. Every path is an endpoint, configured by the test:
//   POST /control/configure {"path", "secret", "mode": "ok"|"flaky"|"dead", "failRate"}
//   GET  /control/log?path=P  -> {"accepted": [...], "rejected": [...], "attempts": N}
// A delivery whose signature does not verify gets 401 and is recorded as
// rejected; a "flaky" endpoint then fails at random (500, 503 or a dropped
// connection) with probability failRate; a "dead" one always answers 500.
//
//   node receiver.mjs --check SECRET ID TIMESTAMP SIGNATURE BODYFILE
// Exits 0 when the signature verifies, 1 when it does not.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

// The specification's check: base64 HMAC-SHA256, keyed with the base64
// part of "whsec_...", over "id.timestamp.body"; the header holds
// space-separated "v1,<signature>" entries, any of which may match.
export function verify(secret, id, timestamp, body, header) {
  if (typeof secret !== 'string' || !secret.startsWith('whsec_')) return false;
  if (!id || !timestamp || !header) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(body)]))
    .digest();
  for (const entry of header.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}

const args = process.argv.slice(2);
if (args[0] === '--check') {
  const [, secret, id, timestamp, signature, bodyFile] = args;
  process.exit(verify(secret, id, timestamp, readFileSync(bodyFile), signature) ? 0 : 1);
}

// A seeded generator (mulberry32), so a failing run can be replayed.
let seed = Number(args[args.indexOf('--seed') + 1] ?? 0) >>> 0;
if (args.indexOf('--seed') < 0) seed = (Date.now() ^ process.pid) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const endpoints = new Map();
function endpoint(path) {
  if (!endpoints.has(path)) {
    endpoints.set(path, { secret: '', mode: 'ok', failRate: 0, accepted: [], rejected: [], attempts: 0 });
  }
  return endpoints.get(path);
}

function reply(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, 'http://receiver');
    if (url.pathname === '/control/configure') {
      const c = JSON.parse(body.toString());
      Object.assign(endpoint(c.path), {
        secret: c.secret ?? endpoint(c.path).secret,
        mode: c.mode ?? endpoint(c.path).mode,
        failRate: c.failRate ?? endpoint(c.path).failRate,
      });
      return reply(res, 200, { ok: true });
    }
    if (url.pathname === '/control/log') {
      const e = endpoint(url.searchParams.get('path'));
      return reply(res, 200, { accepted: e.accepted, rejected: e.rejected, attempts: e.attempts });
    }
    const e = endpoint(url.pathname);
    e.attempts++;
    const id = req.headers['webhook-id'];
    const timestamp = req.headers['webhook-timestamp'];
    const signature = req.headers['webhook-signature'];
    const age = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (!verify(e.secret, id, timestamp, body, signature) || !(age < 300)) {
      e.rejected.push({ id: id ?? '', signature: signature ?? '' });
      return reply(res, 401, { error: 'bad signature' });
    }
    if (e.mode === 'dead') return reply(res, 500, { error: 'dead' });
    if (e.mode === 'flaky' && random() < e.failRate) {
      const how = random();
      if (how < 0.5) return reply(res, 500, { error: 'random failure' });
      if (how < 0.75) return reply(res, 503, { error: 'random failure' });
      return req.socket.destroy();  // no answer at all
    }
    let event;
    try {
      event = JSON.parse(body.toString());
    } catch {
      e.rejected.push({ id, signature, why: 'not JSON' });
      return reply(res, 400, { error: 'not JSON' });
    }
    e.accepted.push({ id, position: Number(event.position), streamId: event.streamId, type: event.type });
    return reply(res, 200, { ok: true });
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port, seed }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
