#include "demo_scenario.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>

#include "parcours/engine/clock.h"
#include "parcours/store/hash_chain.h"
#include "parcours/workflows/form_answers.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging_views.h"
#include "parcours/workflows/workflow.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::demo {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
namespace ccmd = campaign_command;

// Fictional places, people and projects: no real territory or person.
constexpr std::array<const char*, 8> placeHeads{"Val", "Pays", "Haut-Plateau", "Rives",
                                                "Coteaux", "Monts", "Causses", "Vallons"};
constexpr std::array<const char*, 8> placeTails{
    "de Brume",       "des Lavandes",   "du Mistral Fictif", "des Oliviers Bleus",
    "de Clairefont",  "des Trois Collines", "du Lac Vert",   "de Roche-Imaginaire"};
constexpr std::array<const char*, 8> firstNames{"Camille", "Dominique", "Claude", "Alix",
                                                "Sacha",   "Morgan",    "Charlie", "Maxime"};
constexpr std::array<const char*, 8> lastNames{"Arnaud", "Berthier", "Chauvin", "Delmas",
                                               "Esposito", "Fabre",  "Garnier", "Hoarau"};
constexpr std::array<const char*, 12> projects{
    "Tiers-lieu numérique intercommunal",
    "Covoiturage rural à la demande",
    "Capteurs de qualité de l'air dans les écoles",
    "Jumeau numérique du réseau d'eau",
    "Éclairage public piloté à la demande",
    "Guichet unique des démarches en ligne",
    "Données ouvertes de la mobilité",
    "Rénovation énergétique des bâtiments publics",
    "Réseau de chaleur piloté par les données",
    "Médiation numérique itinérante",
    "Cartographie participative des pistes cyclables",
    "Collecte des déchets optimisée et mutualisée"};

// Départements of the label's applicants, all over France.
constexpr std::array<const char*, 6> otherDepartements{"59", "62", "35", "67", "31", "974"};

// A SIREN that passes the Luhn check, made from the dossier's number: eight
// digits, then the check digit. Fictional: "9" first, no such firm.
std::string fictionalSiren(int i) {
  std::string digits = "9" + std::to_string(1000000 + i * 7919 % 9000000);
  digits.resize(8, '0');
  for (int check = 0; check <= 9; ++check) {
    const std::string candidate = digits + static_cast<char>('0' + check);
    if (checkSiren("siren", candidate)) return candidate;
  }
  return digits + "0";  // unreachable: one check digit in ten always fits
}


class Scenario {
 public:
  Scenario(store::EventLog& log, engine::KeyStore* keys, const DemoSettings& settings,
           const Narrate& narrate)
      : log_(log),
        clock_(engine::fromMicros(0)),
        workflow_(log, clock_, keys),
        random_(settings.seed),
        settings_(settings),
        narrate_(narrate) {}

  Status run() {
    const auto& definitions = seedCampaignDefinitions();
    for (const std::string& json : definitions) {
      auto definition = parseCampaignDefinition(json);
      if (!definition) return definition.error();
      const bool auditions = definition->rules.auditionsHeld;
      auto played = auditions ? playLabel(*definition) : playFundingCall(*definition);
      if (!played) return played;
      outcome_.campaignIds.push_back(definition->campaignId);
    }
    return okStatus();
  }

  DemoOutcome take() { return std::move(outcome_); }

 private:
  // ---------------------------------------------------------- plumbing

  Status at(const std::string& parisLocal) {
    auto micros = parseLocalTime(parisLocal, "Europe/Paris");
    if (!micros) return micros.error();
    clock_.set(engine::fromMicros(*micros));
    return okStatus();
  }

  // Errors of the store (I/O, corruption, bugs) stop the demo; refusals are
  // part of the story and returned to the caller.
  static bool fatal(const Error& e) {
    return e.code == ErrorCode::IoError || e.code == ErrorCode::Corruption ||
           e.code == ErrorCode::Internal;
  }

  // Counts a command's outcome: true when accepted, false (with the
  // refusal's words) when refused, the error when it must stop the demo.
  Result<bool> counted(const Result<store::AppendResult>& r, std::string* refusal) {
    if (r) {
      ++outcome_.commands;
      return true;
    }
    if (fatal(r.error())) return r.error();
    ++outcome_.refusals;
    if (refusal) *refusal = r.error().message;
    return false;
  }

  Result<bool> dossier(const std::string& id, const DossierCommand& c, const std::string& actor,
                       const std::string& reason = "", std::string* refusal = nullptr) {
    return counted(workflow_.dossier(id, c, {{"", actor, "", ""}, reason}), refusal);
  }

  Status campaign(const std::string& id, const CampaignCommand& c, const std::string& actor,
                  const std::string& reason) {
    auto r = workflow_.campaign(id, c, {{"", actor, "", ""}, reason});
    if (!r) return r.error();
    ++outcome_.commands;
    return okStatus();
  }

  // A campaign decision the story expects may be refused (a round that
  // cannot close yet): the refusal is returned, store errors stop the demo.
  Result<bool> tryCampaign(const std::string& id, const CampaignCommand& c,
                           const std::string& actor, const std::string& reason,
                           std::string* refusal) {
    return counted(workflow_.campaign(id, c, {{"", actor, "", ""}, reason}), refusal);
  }

  // The demo's seeds are made from its own seed, so a demo replays to the
  // same log; a real campaign makes them with `campaign draw-commit
  // --seed-out` (OpenSSL's generator).
  std::string demoSeed(const std::string& campaignId, const std::string& what) const {
    return store::chain::toHex(store::chain::sha256(
        {"parcours demo ", std::to_string(settings_.seed), " ", campaignId, " ", what}));
  }

  // Commit-reveal of the juror draw: the seed's hash when submissions have
  // closed, the seed itself at the draw.
  Status commitDraw(const std::string& c, const std::string& actor) {
    return campaign(c, ccmd::CommitAssignment{judging::seedCommitment(demoSeed(c, "draw"))}, actor,
                    "submissions closed: the draw's seed is fixed before anyone sees the list");
  }
  Status revealDraw(const std::string& c, const std::string& actor) {
    ccmd::RevealAssignment reveal;
    reveal.seed = demoSeed(c, "draw");
    if (auto s = campaign(c, reveal, actor, "the seed revealed: jurors drawn"); !s) return s;
    auto state = workflow_.loadCampaign(c);
    if (!state) return state.error();
    narrate_(c + ": jurors drawn for " + std::to_string(state->assignments.size()) +
             " dossiers (seed " + state->draw->seed.substr(0, 12) + "..., inputs " +
             state->draw->inputsHash.substr(0, 12) + "...)");
    return okStatus();
  }

  void notable(const std::string& campaignId, const std::string& dossierId,
               const std::string& what, const std::string& message) {
    outcome_.notable.push_back({campaignId, dossierId, what, message});
  }

  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  Application makeApplication(int i, const std::string& kind, const CampaignRules& rules) {
    Application a;
    const std::string place = std::string(placeHeads[i % placeHeads.size()]) + " " +
                              placeTails[(i / placeHeads.size() + i) % placeTails.size()];
    a.applicantName = applicantKindLabel(kind) + " " + (kind == "commune" ? "de " : "du ") + place;
    a.applicantKind = kind;
    a.title = projects[static_cast<std::size_t>(i) % projects.size()];
    a.summary = "Projet fictif de démonstration porté par " + a.applicantName + ".";
    for (const Strand& strand : rules.strands) {
      if (uniform(0, 2) == 0) a.strands.push_back(strand.id);
    }
    if (a.strands.empty() && !rules.strands.empty()) {
      a.strands.push_back(rules.strands[static_cast<std::size_t>(i) % rules.strands.size()].id);
    }
    // Money only for what the call funds: an investment strand when the
    // strands say how they help, else any request under an envelope.
    const bool modes = std::any_of(rules.strands.begin(), rules.strands.end(),
                                   [](const Strand& s) { return s.mode != StrandMode::Unspecified; });
    if (rules.budgetEnvelopeCents > 0 && (!modes || rules.asksForMoney(a.strands))) {
      const std::int64_t cap = rules.perDossierCapCents > 0 ? rules.perDossierCapCents
                                                            : rules.budgetEnvelopeCents / 2;
      a.requestedCents = std::min<std::int64_t>(cap, uniform(4, 24) * 1000000);
    }
    a.siren = fictionalSiren(i);
    // The seat: in the Region when the call is regional (one dossier in
    // twenty-three from elsewhere, which eligibility refuses).
    const auto& region = rules.eligibleDepartements;
    a.departement = region.empty()   ? std::string(otherDepartements[static_cast<std::size_t>(i) %
                                                                     otherDepartements.size()])
                    : i % 23 == 15 ? std::string("69")
                                   : region[static_cast<std::size_t>(i) % region.size()];
    const std::string first = firstNames[static_cast<std::size_t>(i) % firstNames.size()];
    const std::string last = lastNames[static_cast<std::size_t>(i * 3 + 1) % lastNames.size()];
    a.contact = {first + " " + last, "contact" + std::to_string(i) + "@example.org",
                 "+33 4 00 00 " + std::to_string(10 + i % 90) + " " + std::to_string(10 + i % 89)};
    return a;
  }

  // Each drawn juror scores each criterion around the dossier's merit;
  // `severe` scores two points lower across the board, which the round's
  // normalisation corrects; on `outlier` one juror is far off the others.
  Status scoreAll(const std::string& campaignId, const std::vector<std::string>& dossiers,
                  std::map<std::string, int>& merit, const std::string& severe,
                  const std::string& outlier) {
    auto state = workflow_.loadCampaign(campaignId);
    if (!state) return state.error();
    for (const std::string& id : dossiers) {
      const auto scorers = state->scorers(id);
      for (std::size_t j = 0; j < scorers.size(); ++j) {
        const JuryMember* juror = scorers[j];
        const int shift = (juror->id == severe ? -2 : 0) + (id == outlier && j == 0 ? -5 : 0);
        cmd::RecordScore score{juror->id, {}};
        for (const Criterion& c : state->rules().criteria) {
          const int value = std::clamp(merit[id] + shift + uniform(-1, 1),
                                       static_cast<int>(c.scaleMin), static_cast<int>(c.scaleMax));
          score.scores.push_back({c.id, static_cast<std::uint32_t>(value)});
        }
        auto r = dossier(id, score, juror->id, "");
        if (!r) return r.error();
      }
    }
    return closeRound(campaignId, dossiers, merit, outlier);
  }

  // The round's close: refused while jurors disagree on `outlier`; the
  // juror far off rescores after the discussion, the consensus is recorded,
  // and the round closes with its normalisation. Then each dossier's
  // scoring closes on its normalised mean.
  Status closeRound(const std::string& campaignId, const std::vector<std::string>& dossiers,
                    std::map<std::string, int>& merit, const std::string& outlier) {
    std::string refusal;
    auto closed = tryCampaign(campaignId, ccmd::CloseRound{}, "secretariat", "every juror has scored",
                              &refusal);
    if (!closed) return closed.error();
    if (!*closed) {
      // Refused while jurors disagree: the far-off juror on `outlier`
      // rescores after the discussion; every dossier still past the spread
      // gets its consensus recorded; then the round closes.
      if (!outlier.empty()) {
        notable(campaignId, outlier, "round closed over a disagreement", refusal);
        auto state = workflow_.loadCampaign(campaignId);
        if (!state) return state.error();
        const JuryMember* far = state->scorers(outlier).front();
        cmd::RecordScore rescore{far->id, {}};
        for (const Criterion& c : state->rules().criteria) {
          const int value = std::clamp(merit[outlier] - 2, static_cast<int>(c.scaleMin),
                                       static_cast<int>(c.scaleMax));
          rescore.scores.push_back({c.id, static_cast<std::uint32_t>(value)});
        }
        auto r = dossier(outlier, rescore, far->id,
                         "rescored after the jury's discussion: the audition answered my doubts");
        if (!r) return r.error();
      }
      auto overview = judgingOverview(log_, campaignId);
      if (!overview) return overview.error();
      for (const LeaderboardLine& line : overview->leaderboard) {
        if (!line.disagreement || line.consensus) continue;
        auto agreed = tryCampaign(campaignId, ccmd::RecordConsensus{line.dossierId, 0},
                                  "secretariat",
                                  "discussed in session; the remaining gap reflects two readings "
                                  "of the project, both recorded",
                                  nullptr);
        if (!agreed) return agreed.error();
      }
      closed = tryCampaign(campaignId, ccmd::CloseRound{}, "secretariat",
                           "every juror has scored; consensus recorded", &refusal);
      if (!closed) return closed.error();
    }
    if (!*closed) return Error::bug("the demo's scoring round did not close: " + refusal);
    for (const std::string& id : dossiers) {
      auto r = dossier(id, cmd::CloseScoring{}, "secretariat", "the round is closed");
      if (!r) return r.error();
    }
    return okStatus();
  }

  // The voters vote after the dossier's merit; on the first dossier the
  // secretariat tries to close with a single vote in: no quorum. On `tied`
  // the votes split evenly, and the declared tie-break decides.
  Status voteAll(const std::string& campaignId, const std::vector<std::string>& dossiers,
                 std::map<std::string, int>& merit, const std::string& tied) {
    auto state = workflow_.loadCampaign(campaignId);
    if (!state) return state.error();
    const bool lot = state->rules().judging.tieBreak == judging::TieBreak::Lot;
    bool quorumShown = false;
    for (const std::string& id : dossiers) {
      auto folded = workflow_.loadDossier(id);
      if (!folded) return folded.error();
      if (folded->status != DossierStatus::Scored) continue;
      const auto voters = state->voters(id);
      cmd::CloseVote close;
      if (lot) close.lotSeed = demoSeed(campaignId, "lot");
      for (std::size_t v = 0; v < voters.size(); ++v) {
        const bool evenSplit = id == tied;
        if (evenSplit && voters.size() % 2 == 1 && v + 1 == voters.size()) break;  // absent
        if (!evenSplit && v + 1 == voters.size() && uniform(0, 3) == 0) break;  // absent
        close.present.push_back(voters[v]->id);
        const int leaning = merit[id] - 5 + uniform(-2, 2);
        const VoteChoice choice = evenSplit      ? (v % 2 == 0 ? VoteChoice::Yes : VoteChoice::No)
                                  : leaning > 0  ? VoteChoice::Yes
                                  : leaning == 0 ? VoteChoice::Abstain
                                                 : VoteChoice::No;
        auto r = dossier(id, cmd::CastVote{voters[v]->id, choice}, voters[v]->id);
        if (!r) return r.error();
        if (!quorumShown && v == 0) {
          std::string refusal;
          auto closed = dossier(id, close, "secretariat", "closing early", &refusal);
          if (!closed) return closed.error();
          if (!*closed) notable(campaignId, id, "vote closed without quorum", refusal);
          quorumShown = true;
        }
      }
      auto closed = dossier(id, close, "secretariat", "every present voter has voted");
      if (!closed) return closed.error();
    }
    if (!tied.empty()) outcome_.minutesDossier = tied;
    return okStatus();
  }

  // The regional council's meeting on the proposal (CGCT L4132-13 to 15).
  // On 9 July only two of the five officials come: no quorum, every vote is
  // adjourned and held again of right three days later, valid whatever the
  // attendance; there one member absent gives a proxy. On the first dossier
  // the officials lower the amount proposed; on the second the votes split
  // evenly and the President's casting vote decides.
  Status deliberate(const std::string& campaignId, const std::vector<std::string>& dossiers,
                    std::map<std::string, int>& merit) {
    auto state = workflow_.loadCampaign(campaignId);
    if (!state) return state.error();
    std::vector<std::string> officials;
    for (const JuryMember* m : state->voters(dossiers.empty() ? "" : dossiers.front())) {
      officials.push_back(m->id);
    }
    if (officials.size() < 5) return Error::bug("the demo's council needs five officials");
    if (auto s = at("2020-07-09T10:00:00"); !s) return s;
    for (const std::string& id : dossiers) {
      cmd::CloseVote close;
      close.present = {officials[0], officials[1]};
      auto r = dossier(id, close, "secretariat", "meeting of 9 July 2020: 2 of 5 present");
      if (!r) return r.error();
    }
    if (!dossiers.empty()) {
      notable(campaignId, dossiers.front(), "meeting without quorum",
              "2 of the 5 officials present, 3 needed: adjourned, held again of right on 12 July");
    }
    if (auto s = at("2020-07-12T10:00:00"); !s) return s;
    const std::string& tied = dossiers.size() > 1 ? dossiers[1] : std::string();
    for (std::size_t d = 0; d < dossiers.size(); ++d) {
      const std::string& id = dossiers[d];
      cmd::CloseVote close;
      close.present = {officials[0], officials[1], officials[2], officials[3]};
      close.proxies = {{officials[4], officials[2]}};
      for (std::size_t v = 0; v < officials.size(); ++v) {
        const int leaning = merit[id] - 4 + uniform(-2, 2);
        const VoteChoice choice = id == tied     ? (v < 2 ? VoteChoice::Yes : VoteChoice::No)
                                  : leaning > 0  ? VoteChoice::Yes
                                  : leaning == 0 ? VoteChoice::Abstain
                                                 : VoteChoice::No;
        if (id == tied && v == 4) break;  // 2 yes, 2 no: the President decides
        auto r = dossier(id, cmd::CastVote{officials[v], choice},
                         v == 4 ? officials[2] : officials[v]);
        if (!r) return r.error();
      }
      auto folded = workflow_.loadDossier(id);
      if (!folded) return folded.error();
      if (d == 0 && folded->application.requestedCents > 0) {
        const std::int64_t lowered = folded->application.requestedCents / 10 * 8;
        close.amountCents = lowered;
        auto r = dossier(id, close, "secretariat",
                         "deliberation of 12 July 2020: 80% of the amount proposed");
        if (!r) return r.error();
        continue;
      }
      auto r = dossier(id, close, "secretariat", "deliberation of 12 July 2020");
      if (!r) return r.error();
    }
    if (!tied.empty()) outcome_.minutesDossier = tied;
    return okStatus();
  }

  // Submits dossiers at even intervals up to the deadline, then tries a few
  // late ones: the deadline guard refuses them.
  Result<std::vector<std::string>> submitAll(const CampaignDefinition& d,
                                             const std::string& firstDay,
                                             const std::vector<std::string>& kinds,
                                             const std::string& ineligibleKind,
                                             const std::vector<std::string>& lateTimes,
                                             const std::string& prefix) {
    std::vector<std::string> ids;
    const std::int64_t from = *parseLocalTime(firstDay, "Europe/Paris");
    const std::int64_t deadline = d.rules.deadlineMicros;
    const int n = settings_.dossiersPerCampaign;
    for (int i = 0; i < n; ++i) {
      const std::string id = prefix + "-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1);
      // The last one lands on the deadline's very last second.
      clock_.set(engine::fromMicros(i == n - 1 ? deadline : from + (deadline - from) / n * i));
      const std::string kind = i % 9 == 4 ? ineligibleKind : kinds[static_cast<std::size_t>(i) % kinds.size()];
      Application a = makeApplication(i + (prefix == "sud" ? 0 : 17), kind, d.rules);
      a.answers = sampleAnswers(d.rules.form, a);  // the call's form, filled in
      if (i == 7) {  // an incomplete file
        a.summary.clear();
        a.contact.email.clear();
      }
      auto r = dossier(id, cmd::Submit{d.campaignId, a}, "applicant:" + id);
      if (!r) return r.error();
      if (*r) ids.push_back(id);
    }
    int late = 0;
    for (const std::string& when : lateTimes) {
      if (auto s = at(when); !s) return s.error();
      const std::string id = prefix + "-late-" + std::to_string(++late);
      std::string refusal;
      auto r = dossier(id, cmd::Submit{d.campaignId, makeApplication(40 + late, kinds[0], d.rules)},
                       "applicant:" + id, "", &refusal);
      if (!r) return r.error();
      if (!*r) notable(d.campaignId, id, "late submission", refusal);
    }
    narrate_(d.campaignId + ": " + std::to_string(ids.size()) + " dossiers submitted, " +
             std::to_string(lateTimes.size()) + " refused as late");
    return ids;
  }

  // Instruction: eligibility under the rules; a refusal becomes the reason
  // of an ineligibility decision, in the machine's own words.
  Result<std::vector<std::string>> instruct(const std::string& campaignId,
                                            const std::vector<std::string>& ids) {
    std::vector<std::string> eligible;
    int ineligible = 0;
    for (const std::string& id : ids) {
      auto folded = workflow_.loadDossier(id);
      if (!folded) return folded.error();
      if (folded->status != DossierStatus::Submitted) continue;
      std::string refusal;
      auto r = dossier(id, cmd::ConfirmEligibility{}, "instructor-1", "checked against the rules",
                       &refusal);
      if (!r) return r.error();
      if (*r) {
        eligible.push_back(id);
        continue;
      }
      if (ineligible++ == 0) notable(campaignId, id, "eligibility refused", refusal);
      auto declared = dossier(id, cmd::DeclareIneligible{}, "instructor-1", refusal);
      if (!declared) return declared.error();
    }
    narrate_(campaignId + ": " + std::to_string(eligible.size()) + " eligible, " +
             std::to_string(ineligible) + " declared ineligible");
    return eligible;
  }

  Status withdraw(const std::string& id, const std::string& reason) {
    auto r = dossier(id, cmd::Withdraw{}, "applicant:" + id, reason);
    if (!r) return r.error();
    return okStatus();
  }

  // The juror declares a link with each dossier (before seeing them in
  // full); the administrator rules: upheld on the first, dismissed on the
  // others (a link too remote to matter), each with its reason.
  Status declareAndRule(const std::string& campaignId, const std::string& juror,
                        const std::vector<std::string>& dossiers, const std::string& admin) {
    for (std::size_t i = 0; i < dossiers.size(); ++i) {
      const std::string& id = dossiers[i];
      if (auto s = campaign(campaignId, ccmd::DeclareConflict{juror, id, ConflictSource::Juror},
                            juror, "an elected official of the applicant is a relative");
          !s) {
        return s;
      }
      const bool upheld = i == 0;
      if (auto s = campaign(campaignId, ccmd::RuleConflict{juror, id, upheld, {}}, admin,
                            upheld ? "a direct family link with the applicant's executive"
                                   : "the relative left the applicant's council in 2019");
          !s) {
        return s;
      }
    }
    return okStatus();
  }

  // A drawn juror finds a link with a dossier once drawn for it: upheld, and
  // a replacement is drawn from the revealed seed.
  Status conflictAfterTheDraw(const std::string& campaignId, const std::vector<std::string>& dossiers,
                              const std::string& admin) {
    auto state = workflow_.loadCampaign(campaignId);
    if (!state) return state.error();
    for (const std::string& id : dossiers) {
      auto drawn = state->assignments.find(id);
      if (drawn == state->assignments.end() || drawn->second.empty()) continue;
      const std::string juror = drawn->second.back();
      if (auto s = campaign(campaignId, ccmd::DeclareConflict{juror, id, ConflictSource::Juror},
                            juror, "drawn for a project my former employer leads");
          !s) {
        return s;
      }
      return campaign(campaignId, ccmd::RuleConflict{juror, id, true, {}}, admin,
                      "a recent working relationship: recused, a replacement is drawn");
    }
    return okStatus();
  }

  std::vector<std::string> stillIn(const std::vector<std::string>& ids, DossierStatus status) {
    std::vector<std::string> out;
    for (const std::string& id : ids) {
      auto d = workflow_.loadDossier(id);
      if (d && d->status == status) out.push_back(id);
    }
    return out;
  }

  // ---------------------------------------------------------- the AMI

  Status playFundingCall(const CampaignDefinition& d) {
    const std::string& c = d.campaignId;
    if (auto s = at("2020-04-01T09:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::Open{d}, "region-admin", "call published"); !s) return s;
    // The committee's expertise, by strand: the draw gives each dossier two
    // members who know one of its strands.
    std::vector<JuryMember> jury{
        {"committee-1", "Comité : Alix Garnier", JuryRole::Juror, {"1", "2", "3", "4"}},
        {"committee-2", "Comité : Sacha Delmas", JuryRole::Juror, {"1", "3", "4"}},
        {"committee-3", "Comité : Morgan Fabre", JuryRole::Juror, {"2", "3", "4"}},
        {"committee-4", "Comité : Charlie Hoarau", JuryRole::Juror, {"1", "2", "4"}}};
    for (int i = 1; i <= 5; ++i) {
      jury.push_back({"elected-" + std::to_string(i),
                      std::string("Élu·e fictif·ve ") + lastNames[static_cast<std::size_t>(i)],
                      JuryRole::ElectedOfficial});
    }
    if (auto s = campaign(c, ccmd::AppointJury{jury}, "region-admin",
                          "selection committee and voting officials");
        !s) {
      return s;
    }
    auto ids = submitAll(d, "2020-04-15T10:00:00",
                         {"communaute_de_communes", "communaute_d_agglomeration", "metropole"},
                         "commune", {"2020-06-04T00:00:30", "2020-06-04T07:45:00"}, "sud");
    if (!ids) return ids.error();
    if (auto s = at("2020-06-04T08:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::SubmissionsClosed}, "region-admin",
                          "deadline passed");
        !s) {
      return s;
    }
    if (auto s = commitDraw(c, "region-admin"); !s) return s;
    if (auto s = at("2020-06-08T11:00:00"); !s) return s;
    if (auto s = withdraw((*ids)[11], "project postponed by the community council"); !s) return s;
    if (auto s = at("2020-06-10T09:00:00"); !s) return s;
    auto eligible = instruct(c, *ids);
    if (!eligible) return eligible.error();
    if (auto s = at("2020-06-11T09:00:00"); !s) return s;
    if (auto s = declareAndRule(c, "committee-2", {(*eligible)[1], (*eligible)[5]}, "region-admin");
        !s) {
      return s;
    }
    if (auto s = withdraw((*eligible)[9], "merged into a neighbouring project"); !s) return s;
    if (auto s = at("2020-06-12T09:00:00"); !s) return s;
    if (auto s = revealDraw(c, "region-admin"); !s) return s;
    if (auto s = conflictAfterTheDraw(c, *eligible, "region-admin"); !s) return s;

    std::map<std::string, int> merit;
    for (const std::string& id : *eligible) merit[id] = uniform(3, 9);
    if (auto s = at("2020-06-18T14:00:00"); !s) return s;
    if (auto s = scoreAll(c, stillIn(*eligible, DossierStatus::Eligible), merit, "committee-3", "");
        !s) {
      return s;
    }
    narrate_(c + ": committee scored " +
             std::to_string(stillIn(*eligible, DossierStatus::Scored).size()) +
             " dossiers above the threshold, " +
             std::to_string(stillIn(*eligible, DossierStatus::BelowThreshold).size()) +
             " below (means normalised per juror)");
    // The committee's proposal: the envelope's rule (the exact best total
    // score) over the dossiers scored past the threshold, each line
    // explained; a dossier asking for money it leaves out ends there.
    if (auto s = at("2020-06-25T09:00:00"); !s) return s;
    auto preview = workflow_.previewSelection(c);
    if (!preview) return preview.error();
    narrate_(c + ": the committee proposes " + formatEuros(preview->selectedCents) + " of " +
             formatEuros(preview->envelopeCents) + " by the " +
             std::string(judging::selectionRuleName(preview->rule)) + " rule");
    if (auto s = campaign(c, ccmd::RecordSelection{}, "region-admin",
                          "the selection committee's proposal to the elected officials");
        !s) {
      return s;
    }
    for (const auto& line : preview->lines) {
      if (line.selected) continue;
      auto r = dossier(line.dossierId, cmd::NotSelect{}, "region-admin", line.explanation);
      if (!r) return r.error();
    }
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::Deliberation}, "region-admin",
                          "the proposal goes to the elected officials");
        !s) {
      return s;
    }
    const auto proposed = stillIn(*eligible, DossierStatus::Scored);
    if (auto s = deliberate(c, proposed, merit); !s) return s;
    int granted = 0;
    for (const std::string& id : proposed) {
      auto folded = workflow_.loadDossier(id);
      if (folded && folded->status == DossierStatus::Labelled) ++granted;
    }
    narrate_(c + ": " + std::to_string(granted) + " laureates decided by the elected officials");
    if (auto s = campaign(c, ccmd::RecordMilestone{ccmd::Milestone::LaureatesPublished, "", "", ""},
                          "region-admin", "the deliberation's laureates made public");
        !s) {
      return s;
    }
    if (auto s = at("2020-07-20T09:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::Closed}, "region-admin", "call closed"); !s) {
      return s;
    }
    return okStatus();
  }

  // ---------------------------------------------------------- the label

  Status playLabel(const CampaignDefinition& d) {
    const std::string& c = d.campaignId;
    if (auto s = at("2020-05-04T09:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::Open{d}, "interco-admin", "call published"); !s) return s;
    std::vector<JuryMember> jury;
    for (int i = 1; i <= 5; ++i) {
      jury.push_back({"juror-" + std::to_string(i),
                      std::string(firstNames[static_cast<std::size_t>(i)]) + " " +
                          lastNames[static_cast<std::size_t>(8 - i) % lastNames.size()],
                      JuryRole::Juror});
    }
    if (auto s = campaign(c, ccmd::AppointJury{jury}, "interco-admin", "label jury 2020"); !s) {
      return s;
    }
    std::vector<std::string> kinds = d.rules.eligibleApplicantKinds;
    auto ids = submitAll(d, "2020-05-10T10:00:00", kinds, "entreprise",
                         {"2020-06-20T00:00:01", "2020-06-20T10:30:00", "2020-06-22T09:00:00"},
                         "lti");
    if (!ids) return ids.error();
    if (auto s = at("2020-06-20T09:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::SubmissionsClosed}, "interco-admin",
                          "deadline passed");
        !s) {
      return s;
    }
    if (auto s = commitDraw(c, "interco-admin"); !s) return s;
    if (auto s = withdraw((*ids)[13], "the team could not attend the auditions"); !s) return s;
    if (auto s = at("2020-06-21T10:00:00"); !s) return s;
    auto eligible = instruct(c, *ids);
    if (!eligible) return eligible.error();
    for (std::size_t i = 2; i < eligible->size(); i += 11) {
      auto r = dossier((*eligible)[i], cmd::NotSelect{}, "interco-admin",
                       "outside the label's scope: no digital component");
      if (!r) return r.error();
    }
    const auto judged = stillIn(*eligible, DossierStatus::Eligible);
    if (auto s = declareAndRule(c, "juror-4", {judged[0], judged[3]}, "interco-admin"); !s) {
      return s;
    }
    if (auto s = revealDraw(c, "interco-admin"); !s) return s;
    if (auto s = conflictAfterTheDraw(c, judged, "interco-admin"); !s) return s;
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::Auditions}, "interco-admin",
                          "auditions on 23 June");
        !s) {
      return s;
    }
    // Slots of the declared length from the round's first instant (23 June
    // 2020, 14:00), each with its video conference link; one slot past the
    // window's end is refused.
    std::vector<std::string> auditioned = stillIn(*eligible, DossierStatus::Eligible);
    if (auto s = at("2020-06-22T09:00:00"); !s) return s;
    const AuditionRound& round = d.rules.auditions.rounds.front();
    const std::int64_t slotMicros = std::int64_t{d.rules.auditions.slotMinutes} * 60'000'000;
    const std::int64_t first = round.fromMicros;
    // Seed 002: "Une fois sélectionnés pour les auditions": the window holds
    // so many slots; the dossiers past them are not selected for it.
    const auto capacity = static_cast<std::size_t>((round.toMicros - first) / slotMicros);
    while (auditioned.size() > capacity) {
      auto r = dossier(auditioned.back(), cmd::NotSelect{}, "interco-admin",
                       "not selected for the auditions: the window of round " + round.id +
                           " holds " + std::to_string(capacity) + " slots");
      if (!r) return r.error();
      auditioned.pop_back();
    }
    for (std::size_t i = 0; i < auditioned.size(); ++i) {
      const std::int64_t slot = first + static_cast<std::int64_t>(i) * slotMicros;
      const std::string link = "https://visio.example.org/lti-2020/" + auditioned[i];
      auto r = dossier(auditioned[i], cmd::ScheduleAudition{slot, round.id, link}, "interco-admin", "");
      if (!r) return r.error();
    }
    {
      std::string refusal;
      auto late = dossier(auditioned.front(),
                          cmd::ScheduleAudition{round.toMicros - slotMicros / 2, round.id,
                                                "https://visio.example.org/lti-2020/late"},
                          "interco-admin", "", &refusal);
      if (!late) return late.error();
      if (!*late) notable(c, auditioned.front(), "audition slot past the window", refusal);
    }
    for (std::size_t i = 0; i < auditioned.size(); ++i) {
      clock_.set(engine::fromMicros(first + static_cast<std::int64_t>(i) * slotMicros +
                                    slotMicros - 60'000'000));
      const bool noShow = i % 13 == 6;
      auto r = dossier(auditioned[i],
                       noShow ? DossierCommand{cmd::RecordNoShow{}}
                              : DossierCommand{cmd::RecordAuditionHeld{}},
                       "interco-admin", noShow ? "nobody joined the video conference" : "");
      if (!r) return r.error();
    }
    std::vector<std::string> heard = stillIn(auditioned, DossierStatus::Auditioned);
    narrate_(c + ": " + std::to_string(heard.size()) + " auditions held on 23 June 2020, " +
             std::to_string(auditioned.size() - heard.size()) + " no-show");
    outcome_.auditedDossier = heard[0];
    std::map<std::string, int> merit;
    for (const std::string& id : heard) merit[id] = uniform(4, 9);
    merit[heard[0]] = 9;
    merit[heard[2]] = 9;  // the tied vote below needs a dossier past the threshold
    if (auto s = at("2020-06-26T18:00:00"); !s) return s;
    if (auto s = scoreAll(c, heard, merit, "juror-2", heard[1]); !s) return s;
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::Deliberation}, "interco-admin",
                          "jury deliberation");
        !s) {
      return s;
    }
    if (auto s = at("2020-06-30T16:00:00"); !s) return s;
    if (auto s = voteAll(c, heard, merit, heard[2]); !s) return s;
    // Seed 002: "Les auditions seront diffusées le jour de l'IntercoTOUR, le
    // mardi 30 juin"; the laureates made public; the label handed over at
    // the national forum, February 2021, and not before.
    if (auto s = at("2020-06-30T18:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::RecordMilestone{ccmd::Milestone::AuditionsBroadcast, round.id,
                                                   "web TV, Rencontre régionale des Territoires "
                                                   "innovants, Dunkerque",
                                                   ""},
                          "interco-admin", "IntercoTOUR of 30 June 2020");
        !s) {
      return s;
    }
    if (auto s = at("2020-07-06T10:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::RecordMilestone{ccmd::Milestone::LaureatesPublished, "", "", ""},
                          "interco-admin", "the jury's laureates made public");
        !s) {
      return s;
    }
    {
      const auto voted = stillIn(heard, DossierStatus::Voted);
      std::string refusal;
      auto early = voted.empty() ? Result<bool>(true)
                                 : dossier(voted.front(), cmd::Award{0}, "interco-admin",
                                           "before the forum", &refusal);
      if (!early) return early.error();
      if (!*early) notable(c, voted.front(), "label before the ceremony", refusal);
    }
    if (auto s = at("2021-02-04T10:00:00"); !s) return s;
    if (auto s = campaign(c, ccmd::RecordMilestone{ccmd::Milestone::CeremonyHeld, "",
                                                   "Forum national des Interconnectés", ""},
                          "interco-admin", "labels handed over to the laureates");
        !s) {
      return s;
    }
    if (auto s = at("2021-02-04T11:00:00"); !s) return s;
    int labelled = 0;
    for (const std::string& id : stillIn(heard, DossierStatus::Voted)) {
      auto r = dossier(id, cmd::Award{0}, "interco-admin",
                       "label handed over at the national forum of February 2021");
      if (!r) return r.error();
      labelled += *r ? 1 : 0;
    }
    narrate_(c + ": " + std::to_string(labelled) + " territories labelled");
    if (auto s = campaign(c, ccmd::ChangePhase{Phase::Closed}, "interco-admin", "label awarded");
        !s) {
      return s;
    }
    return okStatus();
  }

  store::EventLog& log_;
  engine::ManualClock clock_;
  Workflow workflow_;
  std::mt19937_64 random_;
  DemoSettings settings_;
  Narrate narrate_;
  DemoOutcome outcome_;
};

}  // namespace

Result<DemoOutcome> runDemoScenario(store::EventLog& log, const DemoSettings& settings,
                                    const Narrate& narrate, engine::KeyStore* keys) {
  if (settings.dossiersPerCampaign < 20 || settings.dossiersPerCampaign > 99) {
    return Error::invalidInput("the demo plays 20 to 99 dossiers per campaign, not " +
                               std::to_string(settings.dossiersPerCampaign));
  }
  Scenario scenario(log, keys, settings, narrate);
  if (auto s = scenario.run(); !s) return s.error();
  return scenario.take();
}

}  // namespace parcours::demo
