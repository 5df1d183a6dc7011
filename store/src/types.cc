#include "parcours/store/types.h"

namespace parcours::store {

bool ExpectedVersion::matches(StreamVersion actual) const {
  switch (kind_) {
    case Kind::Any: return true;
    case Kind::NoStream: return actual == 0;
    case Kind::Exact: return actual == version_;
  }
  return false;
}

std::string ExpectedVersion::describe() const {
  switch (kind_) {
    case Kind::Any: return "any version";
    case Kind::NoStream: return "no stream yet";
    case Kind::Exact:
      return version_ == 0 ? "no stream yet" : "version " + std::to_string(version_);
  }
  return "?";
}

}  // namespace parcours::store
