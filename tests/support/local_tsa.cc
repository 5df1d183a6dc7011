#include "local_tsa.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace parcours::testing {
namespace {

// Everything but [tsa] is for `openssl req` and `openssl x509`: certificate
// extensions named explicitly, so the system's openssl.cnf plays no part.
std::string configText(const std::filesystem::path& dir) {
  const std::string d = dir.string();
  std::ostringstream out;
  out << "[ req ]\n"
         "distinguished_name = req_dn\n"
         "prompt = no\n"
         "[ req_dn ]\n"
         "CN = unused\n"
         "\n"
         "[ ca_ext ]\n"
         "basicConstraints = critical,CA:true\n"
         "keyUsage = critical,keyCertSign,cRLSign\n"
         "subjectKeyIdentifier = hash\n"
         "\n"
         "[ tsa_ext ]\n"
         "basicConstraints = critical,CA:false\n"
         "keyUsage = critical,digitalSignature,nonRepudiation\n"
         "extendedKeyUsage = critical,timeStamping\n"
         "subjectKeyIdentifier = hash\n"
         "authorityKeyIdentifier = keyid\n"
         "\n"
         "[ tsa ]\n"
         "default_tsa = tsa_config\n"
         "[ tsa_config ]\n"
      << "serial = " << d << "/tsaserial\n"
      << "signer_cert = " << d
      << "/tsa.pem\n"
      // The CA rides along in the reply, unsigned: a real TSA sends its chain.
      << "certs = " << d << "/ca.pem\n"
      << "signer_key = " << d << "/tsa.key\n"
      << "signer_digest = sha256\n"
      << "default_policy = " << LocalTsa::policyOid << "\n"
      << "other_policies = 1.2.3.4.5\n"
         "digests = sha256, sha384, sha512\n"
         "accuracy = secs:1, millisecs:500, microsecs:100\n"
         // genTime with milliseconds, so fractions of a second are exercised.
         "clock_precision_digits = 3\n"
         "ordering = yes\n"
         // The token names its TSA (the signer's subject).
         "tsa_name = yes\n"
         "ess_cert_id_chain = no\n"
         "ess_cert_id_alg = sha256\n";
  return out.str();
}

}  // namespace

LocalTsa::LocalTsa(std::filesystem::path dir, const std::string& name) : dir_(std::move(dir)) {
  writeBytes(configFile(), configText(dir_));
  writeBytes(dir_ / "tsaserial", "01\n");
  // P-256 keys: made in milliseconds, where RSA would slow every test.
  const std::string newKey = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc";
  const std::string config = " -config " + quoted(configFile());
  ready_ = openssl("req -x509 -new" + newKey + " -keyout ca.key -out ca.pem -days 30" + config +
                   " -extensions ca_ext -subj " + quoted("/O=parcours tests/CN=" + name + " CA"))
               .has_value() &&
           openssl("req -new" + newKey + " -keyout tsa.key -out tsa.csr" + config + " -subj " +
                   quoted("/O=parcours tests/CN=" + name + " TSA"))
               .has_value() &&
           openssl(
               "x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 30"
               " -out tsa.pem -extfile " +
               quoted(configFile()) + " -extensions tsa_ext")
               .has_value();
}

std::string LocalTsa::reply(const std::string& requestDer) {
  const auto request = fresh("request.tsq");
  const auto response = fresh("reply.tsr");
  writeBytes(request, requestDer);
  if (!openssl("ts -reply -config " + quoted(configFile()) + " -queryfile " +
               quoted(request.string()) + " -out " + quoted(response.string()))) {
    return {};
  }
  return readBytes(response);
}

std::optional<std::string> LocalTsa::requestText(const std::string& requestDer) {
  const auto request = fresh("request.tsq");
  writeBytes(request, requestDer);
  return openssl("ts -query -in " + quoted(request.string()) + " -text");
}

std::optional<std::string> LocalTsa::openssl(const std::string& arguments) {
  const auto out = fresh("openssl.out");
  const auto err = fresh("openssl.err");
  const std::string command = "cd " + quoted(dir_.string()) + " && openssl " + arguments + " >" +
                              quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "openssl failed (status " << status << "): " << command << "\n"
                  << readBytes(err);
    return std::nullopt;
  }
  return readBytes(out);
}

std::string LocalTsa::quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

void LocalTsa::writeBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.flush()) ADD_FAILURE() << "cannot write " << path;
}

std::string LocalTsa::readBytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// A new file name per call: the requests and replies of one test never
// overwrite each other.
std::filesystem::path LocalTsa::fresh(const std::string& stem) {
  return dir_ / (std::to_string(++files_) + "-" + stem);
}

}  // namespace parcours::testing
