// The key layout of the three view tables, in one place so the projections
// that write rows and the queries that read them cannot drift apart.
//
// Ids (campaign, dossier) are [A-Za-z0-9_-] (validateId), so '/' always ends
// one and a prefix ending in '/' selects exactly one id's rows. Positions are
// 8-byte big-endian so that key order is log order.
//
// "dossiers":
//   d/<dossier>                        -> DossierRow and trail (detail: a point get; the
//                                                               trail lists the positions
//                                                               of the dossier's audit
//                                                               entries)
//   s/<campaign>/<NN>/<dossier>        -> ""                   (status index; NN is the
//                                                               status ordinal, 2 digits)
// "audit":
//   c/<campaign>/<pos>                 -> AuditEntry           (the campaign's trail: a
//                                                               prefix scan; a dossier's
//                                                               entries: point gets)
// "campaigns":
//   i/<campaign>                       -> CampaignSummary      (without the dossier count)
//   n/<campaign>/total                 -> decimal count        (dossiers submitted)
//   n/<campaign>/s/<status name>       -> decimal count        (absent when zero)
//   n/<campaign>/k/<applicant kind>    -> decimal count
//   n/<campaign>/v/<strand id>         -> decimal count
//   p/<dossier>                        -> DossierMemo          (what stats need to move
//                                                               a dossier between counters)
//   l/<campaign>/<1e9-1-mean, 9 digits>/<dossier> -> LeaderboardEntry (best first)
//   g/<campaign>/<pos>                 -> Grant                (budget, in log order)
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "parcours/store/types.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows::views {

inline void appendPosition(std::string& out, store::Position p) {
  char bytes[8];
  for (int i = 7; i >= 0; --i, p >>= 8) bytes[i] = static_cast<char>(p & 0xff);
  out.append(bytes, 8);
}

inline std::string join(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(a.size() + b.size());
  out.append(a).append(b);
  return out;
}

// ---------------------------------------------------------------- dossiers

inline std::string dossierKey(std::string_view dossierId) {
  return join("d/", dossierId);
}

inline std::string statusCampaignPrefix(std::string_view campaignId) {
  std::string out = join("s/", campaignId);
  out += '/';
  return out;
}

inline std::string statusPrefix(std::string_view campaignId, DossierStatus status) {
  std::string out = statusCampaignPrefix(campaignId);
  const int n = static_cast<int>(status);
  out += static_cast<char>('0' + n / 10);
  out += static_cast<char>('0' + n % 10);
  out += '/';
  return out;
}

inline std::string statusKey(std::string_view campaignId, DossierStatus status,
                             std::string_view dossierId) {
  std::string out = statusPrefix(campaignId, status);
  out.append(dossierId);
  return out;
}

// ---------------------------------------------------------------- audit

inline std::string campaignAuditPrefix(std::string_view campaignId) {
  std::string out = join("c/", campaignId);
  out += '/';
  return out;
}

inline std::string campaignAuditKey(std::string_view campaignId, store::Position p) {
  std::string out = campaignAuditPrefix(campaignId);
  appendPosition(out, p);
  return out;
}

// ---------------------------------------------------------------- campaigns

inline std::string campaignInfoKey(std::string_view campaignId) {
  return join("i/", campaignId);
}

inline std::string counterPrefix(std::string_view campaignId) {
  std::string out = join("n/", campaignId);
  out += '/';
  return out;
}

inline std::string totalCounterKey(std::string_view campaignId) {
  return counterPrefix(campaignId) + "total";
}

// kind: 's' status, 'k' applicant kind, 'v' strand ("volet").
inline std::string counterKey(std::string_view campaignId, char kind, std::string_view name) {
  std::string out = counterPrefix(campaignId);
  out += kind;
  out += '/';
  out.append(name);
  return out;
}

inline std::string memoKey(std::string_view dossierId) {
  return join("p/", dossierId);
}

inline std::string leaderboardPrefix(std::string_view campaignId) {
  std::string out = join("l/", campaignId);
  out += '/';
  return out;
}

// Best mean first: the key holds 999,999,999 - mean, zero-padded.
inline std::string leaderboardKey(std::string_view campaignId, std::uint32_t meanMilli,
                                  std::string_view dossierId) {
  std::string out = leaderboardPrefix(campaignId);
  char digits[16];
  const std::uint32_t inverted = meanMilli >= 999999999u ? 0 : 999999999u - meanMilli;
  std::snprintf(digits, sizeof digits, "%09u/", inverted);
  out.append(digits);
  out.append(dossierId);
  return out;
}

inline std::string grantPrefix(std::string_view campaignId) {
  std::string out = join("g/", campaignId);
  out += '/';
  return out;
}

inline std::string grantKey(std::string_view campaignId, store::Position p) {
  std::string out = grantPrefix(campaignId);
  appendPosition(out, p);
  return out;
}

// The id between a prefix and the next '/', or the rest of the key.
inline std::string_view keySegment(std::string_view key, std::size_t from) {
  const std::size_t end = key.find('/', from);
  return key.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
}

}  // namespace parcours::workflows::views
