// Enums named as definition files and the CLI write them: a table of
// (value, name) pairs and the two lookups. Private to parcours_workflows.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace parcours::workflows::judging {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

// The value's name; empty for a value out of the table.
template <typename Enum, std::size_t N>
std::string_view nameIn(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> parseIn(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace parcours::workflows::judging
