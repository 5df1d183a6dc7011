// Documents over HTTP (docs/documents.md): a raw upload to a draft's
// attachment field, streamed; the type named from the bytes (415 naming it
// when the field does not take it), the size refused before the body is read
// (413); a connection cut mid-upload attaches nothing; the bytes read back
// whole, by range (206) and by ETag (304), by those who may and no one else.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <atomic>
#include <iostream>
#include <thread>

#include "server_process.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

std::string pdf(std::size_t size, char fill) {
  std::string bytes = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n";
  bytes.resize(size, fill);
  return bytes;
}

class DocumentsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    client_ = std::make_unique<HttpClient>(server_.httpAddress());
    auto definition = futureCampaignDefinition("lti-docs");
    definition["form"] = {
        {"sections",
         {{{"id", "pieces"},
           {"title", "Pièces"},
           {"fields",
            {{{"id", "deliberation"},
              {"type", "attachment"},
              {"label", "Délibération"},
              {"kind", "deliberation"},
              {"required", true},
              {"content_types", {"application/pdf"}},
              {"max_bytes", 1'000'000}}}}}}}};
    auto opened = client_->post("/v1/campaigns/lti-docs", token("admin"),
                                json{{"reason", "test"}, {"definition", definition}}.dump());
    ASSERT_EQ(opened.status, 200u) << opened.body;
    auto b = json::parse(submissionBody("lti-docs"));
    auto created = client_->send(kj::HttpMethod::PUT, "/v1/dossiers/doc-1/draft",
                                 token("applicant-a"), b.dump());
    ASSERT_EQ(created.status, 201u) << created.body;
  }

  const std::string& token(const std::string& subject) { return server_.token(subject); }

  HttpReply upload(const std::string& bytes, const std::string& who = "applicant-a",
                   const std::string& field = "deliberation") {
    return client_->send(kj::HttpMethod::POST,
                         "/v1/dossiers/doc-1/documents?field=" + field + "&name=d%C3%A9lib.pdf",
                         token(who), bytes, {{"Content-Type", "application/octet-stream"}});
  }

  ServerProcess server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(DocumentsServerTest, AnUploadIsAttachedAndReadBackWholeByRangeAndByETag) {
  const std::string bytes = pdf(300'000, 'q');
  auto uploaded = upload(bytes);
  ASSERT_EQ(uploaded.status, 201u) << uploaded.body;
  const json document = uploaded.json();
  EXPECT_EQ(document.at("name"), "délib.pdf");
  EXPECT_EQ(document.at("contentType"), "application/pdf");
  EXPECT_EQ(document.at("size"), 300'000);
  EXPECT_EQ(uploaded.etag, "\"2\"");  // the draft's new version
  const std::string sha = document.at("sha256");

  auto list = client_->get("/v1/dossiers/doc-1/documents", token("applicant-a"));
  ASSERT_EQ(list.status, 200u) << list.body;
  EXPECT_EQ(list.json().at("documents").size(), 1u);
  auto whole = client_->get("/v1/dossiers/doc-1/documents/" + sha, token("applicant-a"));
  ASSERT_EQ(whole.status, 200u);
  EXPECT_EQ(whole.body, bytes);
  EXPECT_EQ(whole.contentType, "application/pdf");
  EXPECT_EQ(whole.etag, "\"" + sha + "\"");
  auto part = client_->send(kj::HttpMethod::GET, "/v1/dossiers/doc-1/documents/" + sha,
                            token("applicant-a"), "", {{"Range", "bytes=61400-61499"}});
  ASSERT_EQ(part.status, 206u);
  EXPECT_EQ(part.body, bytes.substr(61'400, 100));
  auto tail = client_->send(kj::HttpMethod::GET, "/v1/dossiers/doc-1/documents/" + sha,
                            token("applicant-a"), "", {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.body, bytes.substr(bytes.size() - 10));
  EXPECT_EQ(client_->send(kj::HttpMethod::GET, "/v1/dossiers/doc-1/documents/" + sha,
                          token("applicant-a"), "", {{"Range", "bytes=400000-"}})
                .status,
            416u);
  EXPECT_EQ(client_->send(kj::HttpMethod::GET, "/v1/dossiers/doc-1/documents/" + sha,
                          token("applicant-a"), "", {{"If-None-Match", "\"" + sha + "\""}})
                .status,
            304u);

  // Submitted: those who may read the dossier read its documents.
  auto submitted = client_->post("/v1/dossiers/doc-1/draft/submit", token("applicant-a"), "");
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + sha, token("instructor")).body, bytes);
  // A juror sitting on no jury reads nothing; one drawn to score it does
  // (no draw here: every juror scores every dossier).
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + sha, token("j1")).status, 403u);
  auto jury = client_->send(kj::HttpMethod::PUT, "/v1/campaigns/lti-docs/jury", token("admin"),
                            json{{"reason", "test"},
                                 {"members", {{{"id", "j1"}, {"name", "J1"}, {"role", "juror"}}}}}
                                .dump());
  ASSERT_EQ(jury.status, 200u) << jury.body;
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + sha, token("j1")).status, 200u);
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + sha, token("auditor")).status, 200u);
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + sha, token("applicant-b")).status, 404u);
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + sha, token("integrator")).status, 403u);
  EXPECT_EQ(client_->get("/v1/dossiers/doc-1/documents/" + std::string(64, '0'), token("admin")).status,
            404u);
}

TEST_F(DocumentsServerTest, TheWrongTypeTooLargeAndWrongCallersAreRefusedAndAttachNothing) {
  // A ZIP (a .docx is one) where the field takes PDFs: 415 naming the type.
  const std::string zip("PK\x03\x04\x14\x00\x00\x00\x00\x00\x38\x0b\x88\x5d\x86\xa6\x10\x36"
                        "\x05\x00\x00\x00\x05\x00\x00\x00\x05\x00\x00\x00\x61\x2e\x74\x78\x74"
                        "\x68\x65\x6c\x6c\x6f\x50\x4b\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00"
                        "\x38\x0b\x88\x5d\x86\xa6\x10\x36\x05\x00\x00\x00\x05\x00\x00\x00\x05"
                        "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00"
                        "\x61\x2e\x74\x78\x74\x50\x4b\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00"
                        "\x33\x00\x00\x00\x28\x00\x00\x00\x00\x00",
                        113);
  auto wrongType = upload(zip);
  ASSERT_EQ(wrongType.status, 415u) << wrongType.body;
  EXPECT_NE(wrongType.body.find("application/zip"), std::string::npos) << wrongType.body;
  // Over the form's 1,000,000 bytes: refused before the body is read (and
  // the answer read by the client: under the server's grace for unread
  // bodies, past which it resets the connection).
  auto tooLarge = upload(pdf(1'000'100, 'l'));
  EXPECT_EQ(tooLarge.status, 413u) << tooLarge.body;
  // Not the draft's owner; not an attachment field; no field at all.
  EXPECT_EQ(upload(pdf(1000, 'o'), "applicant-b").status, 404u);
  EXPECT_EQ(upload(pdf(1000, 'o'), "integrator").status, 403u);
  EXPECT_EQ(upload(pdf(1000, 'o'), "applicant-a", "nothing").status, 404u);
  EXPECT_EQ(client_->send(kj::HttpMethod::POST, "/v1/dossiers/doc-1/documents",
                          token("applicant-a"), pdf(1000, 'o'))
                .status,
            400u);
  auto list = client_->get("/v1/dossiers/doc-1/documents", token("applicant-a"));
  EXPECT_EQ(list.json().at("documents").size(), 0u) << list.body;
}

TEST_F(DocumentsServerTest, AnUploadCutOffMidwayAttachesNothing) {
  const auto colon = server_.httpAddress().rfind(':');
  const int port = std::stoi(server_.httpAddress().substr(colon + 1));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string head = "POST /v1/dossiers/doc-1/documents?field=deliberation&name=cut.pdf HTTP/1.1\r\n"
                           "Host: localhost\r\nAuthorization: Bearer " + token("applicant-a") +
                           "\r\nContent-Length: 900000\r\n\r\n";
  const std::string part = head + pdf(200'000, 'c');
  ASSERT_EQ(::write(fd, part.data(), part.size()), static_cast<ssize_t>(part.size()));
  ::usleep(200'000);
  ::close(fd);  // cut off
  ::usleep(200'000);
  auto list = client_->get("/v1/dossiers/doc-1/documents", token("applicant-a"));
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.json().at("documents").size(), 0u) << list.body;
  auto draft = client_->get("/v1/dossiers/doc-1/draft", token("applicant-a"));
  EXPECT_EQ(draft.etag, "\"1\"");  // the draft never moved
  // The server goes on: a whole upload after it is attached.
  EXPECT_EQ(upload(pdf(5000, 'w')).status, 201u);
}

TEST_F(DocumentsServerTest, EveryAcknowledgedUploadSurvivesAKillDuring20ConcurrentOnes) {
  constexpr int uploads = 20;
  for (int i = 0; i < uploads; ++i) {
    auto created = client_->send(kj::HttpMethod::PUT, "/v1/dossiers/dk-" + std::to_string(i) + "/draft",
                                 token("applicant-a"), submissionBody("lti-docs"));
    ASSERT_EQ(created.status, 201u) << created.body;
  }
  std::vector<std::string> sent(uploads), acknowledged(uploads);  // the sha256 of a 201
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < uploads; ++i) {
    sent[i] = pdf(900'000 + 1000 * i, static_cast<char>('a' + i));
    threads.emplace_back([&, i] {
      try {
        HttpClient own(server_.httpAddress());
        auto reply = own.send(kj::HttpMethod::POST,
                              "/v1/dossiers/dk-" + std::to_string(i) +
                                  "/documents?field=deliberation&name=d.pdf",
                              token("applicant-a"), sent[i]);
        if (reply.status == 201) acknowledged[i] = reply.json().at("sha256");
        ++answered;
      } catch (const kj::Exception&) {
        // the server was killed under this upload: not acknowledged
      }
    });
  }
  // Killed once a few were answered: the others are in flight.
  for (int waited = 0; answered < 3 && waited < 5000; ++waited) ::usleep(1000);
  server_.kill();
  for (auto& t : threads) t.join();
  server_.start();
  client_.reset();  // one event loop per thread: the old client's goes first
  HttpClient after(server_.httpAddress());
  int kept = 0;
  for (int i = 0; i < uploads; ++i) {
    if (acknowledged[i].empty()) continue;
    ++kept;
    auto bytes = after.get("/v1/dossiers/dk-" + std::to_string(i) + "/documents/" + acknowledged[i],
                           token("applicant-a"));
    EXPECT_EQ(bytes.status, 200u) << "upload " << i << ": " << bytes.body.substr(0, 200);
    EXPECT_TRUE(bytes.body == sent[i]) << "upload " << i << " came back different";
  }
  std::cerr << kept << " of " << uploads << " uploads acknowledged before the kill\n";
}

}  // namespace
}  // namespace parcours::testing
