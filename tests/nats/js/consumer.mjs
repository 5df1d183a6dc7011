#!/usr/bin/env node
// An integrator's consumer of parcours' JetStream events, written with the
// official NATS JavaScript client (@nats-io/jetstream 3.x over
// @nats-io/transport-node) and nothing of parcours': it proves the message
// format (docs/nats.md) can be read and checked outside C++.
//
//   node consumer.mjs --url nats://127.0.0.1:4222 --stream PARCOURS --expect N
//                     [--timeout-ms 20000] [--prefix parcours]
//
// Reads the stream from its first message with an ordered consumer until it
// has seen log position N and then to the end of what the stream holds,
// checking every message on the way:
//   - the subject is <prefix>.<campaign>.<type>.<dossier>: four tokens, each
//     "_" or bytes of [A-Za-z0-9_:-] and %XX escapes; the type token,
//     unescaped, equals Parcours-Type; a dossier token names the
//     Parcours-Stream "dossier-<dossier>", a campaign event's campaign token
//     the stream "campaign-<campaign>";
//   - the headers are there and well formed; Nats-Msg-Id is the position, or
//     "<position>-r<n>" for a re-publication;
//   - positions run 1, 2, 3… with no gap; a position seen before with the
//     same hash is a duplicate (dropped, counted), with another hash a fork;
//   - Parcours-Prev-Hash of position p equals Parcours-Hash of p-1 (64 zeros
//     for position 1);
//   - per Parcours-Stream, versions go 1, 2, 3…;
//   - the data is a Cap'n Proto message in standard framing (the segment
//     table adds up to the data's length); it is not decoded.
//
// Prints one line of JSON on stdout and exits
//   0  {"ok":true,"events":N,"lastPosition":N,"duplicates":d,"streams":s,"types":{...}}
//   1  {"ok":false,"error":"..."}                a check failed
//   2  {"ok":false,"timeout":true,"error":"..."} position N not seen in time
//                                                (or no server / no stream)
//   3  {"ok":false,"error":"usage: ..."}         bad arguments

import { connect } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";

const H = {
  position: "Parcours-Position",
  type: "Parcours-Type",
  stream: "Parcours-Stream",
  version: "Parcours-Version",
  hash: "Parcours-Hash",
  prevHash: "Parcours-Prev-Hash",
  primary: "Parcours-Primary",
  msgId: "Nats-Msg-Id",
};
const GENESIS = "0".repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const TOKEN = /^(?:[A-Za-z0-9_:-]|%[0-9A-F]{2})+$/;

function out(result, code) {
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exitCode = code;
}

class CheckFailed extends Error {}
class TimedOut extends Error {}

function fail(message) {
  throw new CheckFailed(message);
}

function usage(message) {
  out({
    ok: false,
    error: `usage: ${message}: node consumer.mjs --url nats://HOST:PORT --stream NAME --expect N ` +
      "[--timeout-ms MS] [--prefix PREFIX]",
  }, 3);
}

function parseArgs(argv) {
  const args = { url: null, stream: "PARCOURS", expect: null, timeoutMs: 20000, prefix: "parcours" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) return `${flag} needs a value`;
    i++;
    switch (flag) {
      case "--url": args.url = value; break;
      case "--stream": args.stream = value; break;
      case "--prefix": args.prefix = value; break;
      case "--expect":
        if (!DECIMAL.test(value) || Number(value) < 1) return `--expect ${value}: not a position`;
        args.expect = Number(value);
        break;
      case "--timeout-ms":
        if (!DECIMAL.test(value) || Number(value) < 1) return `--timeout-ms ${value}: not a duration`;
        args.timeoutMs = Number(value);
        break;
      default: return `unknown argument ${flag}`;
    }
  }
  if (!args.url) return "--url is required";
  if (args.expect === null) return "--expect is required";
  return args;
}

// A subject token back to the id it was made from: null for "_" (no such
// part), the bytes of the %XX escapes decoded as UTF-8 otherwise.
function unescapeToken(token, what, position) {
  if (token === "_") return null;
  if (!TOKEN.test(token)) fail(`position ${position}: malformed ${what} token "${token}" in the subject`);
  const bytes = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === "%") {
      const b = parseInt(token.slice(i + 1, i + 3), 16);
      if (/[A-Za-z0-9_:-]/.test(String.fromCharCode(b))) {
        fail(`position ${position}: ${what} token "${token}" escapes a byte that is written plain`);
      }
      bytes.push(b);
      i += 2;
    } else {
      bytes.push(token.charCodeAt(i));
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return fail(`position ${position}: ${what} token "${token}" is not UTF-8 once unescaped`);
  }
}

function header(msg, name, position) {
  const value = msg.headers?.get(name) ?? "";
  if (value === "") fail(`${position === undefined ? `stream sequence ${msg.seq}` : `position ${position}`}: no ${name} header`);
  return value;
}

// Standard Cap'n Proto framing: u32 (segments - 1), u32 size of each segment
// in words, padding to 8 bytes, then the segments. Only the sizes are read.
function checkFraming(data, position) {
  if (data.length < 8 || data.length % 8 !== 0) {
    fail(`position ${position}: data of ${data.length} bytes is not a framed Cap'n Proto message`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const segments = view.getUint32(0, true) + 1;
  const tableBytes = 4 * (1 + segments) + ((1 + segments) % 2 === 0 ? 0 : 4);
  if (segments > 512 || tableBytes > data.length) {
    fail(`position ${position}: data has a Cap'n Proto segment table of ${segments} segments that does not fit`);
  }
  let words = 0;
  for (let s = 0; s < segments; s++) words += view.getUint32(4 * (1 + s), true);
  if (tableBytes + 8 * words !== data.length) {
    fail(`position ${position}: data's Cap'n Proto segments add up to ${tableBytes + 8 * words} bytes, not ${data.length}`);
  }
}

class Checker {
  constructor(prefix) {
    this.prefix = prefix;
    this.hashes = [null]; // hashes[p]: Parcours-Hash of position p
    this.lastPosition = 0;
    this.duplicates = 0;
    this.versions = new Map(); // stream id -> last version
    this.types = {};
  }

  check(msg) {
    const positionText = header(msg, H.position);
    if (!DECIMAL.test(positionText) || positionText === "0") {
      fail(`stream sequence ${msg.seq}: ${H.position} "${positionText}" is not a position`);
    }
    const position = Number(positionText);
    if (!Number.isSafeInteger(position)) fail(`stream sequence ${msg.seq}: ${H.position} ${positionText} is too large`);

    const msgId = header(msg, H.msgId, position);
    const m = /^([0-9]+)(?:-r([0-9]+))?$/.exec(msgId);
    if (!m || m[1] !== positionText) {
      fail(`position ${position}: ${H.msgId} "${msgId}" is neither "${position}" nor "${position}-r<n>"`);
    }
    const hash = header(msg, H.hash, position);
    if (!HEX64.test(hash)) fail(`position ${position}: ${H.hash} "${hash}" is not 64 hex digits`);
    const prevHash = header(msg, H.prevHash, position);
    if (!HEX64.test(prevHash)) fail(`position ${position}: ${H.prevHash} "${prevHash}" is not 64 hex digits`);

    // A position already seen: the same event again (re-publication) or a fork.
    if (position <= this.lastPosition) {
      if (this.hashes[position] !== hash) {
        fail(`fork at position ${position}: hash ${hash} after ${this.hashes[position]}`);
      }
      this.duplicates++;
      return position;
    }
    if (position !== this.lastPosition + 1) {
      fail(`gap: position ${position} after ${this.lastPosition}`);
    }
    const expectedPrev = position === 1 ? GENESIS : this.hashes[position - 1];
    if (prevHash !== expectedPrev) {
      fail(`broken chain at position ${position}: ${H.prevHash} ${prevHash}, the hash of ${position === 1 ? "nothing" : `position ${position - 1}`} is ${expectedPrev}`);
    }

    const type = header(msg, H.type, position);
    const stream = header(msg, H.stream, position);
    const versionText = header(msg, H.version, position);
    if (!DECIMAL.test(versionText) || versionText === "0") {
      fail(`position ${position}: ${H.version} "${versionText}" is not a version`);
    }
    const version = Number(versionText);
    const previous = this.versions.get(stream) ?? 0;
    if (version !== previous + 1) {
      fail(`position ${position}: stream ${stream} at version ${version} after ${previous === 0 ? "none" : `version ${previous}`}`);
    }
    const primary = msg.headers.get(H.primary);
    if (primary !== "") {
      let url;
      try { url = new URL(primary); } catch { url = null; }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
        fail(`position ${position}: ${H.primary} "${primary}" is not an HTTP URL`);
      }
    }

    const tokens = msg.subject.split(".");
    if (tokens.length !== 4) fail(`position ${position}: subject "${msg.subject}" has ${tokens.length} tokens, not 4`);
    if (tokens[0] !== this.prefix) fail(`position ${position}: subject "${msg.subject}" does not start with ${this.prefix}.`);
    const campaign = unescapeToken(tokens[1], "campaign", position);
    const subjectType = unescapeToken(tokens[2], "type", position);
    const dossier = unescapeToken(tokens[3], "dossier", position);
    if (subjectType !== type) {
      fail(`position ${position}: subject "${msg.subject}" names the type ${subjectType}, ${H.type} is ${type}`);
    }
    if (dossier !== null && stream !== `dossier-${dossier}`) {
      fail(`position ${position}: subject "${msg.subject}" names the dossier ${dossier}, ${H.stream} is ${stream}`);
    }
    if (dossier === null && campaign !== null && stream.startsWith("campaign-") && stream !== `campaign-${campaign}`) {
      fail(`position ${position}: subject "${msg.subject}" names the campaign ${campaign}, ${H.stream} is ${stream}`);
    }

    checkFraming(msg.data, position);

    this.hashes[position] = hash;
    this.lastPosition = position;
    this.versions.set(stream, version);
    this.types[type] = (this.types[type] ?? 0) + 1;
    return position;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") return usage(args);
  const deadline = Date.now() + args.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const checker = new Checker(args.prefix);
  let nc = null;
  let messages = null;
  let timer = null;

  try {
    // The server and the stream may not be there yet: wait for both.
    for (;;) {
      try {
        nc = await connect({ servers: args.url, timeout: Math.min(left(), 2000) });
        break;
      } catch (err) {
        if (Date.now() >= deadline) throw new TimedOut(`no NATS server at ${args.url}: ${err.message}`);
        await new Promise((r) => setTimeout(r, Math.min(left(), 250)));
      }
    }
    const js = jetstream(nc);
    let consumer;
    for (;;) {
      try {
        // No name: an ordered (ephemeral, in-order, no acks) pull consumer.
        consumer = await js.consumers.get(args.stream, { deliver_policy: DeliverPolicy.All });
        break;
      } catch (err) {
        if (Date.now() >= deadline) throw new TimedOut(`no stream ${args.stream}: ${err.message}`);
        await new Promise((r) => setTimeout(r, Math.min(left(), 250)));
      }
    }

    messages = await consumer.consume({ max_messages: 256, expires: 1000 });
    let timedOut = false;
    timer = setTimeout(() => {
      timedOut = true;
      messages.stop();
    }, left());
    // Past position N, go on to the end of what the stream holds now: a
    // re-publication of an earlier position lands after later ones, and a
    // fork there must not go unseen.
    for await (const msg of messages) {
      checker.check(msg);
      if (checker.lastPosition >= args.expect && msg.info.pending === 0) break;
    }
    if (timedOut || checker.lastPosition < args.expect) {
      throw new TimedOut(`position ${args.expect} not seen within ${args.timeoutMs} ms (last position ${checker.lastPosition})`);
    }
    out({
      ok: true,
      events: checker.hashes.length - 1,
      lastPosition: checker.lastPosition,
      duplicates: checker.duplicates,
      streams: checker.versions.size,
      types: Object.fromEntries(Object.entries(checker.types).sort(([a], [b]) => a.localeCompare(b))),
    }, 0);
  } catch (err) {
    if (err instanceof CheckFailed) out({ ok: false, error: err.message }, 1);
    else if (err instanceof TimedOut) out({ ok: false, timeout: true, error: err.message }, 2);
    else out({ ok: false, error: `unexpected: ${err?.stack ?? err}` }, 1);
  } finally {
    clearTimeout(timer);
    messages?.stop();
    if (nc) await nc.close().catch(() => {});
  }
}

await main();
