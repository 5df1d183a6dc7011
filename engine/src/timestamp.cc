// RFC 3161 timestamps with OpenSSL 3's TS API. All parsing and DER encoding
// is OpenSSL's (no hand-written ASN.1); this file owns the objects, decides
// which checks run and turns OpenSSL's failures into messages for people.
#include "parcours/engine/timestamp.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <climits>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

#include "parcours/store/limits.h"

namespace parcours::engine {
namespace {

static_assert(timestampReplyBytesMax <= limits::payloadBytesMax,
              "a stored timestamp token must fit in one event payload");
static_assert(timestampReplyBytesMax <= static_cast<unsigned long>(LONG_MAX),
              "OpenSSL's d2i functions take a long length");

// Every OpenSSL object is owned by exactly one unique_ptr with its free
// function, so no failure path leaks.
template <auto freeFunction>
struct Free {
  template <typename T>
  void operator()(T* p) const {
    freeFunction(p);
  }
};
template <typename T, auto freeFunction>
using Owned = std::unique_ptr<T, Free<freeFunction>>;

void freeOpensslMemory(void* p) {
  OPENSSL_free(p);
}
// sk_X509_free is a static inline in OpenSSL's headers; a plain function has
// one address for the template argument.
void freeCertificateList(STACK_OF(X509) * list) {
  sk_X509_free(list);
}

using Algorithm = Owned<X509_ALGOR, X509_ALGOR_free>;
using Asn1Integer = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using Bignum = Owned<BIGNUM, BN_free>;
using Bio = Owned<BIO, BIO_free_all>;
using CertificateList = Owned<STACK_OF(X509), freeCertificateList>;  // borrowed certificates
using CertificateStore = Owned<X509_STORE, X509_STORE_free>;
using MessageImprint = Owned<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>;
using OpensslString = Owned<char, freeOpensslMemory>;
using Reply = Owned<TS_RESP, TS_RESP_free>;
using Request = Owned<TS_REQ, TS_REQ_free>;
using SignedData = Owned<PKCS7, PKCS7_free>;
using TstInfo = Owned<TS_TST_INFO, TS_TST_INFO_free>;
using VerifyContext = Owned<TS_VERIFY_CTX, TS_VERIFY_CTX_free>;

using Sha256 = std::array<unsigned char, 32>;

// OpenSSL reports failures on a per-thread queue. Each public function starts
// from an empty queue (so a message quotes this call's errors only, not some
// other library's leftovers) and leaves it empty (so its failures do not
// surface in the caller's next OpenSSL call).
class ErrorQueueScope {
 public:
  ErrorQueueScope() { ERR_clear_error(); }
  ~ErrorQueueScope() { ERR_clear_error(); }
  ErrorQueueScope(const ErrorQueueScope&) = delete;
  ErrorQueueScope& operator=(const ErrorQueueScope&) = delete;
};

// Drains the error queue into one line, oldest first, with the detail some
// entries carry (the X.509 verifier puts "Verify error:..." there).
std::string opensslErrors() {
  std::string out;
  const char* detail = nullptr;
  int flags = 0;
  while (const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &detail, &flags)) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    if (!out.empty()) out += "; ";
    out += text.data();
    if (detail != nullptr && (flags & ERR_TXT_STRING) != 0 && *detail != '\0') {
      out += " (";
      out += detail;
      out += ")";
    }
  }
  return out.empty() ? "OpenSSL gave no reason" : out;
}

std::string toHex(const unsigned char* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xf];
  }
  return out;
}

// Names and tokens come from outside; whatever bytes they hold, what we hand
// back stays on one line.
std::string oneLine(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x" + toHex(&byte, 1);
    } else {
      out += c;
    }
  }
  return out;
}

std::string bytesOf(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

Result<Sha256> sha256(std::string_view data) {
  Sha256 digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    return Error::bug("OpenSSL could not compute a SHA-256 digest (" + opensslErrors() +
                      "); this is a bug in parcours or in its OpenSSL installation, please "
                      "report it");
  }
  return digest;
}

// An i2d_* function's output as bytes; nullopt if OpenSSL cannot encode.
template <typename T, typename Encode>
std::optional<std::string> toDer(T* object, Encode encode) {
  const int size = encode(object, nullptr);
  if (size <= 0) return std::nullopt;
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* cursor = reinterpret_cast<unsigned char*>(out.data());
  if (encode(object, &cursor) != size) return std::nullopt;
  return out;
}

// Decodes `der` as one whole DER object with a d2i_* function. Bytes after the
// object are refused: they would ride along a valid token unchecked.
// `what` names the expected structure for the message ("RFC 3161 timestamp
// reply"), `advice` says what to do.
template <typename Owner, typename Decode>
Result<Owner> decodeWhole(std::string_view der, Decode decode, std::string_view what,
                          std::string_view advice) {
  const std::string prefix =
      "the " + std::to_string(der.size()) + "-byte input is not an " + std::string(what);
  if (der.empty()) {
    return Error::invalidInput("the input is empty, so it is not an " + std::string(what) + "; " +
                               std::string(advice));
  }
  if (der.size() > timestampReplyBytesMax) {
    return Error::invalidInput(prefix + ": it is over the limit of " +
                               std::to_string(timestampReplyBytesMax) +
                               " bytes (a TSA's reply is a few KiB); " + std::string(advice));
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* cursor = begin;
  Owner object(decode(nullptr, &cursor, static_cast<long>(der.size())));
  if (!object) {
    return Error::invalidInput(prefix + " (" + opensslErrors() + "); " + std::string(advice));
  }
  const auto used = static_cast<std::size_t>(cursor - begin);
  if (used != der.size()) {
    return Error::invalidInput(prefix + ": a well-formed one of " + std::to_string(used) +
                               " bytes is followed by " + std::to_string(der.size() - used) +
                               " more; " + std::string(advice));
  }
  return object;
}

constexpr std::string_view replyAdvice =
    "pass the .tsr bytes the TSA returned, unmodified (DER, not base64 or PEM)";
constexpr std::string_view tokenAdvice =
    "pass the token bytes tokenOfReply returned, unmodified (DER, not base64 or PEM)";

Result<Reply> parseReply(std::string_view der) {
  return decodeWhole<Reply>(der, d2i_TS_RESP, "RFC 3161 timestamp reply", replyAdvice);
}

// "status rejection (2), failure badAlg, text "..."": everything the TSA said.
std::string describeStatus(const TS_STATUS_INFO* info) {
  static constexpr std::array<std::string_view, 6> statusNames = {
      "granted", "grantedWithMods",   "rejection",
      "waiting", "revocationWarning", "revocationNotification"};
  static constexpr std::array<std::pair<int, std::string_view>, 8> failureNames = {{
      {TS_INFO_BAD_ALG, "badAlg"},
      {TS_INFO_BAD_REQUEST, "badRequest"},
      {TS_INFO_BAD_DATA_FORMAT, "badDataFormat"},
      {TS_INFO_TIME_NOT_AVAILABLE, "timeNotAvailable"},
      {TS_INFO_UNACCEPTED_POLICY, "unacceptedPolicy"},
      {TS_INFO_UNACCEPTED_EXTENSION, "unacceptedExtension"},
      {TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"},
      {TS_INFO_SYSTEM_FAILURE, "systemFailure"},
  }};
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(info));
  std::string out = "status ";
  if (status >= 0 && static_cast<std::size_t>(status) < statusNames.size()) {
    out += std::string(statusNames[static_cast<std::size_t>(status)]) + " (" +
           std::to_string(status) + ")";
  } else {
    out += std::to_string(status) + " (not a status RFC 3161 defines)";
  }
  if (const ASN1_BIT_STRING* failure = TS_STATUS_INFO_get0_failure_info(info)) {
    std::string reasons;
    for (const auto& [bit, name] : failureNames) {
      if (ASN1_BIT_STRING_get_bit(failure, bit) == 1) {
        reasons += (reasons.empty() ? "" : ", ") + std::string(name);
      }
    }
    if (!reasons.empty()) out += ", failure " + reasons;
  }
  if (const auto* texts = TS_STATUS_INFO_get0_text(info)) {
    for (int i = 0; i < sk_ASN1_UTF8STRING_num(texts); ++i) {
      const ASN1_UTF8STRING* text = sk_ASN1_UTF8STRING_value(texts, i);
      const std::string_view value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                                   static_cast<std::size_t>(ASN1_STRING_length(text)));
      out += ", text \"" + oneLine(value) + "\"";
    }
  }
  return out;
}

// granted (0) and grantedWithMods (1) are the statuses that carry a token
// (RFC 3161 2.4.2); the "mods" are the TSA's to make (another policy, say),
// and what it did is in the signed token we check anyway.
bool granted(TS_RESP* reply) {
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(reply)));
  return (status == 0 || status == 1) && TS_RESP_get_token(reply) != nullptr &&
         TS_RESP_get_tst_info(reply) != nullptr;
}

Error notGranted(TS_RESP* reply) {
  return Error::invalidInput(
      "the TSA did not grant the timestamp, its reply says " +
      describeStatus(TS_RESP_get_status_info(reply)) +
      "; fix what it names in the request, or ask again later or another TSA");
}

// genTime is a GeneralizedTime in UTC, possibly with a fraction of a second
// (RFC 3161 2.4.2: "YYYYMMDDhhmmss[.s...]Z"). OpenSSL gives the whole
// seconds; the fraction is read from the string, which OpenSSL has already
// validated, to microseconds (truncated).
std::optional<std::int64_t> genTimeMicros(const ASN1_GENERALIZEDTIME* time) {
  std::tm fields{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &fields) != 1) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{year(fields.tm_year + 1900),
                            month(static_cast<unsigned>(fields.tm_mon + 1)),
                            day(static_cast<unsigned>(fields.tm_mday))};
  if (!date.ok()) return std::nullopt;
  const auto wholeSeconds =
      sys_days(date) + hours(fields.tm_hour) + minutes(fields.tm_min) + seconds(fields.tm_sec);
  std::int64_t micros = duration_cast<microseconds>(wholeSeconds.time_since_epoch()).count();

  const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(time)),
                              static_cast<std::size_t>(ASN1_STRING_length(time)));
  if (const auto dot = text.find('.'); dot != std::string_view::npos) {
    std::int64_t fraction = 0;
    int digits = 0;
    for (std::size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (digits == 6) break;
      fraction = fraction * 10 + (text[i] - '0');
      ++digits;
    }
    for (; digits < 6; ++digits) fraction *= 10;
    micros += fraction;
  }
  return micros;
}

std::optional<std::string> oneLineName(const X509_NAME* name) {
  Bio bio(BIO_new(BIO_s_mem()));
  // OpenSSL's one-line form ("CN = ..., O = ..."), with non-ASCII kept as
  // UTF-8 rather than escaped: French names stay readable.
  constexpr unsigned long flags = XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB;
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) return std::nullopt;
  return oneLine(bytesOf(bio.get()));
}

// The token's TSA field if present (TS_VFY_SIGNER has checked it names the
// signer), else the signer certificate's subject.
std::optional<std::string> tsaNameOf(TS_TST_INFO* info, X509* signer) {
  GENERAL_NAME* tsa = TS_TST_INFO_get_tsa(info);
  if (tsa == nullptr) return oneLineName(X509_get_subject_name(signer));
  int type = 0;
  void* value = GENERAL_NAME_get0_value(tsa, &type);
  if (type == GEN_DIRNAME) return oneLineName(static_cast<const X509_NAME*>(value));
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || GENERAL_NAME_print(bio.get(), tsa) != 1) return std::nullopt;
  return oneLine(bytesOf(bio.get()));
}

std::optional<std::string> serialHexOf(const TS_TST_INFO* info) {
  Bignum serial(ASN1_INTEGER_to_BN(TS_TST_INFO_get_serial(info), nullptr));
  if (!serial) return std::nullopt;
  OpensslString hex(BN_bn2hex(serial.get()));
  if (!hex) return std::nullopt;
  std::string out(hex.get());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> policyOidOf(TS_TST_INFO* info) {
  const ASN1_OBJECT* policy = TS_TST_INFO_get_policy_id(info);
  if (policy == nullptr) return std::nullopt;
  std::array<char, 128> text{};
  const int size = OBJ_obj2txt(text.data(), static_cast<int>(text.size()), policy, 1);
  if (size <= 0) return std::nullopt;
  if (static_cast<std::size_t>(size) < text.size()) return std::string(text.data());
  std::string longer(static_cast<std::size_t>(size) + 1, '\0');
  OBJ_obj2txt(longer.data(), static_cast<int>(longer.size()), policy, 1);
  longer.resize(static_cast<std::size_t>(size));
  return longer;
}

// The token's imprint must be SHA-256 of `data`. Checked by hand before the
// signature so that a genuine timestamp of other bytes gets its own message;
// OpenSSL checks it again (TS_VFY_IMPRINT) under the signature.
Status checkImprint(TS_TST_INFO* info, const Sha256& expected) {
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info);
  const ASN1_OBJECT* algorithm = nullptr;
  int parameterType = 0;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&algorithm, &parameterType, &parameter, TS_MSG_IMPRINT_get_algo(imprint));
  if (OBJ_obj2nid(algorithm) != NID_sha256) {
    std::array<char, 128> name{};
    OBJ_obj2txt(name.data(), static_cast<int>(name.size()), algorithm, 0);
    return Error::invalidInput("the timestamp covers another digest: it names the data by " +
                               std::string(name.data()) +
                               " where parcours requires SHA-256; ask the TSA for a timestamp "
                               "of a SHA-256 request (makeTimestampRequest makes one)");
  }
  // RFC 5754: SHA-256's parameters are absent or NULL, nothing else.
  if (parameterType != V_ASN1_UNDEF && parameterType != V_ASN1_NULL) {
    return Error::invalidInput(
        "the timestamp covers another digest: its SHA-256 algorithm identifier carries "
        "parameters, which SHA-256 has none of; the token is malformed");
  }
  const ASN1_OCTET_STRING* digest = TS_MSG_IMPRINT_get_msg(imprint);
  const auto* bytes = ASN1_STRING_get0_data(digest);
  const auto size = static_cast<std::size_t>(ASN1_STRING_length(digest));
  if (size != expected.size() || !std::equal(expected.begin(), expected.end(), bytes)) {
    return Error::invalidInput("the timestamp covers another digest: SHA-256 " +
                               toHex(bytes, size) + " where the data's is " +
                               toHex(expected.data(), expected.size()) +
                               "; it is the timestamp of other bytes, check that the data and "
                               "the timestamp belong together");
  }
  return okStatus();
}

// The one signer's certificate, embedded in the token (borrowed from it).
Result<X509*> signerOf(PKCS7* token) {
  CertificateList signers(PKCS7_get0_signers(token, nullptr, 0));
  if (!signers || sk_X509_num(signers.get()) != 1) {
    const std::string reason =
        signers ? std::to_string(sk_X509_num(signers.get())) + " signers" : opensslErrors();
    return Error::invalidInput(
        "the timestamp token does not carry exactly one signer with its certificate (" + reason +
        "); ask the TSA again with certReq set (makeTimestampRequest sets it) so that the token "
        "embeds its certificate");
  }
  return sk_X509_value(signers.get(), 0);
}

// The signature, the signer's certificate and the token's contents, by
// OpenSSL's TS verifier. `token` and `info` are the same token, parsed.
Result<TimestampToken> checkToken(PKCS7* token, TS_TST_INFO* info, std::string_view data,
                                  const std::string& caFile) {
  auto expected = sha256(data);
  if (!expected) return expected.error();
  if (auto imprint = checkImprint(info, *expected); !imprint) return imprint.error();
  auto signer = signerOf(token);
  if (!signer) return signer.error();

  CertificateStore store(X509_STORE_new());
  if (!store) return Error::bug("OpenSSL could not make a certificate store: " + opensslErrors());
  if (!caFile.empty()) {
    if (X509_STORE_load_file(store.get(), caFile.c_str()) != 1) {
      return Error::invalidInput("cannot read CA certificates from " + caFile + " (" +
                                 opensslErrors() +
                                 "); give a PEM file holding the certificate of the CA that "
                                 "certified the TSA");
    }
  } else {
    // No CA: the embedded signer certificate is taken as its own trust
    // anchor (a partial chain), so the verifier still checks everything but
    // the chain: the timeStamping purpose, the ESS binding of that
    // certificate to the signature, the signature itself.
    if (X509_STORE_add_cert(store.get(), *signer) != 1 ||
        X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN) != 1) {
      return Error::bug("OpenSSL could not fill a certificate store: " + opensslErrors());
    }
  }

  VerifyContext context(TS_VERIFY_CTX_new());
  auto* imprintCopy =
      static_cast<unsigned char*>(OPENSSL_memdup(expected->data(), expected->size()));
  if (!context || imprintCopy == nullptr) {
    OPENSSL_free(imprintCopy);
    return Error::bug("OpenSSL could not make a timestamp verifier: " + opensslErrors());
  }
  // The context owns the store and the imprint copy from here on.
  TS_VERIFY_CTX_set_store(context.get(), store.release());
  TS_VERIFY_CTX_set_imprint(context.get(), imprintCopy, static_cast<long>(expected->size()));
  // VERSION: TSTInfo v1. SIGNATURE: one signer, certificate path (to the CA
  // or the partial anchor) with the timeStamping purpose, ESS signing
  // certificate, signature. SIGNER: a TSA name in the token names the signer.
  // IMPRINT: SHA-256(data) again, now under the checked signature. Not NONCE
  // nor POLICY: the reply is checked without its request.
  TS_VERIFY_CTX_set_flags(context.get(),
                          TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_SIGNER | TS_VFY_IMPRINT);
  if (TS_RESP_verify_token(context.get(), token) != 1) {
    if (caFile.empty()) {
      return Error::invalidInput(
          "the timestamp does not check against the certificate it embeds (" + opensslErrors() +
          "); it was altered after the TSA signed it, or it was not signed by a timestamping "
          "certificate");
    }
    return Error::invalidInput("the timestamp does not check against the CA certificates in " +
                               caFile + " (" + opensslErrors() +
                               "); it was altered after the TSA signed it, or its TSA is not one "
                               "that CA certified");
  }

  TimestampToken out;
  auto when = genTimeMicros(TS_TST_INFO_get_time(info));
  auto name = tsaNameOf(info, *signer);
  auto serial = serialHexOf(info);
  auto policy = policyOidOf(info);
  if (!when || !name || !serial || !policy) {
    // The verifier accepted a token whose fields OpenSSL itself then cannot
    // read: not the caller's doing.
    return Error::bug("OpenSSL checked a timestamp token but could not read its fields (" +
                      opensslErrors() + "); please report this with the token");
  }
  out.genTimeMicros = *when;
  out.tsaName = std::move(*name);
  out.serialHex = std::move(*serial);
  out.policyOid = std::move(*policy);
  out.chainChecked = !caFile.empty();
  return out;
}

}  // namespace

Result<std::string> makeTimestampRequest(std::string_view data) {
  ErrorQueueScope errors;
  auto digest = sha256(data);
  if (!digest) return digest.error();

  // A random nonce lets the caller match a reply to its request (RFC 3161
  // 2.4.1); 64 bits make a collision between requests negligible.
  std::array<unsigned char, 8> nonceBytes{};
  if (RAND_bytes(nonceBytes.data(), static_cast<int>(nonceBytes.size())) != 1) {
    return Error::ioError(
        "the system's random generator failed while drawing a timestamp "
        "request's nonce (" +
        opensslErrors() + "); check the machine's entropy source and retry");
  }
  Bignum nonceNumber(BN_bin2bn(nonceBytes.data(), static_cast<int>(nonceBytes.size()), nullptr));
  Asn1Integer nonce(nonceNumber ? BN_to_ASN1_INTEGER(nonceNumber.get(), nullptr) : nullptr);

  Algorithm algorithm(X509_ALGOR_new());
  MessageImprint imprint(TS_MSG_IMPRINT_new());
  Request request(TS_REQ_new());
  // SHA-256 with an explicit NULL parameter, as `openssl ts -query` writes
  // it; RFC 5754 has verifiers accept it as well as absent parameters. The
  // set_* calls copy their argument, so the owners above still free theirs.
  const bool built =
      nonce && algorithm && imprint && request &&
      X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) == 1 &&
      TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) == 1 &&
      TS_MSG_IMPRINT_set_msg(imprint.get(), digest->data(), static_cast<int>(digest->size())) ==
          1 &&
      TS_REQ_set_version(request.get(), 1) == 1 &&
      TS_REQ_set_msg_imprint(request.get(), imprint.get()) == 1 &&
      TS_REQ_set_nonce(request.get(), nonce.get()) == 1 &&
      // certReq: the reply embeds the TSA's certificate, so a token can be
      // checked on its own, years later, with only the CA at hand.
      TS_REQ_set_cert_req(request.get(), 1) == 1;
  auto der = built ? toDer(request.get(), i2d_TS_REQ) : std::nullopt;
  if (!der) {
    return Error::bug("OpenSSL could not build a timestamp request (" + opensslErrors() +
                      "); this is a bug in parcours or the machine is out of memory, please "
                      "report it");
  }
  return std::move(*der);
}

Result<TimestampToken> checkTimestampReply(std::string_view replyDer, std::string_view data,
                                           const std::string& caFile) {
  ErrorQueueScope errors;
  auto reply = parseReply(replyDer);
  if (!reply) return reply.error();
  if (!granted(reply->get())) return notGranted(reply->get());
  return checkToken(TS_RESP_get_token(reply->get()), TS_RESP_get_tst_info(reply->get()), data,
                    caFile);
}

Result<std::string> tokenOfReply(std::string_view replyDer) {
  ErrorQueueScope errors;
  auto reply = parseReply(replyDer);
  if (!reply) return reply.error();
  if (!granted(reply->get())) return notGranted(reply->get());
  auto der = toDer(TS_RESP_get_token(reply->get()),
                   [](PKCS7* token, unsigned char** out) { return i2d_PKCS7(token, out); });
  if (!der) {
    return Error::bug("OpenSSL could not re-encode a timestamp token it had just decoded (" +
                      opensslErrors() + "); please report this with the reply");
  }
  return std::move(*der);
}

Result<TimestampToken> checkTimestampToken(std::string_view tokenDer, std::string_view data,
                                           const std::string& caFile) {
  ErrorQueueScope errors;
  auto token =
      decodeWhole<SignedData>(tokenDer, d2i_PKCS7, "RFC 3161 timestamp token", tokenAdvice);
  if (!token) return token.error();
  // Checks that the SignedData holds a TSTInfo, and decodes it.
  TstInfo info(PKCS7_to_TS_TST_INFO(token->get()));
  if (!info) {
    return Error::invalidInput("the " + std::to_string(tokenDer.size()) +
                               "-byte input is a signed message but not an RFC 3161 timestamp "
                               "token (" +
                               opensslErrors() + "); " + std::string(tokenAdvice));
  }
  return checkToken(token->get(), info.get(), data, caFile);
}

}  // namespace parcours::engine
