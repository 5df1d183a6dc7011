// RFC 3161 timestamps against a real TSA (`openssl ts -reply` with a CA and
// a TSA certificate made for the test): our requests are ones openssl reads
// and answers, replies check with and without the CA, and every wrong input
// is refused: other data, another digest, a refused request, another CA,
// garbage, truncation, trailing bytes and every single flipped byte of the
// signed content.
#include "parcours/engine/timestamp.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "local_tsa.h"
#include "temp_dir.h"

namespace parcours::engine {
namespace {

using testing::LocalTsa;
using testing::TempDir;

const std::string dossierBytes = "dossier-2020-000123: submitted, 14 documents, sha256 chain head";

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// How `openssl ts -reply -text` prints a genTime ("Jan  7 10:00:00.12 2026
// GMT", the fraction without trailing zeros), from our microseconds.
std::string asOpensslPrintsIt(std::int64_t micros) {
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  std::string fraction;
  if (const auto rest = micros % 1'000'000; rest != 0) {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(rest));
    fraction = std::string(".") + digits;
    while (fraction.back() == '0') fraction.pop_back();
  }
  char text[64];
  std::snprintf(text, sizeof text, "%s %2d %02d:%02d:%02d%s %d GMT", months[t.tm_mon], t.tm_mday,
                t.tm_hour, t.tm_min, t.tm_sec, fraction.c_str(), t.tm_year + 1900);
  return text;
}

class Timestamp : public ::testing::Test {
 protected:
  Timestamp() : tsa_(dir_.path()) {}

  void SetUp() override { ASSERT_TRUE(tsa_.ready()); }

  // A reply of the test TSA for a request of ours for `data`.
  std::string replyFor(const std::string& data) {
    auto request = makeTimestampRequest(data);
    EXPECT_TRUE(request) << request.error().message;
    if (!request) return {};
    std::string reply = tsa_.reply(*request);
    EXPECT_FALSE(reply.empty());
    return reply;
  }

  // The DER TSTInfo (the signed content) of a reply, extracted by openssl's
  // own CMS code (which checks the signature, not the chain, on the way).
  std::string tstInfoOf(const std::string& reply) {
    auto token = tokenOfReply(reply);
    EXPECT_TRUE(token) << token.error().message;
    if (!token) return {};
    const auto tokenFile = dir_.path() / "token.der";
    const auto contentFile = dir_.path() / "tstinfo.der";
    LocalTsa::writeBytes(tokenFile, *token);
    if (!tsa_.openssl("cms -verify -noverify -binary -inform DER -in " +
                      LocalTsa::quoted(tokenFile.string()) + " -out " +
                      LocalTsa::quoted(contentFile.string()))) {
      return {};
    }
    return LocalTsa::readBytes(contentFile);
  }

  TempDir dir_;
  LocalTsa tsa_;
};

// --- Requests ---------------------------------------------------------------

TEST_F(Timestamp, OpensslReadsOurRequestAsSha256WithNonceAndCertReq) {
  auto request = makeTimestampRequest(dossierBytes);
  ASSERT_TRUE(request) << request.error().message;
  auto text = tsa_.requestText(*request);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("Version: 1"), std::string::npos) << *text;
  EXPECT_NE(text->find("Hash Algorithm: sha256"), std::string::npos) << *text;
  EXPECT_NE(text->find("Policy OID: unspecified"), std::string::npos) << *text;
  EXPECT_NE(text->find("Nonce: 0x"), std::string::npos) << *text;
  EXPECT_NE(text->find("Certificate required: yes"), std::string::npos) << *text;

  // The same imprint as openssl's own request for the same bytes.
  const auto dataFile = dir_.path() / "data.bin";
  LocalTsa::writeBytes(dataFile, dossierBytes);
  auto theirs = tsa_.openssl("ts -query -sha256 -cert -data " +
                             LocalTsa::quoted(dataFile.string()) + " -text");
  ASSERT_TRUE(theirs);
  const auto imprintOf = [](const std::string& t) {
    const auto begin = t.find("Message data:");
    const auto end = t.find("Policy OID:");
    return begin == std::string::npos || end == std::string::npos ? std::string()
                                                                  : t.substr(begin, end - begin);
  };
  EXPECT_FALSE(imprintOf(*text).empty());
  EXPECT_EQ(imprintOf(*text), imprintOf(*theirs));
}

TEST_F(Timestamp, TwoRequestsForTheSameDataHaveDifferentNonces) {
  auto first = makeTimestampRequest(dossierBytes);
  auto second = makeTimestampRequest(dossierBytes);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

// --- Replies that check ---------------------------------------------------------

TEST_F(Timestamp, ReplyChecksWithTheCaAndWithoutIt) {
  const std::string reply = replyFor(dossierBytes);
  ASSERT_FALSE(reply.empty());
  const std::int64_t now = nowMicros();

  auto chained = checkTimestampReply(reply, dossierBytes, tsa_.caFile());
  ASSERT_TRUE(chained) << chained.error().message;
  EXPECT_TRUE(chained->chainChecked);
  EXPECT_LT(std::llabs(chained->genTimeMicros - now), 60'000'000) << chained->genTimeMicros;
  EXPECT_FALSE(chained->serialHex.empty());
  EXPECT_EQ(chained->policyOid, LocalTsa::policyOid);
  EXPECT_NE(chained->tsaName.find("CN = parcours test TSA"), std::string::npos) << chained->tsaName;
  EXPECT_EQ(chained->tsaName.find('\n'), std::string::npos);

  auto alone = checkTimestampReply(reply, dossierBytes);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_FALSE(alone->chainChecked);
  TimestampToken expected = *chained;
  expected.chainChecked = false;
  EXPECT_EQ(*alone, expected);
}

// genTime to the microsecond and the serial number, as openssl reads them.
TEST_F(Timestamp, GenTimeAndSerialAreTheOnesOpensslReads) {
  std::vector<std::string> serials;
  for (int i = 0; i < 2; ++i) {
    const std::string reply = replyFor(dossierBytes);
    auto token = checkTimestampReply(reply, dossierBytes, tsa_.caFile());
    ASSERT_TRUE(token) << token.error().message;
    const auto replyFile = dir_.path() / "reply.tsr";
    LocalTsa::writeBytes(replyFile, reply);
    auto text = tsa_.openssl("ts -reply -in " + LocalTsa::quoted(replyFile.string()) + " -text");
    ASSERT_TRUE(text);
    EXPECT_NE(text->find("Time stamp: " + asOpensslPrintsIt(token->genTimeMicros) + "\n"),
              std::string::npos)
        << asOpensslPrintsIt(token->genTimeMicros) << "\n"
        << *text;
    std::string upper = token->serialHex;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_NE(text->find("Serial number: 0x" + upper + "\n"), std::string::npos)
        << token->serialHex << "\n"
        << *text;
    serials.push_back(token->serialHex);
  }
  // The TSA counts its tokens.
  EXPECT_EQ(std::stoll(serials[1], nullptr, 16), std::stoll(serials[0], nullptr, 16) + 1);
}

TEST_F(Timestamp, TheStoredTokenChecksLikeItsReply) {
  const std::string reply = replyFor(dossierBytes);
  auto fromReply = checkTimestampReply(reply, dossierBytes, tsa_.caFile());
  ASSERT_TRUE(fromReply) << fromReply.error().message;
  auto token = tokenOfReply(reply);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_LT(token->size(), reply.size());

  auto chained = checkTimestampToken(*token, dossierBytes, tsa_.caFile());
  ASSERT_TRUE(chained) << chained.error().message;
  EXPECT_EQ(*chained, *fromReply);
  auto alone = checkTimestampToken(*token, dossierBytes);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_FALSE(alone->chainChecked);

  auto otherData = checkTimestampToken(*token, dossierBytes + ".", tsa_.caFile());
  ASSERT_FALSE(otherData);
  EXPECT_NE(otherData.error().message.find("covers another digest"), std::string::npos);
  // A reply is not a token, nor a token a reply.
  EXPECT_FALSE(checkTimestampToken(reply, dossierBytes));
  auto tokenAsReply = checkTimestampReply(*token, dossierBytes);
  ASSERT_FALSE(tokenAsReply);
  EXPECT_EQ(tokenAsReply.error().code, ErrorCode::InvalidInput);
}

// --- Replies that do not --------------------------------------------------------

TEST_F(Timestamp, ReplyForOtherDataIsRefused) {
  const std::string reply = replyFor(dossierBytes);
  for (const std::string& other : {dossierBytes + " ", std::string(), std::string("x")}) {
    for (const std::string& ca : {tsa_.caFile(), std::string()}) {
      auto checked = checkTimestampReply(reply, other, ca);
      ASSERT_FALSE(checked) << "data \"" << other << "\", CA \"" << ca << "\"";
      EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput);
      EXPECT_NE(checked.error().message.find("the timestamp covers another digest"),
                std::string::npos)
          << checked.error().message;
    }
  }
}

TEST_F(Timestamp, ATimestampOfAnotherDigestIsRefused) {
  // openssl's own SHA-512 request for the same bytes: granted by the TSA, but
  // parcours only takes SHA-256 imprints.
  const auto dataFile = dir_.path() / "data.bin";
  const auto requestFile = dir_.path() / "sha512.tsq";
  LocalTsa::writeBytes(dataFile, dossierBytes);
  ASSERT_TRUE(tsa_.openssl("ts -query -sha512 -cert -data " + LocalTsa::quoted(dataFile.string()) +
                           " -out " + LocalTsa::quoted(requestFile.string())));
  const std::string reply = tsa_.reply(LocalTsa::readBytes(requestFile));
  ASSERT_FALSE(reply.empty());
  ASSERT_TRUE(tokenOfReply(reply));  // granted
  auto checked = checkTimestampReply(reply, dossierBytes, tsa_.caFile());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(checked.error().message.find("the timestamp covers another digest"), std::string::npos)
      << checked.error().message;
  EXPECT_NE(checked.error().message.find("SHA-256"), std::string::npos);
}

TEST_F(Timestamp, ARefusedRequestQuotesTheTsasStatus) {
  // SHA-1 is not among the TSA's digests: it answers "rejection".
  const auto dataFile = dir_.path() / "data.bin";
  const auto requestFile = dir_.path() / "sha1.tsq";
  LocalTsa::writeBytes(dataFile, dossierBytes);
  ASSERT_TRUE(tsa_.openssl("ts -query -sha1 -cert -data " + LocalTsa::quoted(dataFile.string()) +
                           " -out " + LocalTsa::quoted(requestFile.string())));
  const std::string reply = tsa_.reply(LocalTsa::readBytes(requestFile));
  ASSERT_FALSE(reply.empty());

  auto checked = checkTimestampReply(reply, dossierBytes, tsa_.caFile());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput);
  const std::string& message = checked.error().message;
  EXPECT_NE(message.find("did not grant"), std::string::npos) << message;
  EXPECT_NE(message.find("status rejection (2)"), std::string::npos) << message;
  EXPECT_NE(message.find("failure badAlg"), std::string::npos) << message;
  EXPECT_NE(message.find("text \"Message digest algorithm is not supported.\""), std::string::npos)
      << message;

  auto token = tokenOfReply(reply);
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, message);
}

TEST_F(Timestamp, AReplyWithoutTheTsaCertificateIsRefused) {
  // openssl's request without -cert: certReq false, so the token does not
  // embed the TSA's certificate and there is nothing to check it with.
  const auto dataFile = dir_.path() / "data.bin";
  const auto requestFile = dir_.path() / "nocert.tsq";
  LocalTsa::writeBytes(dataFile, dossierBytes);
  ASSERT_TRUE(tsa_.openssl("ts -query -sha256 -data " + LocalTsa::quoted(dataFile.string()) +
                           " -out " + LocalTsa::quoted(requestFile.string())));
  const std::string reply = tsa_.reply(LocalTsa::readBytes(requestFile));
  ASSERT_FALSE(reply.empty());
  for (const std::string& ca : {tsa_.caFile(), std::string()}) {
    auto checked = checkTimestampReply(reply, dossierBytes, ca);
    ASSERT_FALSE(checked) << "CA \"" << ca << "\"";
    EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(
        checked.error().message.find("does not carry exactly one signer with its certificate"),
        std::string::npos)
        << checked.error().message;
  }
}

TEST_F(Timestamp, AReplyCheckedAgainstAnotherCaIsRefused) {
  const std::string reply = replyFor(dossierBytes);
  TempDir otherDir;
  LocalTsa other(otherDir.path(), "other");
  ASSERT_TRUE(other.ready());
  auto checked = checkTimestampReply(reply, dossierBytes, other.caFile());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(checked.error().message.find("does not check against the CA certificates in " +
                                         other.caFile()),
            std::string::npos)
      << checked.error().message;
  // And the other TSA's reply against our CA.
  auto request = makeTimestampRequest(dossierBytes);
  ASSERT_TRUE(request);
  EXPECT_FALSE(checkTimestampReply(other.reply(*request), dossierBytes, tsa_.caFile()));
  // A TSA certificate is not a CA: it does not anchor a chain either.
  EXPECT_FALSE(checkTimestampReply(reply, dossierBytes, other.tsaCertFile()));
}

TEST_F(Timestamp, AnUnreadableCaFileIsInvalidInput) {
  const std::string reply = replyFor(dossierBytes);
  const std::string missing = (dir_.path() / "no-such-ca.pem").string();
  auto checked = checkTimestampReply(reply, dossierBytes, missing);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(checked.error().message.find("cannot read CA certificates from " + missing),
            std::string::npos)
      << checked.error().message;

  const auto notPem = dir_.path() / "not-a-ca.pem";
  LocalTsa::writeBytes(notPem, "not a certificate\n");
  EXPECT_FALSE(checkTimestampReply(reply, dossierBytes, notPem.string()));
}

TEST_F(Timestamp, GarbageEmptyTruncatedAndTrailingBytesAreNotReplies) {
  const std::string reply = replyFor(dossierBytes);
  ASSERT_FALSE(reply.empty());
  auto request = makeTimestampRequest(dossierBytes);
  ASSERT_TRUE(request);
  const auto refused = [&](const std::string& input, const std::string& what) {
    auto checked = checkTimestampReply(input, dossierBytes, tsa_.caFile());
    ASSERT_FALSE(checked) << what;
    EXPECT_EQ(checked.error().code, ErrorCode::InvalidInput) << what;
    EXPECT_NE(checked.error().message.find("is not an RFC 3161 timestamp reply"), std::string::npos)
        << what << ": " << checked.error().message;
    EXPECT_FALSE(tokenOfReply(input)) << what;
  };
  refused("", "empty");
  refused("hello, I am a timestamp", "text");
  refused(std::string(100, '\0'), "zeros");
  refused(std::string(1000, '\xff'), "0xff bytes");
  refused(*request, "our request");
  refused(reply + '\0', "one trailing byte");
  refused(reply + reply, "the reply twice");
  refused(std::string(timestampReplyBytesMax + 1, '0'), "over the limit");
  for (std::size_t size = 0; size < reply.size(); ++size) {
    refused(reply.substr(0, size), "truncated to " + std::to_string(size) + " bytes");
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// What the TSA signs is the TSTInfo (the encapsulated content, hashed into
// the signed attributes) and the signed attributes, among which the ESS
// signing-certificate attribute binds the signer's certificate. The rest of
// the reply is not signed: the status, the CMS envelope's headers, the CA
// certificate riding along. So a flipped byte anywhere either makes the
// check fail, or changes nothing the check returns; and inside the TSTInfo
// it always makes it fail.
TEST_F(Timestamp, NoSingleFlippedByteChangesWhatTheReplySays) {
  const std::string reply = replyFor(dossierBytes);
  ASSERT_FALSE(reply.empty());
  const std::string tstInfo = tstInfoOf(reply);
  ASSERT_FALSE(tstInfo.empty());
  const std::size_t signedBegin = reply.find(tstInfo);
  ASSERT_NE(signedBegin, std::string::npos);
  ASSERT_EQ(reply.find(tstInfo, signedBegin + 1), std::string::npos);
  const std::size_t signedEnd = signedBegin + tstInfo.size();

  for (const std::string& ca : {tsa_.caFile(), std::string()}) {
    auto original = checkTimestampReply(reply, dossierBytes, ca);
    ASSERT_TRUE(original) << original.error().message;

    // A byte in the middle of the signed content.
    std::string flipped = reply;
    flipped[(signedBegin + signedEnd) / 2] ^= 0x01;
    auto middle = checkTimestampReply(flipped, dossierBytes, ca);
    ASSERT_FALSE(middle);
    EXPECT_EQ(middle.error().code, ErrorCode::InvalidInput);

    // Every byte, two ways.
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < reply.size(); ++i) {
      for (const unsigned char mask : {0x01, 0xff}) {
        flipped = reply;
        flipped[i] = static_cast<char>(static_cast<unsigned char>(flipped[i]) ^ mask);
        auto checked = checkTimestampReply(flipped, dossierBytes, ca);
        if (!checked) {
          ASSERT_EQ(checked.error().code, ErrorCode::InvalidInput)
              << "byte " << i << ": " << checked.error().message;
          continue;
        }
        ++accepted;
        ASSERT_TRUE(i < signedBegin || i >= signedEnd)
            << "byte " << i << " of the signed TSTInfo [" << signedBegin << ", " << signedEnd
            << ") flipped with " << int(mask) << " was accepted, CA \"" << ca << "\"";
        ASSERT_EQ(*checked, *original) << "byte " << i << " flipped with " << int(mask)
                                       << " changed the token, CA \"" << ca << "\"";
      }
    }
    // Some flips do land in unsigned parts (the CA certificate's signature
    // bits, say): the check above is not vacuous.
    EXPECT_GT(accepted, 0u) << "CA \"" << ca << "\"";
    RecordProperty(ca.empty() ? "flipsAcceptedUnchangedWithoutCa" : "flipsAcceptedUnchangedWithCa",
                   std::to_string(accepted) + " of " + std::to_string(2 * reply.size()));
  }
}

TEST_F(Timestamp, NoSingleFlippedByteChangesWhatTheTokenSays) {
  const std::string reply = replyFor(dossierBytes);
  auto token = tokenOfReply(reply);
  ASSERT_TRUE(token) << token.error().message;
  auto original = checkTimestampToken(*token, dossierBytes, tsa_.caFile());
  ASSERT_TRUE(original) << original.error().message;
  for (std::size_t i = 0; i < token->size(); ++i) {
    std::string flipped = *token;
    flipped[i] ^= 0x01;
    auto checked = checkTimestampToken(flipped, dossierBytes, tsa_.caFile());
    if (checked) {
      ASSERT_EQ(*checked, *original) << "byte " << i;
    }
  }
}

}  // namespace
}  // namespace parcours::engine
