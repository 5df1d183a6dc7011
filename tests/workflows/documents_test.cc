// Documents (docs/documents.md) over a real log and key store: uploaded a
// chunk at a time, addressed by their SHA-256, read back whole or by range,
// sealed in every file, verified, shredded with their key; attached to a
// draft's attachment fields (the form's types, sizes and counts enforced),
// recorded in the submission; cut-off uploads and documents nothing holds
// collected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "parcours/engine/key_store.h"
#include "parcours/workflows/documents.h"
#include "parcours/workflows/drafts.h"
#include "parcours/workflows/form_answers.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
using ::testing::HasSubstr;

constexpr const char* kDocsCall = "docs-call";

// A PDF as libmagic knows one: the header is what it reads.
std::string pdfBytes(std::size_t size, char fill = 'x') {
  std::string bytes = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n";
  bytes.resize(size, fill);
  return bytes;
}
// A ZIP holding one small text file (Python's zipfile made it).
std::string zipBytes() {
  return std::string(
      "\x50\x4b\x03\x04\x14\x00\x00\x00\x00\x00\x38\x0b\x88\x5d\x86\xa6\x10\x36\x05\x00\x00\x00\x05\x00\x00\x00\x05\x00\x00\x00\x61\x2e\x74\x78\x74\x68\x65\x6c\x6c\x6f\x50\x4b\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x38\x0b\x88\x5d\x86\xa6\x10\x36\x05\x00\x00\x00\x05\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00\x61\x2e\x74\x78\x74\x50\x4b\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x33\x00\x00\x00\x28\x00\x00\x00\x00\x00",
      113);
}

FormField deliberationField() {
  FormField f;
  f.id = "deliberation";
  f.label = "Délibération du conseil";
  f.type = FieldType::Attachment;
  f.required = true;
  f.kind = "deliberation";
  f.contentTypes = {"application/pdf"};
  f.maxItems = 2;
  f.maxBytes = 1 << 20;
  return f;
}

class DocumentsTest : public WorkflowFixture {
 protected:
  DocumentsTest() {
    auto keys = engine::KeyStore::open(keysDir_.path().string());
    EXPECT_TRUE(keys) << keys.error().message;
    keys_ = std::move(keys).value();
    workflow_ = std::make_unique<Workflow>(*log_, clock_, keys_.get());
    CampaignRules rules = labelRules();
    FormSection section;
    section.id = "pieces";
    section.title = "Pièces jointes";
    FormField summary;
    summary.id = "resume";
    summary.label = "Résumé";
    summary.type = FieldType::ShortText;
    section.fields = {summary, deliberationField()};
    rules.form.sections = {section};
    openCampaign(kDocsCall, rules, threeJurors());
    auto drafts = Drafts::open(*log_, *workflow_, clock_, *keys_, DocumentLimits{512 * 1024, 900 * 1024});
    EXPECT_TRUE(drafts) << drafts.error().message;
    drafts_ = std::move(drafts).value();
    EXPECT_TRUE(drafts_->save("d1", kDocsCall, application(), std::nullopt, owner_));
  }
  ~DocumentsTest() override {
    drafts_.reset();
    workflow_.reset();
  }

  Result<StoredDocument> store(const std::string& bytes, std::size_t piece = 10'000) {
    auto upload = drafts_->documents().begin("d1", 1 << 20);
    if (!upload) return upload.error();
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      if (auto s = (*upload)->write(std::string_view(bytes).substr(at, piece)); !s) return s.error();
    }
    return (*upload)->finish(detectContentType((*upload)->head()));
  }
  std::string readAll(const StoredDocument& d, std::uint64_t offset = 0,
                      std::uint64_t length = UINT64_MAX) {
    std::string out;
    auto s = drafts_->documents().read(d, offset, length, [&](std::string_view bytes) {
      out.append(bytes);
      return okStatus();
    });
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return out;
  }

  TempDir keysDir_;
  std::unique_ptr<engine::KeyStore> keys_;
  std::unique_ptr<Drafts> drafts_;
  const DraftAccess owner_{"applicant-1", false};
};

TEST_F(DocumentsTest, AnUploadIsStoredByItsHashAndReadBackWholeOrByRange) {
  const std::string bytes = pdfBytes(700'000);  // many chunks, the last one short
  auto stored = store(bytes);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_GT(stored->size, 2 * documentChunkBytes);
  EXPECT_EQ(stored->size, bytes.size());
  EXPECT_EQ(stored->contentType, "application/pdf");
  EXPECT_EQ(stored->sha256.size(), 64u);
  EXPECT_EQ(readAll(*stored), bytes);
  EXPECT_EQ(readAll(*stored, documentChunkBytes - 500, 1'000),
            bytes.substr(documentChunkBytes - 500, 1'000));  // across a chunk edge
  EXPECT_EQ(readAll(*stored, 699'990), bytes.substr(699'990));
  // The same bytes again: the same document, one copy.
  auto again = store(bytes, 77'777);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sha256, stored->sha256);
  auto check = drafts_->documents().verify();
  ASSERT_TRUE(check);
  EXPECT_EQ(check->checked, 1u);
  EXPECT_TRUE(check->damaged.empty());
}

TEST_F(DocumentsTest, AFileOverItsLimitIsRefusedAndLeavesNothing) {
  auto upload = drafts_->documents().begin("d1", 1000);
  ASSERT_TRUE(upload);
  EXPECT_TRUE((*upload)->write(std::string(600, 'a')));
  auto over = (*upload)->write(std::string(600, 'a'));
  ASSERT_FALSE(over);
  EXPECT_THAT(over.error().message, HasSubstr("over the limit of 1000 bytes"));
  upload->reset();  // the connection is dropped: what it wrote goes
  auto table = log_->openTable("blobs-documents");
  ASSERT_TRUE(table);
  EXPECT_TRUE((*table)->scan("", "", 10)->empty());
}

TEST_F(DocumentsTest, AnUploadCutOffByACrashIsCollectedAfterTheGrace) {
  auto upload = drafts_->documents().begin("d1", 1 << 20);
  ASSERT_TRUE(upload);
  ASSERT_TRUE((*upload)->write(pdfBytes(600'000)));
  // A crash: the upload never finishes, nor is it destroyed before the
  // collection runs (it stays alive below, as a dead process's would be gone).
  std::unique_ptr<DocumentUpload> abandoned = std::move(upload).value();
  const auto noneHeld = [](const std::string&, const std::string&) -> Result<bool> { return false; };
  auto soon = drafts_->documents().collect(engine::toMicros(engine::SystemClock().now()),
                                           documentGraceMicros, noneHeld);
  ASSERT_TRUE(soon);
  EXPECT_EQ(*soon, 0u);  // within the grace
  auto later = drafts_->documents().collect(
      engine::toMicros(engine::SystemClock().now()) + documentGraceMicros + 1, documentGraceMicros,
      noneHeld);
  ASSERT_TRUE(later);
  EXPECT_EQ(*later, 1u);
  auto table = log_->openTable("blobs-documents");
  EXPECT_TRUE((*table)->scan("", "", 10)->empty());
  abandoned.reset();  // deletes what is already gone: nothing
}

TEST_F(DocumentsTest, DocumentsAreSealedInEveryFileAlteredOnesAreFoundAndErasureShredsThem) {
  const std::string marker = "Marqueur-Document-Scelle-91c2";
  auto stored = store(pdfBytes(3000) + marker);
  ASSERT_TRUE(stored);
  ASSERT_TRUE(log_->compact());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(marker), std::string::npos) << entry.path();
  }
  // A chunk altered in the store: verify names the document.
  auto table = log_->openTable("blobs-documents");
  ASSERT_TRUE(table);
  auto chunks = (*table)->scan("c/", "", 10);
  ASSERT_TRUE(chunks);
  ASSERT_EQ(chunks->size(), 1u);
  std::string altered = chunks->front().second;
  altered[altered.size() / 2] ^= 0x01;
  auto batch = (*table)->newBatch();
  batch->put(chunks->front().first, altered);
  ASSERT_TRUE((*table)->commit(*batch));
  auto check = drafts_->documents().verify();
  ASSERT_TRUE(check);
  ASSERT_EQ(check->damaged.size(), 1u);
  EXPECT_THAT(check->damaged.front(), HasSubstr("does not open"));
  // Erased: nothing to read, nothing to check.
  ASSERT_TRUE(keys_->erase("d1"));
  auto after = drafts_->documents().verify();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->shredded, 1u);
  auto unreadable = drafts_->documents().read(*stored, 0, 10, [](std::string_view) { return okStatus(); });
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::NotFound);
}

TEST_F(DocumentsTest, AttachmentsFollowTheFormAndTheSubmissionRecordsThem) {
  // The form's field: its type, its count, its name rules.
  auto slot = drafts_->attachable("d1", "deliberation", owner_);
  ASSERT_TRUE(slot) << slot.error().message;
  EXPECT_EQ(slot->maxBytes, 512u * 1024);  // the server's limit, under the form's 1 MiB
  EXPECT_EQ(drafts_->attachable("d1", "resume", owner_).error().code, ErrorCode::NotFound);
  EXPECT_EQ(drafts_->attachable("d1", "deliberation", {"applicant-2", false}).error().code,
            ErrorCode::NotFound);

  // Incomplete without its required deliberation.
  Application a = application();
  a.answers = R"({"resume": "Un projet."})";
  auto saved = drafts_->save("d1", kDocsCall, a, 1, owner_);
  ASSERT_TRUE(saved) << saved.error().message;
  auto completeness = drafts_->completeness(*saved);
  EXPECT_FALSE(completeness.complete);
  EXPECT_THAT(completeness.refusal, HasSubstr("/answers/deliberation: is required"));

  auto first = store(pdfBytes(20'000, 'a'));
  ASSERT_TRUE(first);
  auto attached = drafts_->attach("d1", "deliberation", "délibération.pdf", *first, 2, owner_);
  ASSERT_TRUE(attached) << attached.error().message;
  EXPECT_EQ(attached->version, 3u);
  EXPECT_TRUE(drafts_->completeness(*attached).complete) << drafts_->completeness(*attached).refusal;
  // A save keeps the documents; the same file twice on a field is refused;
  // a bad name too.
  auto resaved = drafts_->save("d1", kDocsCall, a, 3, owner_);
  ASSERT_TRUE(resaved);
  EXPECT_EQ(resaved->application.documents.size(), 1u);
  EXPECT_EQ(drafts_->attach("d1", "deliberation", "copie.pdf", *first, std::nullopt, owner_).error().code,
            ErrorCode::Conflict);
  auto second = store(pdfBytes(30'000, 'b'));
  ASSERT_TRUE(second);
  EXPECT_EQ(drafts_->attach("d1", "deliberation", "a/b.pdf", *second, std::nullopt, owner_).error().code,
            ErrorCode::InvalidInput);
  ASSERT_TRUE(drafts_->attach("d1", "deliberation", "annexe.pdf", *second, std::nullopt, owner_));
  // max_items 2: no third.
  auto third = store(pdfBytes(40'000, 'c'));
  ASSERT_TRUE(third);
  auto full = drafts_->attach("d1", "deliberation", "trois.pdf", *third, std::nullopt, owner_);
  ASSERT_FALSE(full);
  EXPECT_THAT(full.error().message, HasSubstr("takes at most 2"));
  auto detached = drafts_->detach("d1", second->sha256, std::nullopt, owner_);
  ASSERT_TRUE(detached);
  EXPECT_EQ(detached->application.documents.size(), 1u);
  EXPECT_FALSE(*drafts_->holds("d1", second->sha256));
  EXPECT_TRUE(*drafts_->holds("d1", first->sha256));

  // Submitted: the event records the document's line; the draft is gone.
  auto submitted = drafts_->submit("d1", std::nullopt, owner_, {{"", "applicant-1", "", ""}, ""});
  ASSERT_TRUE(submitted) << submitted.error().message;
  auto dossier = workflow_->loadDossier("d1");
  ASSERT_TRUE(dossier);
  ASSERT_EQ(dossier->application.documents.size(), 1u);
  EXPECT_EQ(dossier->application.documents[0].sha256, first->sha256);
  EXPECT_EQ(dossier->application.documents[0].name, "délibération.pdf");
  EXPECT_EQ(dossier->application.documents[0].contentType, "application/pdf");
  EXPECT_TRUE(*drafts_->holds("d1", first->sha256));
  // Collecting keeps what the submission holds, takes what nothing does.
  auto collected = drafts_->documents().collect(
      engine::toMicros(engine::SystemClock().now()) + documentGraceMicros + 1, documentGraceMicros,
      [&](const std::string& id, const std::string& sha) { return drafts_->holds(id, sha); });
  ASSERT_TRUE(collected);
  EXPECT_EQ(*collected, 2u);  // the detached one and the one never attached
  EXPECT_TRUE(drafts_->documents().find("d1", first->sha256)->has_value());
}

TEST_F(DocumentsTest, TheWrongTypeOnAFieldIsAProblemOfTheSubmission) {
  auto zip = store(zipBytes());
  ASSERT_TRUE(zip);
  EXPECT_EQ(zip->contentType, "application/zip");
  // The check every submission makes: a zip where the form takes PDFs.
  Application a = application();
  a.documents = {{"deliberation", "budget.pdf", zip->size, zip->contentType, zip->sha256}};
  auto campaign = workflow_->loadCampaign(kDocsCall);
  ASSERT_TRUE(campaign);
  auto checked = checkAnswers(campaign->rules().form, a, "{}");
  ASSERT_FALSE(checked);
  ASSERT_FALSE(checked.error().problems.empty());
  EXPECT_EQ(checked.error().problems[0].pointer, "/documents/0");
  EXPECT_THAT(checked.error().problems[0].message, HasSubstr("application/zip is not a type"));
}

}  // namespace
}  // namespace parcours::testing
