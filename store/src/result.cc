#include "parcours/store/result.h"

namespace parcours {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return "invalid_input";
    case ErrorCode::NotFound:
      return "not_found";
    case ErrorCode::Conflict:
      return "conflict";
    case ErrorCode::RefusedByRule:
      return "refused_by_rule";
    case ErrorCode::Unauthorized:
      return "unauthorized";
    case ErrorCode::Corruption:
      return "corruption";
    case ErrorCode::IoError:
      return "io_error";
    case ErrorCode::PreconditionFailed:
      return "precondition_failed";
    case ErrorCode::Internal:
      return "internal";
  }
  return "unknown";
}

int exitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return 2;
    case ErrorCode::NotFound:
      return 3;
    case ErrorCode::RefusedByRule:
      return 4;
    case ErrorCode::Conflict:
    case ErrorCode::PreconditionFailed:
      return 5;
    case ErrorCode::Unauthorized:
      return 6;
    case ErrorCode::Corruption:
    case ErrorCode::IoError:
      return 7;
    case ErrorCode::Internal:
      return 1;
  }
  return 1;
}

}  // namespace parcours
