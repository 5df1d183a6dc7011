#include "views/row_codec.h"

#include <charconv>

namespace parcours::workflows::views {
namespace {

// One tag byte per row kind: a value read under the wrong key is Corruption,
// never a silently misread row.
constexpr char dossierTag = 'D';
constexpr char auditTag = 'A';
constexpr char campaignTag = 'C';
constexpr char leaderboardTag = 'L';
constexpr char grantTag = 'G';
constexpr char memoTag = 'M';

class Writer {
 public:
  explicit Writer(char tag, std::size_t reserve = 64) {
    out_.reserve(reserve);
    out_ += tag;
  }
  void u64(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  // Zig-zag, so small negative amounts stay small.
  void i64(std::int64_t v) {
    u64((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  void flag(bool b) { out_ += b ? '\1' : '\0'; }
  template <typename T>
  void optU64(const std::optional<T>& v) {
    flag(v.has_value());
    if (v) u64(static_cast<std::uint64_t>(*v));
  }
  void optI64(const std::optional<std::int64_t>& v) {
    flag(v.has_value());
    if (v) i64(*v);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view in, char tag) : in_(in) {
    if (in_.empty() || in_[0] != tag) {
      ok_ = false;
    } else {
      in_.remove_prefix(1);
    }
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return fail();
      const auto byte = static_cast<unsigned char>(in_[0]);
      in_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    return fail();
  }
  std::int64_t i64() {
    const std::uint64_t z = u64();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::uint32_t u32() {
    const std::uint64_t v = u64();
    if (v > UINT32_MAX) return static_cast<std::uint32_t>(fail());
    return static_cast<std::uint32_t>(v);
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (!ok_ || n > in_.size()) return fail(), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  bool flag() {
    if (in_.empty() || (in_[0] != '\0' && in_[0] != '\1')) return fail() != 0;
    const bool b = in_[0] == '\1';
    in_.remove_prefix(1);
    return b;
  }
  std::optional<std::uint32_t> optU32() {
    if (!flag()) return std::nullopt;
    return u32();
  }
  std::optional<std::int64_t> optI64() {
    if (!flag()) return std::nullopt;
    return i64();
  }
  DossierStatus status() {
    return static_cast<DossierStatus>(upTo(static_cast<std::uint64_t>(dossierStatusCount) - 1));
  }
  Phase phase() { return static_cast<Phase>(upTo(static_cast<std::uint64_t>(Phase::Closed))); }
  // A list's length: each element takes at least a byte, so a length past
  // the bytes left is corruption (and never a huge allocation).
  std::uint64_t count() {
    const std::uint64_t n = u64();
    return n > in_.size() ? fail() : n;
  }
  // Every byte read and none missing.
  template <typename T>
  Result<T> finish(T value, std::string_view what, std::string_view key) const {
    if (!ok_ || !in_.empty()) {
      return Error::corruption("view row " + std::string(what) + " at key \"" + printable(key) +
                               "\" does not decode (written by another parcours version? "
                               "rebuild the views)");
    }
    return value;
  }

 private:
  std::uint64_t upTo(std::uint64_t max) {
    const std::uint64_t v = u64();
    return v > max ? fail() : v;
  }
  std::uint64_t fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }
  static std::string printable(std::string_view key) {
    std::string out;
    for (char c : key) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f) {
        out += c;
      } else {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\x";
        out += hex[u >> 4];
        out += hex[u & 0xf];
      }
    }
    return out;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string encodeRow(const DossierRow& r, const std::vector<store::Position>& trail) {
  Writer w(dossierTag, 256 + 3 * trail.size());
  w.str(r.dossierId);
  w.str(r.campaignId);
  w.u64(static_cast<std::uint64_t>(r.status));
  w.str(r.applicantName);
  w.str(r.applicantKind);
  w.str(r.title);
  w.str(r.summary);
  w.u64(r.strands.size());
  for (const auto& s : r.strands) w.str(s);
  w.i64(r.requestedCents);
  w.i64(r.grantedCents);
  w.optI64(r.auditionSlotMicros);
  w.optU64(r.meanMilli);
  w.str(r.labelName);
  w.i64(r.submittedAtMicros);
  w.i64(r.updatedAtMicros);
  w.u64(r.lastPosition);
  w.u64(r.version);
  w.flag(r.contactErased);
  w.u64(trail.size());
  store::Position previous = 0;
  for (store::Position p : trail) {
    w.u64(p - previous);  // positions only grow
    previous = p;
  }
  return w.take();
}

Result<DossierRow> decodeDossierRow(std::string_view bytes, std::string_view key,
                                    std::vector<store::Position>* trail) {
  Reader in(bytes, dossierTag);
  DossierRow r;
  r.dossierId = in.str();
  r.campaignId = in.str();
  r.status = in.status();
  r.applicantName = in.str();
  r.applicantKind = in.str();
  r.title = in.str();
  r.summary = in.str();
  const std::uint64_t strands = in.count();
  for (std::uint64_t i = 0; i < strands; ++i) r.strands.push_back(in.str());
  r.requestedCents = in.i64();
  r.grantedCents = in.i64();
  r.auditionSlotMicros = in.optI64();
  r.meanMilli = in.optU32();
  r.labelName = in.str();
  r.submittedAtMicros = in.i64();
  r.updatedAtMicros = in.i64();
  r.lastPosition = in.u64();
  r.version = in.u64();
  r.contactErased = in.flag();
  const std::uint64_t n = in.count();
  if (trail != nullptr) trail->reserve(n);
  store::Position p = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    p += in.u64();
    if (trail != nullptr) trail->push_back(p);
  }
  return in.finish(std::move(r), "dossier", key);
}

std::string encodeRow(const AuditEntry& e) {
  Writer w(auditTag, 192);
  w.u64(e.position);
  w.i64(e.recordedAtMicros);
  w.str(e.streamId);
  w.u64(e.streamVersion);
  w.str(e.campaignId);
  w.str(e.dossierId);
  w.str(e.eventType);
  w.str(e.actor);
  w.str(e.commandId);
  w.str(e.reason);
  w.u64(e.rulesVersion);
  w.str(e.summary);
  return w.take();
}

Result<AuditEntry> decodeAuditEntry(std::string_view bytes, std::string_view key) {
  Reader in(bytes, auditTag);
  AuditEntry e;
  e.position = in.u64();
  e.recordedAtMicros = in.i64();
  e.streamId = in.str();
  e.streamVersion = in.u64();
  e.campaignId = in.str();
  e.dossierId = in.str();
  e.eventType = in.str();
  e.actor = in.str();
  e.commandId = in.str();
  e.reason = in.str();
  e.rulesVersion = in.u32();
  e.summary = in.str();
  return in.finish(std::move(e), "audit entry", key);
}

std::string encodeRow(const CampaignSummary& c) {
  Writer w(campaignTag, 128);
  w.str(c.campaignId);
  w.str(c.name);
  w.str(c.organiser);
  w.u64(c.rulesVersion);
  w.u64(static_cast<std::uint64_t>(c.phase));
  w.str(c.timeZone);
  w.i64(c.deadlineMicros);
  w.str(c.labelName);
  w.i64(c.envelopeCents);
  w.i64(c.grantedCents);
  // c.dossiers lives in its own counter row (n/<campaign>/total): a
  // submission then touches a small counter, not this row.
  w.i64(c.openedAtMicros);
  w.i64(c.updatedAtMicros);
  return w.take();
}

Result<CampaignSummary> decodeCampaignSummary(std::string_view bytes, std::string_view key) {
  Reader in(bytes, campaignTag);
  CampaignSummary c;
  c.campaignId = in.str();
  c.name = in.str();
  c.organiser = in.str();
  c.rulesVersion = in.u32();
  c.phase = in.phase();
  c.timeZone = in.str();
  c.deadlineMicros = in.i64();
  c.labelName = in.str();
  c.envelopeCents = in.i64();
  c.grantedCents = in.i64();
  c.openedAtMicros = in.i64();
  c.updatedAtMicros = in.i64();
  return in.finish(std::move(c), "campaign", key);
}

std::string encodeRow(const LeaderboardEntry& e) {
  // The rank is computed by the query (it depends on the rows above).
  Writer w(leaderboardTag, 128);
  w.str(e.dossierId);
  w.str(e.title);
  w.str(e.applicantName);
  w.u64(e.meanMilli);
  w.u64(e.thresholdMilli);
  w.flag(e.passed);
  w.u64(e.jurorsCounted);
  w.u64(e.criterionMeansMilli.size());
  for (const auto& [id, mean] : e.criterionMeansMilli) {
    w.str(id);
    w.u64(mean);
  }
  w.u64(static_cast<std::uint64_t>(e.status));
  return w.take();
}

Result<LeaderboardEntry> decodeLeaderboardEntry(std::string_view bytes, std::string_view key) {
  Reader in(bytes, leaderboardTag);
  LeaderboardEntry e;
  e.dossierId = in.str();
  e.title = in.str();
  e.applicantName = in.str();
  e.meanMilli = in.u32();
  e.thresholdMilli = in.u32();
  e.passed = in.flag();
  e.jurorsCounted = in.u32();
  const std::uint64_t n = in.count();
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string id = in.str();
    e.criterionMeansMilli[std::move(id)] = in.u32();
  }
  e.status = in.status();
  return in.finish(std::move(e), "leaderboard entry", key);
}

std::string encodeRow(const Grant& g) {
  Writer w(grantTag, 48);
  w.str(g.dossierId);
  w.i64(g.amountCents);
  w.u64(g.position);
  w.i64(g.recordedAtMicros);
  return w.take();
}

Result<Grant> decodeGrant(std::string_view bytes, std::string_view key) {
  Reader in(bytes, grantTag);
  Grant g;
  g.dossierId = in.str();
  g.amountCents = in.i64();
  g.position = in.u64();
  g.recordedAtMicros = in.i64();
  return in.finish(std::move(g), "grant", key);
}

std::string encodeRow(const DossierMemo& m) {
  Writer w(memoTag, 96);
  w.str(m.campaignId);
  w.u64(static_cast<std::uint64_t>(m.status));
  w.str(m.title);
  w.str(m.applicantName);
  w.optU64(m.meanMilli);
  return w.take();
}

Result<DossierMemo> decodeDossierMemo(std::string_view bytes, std::string_view key) {
  Reader in(bytes, memoTag);
  DossierMemo m;
  m.campaignId = in.str();
  m.status = in.status();
  m.title = in.str();
  m.applicantName = in.str();
  m.meanMilli = in.optU32();
  return in.finish(std::move(m), "dossier memo", key);
}

std::string encodeCount(std::uint64_t n) {
  return std::to_string(n);
}

Result<std::uint64_t> decodeCount(std::string_view bytes, std::string_view key) {
  std::uint64_t n = 0;
  const char* end = bytes.data() + bytes.size();
  auto [p, ec] = std::from_chars(bytes.data(), end, n);
  if (bytes.empty() || ec != std::errc() || p != end) {
    return Error::corruption("counter at key \"" + std::string(key) + "\" is not a number: \"" +
                             std::string(bytes) + "\"");
  }
  return n;
}

}  // namespace parcours::workflows::views
