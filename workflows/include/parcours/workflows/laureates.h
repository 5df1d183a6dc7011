// The laureates a campaign made public (seed 002: "une reconnaissance et une
// visibilité nationale", "valoriser les initiatives"): the public list that
// `GET /public/v1/campaigns/{id}/laureates` answers without a token, as
// JSON, CSV or an HTML page.
//
// Nothing is public before the campaign's LaureatesPublished event: until
// then the list is NotFound, whatever the views hold. A laureate is a
// dossier the final decision retained (voted or labelled); a line gives the
// territory (the applying organisation), its kind, the project's title,
// the label or the strands, and the amount granted: never a contact, never
// anything personal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/views.h"

namespace parcours::workflows {

struct Laureate {
  std::string dossierId;
  std::string territory;      // the applying organisation
  std::string territoryKind;  // in French: "Communauté urbaine"
  std::string title;
  std::string labelName;             // empty: none awarded
  std::vector<std::string> strands;  // the strands it asked for
  std::int64_t grantedCents = 0;
};

struct PublishedLaureates {
  std::string campaignId;
  std::string campaignName;
  std::string organiser;
  std::string timeZone;
  std::int64_t publishedAtMicros = 0;
  std::vector<Laureate> laureates;  // by dossier id
};

// The list as published: NotFound for an unknown campaign, and for one
// whose laureates are not published yet (the message says which).
Result<PublishedLaureates> publishedLaureates(const CampaignState& campaign,
                                              const ViewQueries& views);

// CSV (RFC 4180, CRLF, UTF-8): dossier_id, territory, territory_kind, title,
// label, strands (";"-joined), granted_eur (two decimals, a dot).
std::string laureatesCsv(const PublishedLaureates& published);

// A page for people, in French, standalone (no script, no outside
// resource); every text escaped.
std::string laureatesHtml(const PublishedLaureates& published);

}  // namespace parcours::workflows
