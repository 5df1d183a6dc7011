#include "parcours/workflows/documents.h"

#include <magic.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "parcours/engine/clock.h"

namespace parcours::workflows {
namespace {

constexpr std::string_view documentsTable = "blobs-documents";
// Rows read per page when verifying and collecting.
constexpr std::size_t pageRows = 512;

std::string chunkKey(std::string_view uploadId, std::uint32_t chunk) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%08u", chunk);
  return "c/" + std::string(uploadId) + "/" + digits;
}
std::string pendingKey(std::string_view uploadId) { return "u/" + std::string(uploadId); }
std::string documentKey(std::string_view dossierId, std::string_view sha256) {
  return "d/" + std::string(dossierId) + "/" + std::string(sha256);
}
std::string chunkContext(std::string_view dossierId, std::string_view uploadId,
                         std::uint32_t chunk) {
  return std::string(dossierId) + "/document/" + std::string(uploadId) + "/" +
         std::to_string(chunk);
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xf];
  }
  return out;
}

std::int64_t nowMicros() { return engine::toMicros(engine::SystemClock().now()); }

// The record of a stored document, as the table keeps it.
struct Record {
  std::string uploadId;
  std::uint64_t size = 0;
  std::string contentType;
  std::uint32_t chunks = 0;
  std::int64_t at = 0;
};

std::string encodeRecord(const Record& r) {
  return nlohmann::json{{"upload", r.uploadId},
                        {"size", r.size},
                        {"type", r.contentType},
                        {"chunks", r.chunks},
                        {"at", r.at}}
      .dump();
}

Result<Record> decodeRecord(std::string_view key, std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    Record r;
    r.uploadId = j.at("upload").get<std::string>();
    r.size = j.at("size").get<std::uint64_t>();
    r.contentType = j.at("type").get<std::string>();
    r.chunks = j.at("chunks").get<std::uint32_t>();
    r.at = j.at("at").get<std::int64_t>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Error::corruption("the document record " + std::string(key) + " does not read: " +
                             e.what());
  }
}

// "d/<dossierId>/<sha256>" split; nullopt when the key is not one.
std::optional<std::pair<std::string, std::string>> splitDocumentKey(std::string_view key) {
  if (!key.starts_with("d/")) return std::nullopt;
  key.remove_prefix(2);
  const auto slash = key.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  return std::make_pair(std::string(key.substr(0, slash)), std::string(key.substr(slash + 1)));
}

}  // namespace

// libmagic's handles are not thread-safe: one per thread, loaded once.
std::string detectContentType(std::string_view head) {
  struct Magic {
    magic_t handle = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    bool loaded = handle != nullptr && magic_load(handle, nullptr) == 0;
    ~Magic() {
      if (handle != nullptr) magic_close(handle);
    }
  };
  thread_local Magic magic;
  if (!magic.loaded) return "application/octet-stream";
  const char* type = magic_buffer(magic.handle, head.data(), head.size());
  return type != nullptr ? std::string(type) : std::string("application/octet-stream");
}

struct DocumentUpload::Hasher {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Hasher() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~Hasher() { EVP_MD_CTX_free(ctx); }
};

DocumentUpload::DocumentUpload(DocumentStore& store, std::string dossierId, std::string uploadId,
                               std::string key, std::uint64_t maxBytes)
    : store_(store),
      dossierId_(std::move(dossierId)),
      uploadId_(std::move(uploadId)),
      key_(std::move(key)),
      maxBytes_(maxBytes),
      hasher_(std::make_unique<Hasher>()) {
  pending_.reserve(documentChunkBytes);
}

DocumentUpload::~DocumentUpload() {
  // The chunks it wrote are known: no scan (this may run on an event loop).
  if (!finished_) (void)store_.removeUpload(uploadId_, chunks_, false, false);
}

Status DocumentUpload::write(std::string_view bytes) {
  if (finished_) return Error::bug("write after an upload's finish");
  if (bytes.size() > maxBytes_ - std::min(size_, maxBytes_)) {
    return Error::invalidInput("the file is over the limit of " + std::to_string(maxBytes_) +
                               " bytes");
  }
  size_ += bytes.size();
  EVP_DigestUpdate(hasher_->ctx, bytes.data(), bytes.size());
  if (head_.size() < documentHeadBytes) {
    head_.append(bytes.substr(0, documentHeadBytes - head_.size()));
  }
  while (!bytes.empty()) {
    const std::size_t take = std::min(bytes.size(), documentChunkBytes - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (pending_.size() == documentChunkBytes) {
      if (auto s = flushChunk(); !s) return s;
    }
  }
  return okStatus();
}

Status DocumentUpload::flushChunk() {
  auto sealed = engine::seal(key_, pending_, chunkContext(dossierId_, uploadId_, chunks_));
  if (!sealed) return std::move(sealed).takeError();
  auto batch = store_.table_->newBatch();
  batch->put(chunkKey(uploadId_, chunks_), *sealed);
  if (auto s = store_.table_->commit(*batch); !s) return s;
  ++chunks_;
  pending_.clear();
  return okStatus();
}

Result<StoredDocument> DocumentUpload::finish(const std::string& contentType) {
  if (finished_) return Error::bug("an upload finished twice");
  if (!pending_.empty() || chunks_ == 0) {
    if (auto s = flushChunk(); !s) return s.error();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(hasher_->ctx, digest, &length);
  StoredDocument document{dossierId_, hex(digest, length), size_, contentType, nowMicros()};
  std::lock_guard lock(store_.lockFor(dossierId_));
  const std::string recordKey = documentKey(dossierId_, document.sha256);
  auto existing = store_.table_->get(recordKey);
  if (!existing) return std::move(existing).takeError();
  if (existing->has_value()) {
    // The same bytes again: one copy, its record refreshed (so collection,
    // which waits a day after a record's time, leaves it to be attached),
    // and this upload's chunks deleted, all in one batch.
    auto record = decodeRecord(recordKey, **existing);
    if (!record) return std::move(record).takeError();
    record->at = document.storedAtMicros;
    finished_ = true;
    auto batch = store_.table_->newBatch();
    batch->put(recordKey, encodeRecord(*record));
    for (std::uint32_t i = 0; i < chunks_; ++i) batch->remove(chunkKey(uploadId_, i));
    batch->remove(pendingKey(uploadId_));
    if (auto s = store_.table_->commitDurably(*batch); !s) return s.error();
    document.size = record->size;
    document.contentType = record->contentType;
    return document;
  }
  auto batch = store_.table_->newBatch();
  batch->put(recordKey,
             encodeRecord({uploadId_, size_, contentType, chunks_, document.storedAtMicros}));
  batch->remove(pendingKey(uploadId_));
  // Synced: the chunks before it are in the same write-ahead log.
  if (auto s = store_.table_->commitDurably(*batch); !s) return s.error();
  finished_ = true;
  return document;
}

DocumentStore::DocumentStore(std::shared_ptr<store::Table> table, engine::KeyStore& keys)
    : table_(std::move(table)), keys_(keys) {}

std::mutex& DocumentStore::lockFor(const std::string& dossierId) const {
  return locks_[std::hash<std::string>{}(dossierId) % locks_.size()];
}

Result<std::unique_ptr<DocumentStore>> DocumentStore::open(store::EventLog& log,
                                                           engine::KeyStore& keys) {
  auto table = log.openTable(documentsTable);
  if (!table) return std::move(table).takeError();
  return std::unique_ptr<DocumentStore>(new DocumentStore(std::move(table).value(), keys));
}

Result<std::unique_ptr<DocumentUpload>> DocumentStore::begin(const std::string& dossierId,
                                                             std::uint64_t maxBytes) {
  auto key = keys_.keyFor(dossierId);
  if (!key) return std::move(key).takeError();
  unsigned char random[12];
  if (RAND_bytes(random, sizeof random) != 1) {
    return Error::ioError("no randomness for an upload's id (OpenSSL RAND_bytes failed)");
  }
  const std::string uploadId = hex(random, sizeof random);
  auto batch = table_->newBatch();
  batch->put(pendingKey(uploadId), dossierId + " " + std::to_string(nowMicros()));
  if (auto s = table_->commit(*batch); !s) return s.error();
  return std::unique_ptr<DocumentUpload>(
      new DocumentUpload(*this, dossierId, uploadId, std::move(key).value(), maxBytes));
}

Result<std::optional<StoredDocument>> DocumentStore::find(const std::string& dossierId,
                                                          const std::string& sha256) const {
  const std::string key = documentKey(dossierId, sha256);
  auto row = table_->get(key);
  if (!row) return std::move(row).takeError();
  if (!row->has_value()) return std::optional<StoredDocument>();
  auto record = decodeRecord(key, **row);
  if (!record) return std::move(record).takeError();
  return std::optional<StoredDocument>(
      StoredDocument{dossierId, sha256, record->size, record->contentType, record->at});
}

Status DocumentStore::read(const StoredDocument& document, std::uint64_t offset,
                           std::uint64_t length,
                           const std::function<Status(std::string_view)>& sink) const {
  const std::string recordKey = documentKey(document.dossierId, document.sha256);
  auto row = table_->get(recordKey);
  if (!row) return row.error();
  if (!row->has_value()) {
    return Error::notFound("no document " + document.sha256 + " in dossier " + document.dossierId);
  }
  auto record = decodeRecord(recordKey, **row);
  if (!record) return record.error();
  auto key = keys_.find(document.dossierId);
  if (!key) return key.error();
  if (!key->has_value()) {
    return Error::notFound("the documents of dossier " + document.dossierId +
                           " were erased (its key is destroyed)");
  }
  if (offset > record->size) offset = record->size;
  const std::uint64_t end = length > record->size - offset ? record->size : offset + length;
  for (std::uint64_t chunk = offset / documentChunkBytes; offset < end; ++chunk) {
    const auto index = static_cast<std::uint32_t>(chunk);
    const std::string ck = chunkKey(record->uploadId, index);
    auto sealed = table_->get(ck);
    if (!sealed) return sealed.error();
    if (!sealed->has_value()) {
      return Error::corruption("document " + document.sha256 + " of dossier " +
                               document.dossierId + ": chunk " + std::to_string(index) +
                               " is missing");
    }
    auto plain =
        engine::openSealed(**key, **sealed, chunkContext(document.dossierId, record->uploadId, index));
    if (!plain) {
      return Error::corruption("document " + document.sha256 + " of dossier " +
                               document.dossierId + ": chunk " + std::to_string(index) +
                               " does not open: " + plain.error().message);
    }
    const std::uint64_t chunkStart = chunk * documentChunkBytes;
    const std::uint64_t from = offset - chunkStart;
    if (from >= plain->size()) {
      return Error::corruption("document " + document.sha256 + " of dossier " +
                               document.dossierId + " is shorter than its record says");
    }
    const std::uint64_t take = std::min<std::uint64_t>(plain->size() - from, end - offset);
    if (auto s = sink(std::string_view(*plain).substr(from, take)); !s) return s;
    offset += take;
  }
  return okStatus();
}

Result<DocumentCheck> DocumentStore::verify() const {
  DocumentCheck check;
  std::string after;
  for (;;) {
    auto rows = table_->scan("d/", after, pageRows);
    if (!rows) return std::move(rows).takeError();
    for (const auto& [key, value] : *rows) {
      auto ids = splitDocumentKey(key);
      if (!ids) {
        check.damaged.push_back(key + ": not a document's key");
        continue;
      }
      auto record = decodeRecord(key, value);
      if (!record) {
        check.damaged.push_back(ids->first + "/" + ids->second + ": " + record.error().message);
        continue;
      }
      auto erased = keys_.erased(ids->first);
      if (!erased) return std::move(erased).takeError();
      if (*erased) {
        ++check.shredded;
        continue;
      }
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
      std::uint64_t size = 0;
      const StoredDocument document{ids->first, ids->second, record->size, record->contentType,
                                    record->at};
      Status read = this->read(document, 0, record->size, [&](std::string_view bytes) {
        EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
        size += bytes.size();
        return okStatus();
      });
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      EVP_DigestFinal_ex(ctx, digest, &length);
      EVP_MD_CTX_free(ctx);
      const std::string name = ids->first + "/" + ids->second;
      if (!read) {
        check.damaged.push_back(name + ": " + read.error().message);
      } else if (size != record->size) {
        check.damaged.push_back(name + ": " + std::to_string(size) + " bytes, the record says " +
                                std::to_string(record->size));
      } else if (hex(digest, length) != ids->second) {
        check.damaged.push_back(name + ": the bytes hash to " + hex(digest, length));
      } else {
        ++check.checked;
      }
    }
    if (rows->size() < pageRows) break;
    after = rows->back().first;
  }
  return check;
}

Status DocumentStore::removeUpload(const std::string& uploadId, std::uint32_t chunks, bool scan,
                                   bool durably, std::string_view alsoRemove) {
  auto batch = table_->newBatch();
  if (!alsoRemove.empty()) batch->remove(alsoRemove);
  for (std::uint32_t i = 0; i < chunks; ++i) batch->remove(chunkKey(uploadId, i));
  // A crash may have left chunks past the count this process knew of (the
  // count of a pending upload is not recorded): found page by page, a few
  // chunks in memory at a time.
  for (std::string after = chunks == 0 ? "" : chunkKey(uploadId, chunks - 1); scan;) {
    constexpr std::size_t page = 16;
    auto rows = table_->scan("c/" + uploadId + "/", after, page);
    if (!rows) return rows.error();
    for (const auto& row : *rows) batch->remove(row.first);
    if (rows->size() < page) break;
    after = rows->back().first;
  }
  batch->remove(pendingKey(uploadId));
  return durably ? table_->commitDurably(*batch) : table_->commit(*batch);
}

Result<std::size_t> DocumentStore::collect(
    std::int64_t now, std::int64_t graceMicros,
    const std::function<Result<bool>(const std::string&, const std::string&)>& referenced) {
  std::size_t collected = 0;
  // Uploads never finished.
  std::vector<std::string> stale;
  std::string after;
  for (;;) {
    auto rows = table_->scan("u/", after, pageRows);
    if (!rows) return std::move(rows).takeError();
    for (const auto& [key, value] : *rows) {
      const auto space = value.rfind(' ');
      std::int64_t started = 0;
      try {
        started = std::stoll(value.substr(space == std::string::npos ? 0 : space + 1));
      } catch (const std::exception&) {
        started = 0;  // unreadable: as old as can be
      }
      if (started < now - graceMicros) stale.push_back(key.substr(2));
    }
    if (rows->size() < pageRows) break;
    after = rows->back().first;
  }
  for (const std::string& uploadId : stale) {
    if (auto s = removeUpload(uploadId, 0, true, false); !s) return s.error();
    ++collected;
  }
  // Documents nothing holds (a draft abandoned, a document detached).
  after.clear();
  for (;;) {
    auto rows = table_->scan("d/", after, pageRows);
    if (!rows) return std::move(rows).takeError();
    for (const auto& [key, value] : *rows) {
      auto ids = splitDocumentKey(key);
      auto record = decodeRecord(key, value);
      if (!ids || !record || record->at >= now - graceMicros) continue;
      // Under the dossier's lock, read again: an upload of the same bytes
      // since refreshed it.
      std::lock_guard lock(lockFor(ids->first));
      auto current = table_->get(key);
      if (!current) return std::move(current).takeError();
      if (!current->has_value()) continue;
      auto fresh = decodeRecord(key, **current);
      if (!fresh || fresh->at >= now - graceMicros) continue;
      auto held = referenced(ids->first, ids->second);
      if (!held) return std::move(held).takeError();
      if (*held) continue;
      // The record and its chunks in one batch: never a record without them.
      if (auto s = removeUpload(fresh->uploadId, fresh->chunks, false, true, key); !s) {
        return s.error();
      }
      ++collected;
    }
    if (rows->size() < pageRows) break;
    after = rows->back().first;
  }
  return collected;
}

}  // namespace parcours::workflows
