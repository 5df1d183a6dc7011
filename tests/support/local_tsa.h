// Test support: a real RFC 3161 timestamping authority on this machine, made
// of the `openssl` command line (no network): a self-signed CA, a TSA
// certificate it signed (extendedKeyUsage = critical,timeStamping), and an
// openssl config with a [tsa] section that `openssl ts -reply` signs with.
//
// Failures of the openssl command are reported as test failures
// (ADD_FAILURE, with the command and its stderr); check ready() after
// constructing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace parcours::testing {

class LocalTsa {
 public:
  // Creates the CA, the TSA and the config in `dir`, which must exist and
  // outlive this object (a TempDir). `name` goes into both certificates'
  // common names, so two TSAs in one test are told apart.
  explicit LocalTsa(std::filesystem::path dir, const std::string& name = "parcours test");
  LocalTsa(const LocalTsa&) = delete;
  LocalTsa& operator=(const LocalTsa&) = delete;

  // True when every certificate and the config were made.
  bool ready() const { return ready_; }

  // The DER TimeStampResp `openssl ts -reply` gives for the DER request
  // (empty, with a test failure, if openssl fails). A request the TSA
  // refuses (say, an unsupported digest) still gets a reply, with a
  // rejection status.
  std::string reply(const std::string& requestDer);

  // `openssl ts -query -in <request> -text`: openssl's reading of a request,
  // or nullopt (with a test failure) if it cannot parse it.
  std::optional<std::string> requestText(const std::string& requestDer);

  // Runs `openssl <arguments>` in the TSA's directory and returns its stdout,
  // or nullopt (with a test failure) if it exits non-zero. The arguments are
  // passed to /bin/sh as they are: quote paths with quoted().
  std::optional<std::string> openssl(const std::string& arguments);

  // PEM files.
  std::string caFile() const { return (dir_ / "ca.pem").string(); }
  std::string tsaCertFile() const { return (dir_ / "tsa.pem").string(); }
  // The openssl config with the [tsa] section.
  std::string configFile() const { return (dir_ / "openssl.cnf").string(); }

  // The policy the TSA stamps its tokens with (OpenSSL's example policy).
  static constexpr const char* policyOid = "1.2.3.4.1";

  // `text` quoted for /bin/sh.
  static std::string quoted(const std::string& text);
  // Writes `bytes` to `path` (binary) or fails the test; reads them back.
  static void writeBytes(const std::filesystem::path& path, const std::string& bytes);
  static std::string readBytes(const std::filesystem::path& path);

 private:
  std::filesystem::path fresh(const std::string& stem);

  std::filesystem::path dir_;
  bool ready_ = false;
  int files_ = 0;
};

}  // namespace parcours::testing
