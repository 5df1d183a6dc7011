// The public list of laureates (laureates.h), from the views, once the
// campaign's stream says they are published.
#include "parcours/workflows/laureates.h"

#include <algorithm>

#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

std::string htmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// "12 500,00 €": amounts as French readers write them.
std::string frenchEuros(std::int64_t cents) {
  std::string whole = std::to_string(cents / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(i, "\u202f");
  std::string fraction = std::to_string(cents % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return whole + "," + fraction + "\u00a0€";
}

}  // namespace

Result<PublishedLaureates> publishedLaureates(const CampaignState& campaign,
                                              const ViewQueries& views) {
  if (!campaign.exists) return Error::notFound("no campaign \"" + campaign.campaignId + "\"");
  if (!campaign.publishedAtMicros) {
    return Error::notFound("the laureates of campaign \"" + campaign.campaignId +
                           "\" are not published");
  }
  PublishedLaureates out;
  out.campaignId = campaign.campaignId;
  out.campaignName = campaign.rules().name;
  out.organiser = campaign.rules().organiser;
  out.timeZone = campaign.rules().timeZone;
  out.publishedAtMicros = *campaign.publishedAtMicros;
  for (DossierStatus status : {DossierStatus::Voted, DossierStatus::Labelled}) {
    StatusQuery query;
    query.campaignId = campaign.campaignId;
    query.status = status;
    query.limit = 10'000;
    while (true) {
      auto page = views.status(query);
      if (!page) return page.error();
      for (const DossierRow& row : page->rows) {
        out.laureates.push_back({row.dossierId, row.applicantName,
                                 applicantKindLabel(row.applicantKind), row.title, row.labelName,
                                 row.strands, row.grantedCents});
      }
      if (page->nextCursor.empty()) break;
      query.after = page->nextCursor;
    }
  }
  std::sort(out.laureates.begin(), out.laureates.end(),
            [](const Laureate& a, const Laureate& b) { return a.dossierId < b.dossierId; });
  return out;
}

std::string laureatesCsv(const PublishedLaureates& published) {
  std::string out = "dossier_id,territory,territory_kind,title,label,strands,granted_eur\r\n";
  for (const Laureate& l : published.laureates) {
    out += csvCell(l.dossierId) + "," + csvCell(l.territory) + "," + csvCell(l.territoryKind) +
           "," + csvCell(l.title) + "," + csvCell(l.labelName) + "," +
           csvCell(joined(l.strands, ";")) + "," + formatPlainEuros(l.grantedCents) + "\r\n";
  }
  return out;
}

std::string laureatesHtml(const PublishedLaureates& published) {
  bool funded = false;
  for (const Laureate& l : published.laureates) funded = funded || l.grantedCents > 0;
  std::string out =
      "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Lauréats — " +
      htmlText(published.campaignName) +
      "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
      "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;"
      "padding:.4rem;text-align:left}td.num{text-align:right}</style>\n</head>\n<body>\n<h1>" +
      htmlText(published.campaignName) + "</h1>\n<p>" + htmlText(published.organiser) +
      " — lauréats publiés le " +
      htmlText(formatInZone(published.publishedAtMicros, published.timeZone)) + " (" +
      htmlText(published.timeZone) + ").</p>\n";
  if (published.laureates.empty()) return out + "<p>Aucun lauréat.</p>\n</body>\n</html>\n";
  out += "<table>\n<caption>" + std::to_string(published.laureates.size()) +
         (published.laureates.size() == 1 ? " lauréat" : " lauréats") +
         "</caption>\n<thead><tr><th scope=\"col\">Territoire</th><th scope=\"col\">Projet</th>"
         "<th scope=\"col\">Distinction</th>" +
         std::string(funded ? "<th scope=\"col\">Montant attribué</th>" : "") +
         "</tr></thead>\n<tbody>\n";
  for (const Laureate& l : published.laureates) {
    const std::string distinction =
        !l.labelName.empty() ? "Label « " + l.labelName + " »"
        : l.strands.empty()  ? std::string("Retenu")
                             : "Volet " + joined(l.strands, ", ");
    out += "<tr><td>" + htmlText(l.territory) + " <small>(" + htmlText(l.territoryKind) +
           ")</small></td><td>" + htmlText(l.title) + "</td><td>" + htmlText(distinction) +
           "</td>" +
           (funded ? "<td class=\"num\">" + htmlText(frenchEuros(l.grantedCents)) + "</td>" : "") +
           "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</body>\n</html>\n";
}

}  // namespace parcours::workflows
