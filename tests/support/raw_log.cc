#include "raw_log.h"

#include <gtest/gtest.h>

namespace parcours::testing {

RawLog::RawLog(const std::filesystem::path& dir, bool readOnly) {
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names_).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names_) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  const rocksdb::Status s =
      readOnly
          ? rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir.string(), descriptors, &handles_,
                                         &db_)
          : rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), descriptors, &handles_, &db_);
  if (!s.ok()) ADD_FAILURE() << "opening " << dir << " raw: " << s.ToString();
}

RawLog::~RawLog() {
  if (db_ == nullptr) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  delete db_;
}

rocksdb::ColumnFamilyHandle* RawLog::family(const std::string& name) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return handles_[i];
  }
  ADD_FAILURE() << "no column family " << name;
  return nullptr;
}

std::string RawLog::get(const std::string& family, const std::string& key) {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), this->family(family), key, &value);
  EXPECT_TRUE(s.ok()) << family << ": " << s.ToString();
  return value;
}

std::string positionKey(std::uint64_t position) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, position >>= 8) {
    key[static_cast<std::size_t>(i)] = static_cast<char>(position);
  }
  return key;
}

std::string streamKey(const std::string& streamId, std::uint64_t version) {
  return streamId + std::string(1, '\0') + positionKey(version);
}

}  // namespace parcours::testing
