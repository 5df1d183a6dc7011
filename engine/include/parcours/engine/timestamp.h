// RFC 3161 trusted timestamps: proof, signed by a timestamping authority
// (TSA), that some bytes existed at a given time.
//
// parcours builds the request (makeTimestampRequest), something outside the
// engine carries it to a TSA (no network here), and the reply is checked
// (checkTimestampReply) before the signed part, the TimeStampToken
// (tokenOfReply), is stored; a stored token is checked again with
// checkTimestampToken. All the ASN.1 and cryptography is OpenSSL 3's TS API;
// OpenSSL stays private to engine/ (no OpenSSL type appears here).
//
// Every function is thread-safe (no shared state) and leaves the calling
// thread's OpenSSL error queue empty: OpenSSL's error text is moved into the
// returned Error's message.
//
// What a check does not do: it does not compare the nonce with the request's
// (the reply is checked on its own, so a reply is only as fresh as the
// caller's bookkeeping of which request it answers), does not check the
// policy, and checks certificates at the current time, so a token whose TSA
// certificate has since expired no longer checks (long-term validation, e.g.
// with an archive timestamp, is not done here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "parcours/store/result.h"

namespace parcours::engine {

// The largest reply or token accepted. A TSA's reply with a certificate chain
// of two or three certificates is 2-8 KiB; the stored token must also fit in
// one event payload (limits::payloadBytesMax, 64 KiB).
inline constexpr std::size_t timestampReplyBytesMax = 32 * 1024;

// A DER-encoded RFC 3161 TimeStampReq for `data` (the .tsq a TSA accepts):
// version 1, messageImprint = SHA-256(data), a random 64-bit nonce,
// certReq = true (so the reply embeds the TSA's certificate and can be checked
// without it), no policy, no extensions. Fails only if OpenSSL or its random
// generator fails (Internal / IoError).
Result<std::string> makeTimestampRequest(std::string_view data);

// What a checked token says. Every field comes from the signed TSTInfo or
// from the signer certificate bound to the signature, so two checks of the
// same token give equal values.
struct TimestampToken {
  std::int64_t genTimeMicros = 0;  // the TSA's genTime, microseconds since the Unix epoch, UTC
                                   // (fractions of a second below 1 us are truncated)
  std::string tsaName;        // the token's TSA name if it has one, else the signer certificate's
                              // subject; one line ("CN = ..., O = ..., C = FR"), UTF-8
  std::string serialHex;      // the token's serial number, lower-case hex, two digits a byte
                              // ("02", "0a1b"; "-" first if negative)
  std::string policyOid;      // the TSA policy under which the token was issued, dotted ("1.2.3.4")
  bool chainChecked = false;  // true when the signer chained up to a CA given by the caller

  bool operator==(const TimestampToken&) const = default;
};

// Checks a DER TimeStampResp (the .tsr a TSA returns) against `data`:
// - well-formed DER of at most timestampReplyBytesMax bytes, nothing after it
//   (else InvalidInput "... is not an RFC 3161 timestamp reply");
// - status granted or grantedWithMods, the two that carry a token (else
//   InvalidInput quoting the TSA's status, failure reasons and text);
// - imprint algorithm SHA-256 and imprint == SHA-256(data) (else InvalidInput
//   "the timestamp covers another digest ...");
// - a valid signature by exactly one signer whose certificate is embedded in
//   the token, has the timeStamping extended key usage, and is the one named
//   in the token's signed ESS signing-certificate attribute; a TSA name in
//   the token must name that certificate (else InvalidInput).
// With `caFile` non-empty (a PEM file of one or more CA certificates), the
// signer's certificate must also chain up to one of them, checked now
// (chainChecked = true); a CA file that cannot be read is InvalidInput.
// Without, the embedded signer certificate is taken as it is: the signature
// is genuine but says nothing of who the TSA is (chainChecked = false).
Result<TimestampToken> checkTimestampReply(std::string_view replyDer, std::string_view data,
                                           const std::string& caFile = {});

// The DER TimeStampToken (a CMS SignedData over the TSTInfo) inside a reply:
// what gets stored. The reply is parsed, not checked: call
// checkTimestampReply first. InvalidInput if the reply is not well-formed or
// carries no token (status other than granted).
Result<std::string> tokenOfReply(std::string_view replyDer);

// checkTimestampReply for a stored token (tokenOfReply's bytes): the same
// checks but the status, which only the reply carries.
Result<TimestampToken> checkTimestampToken(std::string_view tokenDer, std::string_view data,
                                           const std::string& caFile = {});

}  // namespace parcours::engine
