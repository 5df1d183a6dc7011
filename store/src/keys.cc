#include "keys.h"

namespace parcours::store::keys {

void appendBigEndian(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

std::uint64_t readBigEndian(std::string_view eightBytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < u64Bytes; ++i) {
    value = (value << 8) | static_cast<unsigned char>(eightBytes[i]);
  }
  return value;
}

std::string eventKey(Position position) {
  std::string key;
  key.reserve(u64Bytes);
  appendBigEndian(key, position);
  return key;
}

std::optional<Position> parseEventKey(std::string_view key) {
  if (key.size() != u64Bytes) return std::nullopt;
  return readBigEndian(key);
}

std::string streamKey(std::string_view streamId, StreamVersion version) {
  std::string key;
  key.reserve(streamId.size() + 1 + u64Bytes);
  key.append(streamId);
  key.push_back('\0');
  appendBigEndian(key, version);
  return key;
}

std::string streamUpperBound(std::string_view streamId) {
  std::string key(streamId);
  key.push_back('\x01');
  return key;
}

std::optional<StreamVersion> parseStreamKey(std::string_view key, std::string_view streamId) {
  if (key.size() != streamId.size() + 1 + u64Bytes) return std::nullopt;
  if (key.substr(0, streamId.size()) != streamId || key[streamId.size()] != '\0') {
    return std::nullopt;
  }
  return readBigEndian(key.substr(streamId.size() + 1));
}

std::string commandKey(std::string_view commandId) {
  std::string key("command/");
  key.append(commandId);
  return key;
}

}  // namespace parcours::store::keys
