// How view rows are stored: a compact, deterministic binary encoding (one
// tag byte naming the row kind, then varints and length-prefixed strings in
// a fixed order).
//
// Why not JSON: a rebuild re-encodes every row it touches once per event,
// and over a million events the JSON encoder and parser cost more than the
// rest of the projection together. The encoding is as deterministic as JSON
// would be (no maps in hash order, no floats), so a rebuilt view stays
// byte-identical to the live one. The layout is versioned by the
// projections' version(): change it, bump the version, and the views
// rebuild on open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/views.h"

namespace parcours::workflows::views {

// What the campaign projection remembers of a dossier to move it between
// counters and to find its leaderboard row.
struct DossierMemo {
  std::string campaignId;
  DossierStatus status = DossierStatus::Absent;
  std::string title;
  std::string applicantName;
  std::optional<std::uint32_t> meanMilli;  // set once scoring closed

  bool operator==(const DossierMemo&) const = default;
};

// A dossier's row carries its trail: the positions of the events about it
// (its stream's and the campaign's about it), whose entries the "audit"
// view holds under its campaign. Delta-coded, a few bytes per event.
std::string encodeRow(const DossierRow& row, const std::vector<store::Position>& trail);
std::string encodeRow(const AuditEntry& entry);
std::string encodeRow(const CampaignSummary& summary);
std::string encodeRow(const LeaderboardEntry& entry);
std::string encodeRow(const Grant& grant);
std::string encodeRow(const DossierMemo& memo);

// Each decoder names `key` in its Corruption error.
Result<DossierRow> decodeDossierRow(std::string_view bytes, std::string_view key,
                                    std::vector<store::Position>* trail = nullptr);
Result<AuditEntry> decodeAuditEntry(std::string_view bytes, std::string_view key);
Result<CampaignSummary> decodeCampaignSummary(std::string_view bytes, std::string_view key);
Result<LeaderboardEntry> decodeLeaderboardEntry(std::string_view bytes, std::string_view key);
Result<Grant> decodeGrant(std::string_view bytes, std::string_view key);
Result<DossierMemo> decodeDossierMemo(std::string_view bytes, std::string_view key);

// Counters are decimal text: readable in a raw dump, and tiny.
std::string encodeCount(std::uint64_t n);
Result<std::uint64_t> decodeCount(std::string_view bytes, std::string_view key);

}  // namespace parcours::workflows::views
