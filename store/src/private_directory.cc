#include "parcours/store/private_directory.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace parcours::store {

Status makePrivateDirectory(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return okStatus();
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error::ioError("cannot create " + path + ": " + std::strerror(errno));
  }
  return okStatus();
}

bool othersMayEnter(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  constexpr auto others = fs::perms::group_all | fs::perms::others_all;
  return (fs::status(path, ec).permissions() & others) != fs::perms::none;
}

}  // namespace parcours::store
