// The Api's drafts (workflows/drafts.h, docs/forms.md "Drafts") and their
// documents (docs/documents.md): applicants save their own dossier and
// upload its files before submitting it; administrators may act on any
// draft (an applicant's call for help). Every other role is refused before
// anything is read. A submitted dossier's documents are read as the
// dossier is, jurors only on the dossiers they were drawn to score.
#include <algorithm>
#include <chrono>

#include "api.h"
#include "api_support.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::adapters {
namespace {

using workflows::toString;

workflows::DraftAccess accessOf(const Principal& who) {
  return {who.subject, who.has(Role::Administrator)};
}

// 0 on the wire: no version named.
std::optional<std::uint64_t> ifMatchOf(std::uint64_t version) {
  if (version == 0) return std::nullopt;
  return version;
}

void writeDraft(const workflows::Draft& draft, const workflows::DraftCompleteness& completeness,
                rpc::Draft::Builder out) {
  out.setDossierId(draft.dossierId);
  out.setCampaignId(draft.campaignId);
  out.setVersion(draft.version);
  out.setCreatedAt(workflows::formatUtc(draft.createdAtMicros));
  out.setSavedAt(workflows::formatUtc(draft.savedAtMicros));
  workflows::writeApplication(draft.application, out.initApplication());
  out.setComplete(completeness.complete);
  out.setRefusal(completeness.refusal);
  auto problems = out.initProblems(static_cast<unsigned>(completeness.problems.size()));
  for (unsigned i = 0; i < problems.size(); ++i) {
    problems[i].setPointer(completeness.problems[i].pointer);
    problems[i].setDetail(completeness.problems[i].message);
  }
}

}  // namespace

Status Api::mayDraft(const Principal& who) const {
  if (!who.has(Role::Applicant) && !who.has(Role::Administrator)) {
    return forbidden(who, "make or read drafts (applicants their own, administrators any)");
  }
  if (drafts_ == nullptr) {
    return Error::notFound("this server keeps no drafts (a read replica, or no key store: "
                           "serve --keys)");
  }
  return okStatus();
}

Status Api::draftSave(const Principal& who, P::DraftSaveParams::Reader in,
                      P::DraftSaveResults::Builder out) {
  const auto started = std::chrono::steady_clock::now();
  auto run = [&]() -> Status {
    if (auto s = mayDraft(who); !s) return s;
    const auto submission = in.getSubmission();
    auto saved = drafts_->save(toString(in.getDossierId()), toString(submission.getCampaignId()),
                               workflows::readApplication(submission.getApplication()),
                               ifMatchOf(in.getIfMatch()), accessOf(who));
    if (!saved) return saved.error();
    writeDraft(*saved, drafts_->completeness(*saved), out.initDraft());
    return okStatus();
  };
  Status s = run();
  metrics_.commandDone(s ? std::nullopt : std::optional(s.error().code), microsSince(started));
  return s;
}

Status Api::draft(const Principal& who, P::DraftParams::Reader in,
                  P::DraftResults::Builder out) const {
  if (auto s = mayDraft(who); !s) return s;
  auto found = drafts_->find(toString(in.getDossierId()), accessOf(who));
  if (!found) return found.error();
  writeDraft(*found, drafts_->completeness(*found), out.initDraft());
  return okStatus();
}

Status Api::draftDiscard(const Principal& who, P::DraftDiscardParams::Reader in) {
  if (auto s = mayDraft(who); !s) return s;
  return drafts_->discard(toString(in.getDossierId()), ifMatchOf(in.getIfMatch()), accessOf(who));
}

Status Api::draftSubmit(const Principal& who, P::DraftSubmitParams::Reader in,
                        P::DraftSubmitResults::Builder out) {
  const auto started = std::chrono::steady_clock::now();
  const std::string dossierId = toString(in.getDossierId());
  auto run = [&]() -> Status {
    if (auto s = mayDraft(who); !s) return s;
    auto context = commandContext(who, in.getCommandId(), capnp::Text::Reader());
    if (!context) return context.error();
    // The owner's only: the dossier is the submitter's (the first event's
    // actor), so an administrator submitting would take it from them.
    auto appended = drafts_->submit(dossierId, ifMatchOf(in.getIfMatch()),
                                    workflows::DraftAccess{who.subject, false}, *context);
    if (!appended) return appended.error();
    return answerDossierWrite(dossierId, *appended, out.initResult());
  };
  Status s = run();
  metrics_.commandDone(s ? std::nullopt : std::optional(s.error().code), microsSince(started));
  return s;
}

Result<workflows::AttachmentSlot> Api::mayUpload(const Principal& who, std::string_view dossierId,
                                                 const std::string& field,
                                                 std::optional<std::uint64_t> ifMatch) const {
  if (auto s = mayDraft(who); !s) return s.error();
  return drafts_->attachable(std::string(dossierId), field, accessOf(who), ifMatch);
}

Result<std::vector<workflows::DocumentRef>> Api::documents(const Principal& who,
                                                           std::string_view dossierId) const {
  if (auto s = workflows::validateId("dossier", dossierId); !s) return s.error();
  if (drafts_ == nullptr) {
    return Error::notFound("this server keeps no documents (a read replica, or no key store: "
                           "serve --keys)");
  }
  const std::string id(dossierId);
  auto submitted = log_.streamVersion(workflows::dossierStream(id));
  if (!submitted) return std::move(submitted).takeError();
  if (*submitted == 0) {
    // A draft: its owner's and the administrators'.
    if (auto s = mayDraft(who); !s) return s.error();
    auto draft = drafts_->find(id, accessOf(who));
    if (!draft) return std::move(draft).takeError();
    return draft->application.documents;
  }
  auto row = readableDossier(who, dossierId);
  if (!row) return row.error();
  const bool readsAll = who.has(Role::Administrator) || who.has(Role::Instructor) ||
                        who.has(Role::Auditor);
  auto owner = submitter(id);
  if (!owner) return std::move(owner).takeError();
  if (!readsAll && who.has(Role::Juror) && *owner != who.subject) {
    auto campaign = workflow_.loadCampaign(row->campaignId);
    if (!campaign) return std::move(campaign).takeError();
    const auto scorers = campaign->scorers(id);
    if (std::none_of(scorers.begin(), scorers.end(),
                     [&](const workflows::JuryMember* m) { return m->id == who.subject; })) {
      return forbidden(who, "read the documents of dossier " + id +
                                " (jurors read those of the dossiers they were drawn to score)");
    }
  }
  auto dossier = workflow_.loadDossier(id);
  if (!dossier) return std::move(dossier).takeError();
  return dossier->application.documents;
}

}  // namespace parcours::adapters
