// The auditors' commands of the parcours command line — `digest`, `verify`
// and `anchor` — run as an auditor runs them, on a store the demo filled:
// digests and their proofs checked here with the RFC 9162 algorithms,
// earlier digests the log must extend, a timestamp authority's reply
// anchored and re-checked, every bad input with its exit code and nothing
// written, and bytes changed behind parcours's back found at their position.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "local_tsa.h"
#include "parcours/engine/merkle.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"
#include "raw_log.h"
#include "cli_run.h"
#include "temp_dir.h"

namespace {

using parcours::testing::contains;
using parcours::testing::Outcome;
using parcours::testing::runCommand;
using parcours::testing::shellQuote;

using nlohmann::json;
using parcours::engine::merkle::Digest;

// The 32 bytes a hex string names, or a test failure.
std::string unhex(const std::string& hex) {
  auto bytes = parcours::store::chain::fromHex(hex);
  EXPECT_TRUE(bytes) << hex;
  return bytes ? *bytes : std::string();
}

std::vector<std::string> unhexAll(const json& list) {
  std::vector<std::string> out;
  for (const auto& h : list) out.push_back(unhex(h.get<std::string>()));
  return out;
}

// A store the demo filled (20 dossiers per campaign: a few hundred events),
// and the files an auditor keeps next to it.
class TrustCli : public ::testing::Test {
 protected:
  void SetUp() override {
    Outcome demo = parcours({"demo", "--dossiers", "20"});
    ASSERT_EQ(demo.exitCode, 0) << demo.err;
    head_ = head();
    ASSERT_GT(head_, 300u);
  }

  // Runs `parcours --data <store> <args>`.
  Outcome parcours(std::initializer_list<std::string> args) { return parcoursIn(data(), args); }

  Outcome parcoursIn(const std::string& dataDir, std::initializer_list<std::string> args) {
    std::vector<std::string> all{"--data", dataDir};
    all.insert(all.end(), args.begin(), args.end());
    return runCommand(PARCOURS_BIN, all, dir_.path() / "stderr");
  }

  // A command with --json that must succeed; its object.
  json okJson(std::initializer_list<std::string> args) {
    Outcome run = parcours(args);
    EXPECT_EQ(run.exitCode, 0) << run.err;
    return run.exitCode == 0 ? json::parse(run.out) : json();
  }

  // `parcours digest` as text ("SIZE:ROOT").
  std::string digestText(const std::string& dataDir) {
    Outcome run = parcoursIn(dataDir, {"digest"});
    EXPECT_EQ(run.exitCode, 0) << run.err;
    EXPECT_TRUE(run.out.starts_with("digest ")) << run.out;
    std::string text = run.out.substr(std::string("digest ").size());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  // The store's own view, read with the store's API (the binary is not
  // running: nothing else holds the database).
  std::uint64_t head() {
    auto log = parcours::testing::openLog(data());
    return log ? log->head() : 0;
  }
  std::string eventHash(std::uint64_t position) {
    auto log = parcours::testing::openLog(data());
    if (!log) return {};
    auto events = log->readAll(position, 1);
    EXPECT_TRUE(events && events->size() == 1) << position;
    return events && !events->empty() ? events->front().hash : std::string();
  }

  std::string data() const { return (dir_.path() / "data").string(); }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }

  // A small funding call's definition file, "ami-trust".
  std::string writeCampaignFile() {
    const std::string file = path("ami-trust.json");
    std::ofstream(file) << R"({
      "id": "ami-trust",
      "name": "Appel Confiance 2020",
      "organiser": "Région Fictive",
      "deadline": {"local": "2020-06-03T23:59:59", "time_zone": "Europe/Paris"},
      "eligible_applicant_kinds": ["communaute_de_communes"],
      "required_fields": ["applicant.name", "title"],
      "auditions_held": false,
      "criteria": [{"id": "quality", "label": "Qualité", "scale": {"min": 0, "max": 10}, "weight": 1}],
      "threshold": 5.0,
      "vote": {"body": "elected_officials", "quorum_percent": 50, "majority": "simple"},
      "budget": {"envelope_cents": 100000, "per_dossier_cap_cents": 60000}
    })";
    return file;
  }

  // The ami-trust call opened after the demo, and its jury: more writes.
  void openAnotherCampaign() {
    const std::string file = writeCampaignFile();
    Outcome open = parcours({"campaign", "open", file});
    ASSERT_EQ(open.exitCode, 0) << open.err;
    Outcome jury = parcours({"campaign", "jury", "ami-trust", "--member", "j1:Juré Un:juror",
                             "--member", "e1:Élue Une:elected_official"});
    ASSERT_EQ(jury.exitCode, 0) << jury.err;
  }

  // Rewrites the envelope under `key` in `family` with one byte of its
  // payload flipped, behind parcours's back: the envelope still decodes.
  void flipPayloadByte(const std::string& family, const std::string& key) {
    parcours::testing::RawLog raw(data(), false);
    std::string value = raw.get(family, key);
    auto event = parcours::store::codec::decodeEnvelope(value, {});
    ASSERT_TRUE(event) << event.error().message;
    ASSERT_GT(event->payload.size(), 8u);
    const std::size_t at = value.find(event->payload);
    ASSERT_NE(at, std::string::npos);
    value[at + event->payload.size() / 2] ^= 0x01;
    ASSERT_TRUE(raw.db().Put({}, raw.family(family), key, value).ok());
  }

  parcours::testing::TempDir dir_;
  std::uint64_t head_ = 0;
};

// ------------------------------------------------------------------ digest

TEST_F(TrustCli, DigestCoversTheWholeLogAndVerifyFindsItIntact) {
  const std::string text = digestText(data());
  auto digest = Digest::parse(text);
  ASSERT_TRUE(digest) << text;
  EXPECT_EQ(digest->size, head_);

  const json j = okJson({"digest", "--json"});
  EXPECT_EQ(j.at("size"), head_);
  const std::string root = j.at("root");
  EXPECT_EQ(root.size(), 64u);
  EXPECT_EQ(root.find_first_not_of("0123456789abcdef"), std::string::npos) << root;
  EXPECT_EQ(j.at("digest"), std::to_string(head_) + ":" + root);
  EXPECT_EQ(j.at("digest"), text);

  Outcome verify = parcours({"verify"});
  ASSERT_EQ(verify.exitCode, 0) << verify.err;
  EXPECT_TRUE(verify.out.starts_with("intact: " + std::to_string(head_) + " events and " +
                                     std::to_string(head_) + " stream copies checked, " +
                                     "0 anchored digests, in "))
      << verify.out;
  EXPECT_TRUE(contains(verify.out, "\ndigest " + text + "\n")) << verify.out;
  EXPECT_TRUE(verify.err.empty()) << verify.err;

  const json v = okJson({"verify", "--json"});
  EXPECT_EQ(v.at("intact"), true);
  EXPECT_EQ(v.at("events_checked"), head_);
  EXPECT_EQ(v.at("stream_copies_checked"), head_);
  EXPECT_EQ(v.at("anchors_checked"), 0);
  EXPECT_EQ(v.at("digest").at("digest"), text);
  EXPECT_GE(v.at("seconds").get<double>(), 0.0);
  EXPECT_FALSE(v.contains("failed_at"));
  EXPECT_FALSE(v.contains("problem"));
}

TEST_F(TrustCli, AnEarlierDigestStillVerifiesAfterMoreWrites) {
  const std::string earlier = digestText(data());
  openAnotherCampaign();
  const std::string later = digestText(data());
  ASSERT_GT(Digest::parse(later)->size, Digest::parse(earlier)->size);
  EXPECT_NE(later, earlier);

  Outcome verify = parcours({"verify", "--digest", earlier});
  EXPECT_EQ(verify.exitCode, 0) << verify.err;
  Outcome both = parcours({"verify", "--digest", earlier, "--digest", later});
  EXPECT_EQ(both.exitCode, 0) << both.err;
  // `digest --size` gives the earlier digest back.
  EXPECT_EQ(okJson({"digest", "--size", std::to_string(head_), "--json"}).at("digest"), earlier);
}

TEST_F(TrustCli, ADigestTheLogDoesNotExtendIsCorruptionNamingItsPosition) {
  const std::string wrong = "5:" + std::string(64, 'a');
  Outcome run = parcours({"verify", "--digest", wrong});
  EXPECT_EQ(run.exitCode, 7);
  EXPECT_TRUE(contains(run.err, "the log was altered at position 5")) << run.err;
  EXPECT_TRUE(contains(run.err, "does not extend the digest " + wrong)) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;

  Outcome j = parcours({"verify", "--digest", wrong, "--json"});
  EXPECT_EQ(j.exitCode, 7);
  const json v = json::parse(j.out);
  EXPECT_EQ(v.at("intact"), false);
  EXPECT_EQ(v.at("failed_at"), 5);
  EXPECT_TRUE(contains(v.at("problem").get<std::string>(), "does not extend")) << v;

  // A digest of more events than the log holds: its end was cut.
  Outcome longer =
      parcours({"verify", "--digest", std::to_string(head_ + 10) + ":" + std::string(64, 'b')});
  EXPECT_EQ(longer.exitCode, 7);
  EXPECT_TRUE(contains(longer.err, "events were removed from its end")) << longer.err;
}

TEST_F(TrustCli, BadDigestTextIsInvalidInput) {
  const std::vector<std::string> bads = {"nonsense",
                                         "5",
                                         "x:" + std::string(64, 'a'),
                                         "5:abc",
                                         "5:" + std::string(64, 'g'),
                                         "-1:" + std::string(64, 'a')};
  for (const std::string& bad : bads) {
    Outcome run = parcours({"verify", "--digest", bad});
    EXPECT_EQ(run.exitCode, 2) << bad << "\n" << run.err;
    EXPECT_TRUE(contains(run.err, "digest \"" + bad + "\"")) << run.err;
  }
  Outcome anchor = parcours({"anchor", path("whatever.tsr"), "--digest", "5:abc"});
  EXPECT_EQ(anchor.exitCode, 2) << anchor.err;
}

// ------------------------------------------------------------------ proofs

// The proofs `digest` prints, checked with RFC 9162's algorithms against
// leaves read from the store: leaf = SHA-256(0x00 ‖ the event's hash).
TEST_F(TrustCli, InclusionAndConsistencyProofsCheckAgainstTheDigest) {
  struct Case {
    std::uint64_t size, position, from;
  };
  // Perfect and ragged trees, first and last leaves, an earlier tree that is
  // a perfect subtree (64, 256) and one that is not.
  const std::vector<Case> cases = {{head_, 1, 1},  {head_, head_, 256}, {head_, 7, 100},
                                   {257, 129, 64}, {256, 200, 255},     {5, 3, 2},
                                   {1, 1, 1}};
  for (const Case& c : cases) {
    SCOPED_TRACE("size " + std::to_string(c.size) + ", inclusion " + std::to_string(c.position) +
                 ", consistency from " + std::to_string(c.from));
    const json j = okJson({"digest", "--size", std::to_string(c.size), "--inclusion",
                           std::to_string(c.position), "--consistency-from", std::to_string(c.from),
                           "--json"});
    ASSERT_FALSE(j.is_null());
    const Digest digest{j.at("size").get<std::uint64_t>(), unhex(j.at("root"))};
    EXPECT_EQ(digest.size, c.size);

    EXPECT_EQ(j.at("inclusion").at("position"), c.position);
    const auto path = unhexAll(j.at("inclusion").at("proof"));
    const std::string leaf = parcours::engine::merkle::leafHash(eventHash(c.position));
    EXPECT_TRUE(
        parcours::engine::merkle::verifyInclusion(leaf, c.position - 1, c.size, path, digest.root));
    // The same proof does not place another event there.
    const std::string other =
        parcours::engine::merkle::leafHash(eventHash(c.position == 1 ? 2 : c.position - 1));
    EXPECT_FALSE(parcours::engine::merkle::verifyInclusion(other, c.position - 1, c.size, path,
                                                           digest.root));

    const json& from = j.at("consistency").at("from");
    const Digest earlier{from.at("size").get<std::uint64_t>(), unhex(from.at("root"))};
    EXPECT_EQ(earlier.size, c.from);
    EXPECT_EQ(from.at("digest"),
              okJson({"digest", "--size", std::to_string(c.from), "--json"}).at("digest"));
    const auto proof = unhexAll(j.at("consistency").at("proof"));
    EXPECT_TRUE(parcours::engine::merkle::verifyConsistency(earlier, digest, proof));
    if (earlier.size < digest.size) {
      Digest forged = earlier;
      forged.root[0] ^= 1;
      EXPECT_FALSE(parcours::engine::merkle::verifyConsistency(forged, digest, proof));
    }
  }
}

TEST_F(TrustCli, ProofsOutsideTheDigestAreRefused) {
  Outcome past = parcours({"digest", "--size", std::to_string(head_ + 1)});
  EXPECT_EQ(past.exitCode, 3);
  EXPECT_TRUE(contains(past.err, "no digest of " + std::to_string(head_ + 1) + " events"))
      << past.err;
  Outcome outside = parcours({"digest", "--size", "10", "--inclusion", "11"});
  EXPECT_EQ(outside.exitCode, 3);
  EXPECT_TRUE(contains(outside.err, "event 11 is not in the digest of 10 events")) << outside.err;
  Outcome backwards = parcours({"digest", "--size", "10", "--consistency-from", "11"});
  EXPECT_EQ(backwards.exitCode, 2);
  EXPECT_TRUE(outside.out.empty() && backwards.out.empty());
}

// --------------------------------------------------------------- anchoring

class TrustCliAnchor : public TrustCli {
 protected:
  void SetUp() override {
    TrustCli::SetUp();
    ASSERT_TRUE(std::filesystem::create_directory(path("tsa")));
    tsa_ = std::make_unique<parcours::testing::LocalTsa>(path("tsa"), "trust cli");
    ASSERT_TRUE(tsa_->ready());
  }

  // `digest [--size N] --timestamp-request F` then the TSA's reply, written
  // next to the store; returns the digest's text.
  std::string timestampedDigest(const std::string& dataDir, const std::string& reply,
                                std::uint64_t size = 0) {
    const std::string request = reply + ".tsq";
    Outcome run = size == 0
                      ? parcoursIn(dataDir, {"digest", "--timestamp-request", request, "--json"})
                      : parcoursIn(dataDir, {"digest", "--size", std::to_string(size),
                                             "--timestamp-request", request, "--json"});
    EXPECT_EQ(run.exitCode, 0) << run.err;
    if (run.exitCode != 0) return {};
    const json j = json::parse(run.out);
    EXPECT_EQ(j.at("timestamp_request"), request);
    parcours::testing::LocalTsa::writeBytes(
        reply, tsa_->reply(parcours::testing::LocalTsa::readBytes(request)));
    return j.at("digest");
  }

  std::unique_ptr<parcours::testing::LocalTsa> tsa_;
};

TEST_F(TrustCliAnchor, ATimestampedDigestIsAnchoredAndVerifiedAgain) {
  const std::string reply = path("digest.tsr");
  const std::string digest = timestampedDigest(data(), reply);
  ASSERT_FALSE(digest.empty());

  // What the authority signed is the statement, by hand with openssl.
  const std::string statement = path("statement");
  parcours::testing::LocalTsa::writeBytes(statement, "parcours-digest-v1 " + digest);
  EXPECT_TRUE(tsa_->openssl("ts -verify -data " + tsa_->quoted(statement) + " -in " +
                            tsa_->quoted(reply) + " -CAfile " + tsa_->quoted(tsa_->caFile()))
                  .has_value());

  Outcome anchor = parcours({"anchor", reply, "--digest", digest, "--ca-file", tsa_->caFile()});
  ASSERT_EQ(anchor.exitCode, 0) << anchor.err;
  EXPECT_TRUE(anchor.out.starts_with("anchored digest " + digest + " at position " +
                                     std::to_string(head_ + 1) + ": timestamped "))
      << anchor.out;
  EXPECT_TRUE(contains(anchor.out, "CN = trust cli TSA")) << anchor.out;
  EXPECT_EQ(head(), head_ + 1);  // one DigestAnchored event

  Outcome verify = parcours({"verify", "--ca-file", tsa_->caFile()});
  ASSERT_EQ(verify.exitCode, 0) << verify.err;
  EXPECT_TRUE(contains(verify.out, "1 anchored digest,")) << verify.out;
  const json v = okJson({"verify", "--ca-file", tsa_->caFile(), "--json"});
  EXPECT_EQ(v.at("intact"), true);
  EXPECT_EQ(v.at("anchors_checked"), 1);
  EXPECT_EQ(v.at("events_checked"), head_ + 1);
  // The anchored digest is still one the log extends.
  EXPECT_EQ(parcours({"verify", "--digest", digest}).exitCode, 0);
}

TEST_F(TrustCliAnchor, AnchorJsonSaysWhereAndWhen) {
  const std::string reply = path("digest.tsr");
  const std::string digest = timestampedDigest(data(), reply, 100);
  ASSERT_TRUE(digest.starts_with("100:")) << digest;
  const json a = okJson({"anchor", reply, "--digest", digest, "--ca-file", tsa_->caFile(),
                         "--actor", "auditor-1", "--json"});
  EXPECT_EQ(a.at("position"), head_ + 1);
  EXPECT_EQ(a.at("digest").at("digest"), digest);
  EXPECT_EQ(a.at("digest").at("size"), 100);
  EXPECT_TRUE(a.at("timestamp").get<std::string>().ends_with("Z")) << a;
  EXPECT_TRUE(contains(a.at("authority").get<std::string>(), "trust cli TSA")) << a;
}

TEST_F(TrustCliAnchor, AReplyForAnotherDigestIsRefusedAndNothingWritten) {
  const std::string reply = path("first100.tsr");
  ASSERT_FALSE(timestampedDigest(data(), reply, 100).empty());
  const std::string whole = digestText(data());
  Outcome run = parcours({"anchor", reply, "--digest", whole, "--ca-file", tsa_->caFile()});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_TRUE(contains(run.err, "the timestamp covers another digest")) << run.err;
  EXPECT_EQ(head(), head_);
}

TEST_F(TrustCliAnchor, ADigestThatIsNotThisLogsIsAConflictAndNothingWritten) {
  // Another log (another seed): its digest of 100 events, duly timestamped.
  const std::string other = path("other");
  Outcome demo = parcoursIn(other, {"demo", "--dossiers", "20", "--seed", "7"});
  ASSERT_EQ(demo.exitCode, 0) << demo.err;
  const std::string reply = path("other.tsr");
  const std::string foreign = timestampedDigest(other, reply, 100);
  ASSERT_FALSE(foreign.empty());
  ASSERT_NE(foreign, okJson({"digest", "--size", "100", "--json"}).at("digest"));

  Outcome run = parcours({"anchor", reply, "--digest", foreign, "--ca-file", tsa_->caFile()});
  EXPECT_EQ(run.exitCode, 5);
  EXPECT_TRUE(contains(run.err, "the anchored digest is not this log's")) << run.err;
  EXPECT_EQ(head(), head_);
}

TEST_F(TrustCliAnchor, AReplyThatIsNotATimestampIsInvalidInputAndAMissingOneNotFound) {
  const std::string digest = digestText(data());
  const std::string garbage = path("garbage.tsr");
  parcours::testing::LocalTsa::writeBytes(garbage, "this is not DER at all, just words\n");
  Outcome bad = parcours({"anchor", garbage, "--digest", digest});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_TRUE(contains(bad.err, "is not an RFC 3161 timestamp reply")) << bad.err;

  Outcome missing = parcours({"anchor", path("nowhere.tsr"), "--digest", digest});
  EXPECT_EQ(missing.exitCode, 3);
  EXPECT_TRUE(contains(missing.err, "does not exist")) << missing.err;
  EXPECT_EQ(head(), head_);
}

TEST_F(TrustCliAnchor, AReplyFromAnAuthorityOutsideTheCaFileIsRefused) {
  const std::string reply = path("digest.tsr");
  const std::string digest = timestampedDigest(data(), reply);
  ASSERT_TRUE(std::filesystem::create_directory(path("other-tsa")));
  parcours::testing::LocalTsa stranger(path("other-tsa"), "stranger");
  ASSERT_TRUE(stranger.ready());
  Outcome run = parcours({"anchor", reply, "--digest", digest, "--ca-file", stranger.caFile()});
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_EQ(head(), head_);
}

// ---------------------------------------------------------------- tampering

TEST_F(TrustCli, AFlippedPayloadByteIsFoundAtItsPosition) {
  ASSERT_EQ(parcours({"digest"}).exitCode, 0);  // the Merkle index is built first
  flipPayloadByte("events", parcours::testing::positionKey(7));

  Outcome run = parcours({"verify"});
  EXPECT_EQ(run.exitCode, 7);
  EXPECT_TRUE(contains(run.err, "the log was altered at position 7: event 7 (")) << run.err;
  EXPECT_TRUE(contains(run.err, "its content was altered")) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;

  Outcome j = parcours({"verify", "--json"});
  EXPECT_EQ(j.exitCode, 7);
  const json v = json::parse(j.out);
  EXPECT_EQ(v.at("intact"), false);
  EXPECT_EQ(v.at("failed_at"), 7);
  EXPECT_EQ(v.at("events_checked"), 6);
}

TEST_F(TrustCli, AnAlteredStreamCopyIsFoundAtItsPosition) {
  std::string streamId;
  std::uint64_t version = 0;
  {
    auto log = parcours::testing::openLog(data());
    ASSERT_TRUE(log);
    auto events = log->readAll(7, 1);
    ASSERT_TRUE(events && events->size() == 1);
    streamId = events->front().streamId;
    version = events->front().streamVersion;
  }
  flipPayloadByte("streams", parcours::testing::streamKey(streamId, version));
  Outcome run = parcours({"verify"});
  EXPECT_EQ(run.exitCode, 7);
  EXPECT_TRUE(contains(
      run.err, "the log was altered at position 7: the copy of event 7 in stream " + streamId))
      << run.err;
}

TEST_F(TrustCli, ACutTailMakesTheLogReadOnlyAndVerifySaysSo) {
  {
    auto log = parcours::testing::openLog(data());
    ASSERT_TRUE(log);
    auto events = log->readAll(head_, 1);
    ASSERT_TRUE(events && events->size() == 1);
    const auto& last = events->front();
    log.reset();
    parcours::testing::RawLog raw(data(), false);
    ASSERT_TRUE(
        raw.db().Delete({}, raw.family("events"), parcours::testing::positionKey(head_)).ok());
    ASSERT_TRUE(raw.db()
                    .Delete({}, raw.family("streams"),
                            parcours::testing::streamKey(last.streamId, last.streamVersion))
                    .ok());
  }
  Outcome run = parcours({"verify"});
  EXPECT_EQ(run.exitCode, 7);
  EXPECT_TRUE(contains(run.err, "the log was altered at position " + std::to_string(head_)))
      << run.err;
  EXPECT_TRUE(contains(run.err, "events were removed from the end of the log")) << run.err;
  // And nothing is chained onto the cut history.
  const std::string file = writeCampaignFile();
  Outcome write = parcours({"campaign", "open", file});
  EXPECT_EQ(write.exitCode, 7) << write.err;
  EXPECT_TRUE(contains(write.err, "read-only")) << write.err;
}

}  // namespace

namespace {

// Replay, bundles and time travel through the binary: what works, and
// every refusal with its exit code, writing nothing.
TEST_F(TrustCli, ReplayBundleAndTimeTravelWorkAndRefuseBadInput) {
  const std::uint64_t before = head();
  // Replay: the demo is clean; unknown ids are NotFound.
  Outcome replay = parcours({"replay"});
  EXPECT_EQ(replay.exitCode, 0) << replay.err;
  EXPECT_TRUE(contains(replay.out, "each one is what the rules in force decide")) << replay.out;
  EXPECT_EQ(parcours({"replay", "--dossier", "nobody"}).exitCode, 3);
  EXPECT_EQ(parcours({"replay", "--campaign", "nowhere"}).exitCode, 3);

  // A bundle, checked against its digest; refused against another.
  const std::string bundle = (dir_.path() / "lti-01.bundle").string();
  Outcome made = parcours({"bundle", "lti-01", "-o", bundle, "--json"});
  ASSERT_EQ(made.exitCode, 0) << made.err;
  const std::string digest = json::parse(made.out).at("digest").at("digest");
  Outcome checked = parcours({"verify-bundle", bundle, "--digest", digest});
  EXPECT_EQ(checked.exitCode, 0) << checked.err << checked.out;
  const std::string other = digestText(data()).substr(0, digest.find(':')) + ":" +
                            std::string(64, 'a');
  EXPECT_EQ(parcours({"verify-bundle", bundle, "--digest", other}).exitCode, 7);
  // An unknown dossier writes no file; garbage, a missing file, a bad digest.
  const std::string none = (dir_.path() / "none.bundle").string();
  EXPECT_EQ(parcours({"bundle", "nobody", "-o", none}).exitCode, 3);
  EXPECT_FALSE(std::filesystem::exists(none));
  const std::string garbage = (dir_.path() / "garbage.bundle").string();
  { std::ofstream(garbage) << "not a bundle"; }
  EXPECT_EQ(parcours({"verify-bundle", garbage, "--digest", digest}).exitCode, 2);
  EXPECT_EQ(parcours({"verify-bundle", none, "--digest", digest}).exitCode, 3);
  EXPECT_EQ(parcours({"verify-bundle", bundle, "--digest", "12"}).exitCode, 2);

  // Time travel: a past position reads; a future one, a bad instant, an
  // unknown dossier are refused.
  Outcome past = parcours({"show", "lti-01", "--at", "1"});
  EXPECT_EQ(past.exitCode, 3) << past.out;  // nothing was submitted at position 1
  EXPECT_EQ(parcours({"show", "lti-01", "--at", std::to_string(before)}).exitCode, 0);
  EXPECT_EQ(parcours({"show", "lti-01", "--at", "999999999"}).exitCode, 3);
  EXPECT_EQ(parcours({"show", "lti-01", "--as-of", "yesterday"}).exitCode, 2);
  EXPECT_EQ(parcours({"status", "--campaign", "nowhere", "--at", "5"}).exitCode, 3);
  Outcome jsonl = parcours({"audit", "--dossier", "lti-01", "--format", "jsonl"});
  ASSERT_EQ(jsonl.exitCode, 0) << jsonl.err;
  EXPECT_EQ(json::parse(jsonl.out.substr(0, jsonl.out.find('\n'))).at("digest").at("size"),
            before);

  // None of it wrote to the log.
  EXPECT_EQ(head(), before);
}

}  // namespace
