// Drafts ("en construction", docs/forms.md "Drafts"): an applicant's
// dossier before it is submitted, saved as often as the applicant likes
// until the campaign's deadline, then submitted, which checks the whole
// form and records DossierSubmitted like any submission.
//
// A draft is not in the log: the log records what was decided, and a draft
// decides nothing; an applicant's hundred saves would be a hundred events
// nobody audits. Drafts are rows of the store's "drafts" table, beside the
// log in the same RocksDB database (so `parcours backup` copies them), each
// committed with the write-ahead log fsynced before the save is
// acknowledged. Everything the applicant wrote (the application, its
// contact, its answers) is sealed with the dossier's data key, so `erase`
// shreds a draft as it shreds a dossier.
//
// Saves use optimistic concurrency: a draft has a version, 1 when created
// and one more at each save, which HTTP gives as its ETag; a save names the
// version it read (If-Match) and is refused (PreconditionFailed) when the
// draft moved on since, so two tabs cannot overwrite each other silently.
//
// Threads: every method may be called from any thread; the read, check and
// write of one dossier's draft are serialised (striped locks), different
// dossiers' saves run side by side and share RocksDB's WAL syncs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "parcours/engine/clock.h"
#include "parcours/engine/key_store.h"
#include "parcours/store/event_log.h"
#include "parcours/store/table.h"
#include "parcours/workflows/documents.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/limits.h"
#include "parcours/workflows/workflow.h"

namespace parcours::workflows {

struct Draft {
  std::string dossierId;
  std::string campaignId;
  std::string owner;          // who created it: the actor (a token's subject)
  std::uint64_t version = 0;  // 1 when created, one more at each save
  std::int64_t createdAtMicros = 0;
  std::int64_t savedAtMicros = 0;
  // As the applicant left it, contact and every answer included (opened).
  Application application;
};

// What a submission of the draft would be told now (Workflow::
// checkSubmission): nothing when it would be accepted.
struct DraftCompleteness {
  bool complete = false;
  std::string refusal;                // the first refusal, when not complete
  std::vector<FieldProblem> problems;  // every problem found at once, when any
};

// What a server takes of documents, whatever a form allows (docs/documents.md).
struct DocumentLimits {
  std::uint64_t fileBytes = documentBytesDefault;
  std::uint64_t dossierBytes = dossierDocumentsBytesDefault;
};

// Where an upload may go, checked before its first byte is read
// (Drafts::attachable).
struct AttachmentSlot {
  std::string field;
  std::vector<std::string> contentTypes;  // the form's
  std::uint64_t maxBytes = 0;  // the least of the form's, the server's, and what the dossier has left
};

// Who may act on a draft: its owner only, or anyone (an administrator, a
// person at the data directory's CLI).
struct DraftAccess {
  std::string actor;   // recorded as the owner of a new draft
  bool anyOwner = false;
};

class Drafts {
 public:
  // Opens (creates) the "drafts" table of `log`; `keys` seals the drafts.
  static Result<std::unique_ptr<Drafts>> open(store::EventLog& log, Workflow& workflow,
                                              const engine::Clock& clock, engine::KeyStore& keys,
                                              DocumentLimits limits = {});

  // Creates the draft (`ifMatch` absent) or replaces its application
  // (`ifMatch` its current version). Refused: the dossier id taken by a
  // submitted dossier or by another's draft (Conflict, without a word of
  // it), a campaign that takes no submissions now (closed, past its
  // deadline), a draft that exists saved without `ifMatch`
  // (PreconditionRequired) or whose version moved on (PreconditionFailed),
  // an application whose fields have the wrong shape or type (InvalidInput
  // with every problem: what is missing is fine in a draft). Returns the
  // draft as saved, its new version.
  Result<Draft> save(const std::string& dossierId, const std::string& campaignId,
                     const Application& application, std::optional<std::uint64_t> ifMatch,
                     const DraftAccess& access);
  // The draft. NotFound when there is none, or it is another's.
  Result<Draft> find(const std::string& dossierId, const DraftAccess& access) const;
  DraftCompleteness completeness(const Draft& draft) const;
  // Abandons the draft (its row deleted; the key stays, the id may be
  // drafted again). Same checks as save's on the version.
  Status discard(const std::string& dossierId, std::optional<std::uint64_t> ifMatch,
                 const DraftAccess& access);
  // Submits the draft through Workflow::dossier (the whole form checked,
  // DossierSubmitted recorded under the rules in force), then deletes it.
  // The submitter recorded is the draft's owner, whoever submits it. A
  // command id already run answers its first result (the draft is gone by
  // then).
  // A crash between the two leaves a row that every call treats as gone:
  // the log's dossier wins.
  Result<store::AppendResult> submit(const std::string& dossierId,
                                     std::optional<std::uint64_t> ifMatch,
                                     const DraftAccess& access, const CommandContext& context);
  // Documents (docs/documents.md). The checks an upload passes before its
  // first byte is read: the draft is the caller's, its campaign takes
  // submissions, `field` is an attachment field of the form in force with
  // room for one more file, and the dossier has bytes left.
  Result<AttachmentSlot> attachable(const std::string& dossierId, const std::string& field,
                                    const DraftAccess& access,
                                    std::optional<std::uint64_t> ifMatch = std::nullopt) const;
  // A submission that does not come from the draft (POST .../submit, the
  // CLI's submit with a file) is refused while the id has a draft: the
  // draft's owner submits the draft, anyone else finds the id taken.
  Status mayBypass(const std::string& dossierId, const std::string& actor) const;
  // Attaches a stored document (DocumentUpload::finish's) to the draft as
  // `name`: a new version. The same checks again, under the draft's lock;
  // the same bytes on the same field twice are refused (Conflict).
  Result<Draft> attach(const std::string& dossierId, const std::string& field,
                       const std::string& name, const StoredDocument& document,
                       std::optional<std::uint64_t> ifMatch, const DraftAccess& access);
  // Takes the document off the draft: a new version. NotFound when the
  // draft has none with this hash.
  Result<Draft> detach(const std::string& dossierId, const std::string& sha256,
                       std::optional<std::uint64_t> ifMatch, const DraftAccess& access);
  // Whether the dossier's draft, or its submission, holds the document:
  // what DocumentStore::collect keeps.
  Result<bool> holds(const std::string& dossierId, const std::string& sha256) const;
  DocumentStore& documents() { return *documents_; }
  const DocumentLimits& documentLimits() const { return limits_; }

  // Deletes the draft for good, whoever owns it: `erase` (the key goes
  // with the dossier's). Ok when there is none.
  Status forget(const std::string& dossierId);
  // The drafts of a campaign that was closed to submissions more than
  // `grace` ago, deleted: no one can submit them any more. Returns how many.
  Result<std::size_t> collectExpired(std::int64_t graceMicros);

 private:
  Drafts(store::EventLog& log, Workflow& workflow, const engine::Clock& clock,
         engine::KeyStore& keys, std::shared_ptr<store::Table> table,
         std::unique_ptr<DocumentStore> documents, DocumentLimits limits);
  // attachable's checks on a draft already read.
  Result<AttachmentSlot> slotIn(const Draft& draft, const std::string& field) const;
  // The campaign, refused unless it takes submissions now (saves, uploads).
  Result<CampaignState> campaignTakingSubmissions(const std::string& campaignId) const;
  std::mutex& lockFor(const std::string& dossierId) const;
  // The stored row, opened; nullopt when none, or when the log holds the
  // dossier (a submission that crashed before deleting its draft).
  Result<std::optional<Draft>> read(const std::string& dossierId) const;
  Status write(const Draft& draft);
  Status remove(const std::string& dossierId);
  Result<Draft> owned(const std::string& dossierId, std::optional<std::uint64_t> ifMatch,
                      const DraftAccess& access, bool versionRequired) const;

  store::EventLog& log_;
  Workflow& workflow_;
  const engine::Clock& clock_;
  engine::KeyStore& keys_;
  std::shared_ptr<store::Table> table_;
  std::unique_ptr<DocumentStore> documents_;
  DocumentLimits limits_;
  mutable std::array<std::mutex, 64> locks_;
};

}  // namespace parcours::workflows
