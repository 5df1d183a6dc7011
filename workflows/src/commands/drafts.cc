#include "parcours/workflows/drafts.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/form_answers.h"
#include "parcours/workflows/schema/drafts.capnp.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

constexpr std::string_view draftsTable = "drafts";
// Rows read per page when collecting expired drafts.
constexpr std::size_t collectPageRows = 256;

std::string draftSealContext(std::string_view dossierId) {
  return std::string(dossierId) + "/draft";
}

std::string encodeApplication(const Application& application) {
  capnp::MallocMessageBuilder message;
  writeApplication(application, message.initRoot<schema::Application>());
  return flattenMessage(message);
}

// The row without its sealed application: enough to collect it.
struct StoredRow {
  Draft draft;  // application still empty
  std::string sealed;
};

Result<StoredRow> decodeRow(std::string_view dossierId, std::string_view bytes) {
  return readPayload<schema::StoredDraft>(
      bytes, "the draft of dossier " + std::string(dossierId),
      [&](schema::StoredDraft::Reader in) -> Result<StoredRow> {
        StoredRow row;
        row.draft.dossierId = std::string(dossierId);
        row.draft.campaignId = toString(in.getCampaignId());
        row.draft.owner = toString(in.getOwner());
        row.draft.version = in.getVersion();
        row.draft.createdAtMicros = in.getCreatedAtMicros();
        row.draft.savedAtMicros = in.getSavedAtMicros();
        const auto sealed = in.getSealedApplication();
        row.sealed.assign(reinterpret_cast<const char*>(sealed.begin()), sealed.size());
        return row;
      });
}

std::string quotedId(std::string_view text) { return "\"" + std::string(text) + "\""; }

Error idTaken(const std::string& dossierId) {
  return Error::conflict("the dossier id " + quotedId(dossierId) + " is taken");
}

}  // namespace

Drafts::Drafts(store::EventLog& log, Workflow& workflow, const engine::Clock& clock,
               engine::KeyStore& keys, std::shared_ptr<store::Table> table,
               std::unique_ptr<DocumentStore> documents, DocumentLimits limits)
    : log_(log),
      workflow_(workflow),
      clock_(clock),
      keys_(keys),
      table_(std::move(table)),
      documents_(std::move(documents)),
      limits_(limits) {}

Result<std::unique_ptr<Drafts>> Drafts::open(store::EventLog& log, Workflow& workflow,
                                             const engine::Clock& clock, engine::KeyStore& keys,
                                             DocumentLimits limits) {
  auto table = log.openTable(draftsTable);
  if (!table) return std::move(table).takeError();
  auto documents = DocumentStore::open(log, keys);
  if (!documents) return std::move(documents).takeError();
  return std::unique_ptr<Drafts>(new Drafts(log, workflow, clock, keys, std::move(table).value(),
                                            std::move(documents).value(), limits));
}

Result<CampaignState> Drafts::campaignTakingSubmissions(const std::string& campaignId) const {
  auto campaign = workflow_.loadCampaign(campaignId);
  if (!campaign) return std::move(campaign).takeError();
  const std::int64_t now = engine::toMicros(clock_.now());
  if (campaign->phase == Phase::Submissions && campaign->submissionInTime(now)) return campaign;
  return Error::refused("campaign " + quotedId(campaignId) + " takes no submissions now (phase " +
                        std::string(phaseName(campaign->phase)) + ", deadline " +
                        formatInZone(campaign->submissionDeadlineMicros(),
                                     campaign->rules().timeZone) +
                        "): its drafts can no longer be changed");
}

Result<AttachmentSlot> Drafts::slotIn(const Draft& draft, const std::string& field) const {
  auto campaign = campaignTakingSubmissions(draft.campaignId);
  if (!campaign) return std::move(campaign).takeError();
  const FormField* f = campaign->rules().form.field(field);
  if (f == nullptr || f->type != FieldType::Attachment) {
    return Error::notFound("the form of campaign " + quotedId(draft.campaignId) +
                           " has no attachment field " + quotedId(field));
  }
  std::size_t onField = 0;
  std::uint64_t used = 0;
  for (const DocumentRef& d : draft.application.documents) {
    used += d.size;
    if (d.field == field) ++onField;
  }
  if (onField >= f->maxItems) {
    return Error::refused(quotedId(field) + " takes at most " + std::to_string(f->maxItems) +
                          " document(s), and has them: detach one first");
  }
  if (draft.application.documents.size() >= documentsPerDossierMax) {
    return Error::refused("the dossier has " + std::to_string(documentsPerDossierMax) +
                          " documents, the most it may");
  }
  if (used >= limits_.dossierBytes) {
    return Error::refused("the dossier's documents take " + std::to_string(used) +
                          " bytes, its limit of " + std::to_string(limits_.dossierBytes) +
                          ": detach one first");
  }
  AttachmentSlot slot{field, f->contentTypes, limits_.fileBytes};
  if (f->maxBytes != 0) slot.maxBytes = std::min(slot.maxBytes, f->maxBytes);
  slot.maxBytes = std::min(slot.maxBytes, limits_.dossierBytes - used);
  return slot;
}

Result<AttachmentSlot> Drafts::attachable(const std::string& dossierId, const std::string& field,
                                          const DraftAccess& access,
                                          std::optional<std::uint64_t> ifMatch) const {
  auto draft = owned(dossierId, ifMatch, access, false);
  if (!draft) return std::move(draft).takeError();
  return slotIn(*draft, field);
}

Result<Draft> Drafts::attach(const std::string& dossierId, const std::string& field,
                             const std::string& name, const StoredDocument& document,
                             std::optional<std::uint64_t> ifMatch, const DraftAccess& access) {
  const bool nameOk = !name.empty() && name.size() <= documentNameBytesMax &&
                      name.find('/') == std::string::npos && name != "." && name != ".." &&
                      std::none_of(name.begin(), name.end(), [](char c) {
                        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                      });
  if (!nameOk) {
    return Error::invalidInput("name: a file name is 1 to " +
                               std::to_string(documentNameBytesMax) +
                               " bytes, one line, without \"/\"");
  }
  std::lock_guard lock(lockFor(dossierId));
  auto current = owned(dossierId, ifMatch, access, false);
  if (!current) return std::move(current).takeError();
  Draft draft = std::move(current).value();
  auto slot = slotIn(draft, field);
  if (!slot) return std::move(slot).takeError();
  if (document.size > slot->maxBytes) {
    return Error::invalidInput("the file is " + std::to_string(document.size) +
                               " bytes, over the limit of " + std::to_string(slot->maxBytes));
  }
  for (const DocumentRef& d : draft.application.documents) {
    if (d.field == field && d.sha256 == document.sha256) {
      return Error::conflict(quotedId(field) + " already holds this file (" + d.name + ")");
    }
  }
  draft.application.documents.push_back(
      {field, name, document.size, document.contentType, document.sha256});
  if (auto s = checkApplicationText(draft.application); !s) return s.error();
  draft.version += 1;
  draft.savedAtMicros = engine::toMicros(clock_.now());
  if (auto s = write(draft); !s) return s.error();
  return draft;
}

Result<Draft> Drafts::detach(const std::string& dossierId, const std::string& sha256,
                             std::optional<std::uint64_t> ifMatch, const DraftAccess& access) {
  std::lock_guard lock(lockFor(dossierId));
  auto current = owned(dossierId, ifMatch, access, false);
  if (!current) return std::move(current).takeError();
  Draft draft = std::move(current).value();
  if (auto campaign = campaignTakingSubmissions(draft.campaignId); !campaign) {
    return std::move(campaign).takeError();
  }
  auto& documents = draft.application.documents;
  const auto before = documents.size();
  documents.erase(std::remove_if(documents.begin(), documents.end(),
                                 [&](const DocumentRef& d) { return d.sha256 == sha256; }),
                  documents.end());
  if (documents.size() == before) {
    return Error::notFound("the draft of dossier " + quotedId(dossierId) + " has no document " +
                           quotedId(sha256));
  }
  draft.version += 1;
  draft.savedAtMicros = engine::toMicros(clock_.now());
  if (auto s = write(draft); !s) return s.error();
  return draft;
}

Result<bool> Drafts::holds(const std::string& dossierId, const std::string& sha256) const {
  const auto has = [&](const Application& a) {
    return std::any_of(a.documents.begin(), a.documents.end(),
                       [&](const DocumentRef& d) { return d.sha256 == sha256; });
  };
  auto submitted = log_.streamVersion(dossierStream(dossierId));
  if (!submitted) return std::move(submitted).takeError();
  if (*submitted > 0) {
    auto dossier = workflow_.loadDossier(dossierId);
    if (!dossier) return std::move(dossier).takeError();
    return has(dossier->application);
  }
  auto draft = read(dossierId);
  if (!draft) return std::move(draft).takeError();
  return draft->has_value() && has((*draft)->application);
}

std::mutex& Drafts::lockFor(const std::string& dossierId) const {
  return locks_[std::hash<std::string>{}(dossierId) % locks_.size()];
}

Result<std::optional<Draft>> Drafts::read(const std::string& dossierId) const {
  auto bytes = table_->get(dossierId);
  if (!bytes) return std::move(bytes).takeError();
  if (!bytes->has_value()) return std::optional<Draft>();
  // Submitted (a crash kept the row) or erased since: the log wins.
  auto submitted = log_.streamVersion(dossierStream(dossierId));
  if (!submitted) return std::move(submitted).takeError();
  if (*submitted > 0) return std::optional<Draft>();
  auto row = decodeRow(dossierId, **bytes);
  if (!row) return std::move(row).takeError();
  auto key = keys_.find(dossierId);
  if (!key) return std::move(key).takeError();
  if (!key->has_value()) {
    auto erased = keys_.erased(dossierId);
    if (!erased) return std::move(erased).takeError();
    if (*erased) return std::optional<Draft>();  // shredded by an erase
    return Error::notFound("the key store holds no key for the draft of dossier " +
                           quotedId(dossierId) + ": is it the key store of this log?");
  }
  auto plain = engine::openSealed(**key, row->sealed, draftSealContext(dossierId));
  if (!plain) return std::move(plain).takeError();
  auto application = readPayload<schema::Application>(
      *plain, "the draft of dossier " + dossierId,
      [](schema::Application::Reader in) -> Result<Application> { return readApplication(in); });
  if (!application) return std::move(application).takeError();
  row->draft.application = std::move(application).value();
  return std::optional<Draft>(std::move(row->draft));
}

Status Drafts::write(const Draft& draft) {
  auto key = keys_.keyFor(draft.dossierId);
  if (!key) return std::move(key).takeError();
  auto sealed =
      engine::seal(*key, encodeApplication(draft.application), draftSealContext(draft.dossierId));
  if (!sealed) return std::move(sealed).takeError();
  capnp::MallocMessageBuilder message;
  auto out = message.initRoot<schema::StoredDraft>();
  out.setCampaignId(draft.campaignId);
  out.setOwner(draft.owner);
  out.setVersion(draft.version);
  out.setCreatedAtMicros(draft.createdAtMicros);
  out.setSavedAtMicros(draft.savedAtMicros);
  out.setSealedApplication(
      kj::arrayPtr(reinterpret_cast<const capnp::byte*>(sealed->data()), sealed->size()));
  auto batch = table_->newBatch();
  batch->put(draft.dossierId, flattenMessage(message));
  return table_->commitDurably(*batch);
}

Status Drafts::remove(const std::string& dossierId) {
  auto batch = table_->newBatch();
  batch->remove(dossierId);
  return table_->commitDurably(*batch);
}

Result<Draft> Drafts::owned(const std::string& dossierId, std::optional<std::uint64_t> ifMatch,
                            const DraftAccess& access, bool versionRequired) const {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  auto draft = read(dossierId);
  if (!draft) return std::move(draft).takeError();
  if (!draft->has_value() || (!access.anyOwner && (*draft)->owner != access.actor)) {
    return Error::notFound("no draft of dossier " + quotedId(dossierId));
  }
  const std::uint64_t current = (*draft)->version;
  if (!ifMatch && versionRequired) {
    return Error::preconditionFailed(
        "the draft of dossier " + quotedId(dossierId) + " exists (version " +
        std::to_string(current) + "): name the version you read to save over it (If-Match)");
  }
  if (ifMatch && *ifMatch != current) {
    return Error::preconditionFailed(
        "the draft of dossier " + quotedId(dossierId) + " is at version " + std::to_string(current) +
        ", not " + std::to_string(*ifMatch) +
        ": it was saved since you read it (another tab?); read it again");
  }
  return std::move(**draft);
}

Result<Draft> Drafts::save(const std::string& dossierId, const std::string& campaignId,
                           const Application& application, std::optional<std::uint64_t> ifMatch,
                           const DraftAccess& access) {
  // What the request holds, checked before any lock or read.
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  if (auto s = validateId("campaign id", campaignId); !s) return s.error();
  if (auto s = validateApplication(application); !s) return s.error();
  if (auto s = checkApplicationText(application); !s) return s.error();
  if (!application.documents.empty()) {
    return Error::invalidInput("application.documents: documents are uploaded (attach), not saved");
  }
  if (const std::size_t bytes = encodeApplication(application).size();
      bytes > engine::sealPlaintextBytesMax) {
    return Error::invalidInput("the draft is " + std::to_string(bytes) +
                               " bytes, over the limit of " +
                               std::to_string(engine::sealPlaintextBytesMax) + " bytes");
  }
  auto campaign = campaignTakingSubmissions(campaignId);
  if (!campaign) return std::move(campaign).takeError();
  const std::int64_t now = engine::toMicros(clock_.now());
  if (auto s = checkDraftAnswers(campaign->rules().form, application, application.answers); !s) {
    return s.error();
  }

  std::lock_guard lock(lockFor(dossierId));
  auto submitted = log_.streamVersion(dossierStream(dossierId));
  if (!submitted) return std::move(submitted).takeError();
  if (*submitted > 0) return idTaken(dossierId);
  auto existing = read(dossierId);
  if (!existing) return std::move(existing).takeError();
  Draft draft;
  if (existing->has_value()) {
    if (!access.anyOwner && (*existing)->owner != access.actor) return idTaken(dossierId);
    auto current = owned(dossierId, ifMatch, access, true);
    if (!current) return std::move(current).takeError();
    draft = std::move(current).value();
    if (draft.campaignId != campaignId) {
      return Error::invalidInput("the draft of dossier " + quotedId(dossierId) +
                                 " is for campaign " + quotedId(draft.campaignId) + ", not " +
                                 quotedId(campaignId));
    }
  } else {
    if (ifMatch) {
      return Error::preconditionFailed("there is no draft of dossier " + quotedId(dossierId) +
                                       " at version " + std::to_string(*ifMatch) +
                                       ": it was submitted, discarded or never made");
    }
    draft.dossierId = dossierId;
    draft.campaignId = campaignId;
    draft.owner = access.actor;
    draft.createdAtMicros = now;
  }
  draft.version += 1;
  draft.savedAtMicros = now;
  // The documents change by attach and detach only: a save keeps them.
  std::vector<DocumentRef> documents = std::move(draft.application.documents);
  draft.application = application;
  draft.application.documents = std::move(documents);
  if (auto s = write(draft); !s) return s.error();
  return draft;
}

Result<Draft> Drafts::find(const std::string& dossierId, const DraftAccess& access) const {
  return owned(dossierId, std::nullopt, access, false);
}

DraftCompleteness Drafts::completeness(const Draft& draft) const {
  DraftCompleteness result;
  auto verdict = workflow_.checkSubmission(
      draft.dossierId, dossier_command::Submit{draft.campaignId, draft.application, {}, {}},
      draft.owner);
  result.complete = verdict.ok();
  if (!verdict) {
    result.refusal = verdict.error().message;
    result.problems = verdict.error().problems;
  }
  return result;
}

Status Drafts::discard(const std::string& dossierId, std::optional<std::uint64_t> ifMatch,
                       const DraftAccess& access) {
  std::lock_guard lock(lockFor(dossierId));
  auto draft = owned(dossierId, ifMatch, access, false);
  if (!draft) return draft.error();
  return remove(dossierId);
}

Result<store::AppendResult> Drafts::submit(const std::string& dossierId,
                                           std::optional<std::uint64_t> ifMatch,
                                           const DraftAccess& access,
                                           const CommandContext& context) {
  std::lock_guard lock(lockFor(dossierId));
  auto draft = owned(dossierId, ifMatch, access, false);
  if (!draft) {
    // Gone, perhaps submitted by this very command: its id answers the
    // first result (the log deduplicates before deciding).
    if (draft.error().code == ErrorCode::NotFound && !context.metadata.commandId.empty()) {
      auto again = workflow_.dossier(dossierId, dossier_command::Submit{}, context);
      if (again && again->deduplicated) return again;
    }
    return std::move(draft).takeError();
  }
  CommandContext asOwner = context;
  asOwner.metadata.actor = draft->owner;  // the dossier is its submitter's
  auto appended = workflow_.dossier(
      dossierId, dossier_command::Submit{draft->campaignId, draft->application, {}, {}}, asOwner);
  if (!appended) return appended;
  // The dossier is in the log: the row is dead whatever happens next
  // (read() ignores it), so a failure to delete it is not the caller's.
  (void)remove(dossierId);
  return appended;
}

Status Drafts::mayBypass(const std::string& dossierId, const std::string& actor) const {
  auto row = table_->get(dossierId);
  if (!row) return row.error();
  if (!row->has_value()) return okStatus();
  auto draft = read(dossierId);
  if (!draft) return draft.error();
  if (!draft->has_value()) return okStatus();  // submitted already: the log decides
  if ((*draft)->owner != actor) return idTaken(dossierId);
  return Error::conflict("dossier " + quotedId(dossierId) +
                         " has a draft: submit the draft (POST /v1/dossiers/" + dossierId +
                         "/draft/submit, parcours dossier submit " + dossierId +
                         "), or discard it first");
}

Status Drafts::forget(const std::string& dossierId) {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  std::lock_guard lock(lockFor(dossierId));
  return remove(dossierId);
}

Result<std::size_t> Drafts::collectExpired(std::int64_t graceMicros) {
  const std::int64_t now = engine::toMicros(clock_.now());
  std::size_t collected = 0;
  std::string after;
  for (;;) {
    auto rows = table_->scan("", after, collectPageRows);
    if (!rows) return std::move(rows).takeError();
    for (const auto& [dossierId, bytes] : *rows) {
      auto row = decodeRow(dossierId, bytes);
      if (!row) return std::move(row).takeError();
      auto submitted = log_.streamVersion(dossierStream(dossierId));
      if (!submitted) return std::move(submitted).takeError();
      bool expired = *submitted > 0;
      if (!expired) {
        auto campaign = workflow_.loadCampaign(row->draft.campaignId);
        if (!campaign) return std::move(campaign).takeError();
        expired = campaign->phase != Phase::Submissions &&
                  campaign->submissionDeadlineMicros() < now - graceMicros;
      }
      if (!expired) continue;
      std::lock_guard lock(lockFor(dossierId));
      if (auto s = remove(dossierId); !s) return s.error();
      ++collected;
    }
    if (rows->size() < collectPageRows) break;
    after = rows->back().first;
  }
  return collected;
}

}  // namespace parcours::workflows
