// A dossier's documents (docs/documents.md): the files an applicant
// uploads for the form's attachment fields, stored in the data directory's
// RocksDB (the "blobs-documents" table: RocksDB's blob files, so the same
// backup and the same WAL fsync cover them), sealed with the dossier's data
// key chunk by chunk, so `erase` shreds them, and addressed by the SHA-256
// of their bytes within their dossier.
//
// An upload is received a chunk at a time (never the whole file in
// memory): each chunk is hashed, sealed and written as it comes; finish()
// writes the document's record with the WAL fsynced, which makes the whole
// upload durable before it is acknowledged. An upload that never finishes
// (the connection dropped, the server killed) leaves its chunks under a
// pending marker that collect() deletes after the grace period.
//
// Keys of the table:
//   "u/<uploadId>"               a pending upload: "<dossierId> <startedMicros>"
//   "c/<uploadId>/<chunk, 8 digits>"   a sealed chunk (AES-256-GCM, associated
//                                data "<dossierId>/document/<uploadId>/<chunk>")
//   "d/<dossierId>/<sha256>"     the document: JSON {upload, size, type, chunks, at}
//
// Threads: every method may be called from any thread; one upload from one
// thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/engine/key_store.h"
#include "parcours/store/event_log.h"
#include "parcours/store/table.h"

namespace parcours::workflows {

// Bytes per sealed chunk: what an upload holds in memory. Under what one
// seal takes (engine::sealPlaintextBytesMax).
inline constexpr std::size_t documentChunkBytes = 60 * 1024;
static_assert(documentChunkBytes <= engine::sealPlaintextBytesMax);
// The bytes libmagic is shown to name the content type.
inline constexpr std::size_t documentHeadBytes = 64 * 1024;

struct StoredDocument {
  std::string dossierId;
  std::string sha256;  // lower-case hex of the bytes
  std::uint64_t size = 0;
  std::string contentType;
  std::int64_t storedAtMicros = 0;
};

// The content type the bytes say they are (libmagic, MIME type only:
// "application/pdf", "image/png", "text/plain"), from a file's first bytes.
std::string detectContentType(std::string_view head);

class DocumentStore;

// One file being received. Destroyed unfinished, it deletes what it wrote
// (what a crash leaves, collect() deletes).
class DocumentUpload {
 public:
  ~DocumentUpload();
  DocumentUpload(const DocumentUpload&) = delete;
  DocumentUpload& operator=(const DocumentUpload&) = delete;

  // Appends bytes. InvalidInput once the file is over its limit (nothing
  // more is written; destroy the upload).
  Status write(std::string_view bytes);
  // The first bytes received (up to documentHeadBytes).
  std::string_view head() const { return head_; }
  std::uint64_t size() const { return size_; }
  // Writes the last chunk and the document's record, the WAL fsynced.
  // The same bytes already stored for the dossier: that document, this
  // upload's chunks deleted.
  Result<StoredDocument> finish(const std::string& contentType);

 private:
  friend class DocumentStore;
  DocumentUpload(DocumentStore& store, std::string dossierId, std::string uploadId,
                 std::string key, std::uint64_t maxBytes);
  Status flushChunk();

  DocumentStore& store_;
  std::string dossierId_;
  std::string uploadId_;
  std::string key_;
  std::uint64_t maxBytes_;
  std::uint64_t size_ = 0;
  std::uint32_t chunks_ = 0;
  std::string pending_;  // bytes not yet sealed (< documentChunkBytes)
  std::string head_;
  struct Hasher;
  std::unique_ptr<Hasher> hasher_;
  bool finished_ = false;
};

// What `verify` found (DocumentStore::verify).
struct DocumentCheck {
  std::size_t checked = 0;    // hashed again and matching
  std::size_t shredded = 0;   // their dossier's key was erased: nothing to read
  std::vector<std::string> damaged;  // "<dossierId>/<sha256>: what is wrong"
};

class DocumentStore {
 public:
  static Result<std::unique_ptr<DocumentStore>> open(store::EventLog& log, engine::KeyStore& keys);

  // A new upload for `dossierId`, refused past `maxBytes`. RefusedByRule
  // when the dossier's key was erased.
  Result<std::unique_ptr<DocumentUpload>> begin(const std::string& dossierId,
                                                std::uint64_t maxBytes);
  Result<std::optional<StoredDocument>> find(const std::string& dossierId,
                                             const std::string& sha256) const;
  // Bytes [offset, offset + length) of the document, opened chunk by chunk
  // and handed to `sink` in order. NotFound when there is no such document
  // or its key was erased; Corruption when a chunk does not open.
  Status read(const StoredDocument& document, std::uint64_t offset, std::uint64_t length,
              const std::function<Status(std::string_view)>& sink) const;
  // Every document hashed again against its record (those whose key lives).
  Result<DocumentCheck> verify() const;
  // Deletes the uploads pending for more than `graceMicros` (cut off, or a
  // server killed) and the documents stored more than `graceMicros` ago that
  // `referenced(dossierId, sha256)` says nothing holds. Returns how many.
  Result<std::size_t> collect(
      std::int64_t nowMicros, std::int64_t graceMicros,
      const std::function<Result<bool>(const std::string&, const std::string&)>& referenced);

 private:
  friend class DocumentUpload;
  DocumentStore(std::shared_ptr<store::Table> table, engine::KeyStore& keys);
  // The upload's chunks (the first `chunks`, and with `scan` any a crash
  // left past them) and pending marker, and `alsoRemove` (a document's
  // record) in the same batch.
  Status removeUpload(const std::string& uploadId, std::uint32_t chunks, bool scan, bool durably,
                      std::string_view alsoRemove = {});
  // A dossier's records are written (finish) and collected under its lock:
  // two uploads of the same bytes keep one record, and a record refreshed
  // by a second upload is not collected under it.
  std::mutex& lockFor(const std::string& dossierId) const;

  std::shared_ptr<store::Table> table_;
  engine::KeyStore& keys_;
  mutable std::array<std::mutex, 64> locks_;
};

}  // namespace parcours::workflows
