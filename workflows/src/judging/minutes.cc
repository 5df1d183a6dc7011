// The minutes (procès-verbal) of a deliberative vote on one dossier, as
// Markdown, in French or English.
//
// The minutes record what `tally` decided; they never recount. Each
// language is one table of words (`Words`) read by the same layout code,
// so both versions always carry the same facts in the same order. Member
// lists are sorted by id and nothing depends on the clock or the locale:
// the same input always gives the same bytes, which the audit bundle can
// hash. With a secret ballot no line ever ties a member to a vote.
//
// Helpers live in `minutes_impl`: unity builds paste this file into one
// translation unit with the other judging files.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/workflows/judging/deliberation.h"

namespace parcours::workflows::judging {
namespace minutes_impl {
namespace {

// ------------------------------------------------------------ words

struct Words {
  std::string_view title, colon, percent;
  std::string_view campaign, dossier, heldAt, rulesVersion, chair;
  std::string_view rulesSection, quorum, majority, abstentions, ballot, tieBreak;
  std::string_view quorumOfEligible, quorumOnVotesCast, quorumOnPresent;
  std::string_view simpleMajority, absoluteMajority, qualifiedMajority, qualifiedOf;
  std::string_view baseArticle, baseVotesCast, baseExpressed, basePresent, baseEligible;
  std::string_view abstentionsCounted, abstentionsNotCounted;
  std::string_view ballotRollCall, ballotSecret;
  std::string_view tieNone, tieChair, tieEarlier, tieLot;
  std::string_view membersSection, eligibleCount, presentHeading, recusedHeading, absentHeading;
  std::string_view nobody, recusedNote;
  std::string_view voteSection, memberColumn, voteColumn;
  std::string_view yes, no, abstain, didNotVote, counts, secretNote;
  std::string_view quorumReached, quorumNotReached, needed, of;
  std::string_view voteCastOne, voteCastMany, presentOne, presentMany, eligibleOne, eligibleMany;
  std::string_view resultSection, majorityRequired, yesVotes, tieLine, yesShort, noShort;
  std::string_view tieBreakUsed, carried, rejected, quorumMissing;
  std::string_view noTieBreak, theChair, chairVotedYes, chairVotedNo, chairAbstained;
  std::string_view chairDidNotVote, chairRecused, chairSecret;
  std::string_view earlierWins, earlierLoses, earlierUnknown;
  std::string_view seed, firstByte, odd, even;
  // The council's rules (CGCT L4132-13 to 15).
  std::string_view quorumInOffice, inOfficeOne, inOfficeMany, moreThanHalf;
  std::string_view proxiesHeading, gaveProxyTo, proxyHeldBy, quorumWaived;
};

constexpr Words french{
    .title = "Procès-verbal de délibération",
    .colon = " : ",
    .percent = " %",
    .campaign = "Campagne",
    .dossier = "Dossier",
    .heldAt = "Date",
    .rulesVersion = "Version des règles",
    .chair = "Président de séance",
    .rulesSection = "Règles applicables",
    .quorum = "Quorum",
    .majority = "Majorité",
    .abstentions = "Abstentions",
    .ballot = "Scrutin",
    .tieBreak = "Partage des voix",
    .quorumOfEligible = "des membres habilités à voter",
    .quorumOnVotesCast = "calculé sur les votants (abstentions comprises)",
    .quorumOnPresent = "calculé sur les membres présents",
    .simpleMajority = "majorité simple (plus de voix pour que de voix contre)",
    .absoluteMajority = "majorité absolue ",
    .qualifiedMajority = "majorité qualifiée des ",
    .qualifiedOf = " ",
    .baseArticle = "des ",
    .baseVotesCast = "votants (abstentions comprises)",
    .baseExpressed = "suffrages exprimés (abstentions non comptées)",
    .basePresent = "membres présents",
    .baseEligible = "membres habilités à voter",
    .abstentionsCounted = "comptées comme suffrages exprimés",
    .abstentionsNotCounted =
        "non comptées (seuls les votes pour et contre sont des suffrages exprimés)",
    .ballotRollCall = "vote public à l'appel nominal",
    .ballotSecret = "vote à bulletin secret",
    .tieNone = "aucun départage (en cas de partage, la délibération est rejetée)",
    .tieChair = "voix prépondérante du président",
    .tieEarlier = "antériorité du dépôt du dossier",
    .tieLot = "tirage au sort",
    .membersSection = "Membres",
    .eligibleCount = "Membres habilités à voter",
    .presentHeading = "Présents",
    .recusedHeading = "Récusés",
    .absentHeading = "Absents",
    .nobody = "aucun",
    .recusedNote = "conflit d'intérêts retenu, ne prend pas part au vote",
    .voteSection = "Vote",
    .memberColumn = "Membre",
    .voteColumn = "Vote",
    .yes = "Pour",
    .no = "Contre",
    .abstain = "Abstention",
    .didNotVote = "N'a pas pris part au vote",
    .counts = "Pour / Contre / Abstention",
    .secretNote = "Vote à bulletin secret : seuls les décomptes sont consignés.",
    .quorumReached = "Quorum atteint",
    .quorumNotReached = "Quorum non atteint",
    .needed = "requis",
    .of = "de",
    .voteCastOne = "votant",
    .voteCastMany = "votants",
    .presentOne = "présent",
    .presentMany = "présents",
    .eligibleOne = "membre habilité à voter",
    .eligibleMany = "membres habilités à voter",
    .resultSection = "Résultat",
    .majorityRequired = "Majorité requise",
    .yesVotes = "voix pour",
    .tieLine = "Partage égal des voix",
    .yesShort = "pour",
    .noShort = "contre",
    .tieBreakUsed = "Départage",
    .carried = "Adopté",
    .rejected = "Rejeté",
    .quorumMissing = "quorum non atteint",
    .noTieBreak = "aucun. Sans majorité, la délibération est rejetée.",
    .theChair = "Le président, ",
    .chairVotedYes = ", a voté pour.",
    .chairVotedNo = ", a voté contre.",
    .chairAbstained = ", s'est abstenu : pas de voix prépondérante, le partage subsiste.",
    .chairDidNotVote =
        ", n'a pas pris part au vote : pas de voix prépondérante, le partage subsiste.",
    .chairRecused =
        ", est récusé pour ce dossier : pas de voix prépondérante, le partage subsiste.",
    .chairSecret = "Le vote du président est secret : sa voix ne peut être prépondérante.",
    .earlierWins = "Ce dossier a été déposé avant l'autre dossier à égalité.",
    .earlierLoses = "Ce dossier a été déposé après l'autre dossier à égalité.",
    .earlierUnknown = "Aucune comparaison des dépôts n'est disponible : le partage subsiste.",
    .seed = "graine",
    .firstByte = "premier octet",
    .odd = "impair",
    .even = "pair",
    .quorumInOffice = "majorité absolue des membres en exercice, présents en personne (CGCT, "
                      "art. L4132-13) ; les pouvoirs ne comptent pas",
    .inOfficeOne = "membre en exercice",
    .inOfficeMany = "membres en exercice",
    .moreThanHalf = "plus de la moitié des",
    .proxiesHeading = "Pouvoirs",
    .gaveProxyTo = " a donné pouvoir à ",
    .proxyHeldBy = "pouvoir à",
    .quorumWaived = "non requis : la réunion se tient de plein droit après une séance sans "
                    "quorum et délibère valablement quel que soit le nombre des présents "
                    "(CGCT, art. L4132-13)",
};

constexpr Words english{
    .title = "Minutes of deliberation",
    .colon = ": ",
    .percent = "%",
    .campaign = "Campaign",
    .dossier = "Dossier",
    .heldAt = "Held",
    .rulesVersion = "Rules version",
    .chair = "Chair",
    .rulesSection = "Rules in force",
    .quorum = "Quorum",
    .majority = "Majority",
    .abstentions = "Abstentions",
    .ballot = "Ballot",
    .tieBreak = "Tie-break",
    .quorumOfEligible = "of the eligible members",
    .quorumOnVotesCast = "counted on votes cast (abstentions included)",
    .quorumOnPresent = "counted on members present",
    .simpleMajority = "simple majority (more yes than no)",
    .absoluteMajority = "absolute majority of ",
    .qualifiedMajority = "qualified majority of ",
    .qualifiedOf = " of ",
    .baseArticle = "the ",
    .baseVotesCast = "votes cast (abstentions included)",
    .baseExpressed = "votes for or against (abstentions not counted)",
    .basePresent = "members present",
    .baseEligible = "eligible members",
    .abstentionsCounted = "counted as votes cast",
    .abstentionsNotCounted = "not counted (only votes for or against are votes cast)",
    .ballotRollCall = "roll call",
    .ballotSecret = "secret ballot",
    .tieNone = "none (a tied motion is rejected)",
    .tieChair = "chair's casting vote",
    .tieEarlier = "earlier submission of the dossier",
    .tieLot = "drawing of lots",
    .membersSection = "Members",
    .eligibleCount = "Eligible members",
    .presentHeading = "Present",
    .recusedHeading = "Recused",
    .absentHeading = "Absent",
    .nobody = "none",
    .recusedNote = "conflict of interest upheld, takes no part in the vote",
    .voteSection = "Vote",
    .memberColumn = "Member",
    .voteColumn = "Vote",
    .yes = "Yes",
    .no = "No",
    .abstain = "Abstain",
    .didNotVote = "Did not take part in the vote",
    .counts = "Yes / No / Abstain",
    .secretNote = "Secret ballot: only the counts are recorded.",
    .quorumReached = "Quorum reached",
    .quorumNotReached = "Quorum not reached",
    .needed = "needed",
    .of = "of",
    .voteCastOne = "vote cast",
    .voteCastMany = "votes cast",
    .presentOne = "member present",
    .presentMany = "members present",
    .eligibleOne = "eligible member",
    .eligibleMany = "eligible members",
    .resultSection = "Result",
    .majorityRequired = "Majority required",
    .yesVotes = "yes",
    .tieLine = "Tie",
    .yesShort = "yes",
    .noShort = "no",
    .tieBreakUsed = "Tie-break",
    .carried = "Carried",
    .rejected = "Rejected",
    .quorumMissing = "quorum not reached",
    .noTieBreak = "none. Without a majority the motion is rejected.",
    .theChair = "The chair, ",
    .chairVotedYes = ", voted yes.",
    .chairVotedNo = ", voted no.",
    .chairAbstained = ", abstained: no casting vote, the tie stands.",
    .chairDidNotVote = ", did not vote: no casting vote, the tie stands.",
    .chairRecused = ", is recused from this dossier: no casting vote, the tie stands.",
    .chairSecret = "The chair's vote is secret and cannot prevail.",
    .earlierWins = "This dossier was submitted before the other dossier of the tie.",
    .earlierLoses = "This dossier was submitted after the other dossier of the tie.",
    .earlierUnknown = "No comparison of the submissions is available: the tie stands.",
    .seed = "seed",
    .firstByte = "first byte",
    .odd = "is odd",
    .even = "is even",
    .quorumInOffice = "an absolute majority of the members in office, present in person (CGCT, "
                      "art. L4132-13); proxies do not count",
    .inOfficeOne = "member in office",
    .inOfficeMany = "members in office",
    .moreThanHalf = "more than half of the",
    .proxiesHeading = "Proxies",
    .gaveProxyTo = " gave a proxy to ",
    .proxyHeldBy = "proxy held by",
    .quorumWaived = "not required: the meeting is held again of right after one without quorum "
                    "and is valid whatever the attendance (CGCT, art. L4132-13)",
};

// ------------------------------------------------------------ text

// Free text (names, titles) as literal Markdown: one line, every character
// that could open emphasis, a link, a table cell, HTML or a heading escaped.
// A leading block marker is escaped too, since member names start list
// items: "- 1. Dupont" or "- > Dupont" must not open a nested block.
// (Only punctuation can be escaped in Markdown: for "1." the dot is.)
std::string markdownText(std::string_view text) {
  std::string out;
  bool onlyDigits = true;  // so far: a "12." or "12)" would open a list
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    const bool inlineMarker = std::string_view("\\`*_[]<>|~#&!").find(c) != std::string_view::npos;
    const bool leadingMarker =
        out.empty() && std::string_view("-+=>").find(c) != std::string_view::npos;
    const bool listNumberEnd = onlyDigits && !out.empty() && (c == '.' || c == ')');
    if (inlineMarker || leadingMarker || listNumberEnd) out += '\\';
    out += c;
    onlyDigits = onlyDigits && c >= '0' && c <= '9';
  }
  return out;
}

// An id in a code span, where Markdown reads nothing; ids are
// [A-Za-z0-9_-], and anything else falls back to escaped text.
std::string codeSpan(std::string_view id) {
  if (id.find_first_of("`\n\r") != std::string_view::npos) return markdownText(id);
  return "`" + std::string(id) + "`";
}

std::string countOf(std::uint32_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string line(const Words& w, std::string_view label, std::string_view value) {
  return "- " + std::string(label) + std::string(w.colon) + std::string(value) + "\n";
}

std::string heading(std::string_view level, std::string_view text) {
  return std::string(level) + " " + std::string(text) + "\n\n";
}

// "Alice Martin (`m1`)", or "`m1`" when no name is known.
std::string memberLabel(const MinutesInput& m, const std::string& id) {
  auto it = m.memberNames.find(id);
  if (it == m.memberNames.end() || it->second.empty()) return codeSpan(id);
  return markdownText(it->second) + " (" + codeSpan(id) + ")";
}

// "Territoires 2020 (`terr-2020`)": a name and its id, either may be empty.
std::string namedThing(std::string_view name, std::string_view id) {
  if (name.empty()) return codeSpan(id);
  if (id.empty()) return markdownText(name);
  return markdownText(name) + " (" + codeSpan(id) + ")";
}

// ------------------------------------------------------------ members

struct Attendance {
  std::set<std::string> present, recused, absent;
  std::map<std::string, VoteChoice> votes;
};

// Present as given, or else the voters (as tally reads it); absent: the
// eligible members not present.
Attendance attendanceOf(const DeliberationInput& input) {
  Attendance a;
  for (const MemberVote& vote : input.votes) a.votes.emplace(vote.memberId, vote.choice);
  a.present.insert(input.present.begin(), input.present.end());
  if (a.present.empty()) {
    for (const auto& [id, choice] : a.votes) a.present.insert(id);
  }
  a.recused.insert(input.recused.begin(), input.recused.end());
  for (const std::string& id : input.eligible) {
    if (a.present.count(id) == 0) a.absent.insert(id);
  }
  return a;
}

std::string memberList(const MinutesInput& m, const Words& w, std::string_view title,
                       const std::set<std::string>& ids, std::string_view note) {
  std::string out = heading("###", std::string(title) + " (" + std::to_string(ids.size()) + ")");
  if (ids.empty()) return out + "- " + std::string(w.nobody) + "\n\n";
  for (const std::string& id : ids) {
    out += "- " + memberLabel(m, id);
    if (!note.empty()) out += ", " + std::string(note);
    out += "\n";
  }
  return out + "\n";
}

// ------------------------------------------------------------ sections

std::string headerSection(const MinutesInput& m, const Words& w) {
  std::string out = heading("#", w.title);
  out += line(w, w.campaign, namedThing(m.campaignName, m.campaignId));
  out += line(w, w.dossier, namedThing(m.dossierTitle, m.dossierId));
  out += line(w, w.heldAt, markdownText(m.heldAtLocal));
  out += line(w, w.rulesVersion, std::to_string(m.rulesVersion));
  if (!m.rules.chairId.empty()) out += line(w, w.chair, memberLabel(m, m.rules.chairId));
  return out + "\n";
}

std::string_view baseWords(const DeliberationRules& r, const Words& w) {
  switch (r.majorityBase) {
    case MajorityBase::VotesCast:
      return r.abstentions == Abstentions::CountAsCast ? w.baseVotesCast : w.baseExpressed;
    case MajorityBase::Present:
      return w.basePresent;
    case MajorityBase::Eligible:
      return w.baseEligible;
  }
  return w.baseEligible;
}

// "absolute majority of the votes cast (...)", or with a count: "... of the
// 5 votes cast (...)" (count: empty for the rules, the base for the result).
std::string majorityWords(const DeliberationRules& r, const Words& w, std::string_view count) {
  const std::string base = std::string(w.baseArticle) +
                           (count.empty() ? "" : std::string(count) + " ") +
                           std::string(baseWords(r, w));
  switch (r.majority) {
    case MajorityRule::Simple:
      return std::string(w.simpleMajority);
    case MajorityRule::Absolute:
      return std::string(w.absoluteMajority) + base;
    case MajorityRule::Qualified:
      return std::string(w.qualifiedMajority) + std::to_string(r.qualifiedNumerator) + "/" +
             std::to_string(r.qualifiedDenominator) + std::string(w.qualifiedOf) + base;
  }
  return std::string(w.simpleMajority);
}

std::string_view tieBreakWords(TieBreak t, const Words& w) {
  switch (t) {
    case TieBreak::None:
      return w.tieNone;
    case TieBreak::ChairCastingVote:
      return w.tieChair;
    case TieBreak::EarlierSubmission:
      return w.tieEarlier;
    case TieBreak::Lot:
      return w.tieLot;
  }
  return w.tieNone;
}

std::string rulesSection(const DeliberationRules& r, const Words& w) {
  std::string out = heading("##", w.rulesSection);
  out += line(w, w.quorum,
              r.quorumRule == QuorumRule::MoreThanHalfInOffice
                  ? std::string(w.quorumInOffice)
                  : std::to_string(r.quorumPercent) + std::string(w.percent) + " " +
                        std::string(w.quorumOfEligible) + ", " +
                        std::string(r.quorumCounts == QuorumCounts::VotesCast
                                        ? w.quorumOnVotesCast
                                        : w.quorumOnPresent));
  out += line(w, w.majority, majorityWords(r, w, ""));
  out += line(
      w, w.abstentions,
      r.abstentions == Abstentions::CountAsCast ? w.abstentionsCounted : w.abstentionsNotCounted);
  out += line(w, w.ballot, r.ballot == Ballot::RollCall ? w.ballotRollCall : w.ballotSecret);
  out += line(w, w.tieBreak, tieBreakWords(r.tieBreak, w));
  return out + "\n";
}

std::string membersSection(const MinutesInput& m, const Words& w, const Attendance& a) {
  std::string out = heading("##", w.membersSection);
  out += std::string(w.eligibleCount) + std::string(w.colon) +
         std::to_string(m.input.eligible.size()) + ".\n\n";
  out += memberList(m, w, w.presentHeading, a.present, "");
  out += memberList(m, w, w.recusedHeading, a.recused, w.recusedNote);
  out += memberList(m, w, w.absentHeading, a.absent, "");
  if (!m.input.proxies.empty()) {
    out += heading("###", std::string(w.proxiesHeading) + " (" +
                              std::to_string(m.input.proxies.size()) + ")");
    for (const ProxyGiven& p : m.input.proxies) {
      out += "- " + memberLabel(m, p.giverId) + std::string(w.gaveProxyTo) +
             memberLabel(m, p.holderId) + "\n";
    }
    out += "\n";
  }
  return out;
}

std::string_view choiceWords(VoteChoice choice, const Words& w) {
  switch (choice) {
    case VoteChoice::Yes:
      return w.yes;
    case VoteChoice::No:
      return w.no;
    case VoteChoice::Abstain:
      return w.abstain;
  }
  return w.abstain;
}

// Every member present (and any voter), sorted by id, with their vote.
std::string rollCallTable(const MinutesInput& m, const Words& w, const Attendance& a) {
  std::set<std::string> rows = a.present;
  for (const auto& [id, choice] : a.votes) rows.insert(id);
  std::string out = "| " + std::string(w.memberColumn) + " | " + std::string(w.voteColumn) +
                    " |\n| --- | --- |\n";
  for (const std::string& id : rows) {
    auto vote = a.votes.find(id);
    std::string who = memberLabel(m, id);
    for (const ProxyGiven& p : m.input.proxies) {
      if (p.giverId == id) {
        who += " (" + std::string(w.proxyHeldBy) + " " + memberLabel(m, p.holderId) + ")";
      }
    }
    out += "| " + who + " | " +
           std::string(vote == a.votes.end() ? w.didNotVote : choiceWords(vote->second, w)) +
           " |\n";
  }
  return out + "\n";
}

std::string quorumLine(const MinutesInput& m, const Words& w) {
  const DeliberationOutcome& o = m.outcome;
  if (o.quorumWaived) {
    return line(w, w.quorum,
                std::string(w.quorumWaived) + " (" + countOf(o.present, w.presentOne, w.presentMany) +
                    ")");
  }
  if (m.rules.quorumRule == QuorumRule::MoreThanHalfInOffice) {
    return line(w, o.quorumReached ? w.quorumReached : w.quorumNotReached,
                countOf(o.quorumCounted, w.presentOne, w.presentMany) + ", " +
                    std::to_string(o.quorumNeeded) + " " + std::string(w.needed) + " (" +
                    std::string(w.moreThanHalf) + " " +
                    countOf(o.inOffice, w.inOfficeOne, w.inOfficeMany) + ")");
  }
  const std::string counted = m.rules.quorumCounts == QuorumCounts::VotesCast
                                  ? countOf(o.quorumCounted, w.voteCastOne, w.voteCastMany)
                                  : countOf(o.quorumCounted, w.presentOne, w.presentMany);
  return line(w, o.quorumReached ? w.quorumReached : w.quorumNotReached,
              counted + ", " + std::to_string(o.quorumNeeded) + " " + std::string(w.needed) + " (" +
                  std::to_string(m.rules.quorumPercent) + std::string(w.percent) + " " +
                  std::string(w.of) + " " + countOf(o.eligible, w.eligibleOne, w.eligibleMany) +
                  ")");
}

std::string voteSection(const MinutesInput& m, const Words& w, const Attendance& a) {
  std::string out = heading("##", w.voteSection);
  // A secret ballot shows no row per member: who voted what stays secret.
  out += m.rules.ballot == Ballot::RollCall ? rollCallTable(m, w, a)
                                            : std::string(w.secretNote) + "\n\n";
  const DeliberationOutcome& o = m.outcome;
  out += line(
      w, w.counts,
      std::to_string(o.yes) + " / " + std::to_string(o.no) + " / " + std::to_string(o.abstain));
  out += quorumLine(m, w);
  return out + "\n";
}

// ------------------------------------------------------------ tie-break

std::string chairDetail(const MinutesInput& m, const Words& w, const Attendance& a) {
  if (m.rules.ballot == Ballot::Secret) return std::string(w.chairSecret);
  const std::string& chair = m.rules.chairId;
  const std::string who = std::string(w.theChair) + memberLabel(m, chair);
  auto vote = a.votes.find(chair);
  if (vote != a.votes.end()) {
    switch (vote->second) {
      case VoteChoice::Yes:
        return who + std::string(w.chairVotedYes);
      case VoteChoice::No:
        return who + std::string(w.chairVotedNo);
      case VoteChoice::Abstain:
        return who + std::string(w.chairAbstained);
    }
  }
  return who + std::string(a.recused.count(chair) != 0 ? w.chairRecused : w.chairDidNotVote);
}

std::string earlierDetail(const MinutesInput& m, const Words& w) {
  const std::optional<bool>& wins = m.input.earlierSubmissionWins;
  if (!wins) return std::string(w.earlierUnknown);
  return std::string(*wins ? w.earlierWins : w.earlierLoses);
}

// The formula and the whole digest in a code span, so anyone can redo the
// draw; the verdict from the outcome's own first byte.
std::string lotDetail(const MinutesInput& m, const Words& w) {
  const std::string& digest = m.outcome.lotDigestHex;
  std::string out = "`SHA-256(" + std::string(w.seed) + " ‖ \"\\n\" ‖ \"" + m.input.dossierId +
                    "\")" + (digest.empty() ? "" : " = " + digest) + "`";
  if (digest.size() >= 2) {
    out += std::string(w.colon) + std::string(w.firstByte) + " 0x" + digest.substr(0, 2) + " " +
           std::string(m.outcome.carried ? w.odd : w.even) + ".";
  }
  return out;
}

std::string tieBreakDetail(const MinutesInput& m, const Words& w, const Attendance& a) {
  switch (*m.outcome.tieBreakUsed) {
    case TieBreak::None:
      return std::string(w.noTieBreak);
    case TieBreak::ChairCastingVote:
      return std::string(w.tieChair) + ". " + chairDetail(m, w, a);
    case TieBreak::EarlierSubmission:
      return std::string(w.tieEarlier) + ". " + earlierDetail(m, w);
    case TieBreak::Lot:
      return std::string(w.tieLot) + ". " + lotDetail(m, w);
  }
  return std::string(w.noTieBreak);
}

std::string resultSection(const MinutesInput& m, const Words& w, const Attendance& a) {
  const DeliberationOutcome& o = m.outcome;
  std::string out = heading("##", w.resultSection);
  if (!o.quorumReached) {
    return out + "- **" + std::string(w.rejected) + "**" + std::string(w.colon) +
           std::string(w.quorumMissing) + "\n";
  }
  out += line(w, w.majorityRequired,
              std::to_string(o.yesNeeded) + " " + std::string(w.yesVotes) + ", " +
                  majorityWords(m.rules, w, std::to_string(o.majorityBase)));
  if (o.tie) {
    out += line(w, w.tieLine,
                std::to_string(o.yes) + " " + std::string(w.yesShort) + ", " +
                    std::to_string(o.no) + " " + std::string(w.noShort));
  }
  if (o.tieBreakUsed) out += line(w, w.tieBreakUsed, tieBreakDetail(m, w, a));
  return out + "- **" + std::string(o.carried ? w.carried : w.rejected) + "**\n";
}

}  // namespace
}  // namespace minutes_impl

std::string renderMinutes(const MinutesInput& minutes, Language language) {
  using namespace minutes_impl;
  const Words& words = language == Language::French ? french : english;
  const Attendance attendance = attendanceOf(minutes.input);
  return headerSection(minutes, words) + rulesSection(minutes.rules, words) +
         membersSection(minutes, words, attendance) + voteSection(minutes, words, attendance) +
         resultSection(minutes, words, attendance);
}

}  // namespace parcours::workflows::judging
