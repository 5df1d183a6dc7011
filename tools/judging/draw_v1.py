#!/usr/bin/env python3
"""Re-runs a recorded juror draw, version 1, without parcours's code.

An independent implementation of the algorithm docs/judging.md specifies
("The draw, version 1"), written from that text, for auditors: if it gives
the recorded draw, the document is enough to check a draw and the engine
followed it.

    parcours --data DIR judging draw CAMPAIGN --json | python3 tools/judging/draw_v1.py

Reads the JSON of `parcours judging draw --json` (the commitment, the revealed
seed, the canonical inputs and the recorded draw), checks that the seed's
SHA-256 is the commitment and the inputs' SHA-256 the recorded inputs hash,
re-runs the draw and compares it with the recorded one. Exit 0 when all
three hold, 1 otherwise, saying which.
"""
import hashlib
import json
import sys
from collections import deque

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    """xoshiro256** (Blackman and Vigna), seeded with 32 bytes as 4 LE words."""

    def __init__(self, seed32):
        self.s = [int.from_bytes(seed32[i * 8:i * 8 + 8], "little") for i in range(4)]

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, n):
        """Uniform in [0, n): draw until r >= 2^64 mod n, then r mod n."""
        threshold = (2**64 - n) % n
        while True:
            r = self.next()
            if r >= threshold:
                return r % n


def read_field(line, at):
    """A length-prefixed field "<len>:<text>" at `at`; returns (text, next)."""
    colon = line.index(":", at)
    length = int(line[at:colon])
    start = colon + 1
    raw = line.encode()
    # Lengths count bytes: slice the bytes, then come back to a str index.
    prefix = len(line[:start].encode())
    text = raw[prefix:prefix + length].decode()
    return text, start + len(text)


def parse_canonical(text):
    lines = text.split("\n")
    assert lines[0].startswith("parcours-assignment-v"), lines[0]
    version = int(lines[0][len("parcours-assignment-v"):])
    k = int(lines[1].split(" ")[1])
    expertise = lines[2].split(" ")[1] == "required"
    jurors, dossiers, exclusions = {}, {}, set()
    for line in lines[3:]:
        if not line:
            continue
        kind = line[:line.index(" ")]
        at = len(kind) + 1
        if kind == "exclusion":
            juror, at = read_field(line, at)
            dossier, at = read_field(line, at + 1)
            exclusions.add((juror, dossier))
            continue
        ident, at = read_field(line, at)
        assert line[at:at + 6] == " tags ", line
        at += 6
        space = line.find(" ", at)
        count = int(line[at:] if space < 0 else line[at:space])
        at = space + 1
        tags = []
        for _ in range(count):
            tag, at = read_field(line, at)
            at += 1
            tags.append(tag)
        (jurors if kind == "juror" else dossiers)[ident] = tags
    return version, k, expertise, jurors, dossiers, exclusions


def draw(canonical, seed):
    version, k, expertise, jurors, dossiers, exclusions = parse_canonical(canonical)
    if version != 1:
        raise SystemExit(f"this script runs version 1, the draw is version {version}")
    inputs_hash = hashlib.sha256(canonical.encode()).hexdigest()
    J, D = sorted(jurors), sorted(dossiers)

    def can_judge(j, d):
        if (J[j], D[d]) in exclusions:
            return False
        if expertise and dossiers[D[d]]:
            return bool(set(jurors[J[j]]) & set(dossiers[D[d]]))
        return True

    rng = Xoshiro256StarStar(hashlib.sha256(
        b"parcours-assignment-v1\n" + seed.encode() + b"\n" + inputs_hash.encode()).digest())
    order = list(range(len(D)))
    for i in range(len(order), 1, -1):
        r = rng.below(i)
        order[i - 1], order[r] = order[r], order[i - 1]
    loads = [0] * len(J)
    on = [[] for _ in D]
    for d in order:
        candidates = sorted((loads[j], rng.next(), j) for j in range(len(J)) if can_judge(j, d))
        for _, _, j in candidates[:k]:
            on[d].append(j)
            loads[j] += 1
    # Chains of moves, breadth first, from a most-loaded juror to one at
    # least two below it, until every load is within one of every other.
    while max(loads) - min(loads) > 1:
        moved = False
        for giver in range(len(J)):
            if loads[giver] != max(loads):
                continue
            held = [[d for d in range(len(D)) if j in on[d]] for j in range(len(J))]
            reached, seen, queue, chain = {}, {giver}, deque([giver]), None
            while queue and chain is None:
                source = queue.popleft()
                for d in held[source]:
                    for taker in range(len(J)):
                        if taker in seen or not can_judge(taker, d) or taker in on[d]:
                            continue
                        seen.add(taker)
                        reached[taker] = (source, taker, d)
                        if loads[taker] + 2 <= loads[giver]:
                            chain, at = [], taker
                            while at != giver:
                                chain.append(reached[at])
                                at = reached[at][0]
                            break
                        queue.append(taker)
                    if chain is not None:
                        break
            if chain:
                for source, taker, d in chain:
                    on[d][on[d].index(source)] = taker
                    loads[source] -= 1
                    loads[taker] += 1
                moved = True
                break
        if not moved:
            raise SystemExit("the loads cannot be balanced within one")
    return inputs_hash, {D[d]: sorted(J[j] for j in on[d]) for d in range(len(D))}


def main():
    report = json.load(sys.stdin)
    drawn = report.get("draw")
    if not drawn or "canonical_inputs" not in drawn:
        raise SystemExit("no draw recorded in this campaign")
    seed_ok = hashlib.sha256(drawn["seed"].encode()).hexdigest() == \
        report["commitment"]["seed_commitment"]
    inputs_hash, assignment = draw(drawn["canonical_inputs"], drawn["seed"])
    hash_ok = inputs_hash == drawn["inputs_hash"]
    draw_ok = assignment == drawn["recorded"]
    print(f"seed's SHA-256 is the commitment: {'yes' if seed_ok else 'NO'}")
    print(f"inputs hash to the recorded hash: {'yes' if hash_ok else 'NO'}")
    print(f"re-run gives the recorded draw of {len(assignment)} dossiers: "
          f"{'yes' if draw_ok else 'NO'}")
    sys.exit(0 if seed_ok and hash_ok and draw_ok else 1)


if __name__ == "__main__":
    main()
