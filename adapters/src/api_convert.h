// Between the API's Cap'n Proto structs (adapters/rpc/parcours.capnp) and
// the domain: views' rows out, commands in. Both transports use these, so
// HTTP and RPC say the same things in the same words.
#pragma once

#include <string_view>

#include "parcours/adapters/rpc/parcours.capnp.h"
#include "parcours/store/types.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/views.h"

namespace parcours::adapters {

void writeCampaign(const workflows::CampaignSummary& in, rpc::Campaign::Builder out);
void writeDossier(const workflows::DossierRow& in, rpc::Dossier::Builder out);
void writeTimelineEntry(const workflows::TimelineEntry& in, rpc::TimelineEntry::Builder out);
void writeAuditEntry(const workflows::AuditEntry& in, rpc::AuditEntry::Builder out);
void writeStats(const workflows::CampaignStats& in, rpc::CampaignStats::Builder out);
void writeLeaderboardEntry(const workflows::LeaderboardEntry& in,
                           rpc::LeaderboardEntry::Builder out);
void writeBudget(const workflows::Budget& in, rpc::Budget::Builder out);

// An event of the log, its payload decoded into the domain schema (or kept
// as bytes when this schema does not know its type). Corruption when a
// known type's payload does not decode.
Status writeEvent(const store::EventView& in, rpc::Event::Builder out);

// The domain command a request asks for. InvalidInput (naming the field)
// for a malformed one: an unset union, a bad time, a bad application.
Result<workflows::DossierCommand> readDossierCommand(rpc::DossierCommand::Reader in);
Result<workflows::CampaignCommand> readCampaignCommand(std::string_view campaignId,
                                                       rpc::CampaignCommand::Reader in);

// The other way, for clients (adapters/remote_client.h): the API's structs
// back into the views' rows, and domain commands into requests. Times come
// back from RFC 3339; InvalidInput when the server sent something that is
// not one.
Result<workflows::CampaignSummary> readCampaign(rpc::Campaign::Reader in);
Result<workflows::DossierRow> readDossier(rpc::Dossier::Reader in);
Result<workflows::TimelineEntry> readTimelineEntry(rpc::TimelineEntry::Reader in);
Result<workflows::AuditEntry> readAuditEntry(rpc::AuditEntry::Reader in);
workflows::CampaignStats readStats(rpc::CampaignStats::Reader in);
Result<workflows::LeaderboardEntry> readLeaderboardEntry(rpc::LeaderboardEntry::Reader in);
Result<workflows::Budget> readBudget(rpc::Budget::Reader in);
store::AppendResult readAppend(rpc::CommandResult::Reader in);
void writeDossierCommand(const workflows::DossierCommand& in, rpc::DossierCommand::Builder out);
// Open and AmendRules travel as their definition document: `definitionJson`.
void writeCampaignCommand(const workflows::CampaignCommand& in, const std::string& definitionJson,
                          rpc::CampaignCommand::Builder out);

// The word for a request's command in messages: "score", "open".
std::string_view commandName(rpc::DossierCommand::Which which);
std::string_view commandName(rpc::CampaignCommand::Which which);

}  // namespace parcours::adapters
