// Crypto-shredding for GDPR erasure: the personal data in event payloads is
// sealed with a per-subject data key (a subject is a dossier), the keys live
// in a key store of their own, and erasing a subject destroys its key. The
// event log stays append-only and immutable, and so do its backups: without
// the key their sealed bytes can no longer be read, by anyone, ever.
//
// The key store is its own RocksDB database (e.g. DATA/keys), never inside
// the log's directory, so copying or backing up the log never copies a key.
//
// Durable format (one RocksDB database, default column family only, values
// uncompressed):
//   "meta/format"        -> "1"
//   "key/" + subject     -> the subject's data key, dataKeyBytes random bytes
//   "erased/" + subject  -> "erased" (no key material); kept forever, so an
//                           erased subject never gets a new key
//   "purge/" + subject   -> "" while the physical deletion of that subject's
//                           key is not yet known to be complete
//
// What erase() guarantees: when it returns OK, the key's bytes are in no live
// file of the key store's directory: not in a table file (SST), not in a
// write-ahead log (WAL). A logical delete alone would leave them in both for
// a long time, so erase() also:
//   1. flushes the memtable: its contents, the key included, move to a table
//      file and RocksDB switches to a new WAL; with a single column family
//      every older WAL (where the key was written) becomes obsolete;
//   2. compacts the whole key range into the bottommost level, forcing even
//      the bottommost files to be rewritten: with no snapshot open, the
//      deleted key and then the delete marker itself are dropped, and every
//      table file that held them becomes obsolete;
//   3. runs RocksDB's full scan for obsolete files synchronously (it runs
//      when file deletions are re-enabled), so they are unlinked before
//      erase() returns rather than at the next background job.
// The options make this hold: WAL recycling off (a recycled WAL keeps its
// old bytes past its new tail), WAL_ttl_seconds = WAL_size_limit_MB = 0 (an
// obsolete WAL is deleted, not archived), no SstFileManager (its throttled
// deletion renames files to *.trash and deletes them later) and no
// compression (random keys do not compress; plain bytes also keep the test
// that searches every file for a key meaningful).
// A crash in the middle leaves the "purge/" marker; open() finishes the job.
// A read running during the erase may pin an old table file a moment longer;
// the full scan in the next erase, in open() after a crash, or in close
// deletes it.
//
// Limits of that guarantee, beyond RocksDB: files are unlinked, not
// overwritten, so their blocks stay on the device until reused (SSD wear
// levelling, copy-on-write filesystems and snapshots keep more); use an
// encrypted filesystem for the key store. Backups of the key store itself
// must not outlive the erasure delay you promise. Keys handed out before
// the erasure stay in their callers' memory until those drop them.
//
// Threads: every KeyStore method may be called from any thread. Creating a
// key and erasing one are serialized, so two first uses of a subject get the
// same key and no key is created after the subject's erasure is recorded.
//
// Keys are never logged, and never appear in an Error's message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "parcours/store/limits.h"
#include "parcours/store/result.h"

namespace parcours::engine {

// AES-256: a data key is 256 bits.
inline constexpr std::size_t dataKeyBytes = 32;
// Subjects are dossier ids, which are stream ids.
inline constexpr std::size_t subjectBytesMax = limits::streamIdBytesMax;

class KeyStore {
 public:
  virtual ~KeyStore() = default;

  // Opens or creates the key store at `path` (its own directory, separate
  // from the log's). Every write is synced before it is acknowledged.
  // Finishes any erasure a crash interrupted. IoError when RocksDB cannot
  // open it, Corruption when it is not a key store of a known format.
  static Result<std::unique_ptr<KeyStore>> open(const std::string& path);

  // The subject's data key, created at random (OpenSSL RAND_bytes) and
  // stored durably on first use. RefusedByRule if the subject was erased.
  // InvalidInput if the subject is empty or over subjectBytesMax.
  virtual Result<std::string> keyFor(std::string_view subject) = 0;

  // The subject's data key; nullopt when it has none (never had one, or
  // was erased). Never creates one.
  virtual Result<std::optional<std::string>> find(std::string_view subject) const = 0;

  // Whether the subject's erasure was recorded.
  virtual Result<bool> erased(std::string_view subject) const = 0;

  // Destroys the subject's key for good and records the erasure, then makes
  // the deletion physical (see the top of this file); slow (a flush and a
  // full compaction), meant for an administrator's request, not a hot path.
  // Idempotent: erasing again, or a subject that never had a key, records
  // the erasure and redoes the physical step.
  virtual Status erase(std::string_view subject) = 0;

  // A consistent image of the key store in `dir` (must not exist), taken
  // while it is in use: for `parcours backup` (engine/backup.h).
  virtual Status checkpointTo(const std::string& dir) = 0;
};

// Authenticated encryption of one field: AES-256-GCM with a random 96-bit
// nonce and a 128-bit tag. Sealed format:
//   version byte 0x01 | nonce (12 bytes) | ciphertext | tag (16 bytes)
// The tag also covers the version byte and `context`, the associated data
// naming where the value belongs (e.g. "dossier-7/contact"): a sealed value
// copied to another subject or field no longer opens.
// With random nonces one key must seal fewer than 2^32 values; a key is per
// dossier, so that is far away.
inline constexpr std::uint8_t sealedVersion = 0x01;
inline constexpr std::size_t sealNonceBytes = 12;
inline constexpr std::size_t sealTagBytes = 16;
inline constexpr std::size_t sealOverheadBytes = 1 + sealNonceBytes + sealTagBytes;
// A sealed field lives in an event payload.
inline constexpr std::size_t sealPlaintextBytesMax = limits::payloadBytesMax - sealOverheadBytes;
inline constexpr std::size_t sealContextBytesMax = 1024;
static_assert(sealPlaintextBytesMax + sealOverheadBytes <= limits::payloadBytesMax);

// InvalidInput when the key is not dataKeyBytes long, the context is empty
// (a value must be bound to where it belongs) or a size is over its limit.
Result<std::string> seal(std::string_view key, std::string_view plaintext,
                         std::string_view context);

// The plaintext of `sealed`. Corruption when the tag does not verify: wrong
// key (e.g. the subject's key was erased and another was tried), wrong
// context, altered bytes. InvalidInput when `sealed` is shorter than
// sealOverheadBytes, of an unknown version, or key or sizes are invalid.
Result<std::string> openSealed(std::string_view key, std::string_view sealed,
                               std::string_view context);

}  // namespace parcours::engine
