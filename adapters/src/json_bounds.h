// A linear scan of an untrusted JSON text, before any parser reads it, for
// what the parsers do not bound or do not refuse:
// - nesting: nlohmann's parser (and its dump) recurse once per level, so a
//   body of 100,000 '[' overflows the stack and kills the server;
// - NULs: a raw NUL byte, or the escape \u0000, would reach a Cap'n Proto
//   Text or a C string and silently cut the text there ("Pro\u0000jet"
//   recorded as "Pro").
// It does not validate the JSON otherwise: the parsers do, with their own
// messages.
#pragma once

#include <cstddef>
#include <string_view>

#include "parcours/store/result.h"

namespace parcours::adapters {

// InvalidInput naming the byte offset when `text` nests deeper than
// `depthMax` or holds a NUL (raw or escaped) anywhere.
Status checkJsonBounds(std::string_view text, std::size_t depthMax);

}  // namespace parcours::adapters
