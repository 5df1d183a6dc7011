#include "server_parts.h"

#include <filesystem>

#include "parcours/engine/backup.h"

#include <string>

namespace parcours::adapters {

kj::Exception toException(const Error& error) {
  const std::string text = std::string(errorCodeName(error.code)) + ": " + error.message;
  return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::str(text.c_str()));
}

std::string kjMessage(const kj::Exception& exception) {
  std::string text = exception.getDescription().cStr();
  if (text.rfind("expected ", 0) == 0) {
    const auto end = text.find("; ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  return text;
}

Error fromException(const kj::Exception& exception) {
  const std::string text = exception.getDescription().cStr();
  for (int code = 0; code <= static_cast<int>(ErrorCode::Internal); ++code) {
    const auto name = std::string(errorCodeName(static_cast<ErrorCode>(code))) + ": ";
    if (text.rfind(name, 0) == 0)
      return Error{static_cast<ErrorCode>(code), text.substr(name.size())};
  }
  if (exception.getType() == kj::Exception::Type::DISCONNECTED ||
      exception.getType() == kj::Exception::Type::OVERLOADED) {
    return Error::ioError(text);
  }
  return Error::bug(text);
}

}  // namespace parcours::adapters

namespace parcours::adapters {

Result<std::string> backupServerData(ServerParts& parts, const std::string& to) {
  std::error_code ec;
  const auto workDir = std::filesystem::absolute(parts.dataDir, ec).parent_path();
  if (ec) return Error::ioError("cannot resolve " + parts.dataDir + ": " + ec.message());
  auto manifest =
      engine::backupDataDirectory(parts.api.log(), parts.keys, to, workDir, parts.logger);
  if (!manifest) return manifest.error();
  return engine::backupManifestJson(*manifest);
}

}  // namespace parcours::adapters
