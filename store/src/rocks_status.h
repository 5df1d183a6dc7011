// Converts RocksDB's Status into our Error at the edge of the store.
#pragma once

#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "parcours/store/result.h"

namespace parcours::store {

inline Error fromRocks(const rocksdb::Status& status, std::string_view doing) {
  std::string message = std::string(doing) + ": " + status.ToString();
  if (status.IsCorruption()) return Error::corruption(std::move(message));
  if (status.IsInvalidArgument()) return Error::invalidInput(std::move(message));
  if (status.IsNotFound()) return Error::notFound(std::move(message));
  return Error::ioError(std::move(message));
}

}  // namespace parcours::store
