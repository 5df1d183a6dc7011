// The key store on its own RocksDB database, and AES-256-GCM sealing.
#include "parcours/engine/key_store.h"

#include "parcours/store/private_directory.h"

#include <filesystem>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <mutex>
#include <vector>

namespace parcours::engine {
namespace {

constexpr std::string_view formatKey = "meta/format";
constexpr std::string_view formatVersion = "1";
constexpr std::string_view keyPrefix = "key/";
constexpr std::string_view erasedPrefix = "erased/";
constexpr std::string_view purgePrefix = "purge/";
constexpr std::string_view erasedValue = "erased";

std::string prefixed(std::string_view prefix, std::string_view subject) {
  std::string key;
  key.reserve(prefix.size() + subject.size());
  key.append(prefix).append(subject);
  return key;
}

rocksdb::Slice slice(std::string_view s) {
  return {s.data(), s.size()};
}

Error fromRocks(const rocksdb::Status& status, std::string_view doing) {
  std::string message = "key store: " + std::string(doing) + ": " + status.ToString();
  if (status.IsCorruption()) return Error::corruption(std::move(message));
  return Error::ioError(std::move(message));
}

Status validateSubject(std::string_view subject) {
  if (subject.empty()) return Error::invalidInput("a key store subject must not be empty");
  if (subject.size() > subjectBytesMax) {
    return Error::invalidInput("key store subject of " + std::to_string(subject.size()) +
                               " bytes, over the limit of " + std::to_string(subjectBytesMax));
  }
  return okStatus();
}

rocksdb::Options keyStoreOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.keep_log_file_num = 5;
  options.max_background_jobs = 2;
  // The rest is what erase() relies on to leave no copy of a key behind: see
  // key_store.h. All but compression are RocksDB 7.8's defaults, set anyway
  // so a change of default cannot silently weaken erasure.
  options.recycle_log_file_num = 0;
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  options.sst_file_manager = nullptr;
  options.compression = rocksdb::kNoCompression;
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  return options;
}

class RocksKeyStore final : public KeyStore {
 public:
  explicit RocksKeyStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {
    sync_.sync = true;
  }

  ~RocksKeyStore() override {
    // Every write was synced when acknowledged, so a failed close loses
    // nothing; Close() also deletes any obsolete file a read still pinned.
    (void)db_->Close();
  }

  Status checkpointTo(const std::string& dir) override {
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
    if (!s.ok()) return fromRocks(s, "preparing a checkpoint of the key store");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    s = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
    if (!s.ok()) return fromRocks(s, "checkpointing the key store into " + dir);
    return okStatus();
  }

  Status start(const std::string& path) {
    std::string format;
    rocksdb::Status s = db_->Get({}, slice(formatKey), &format);
    if (s.IsNotFound()) {
      s = db_->Put(sync_, slice(formatKey), slice(formatVersion));
      if (!s.ok()) return fromRocks(s, "writing the format of " + path);
    } else if (!s.ok()) {
      return fromRocks(s, "reading the format of " + path);
    } else if (format != formatVersion) {
      return Error::corruption("the key store at " + path + " has format \"" + format +
                               "\", this parcours reads format " + std::string(formatVersion));
    }
    return finishInterruptedErasures();
  }

  Result<std::string> keyFor(std::string_view subject) override {
    auto existing = find(subject);
    if (!existing) return std::move(existing).takeError();
    if (existing->has_value()) return std::move(**existing);

    // Checked again under the lock: another thread may have created the key
    // or recorded the erasure since.
    std::lock_guard lock(writeMutex_);
    auto gone = erased(subject);
    if (!gone) return std::move(gone).takeError();
    if (*gone) {
      return Error::refused("subject \"" + std::string(subject) +
                            "\" was erased: its data key is destroyed and it never gets another");
    }
    existing = find(subject);
    if (!existing) return std::move(existing).takeError();
    if (existing->has_value()) return std::move(**existing);

    std::string key(dataKeyBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) !=
        1) {
      ERR_clear_error();
      return Error::ioError("the system's random generator failed to make a data key for \"" +
                            std::string(subject) + "\"");
    }
    rocksdb::Status s = db_->Put(sync_, prefixed(keyPrefix, subject), key);
    if (!s.ok()) {
      OPENSSL_cleanse(key.data(), key.size());
      return fromRocks(s, "storing the data key of \"" + std::string(subject) + "\"");
    }
    return key;
  }

  Result<std::optional<std::string>> find(std::string_view subject) const override {
    if (auto v = validateSubject(subject); !v) return v.error();
    std::string key;
    rocksdb::Status s = db_->Get({}, prefixed(keyPrefix, subject), &key);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return fromRocks(s, "reading the data key of \"" + std::string(subject) + "\"");
    if (key.size() != dataKeyBytes) {
      return Error::corruption("the stored data key of \"" + std::string(subject) + "\" is " +
                               std::to_string(key.size()) + " bytes, not " +
                               std::to_string(dataKeyBytes));
    }
    return std::optional<std::string>(std::move(key));
  }

  Result<bool> erased(std::string_view subject) const override {
    if (auto v = validateSubject(subject); !v) return v.error();
    std::string marker;
    rocksdb::Status s = db_->Get({}, prefixed(erasedPrefix, subject), &marker);
    if (s.IsNotFound()) return false;
    if (!s.ok()) return fromRocks(s, "reading the erasure of \"" + std::string(subject) + "\"");
    return true;
  }

  Status erase(std::string_view subject) override {
    if (auto v = validateSubject(subject); !v) return v;
    const std::string who = "\"" + std::string(subject) + "\"";
    {
      std::lock_guard lock(writeMutex_);
      // One batch: no reader ever sees the key gone without the erasure
      // recorded, and the purge marker survives a crash before the purge.
      rocksdb::WriteBatch batch;
      batch.Delete(prefixed(keyPrefix, subject));
      batch.Put(prefixed(erasedPrefix, subject), slice(erasedValue));
      batch.Put(prefixed(purgePrefix, subject), rocksdb::Slice());
      rocksdb::Status s = db_->Write(sync_, &batch);
      if (!s.ok()) return fromRocks(s, "recording the erasure of " + who);
    }
    if (auto p = purge(); !p) return p;
    rocksdb::Status s = db_->Delete(sync_, prefixed(purgePrefix, subject));
    if (!s.ok()) return fromRocks(s, "closing the erasure of " + who);
    return okStatus();
  }

 private:
  // Makes every logical delete so far physical (steps 1-3 in key_store.h).
  Status purge() {
    // One purge at a time: they would only repeat each other's work, and
    // file deletions are disabled and re-enabled in pairs.
    std::lock_guard lock(purgeMutex_);
    rocksdb::FlushOptions flush;
    flush.wait = true;
    rocksdb::Status s = db_->Flush(flush);
    if (!s.ok()) return fromRocks(s, "flushing before an erasure");

    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    s = db_->CompactRange(compact, nullptr, nullptr);
    if (!s.ok()) return fromRocks(s, "compacting for an erasure");

    // Re-enabling deletions runs the full scan for obsolete files and
    // deletes them on this thread, before we report the key gone.
    s = db_->DisableFileDeletions();
    if (!s.ok()) return fromRocks(s, "pausing file deletions for an erasure");
    s = db_->EnableFileDeletions(/*force=*/false);
    if (!s.ok()) return fromRocks(s, "deleting the files an erasure made obsolete");
    return okStatus();
  }

  // A crash between recording an erasure and its purge leaves the key's
  // bytes on disk; the "purge/" markers say so.
  Status finishInterruptedErasures() {
    std::vector<std::string> pending;
    {
      // The iterator pins the current files: it must be gone before the
      // purge, or the files it holds would survive it.
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}));
      for (it->Seek(slice(purgePrefix)); it->Valid() && it->key().starts_with(slice(purgePrefix));
           it->Next()) {
        pending.push_back(it->key().ToString());
      }
      if (!it->status().ok()) return fromRocks(it->status(), "listing interrupted erasures");
    }
    if (pending.empty()) return okStatus();
    if (auto p = purge(); !p) return p;
    rocksdb::WriteBatch batch;
    for (const auto& marker : pending) batch.Delete(marker);
    rocksdb::Status s = db_->Write(sync_, &batch);
    if (!s.ok()) return fromRocks(s, "closing interrupted erasures");
    return okStatus();
  }

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions sync_;
  std::mutex writeMutex_;  // creating keys, recording erasures
  std::mutex purgeMutex_;
};

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s, std::size_t offset = 0) {
  return reinterpret_cast<unsigned char*>(s.data() + offset);
}

Error cryptoFailure(std::string_view doing) {
  std::string message = "AES-256-GCM failed " + std::string(doing);
  if (unsigned long code = ERR_get_error(); code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += ": ";
    message += text;
  }
  ERR_clear_error();
  return Error::bug(std::move(message));
}

Status validateSealInputs(std::string_view key, std::string_view context) {
  if (key.size() != dataKeyBytes) {
    return Error::invalidInput("a data key is " + std::to_string(dataKeyBytes) + " bytes, not " +
                               std::to_string(key.size()));
  }
  if (context.empty()) {
    return Error::invalidInput("sealing needs a context naming where the value belongs");
  }
  if (context.size() > sealContextBytesMax) {
    return Error::invalidInput("seal context of " + std::to_string(context.size()) +
                               " bytes, over the limit of " + std::to_string(sealContextBytesMax));
  }
  return okStatus();
}

// The associated data: the version byte, so the tag vouches for the format,
// then the context.
bool addAssociatedData(EVP_CIPHER_CTX* ctx, std::string_view context, bool encrypting) {
  const unsigned char version = sealedVersion;
  int len = 0;
  auto update = encrypting ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  return update(ctx, nullptr, &len, &version, 1) == 1 &&
         update(ctx, nullptr, &len, bytes(context), static_cast<int>(context.size())) == 1;
}

}  // namespace

namespace {

// The keys unseal every applicant's contact: the key store's directory is
// its owner's alone (0700, made so when missing), which guards every file in
// it whatever their modes; one that others may enter or list is refused,
// not used (issue 17, defect 9).
Status checkPrivate(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return store::makePrivateDirectory(path);
  if (store::othersMayEnter(path)) {
    return Error::unauthorized("the key store " + path +
                               " can be read by others: run chmod 700 " + path +
                               ", then start again");
  }
  return okStatus();
}

}  // namespace

Result<std::unique_ptr<KeyStore>> KeyStore::open(const std::string& path) {
  if (auto s = checkPrivate(path); !s) return s.error();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(keyStoreOptions(), path, &raw);
  if (!s.ok()) return fromRocks(s, "opening " + path);
  auto store = std::make_unique<RocksKeyStore>(std::unique_ptr<rocksdb::DB>(raw));
  if (auto started = store->start(path); !started) return started.error();
  return std::unique_ptr<KeyStore>(std::move(store));
}

Result<std::string> seal(std::string_view key, std::string_view plaintext,
                         std::string_view context) {
  if (auto v = validateSealInputs(key, context); !v) return v.error();
  if (plaintext.size() > sealPlaintextBytesMax) {
    return Error::invalidInput("value to seal of " + std::to_string(plaintext.size()) +
                               " bytes, over the limit of " +
                               std::to_string(sealPlaintextBytesMax));
  }
  std::string sealed(sealOverheadBytes + plaintext.size(), '\0');
  sealed[0] = static_cast<char>(sealedVersion);
  if (RAND_bytes(bytes(sealed, 1), static_cast<int>(sealNonceBytes)) != 1) {
    return cryptoFailure("to draw a nonce");
  }
  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return cryptoFailure("to allocate a context");
  int len = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(sealNonceBytes),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(sealed, 1)) != 1 ||
      !addAssociatedData(ctx.get(), context, /*encrypting=*/true)) {
    return cryptoFailure("to start sealing");
  }
  unsigned char* out = bytes(sealed, 1 + sealNonceBytes);
  if (!plaintext.empty() && (EVP_EncryptUpdate(ctx.get(), out, &len, bytes(plaintext),
                                               static_cast<int>(plaintext.size())) != 1 ||
                             static_cast<std::size_t>(len) != plaintext.size())) {
    return cryptoFailure("to encrypt");
  }
  // GCM is a stream mode: Final writes no bytes, it only computes the tag.
  if (EVP_EncryptFinal_ex(ctx.get(), out + plaintext.size(), &len) != 1 || len != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(sealTagBytes),
                          out + plaintext.size()) != 1) {
    return cryptoFailure("to compute the tag");
  }
  return sealed;
}

Result<std::string> openSealed(std::string_view key, std::string_view sealed,
                               std::string_view context) {
  if (auto v = validateSealInputs(key, context); !v) return v.error();
  if (sealed.size() < sealOverheadBytes) {
    return Error::invalidInput("a sealed value is at least " + std::to_string(sealOverheadBytes) +
                               " bytes, this one is " + std::to_string(sealed.size()));
  }
  if (sealed.size() > sealOverheadBytes + sealPlaintextBytesMax) {
    return Error::invalidInput("sealed value of " + std::to_string(sealed.size()) +
                               " bytes, over the limit of " +
                               std::to_string(sealOverheadBytes + sealPlaintextBytesMax));
  }
  if (static_cast<std::uint8_t>(sealed[0]) != sealedVersion) {
    return Error::invalidInput("sealed value of unknown version " +
                               std::to_string(static_cast<std::uint8_t>(sealed[0])));
  }
  const std::string_view nonce = sealed.substr(1, sealNonceBytes);
  const std::string_view ciphertext =
      sealed.substr(1 + sealNonceBytes, sealed.size() - sealOverheadBytes);
  std::string tag(sealed.substr(sealed.size() - sealTagBytes));

  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return cryptoFailure("to allocate a context");
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(sealNonceBytes),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) != 1 ||
      !addAssociatedData(ctx.get(), context, /*encrypting=*/false)) {
    return cryptoFailure("to start opening");
  }
  std::string plaintext(ciphertext.size(), '\0');
  int len = 0;
  if (!ciphertext.empty() &&
      (EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &len, bytes(ciphertext),
                         static_cast<int>(ciphertext.size())) != 1 ||
       static_cast<std::size_t>(len) != ciphertext.size())) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return cryptoFailure("to decrypt");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(sealTagBytes),
                          bytes(tag)) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return cryptoFailure("to set the tag");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext, plaintext.size()), &len) != 1) {
    // Unverified plaintext must not linger, even in freed memory.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    ERR_clear_error();
    return Error::corruption("sealed value for \"" + std::string(context) +
                             "\" does not verify: wrong key, wrong context, or altered bytes");
  }
  return plaintext;
}

}  // namespace parcours::engine
