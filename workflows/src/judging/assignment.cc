// The juror draw, version 1 (see assignment.h and docs/judging.md).
#include "parcours/workflows/judging/assignment.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include <openssl/rand.h>

#include "parcours/store/hash_chain.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::workflows::judging {
namespace {

// xoshiro256** (Blackman and Vigna, 2018): small, fast, and specified
// publicly, so anyone can re-implement the draw.
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::string_view seed32) {
    for (std::size_t i = 0; i < 4; ++i) {
      std::uint64_t word = 0;
      for (std::size_t b = 0; b < 8; ++b) {
        word |= std::uint64_t{static_cast<unsigned char>(seed32[i * 8 + b])} << (8 * b);
      }
      state_[i] = word;
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, n): draws until r >= 2^64 mod n, then r mod n, so no
  // value is favoured.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

void appendField(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
}

std::vector<std::string> sortedTags(std::vector<std::string> tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

bool shareATag(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

// The inputs sorted and indexed: jurors and dossiers by id, who may be
// drawn for what.
struct Problem {
  std::vector<AssignmentJuror> jurors;
  std::vector<AssignmentDossier> dossiers;
  std::vector<std::uint8_t> eligible;  // dossier-major: eligible[d * jurors + j]

  bool canJudge(std::size_t juror, std::size_t dossier) const {
    return eligible[dossier * jurors.size() + juror] != 0;
  }
};

Result<Problem> index(const AssignmentConstraints& constraints, const AssignmentInputs& inputs) {
  Problem p;
  p.jurors = inputs.jurors;
  p.dossiers = inputs.dossiers;
  const auto byId = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(p.jurors.begin(), p.jurors.end(), byId);
  std::sort(p.dossiers.begin(), p.dossiers.end(), byId);
  for (auto& j : p.jurors) j.tags = sortedTags(j.tags);
  for (auto& d : p.dossiers) d.tags = sortedTags(d.tags);
  std::unordered_map<std::string_view, std::size_t> jurorIndex, dossierIndex;
  for (std::size_t i = 0; i < p.jurors.size(); ++i) {
    if (auto s = validateId("juror id", p.jurors[i].id); !s) return s.error();
    if (!jurorIndex.emplace(p.jurors[i].id, i).second) {
      return Error::invalidInput("juror \"" + p.jurors[i].id + "\" appears twice");
    }
  }
  for (std::size_t i = 0; i < p.dossiers.size(); ++i) {
    if (auto s = validateId("dossier id", p.dossiers[i].id); !s) return s.error();
    if (!dossierIndex.emplace(p.dossiers[i].id, i).second) {
      return Error::invalidInput("dossier \"" + p.dossiers[i].id + "\" appears twice");
    }
  }
  const std::size_t m = p.jurors.size();
  p.eligible.assign(p.dossiers.size() * m, 1);
  if (constraints.expertiseRequired) {
    for (std::size_t d = 0; d < p.dossiers.size(); ++d) {
      if (p.dossiers[d].tags.empty()) continue;
      for (std::size_t j = 0; j < m; ++j) {
        p.eligible[d * m + j] = shareATag(p.jurors[j].tags, p.dossiers[d].tags) ? 1 : 0;
      }
    }
  }
  // An exclusion naming someone outside the draw changes nothing: a
  // conflict declared on a withdrawn dossier, say.
  for (const auto& [juror, dossier] : inputs.exclusions) {
    const auto j = jurorIndex.find(juror);
    const auto d = dossierIndex.find(dossier);
    if (j != jurorIndex.end() && d != dossierIndex.end()) p.eligible[d->second * m + j->second] = 0;
  }
  return p;
}

// One assignment move: `taker` takes `dossier` from `giver`.
struct Move {
  std::size_t giver;
  std::size_t taker;
  std::size_t dossier;
};

// The shortest chain of moves that takes one dossier off `giver` and puts
// one more on a juror at least two below it, every juror in between giving
// one and taking one. Breadth-first, jurors and dossiers in id order, so
// the chain found is deterministic. Empty when there is none.
std::vector<Move> findChainFrom(const Problem& p, const std::vector<std::vector<std::size_t>>& onDossier,
                                const std::vector<std::vector<std::size_t>>& dossiersOf,
                                const std::vector<std::uint32_t>& loads, std::size_t giver) {
  const std::size_t none = std::numeric_limits<std::size_t>::max();
  std::vector<Move> reachedBy(p.jurors.size(), Move{none, none, none});
  std::vector<bool> seen(p.jurors.size(), false);
  std::deque<std::size_t> queue{giver};
  seen[giver] = true;
  while (!queue.empty()) {
    const std::size_t from = queue.front();
    queue.pop_front();
    for (const std::size_t d : dossiersOf[from]) {
      const auto& holders = onDossier[d];
      for (std::size_t to = 0; to < p.jurors.size(); ++to) {
        if (seen[to] || !p.canJudge(to, d)) continue;
        if (std::find(holders.begin(), holders.end(), to) != holders.end()) continue;
        seen[to] = true;
        reachedBy[to] = Move{from, to, d};
        if (loads[to] + 2 <= loads[giver]) {
          std::vector<Move> chain;
          for (std::size_t at = to; at != giver; at = reachedBy[at].giver) {
            chain.push_back(reachedBy[at]);
          }
          return chain;
        }
        queue.push_back(to);
      }
    }
  }
  return {};
}

void apply(const Move& move, std::vector<std::vector<std::size_t>>& onDossier,
           std::vector<std::vector<std::size_t>>& dossiersOf, std::vector<std::uint32_t>& loads) {
  auto& holders = onDossier[move.dossier];
  *std::find(holders.begin(), holders.end(), move.giver) = move.taker;
  auto& given = dossiersOf[move.giver];
  given.erase(std::find(given.begin(), given.end(), move.dossier));
  auto& taken = dossiersOf[move.taker];
  taken.insert(std::lower_bound(taken.begin(), taken.end(), move.dossier), move.dossier);
  --loads[move.giver];
  ++loads[move.taker];
}

// Moves assignments until every load is within ±1 of every other, most
// loaded jurors first. Each move lowers the sum of squared loads, so it
// ends. RefusedByRule when a most-loaded juror can shed nothing.
Status balance(const Problem& p, std::vector<std::vector<std::size_t>>& onDossier,
               std::vector<std::uint32_t>& loads) {
  std::vector<std::vector<std::size_t>> dossiersOf(p.jurors.size());
  for (std::size_t d = 0; d < onDossier.size(); ++d) {
    for (const std::size_t j : onDossier[d]) dossiersOf[j].push_back(d);
  }
  for (;;) {
    const auto [minIt, maxIt] = std::minmax_element(loads.begin(), loads.end());
    if (*maxIt - *minIt <= 1) return okStatus();
    bool moved = false;
    for (std::size_t giver = 0; giver < loads.size() && !moved; ++giver) {
      if (loads[giver] != *maxIt) continue;
      const std::vector<Move> chain = findChainFrom(p, onDossier, dossiersOf, loads, giver);
      for (const Move& move : chain) apply(move, onDossier, dossiersOf, loads);
      moved = !chain.empty();
    }
    if (!moved) {
      const std::size_t least = static_cast<std::size_t>(minIt - loads.begin());
      const std::size_t most = static_cast<std::size_t>(maxIt - loads.begin());
      return Error::refused("the loads cannot be balanced within ±1: juror \"" +
                            p.jurors[most].id + "\" carries " + std::to_string(*maxIt) +
                            " dossiers and juror \"" + p.jurors[least].id + "\" " +
                            std::to_string(*minIt) +
                            ", and the conflicts of interest and expertise leave no chain of "
                            "moves between them; review the exclusions or the jury");
    }
  }
}

}  // namespace

std::string canonicalAssignmentInputs(std::uint32_t algorithmVersion,
                                      const AssignmentConstraints& constraints,
                                      const AssignmentInputs& inputs) {
  std::vector<AssignmentJuror> jurors = inputs.jurors;
  std::vector<AssignmentDossier> dossiers = inputs.dossiers;
  auto exclusions = inputs.exclusions;
  const auto byId = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(jurors.begin(), jurors.end(), byId);
  std::sort(dossiers.begin(), dossiers.end(), byId);
  std::sort(exclusions.begin(), exclusions.end());
  exclusions.erase(std::unique(exclusions.begin(), exclusions.end()), exclusions.end());
  std::string out = "parcours-assignment-v" + std::to_string(algorithmVersion) + "\n";
  out += "jurors_per_dossier " + std::to_string(constraints.jurorsPerDossier) + "\n";
  out += std::string("expertise ") + (constraints.expertiseRequired ? "required" : "ignored") + "\n";
  const auto appendTagged = [&out](std::string_view kind, std::string_view id,
                                   const std::vector<std::string>& tags) {
    out += kind;
    out += ' ';
    appendField(out, id);
    const std::vector<std::string> sorted = sortedTags(tags);
    out += " tags " + std::to_string(sorted.size());
    for (const std::string& tag : sorted) {
      out += ' ';
      appendField(out, tag);
    }
    out += '\n';
  };
  for (const auto& j : jurors) appendTagged("juror", j.id, j.tags);
  for (const auto& d : dossiers) appendTagged("dossier", d.id, d.tags);
  for (const auto& [juror, dossier] : exclusions) {
    out += "exclusion ";
    appendField(out, juror);
    out += ' ';
    appendField(out, dossier);
    out += '\n';
  }
  return out;
}

std::string assignmentInputsHash(std::uint32_t algorithmVersion,
                                 const AssignmentConstraints& constraints,
                                 const AssignmentInputs& inputs) {
  return store::chain::toHex(
      store::chain::sha256({canonicalAssignmentInputs(algorithmVersion, constraints, inputs)}));
}

std::string seedCommitment(std::string_view seed) {
  return store::chain::toHex(store::chain::sha256({seed}));
}

Result<std::string> freshSeed() {
  std::string bytes(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) !=
      1) {
    return Error::ioError("OpenSSL's random generator failed to make a seed");
  }
  return store::chain::toHex(bytes);
}

Result<Assignment> drawAssignment(std::uint32_t algorithmVersion,
                                  const AssignmentConstraints& constraints,
                                  const AssignmentInputs& inputs, std::string_view seed) {
  if (algorithmVersion != 1) {
    return Error::invalidInput("assignment algorithm version " + std::to_string(algorithmVersion) +
                               " is unknown to this parcours (it runs version 1)");
  }
  if (constraints.jurorsPerDossier == 0) {
    return Error::invalidInput("jurors per dossier: must be at least 1");
  }
  if (seed.empty()) return Error::invalidInput("the seed must not be empty");
  auto problem = index(constraints, inputs);
  if (!problem) return problem.error();
  const Problem& p = *problem;
  const std::size_t m = p.jurors.size();
  const std::size_t k = constraints.jurorsPerDossier;

  for (std::size_t d = 0; d < p.dossiers.size(); ++d) {
    std::size_t eligible = 0;
    for (std::size_t j = 0; j < m; ++j) eligible += p.canJudge(j, d) ? 1 : 0;
    if (eligible < k) {
      return Error::refused("dossier \"" + p.dossiers[d].id + "\" has " + std::to_string(eligible) +
                            " eligible jurors, fewer than the " + std::to_string(k) +
                            " it must get (conflicts of interest, expertise)");
    }
  }

  Assignment out;
  out.algorithmVersion = algorithmVersion;
  out.inputsHash = assignmentInputsHash(algorithmVersion, constraints, inputs);
  Xoshiro256 rng(store::chain::sha256(
      {"parcours-assignment-v1\n", seed, "\n", out.inputsHash}));

  std::vector<std::size_t> order(p.dossiers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[rng.below(i)]);
  }

  std::vector<std::uint32_t> loads(m, 0);
  std::vector<std::vector<std::size_t>> onDossier(p.dossiers.size());
  struct Candidate {
    std::uint32_t load;
    std::uint64_t key;
    std::size_t juror;
    bool operator<(const Candidate& o) const {
      return load != o.load ? load < o.load : key != o.key ? key < o.key : juror < o.juror;
    }
  };
  std::vector<Candidate> candidates;
  candidates.reserve(m);
  for (const std::size_t d : order) {
    candidates.clear();
    for (std::size_t j = 0; j < m; ++j) {
      if (p.canJudge(j, d)) candidates.push_back({loads[j], rng.next(), j});
    }
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                      candidates.end());
    for (std::size_t i = 0; i < k; ++i) {
      onDossier[d].push_back(candidates[i].juror);
      ++loads[candidates[i].juror];
    }
  }
  if (auto s = balance(p, onDossier, loads); !s) return s.error();

  out.dossiers.reserve(p.dossiers.size());
  for (std::size_t d = 0; d < p.dossiers.size(); ++d) {
    DossierAssignment a{p.dossiers[d].id, {}};
    for (const std::size_t j : onDossier[d]) a.jurorIds.push_back(p.jurors[j].id);
    std::sort(a.jurorIds.begin(), a.jurorIds.end());
    out.dossiers.push_back(std::move(a));
  }
  return out;
}

Result<std::string> drawReplacement(const AssignmentConstraints& constraints,
                                    const AssignmentInputs& inputs,
                                    const std::vector<DossierAssignment>& current,
                                    std::string_view dossierId, std::string_view seed) {
  auto problem = index(constraints, inputs);
  if (!problem) return problem.error();
  const Problem& p = *problem;
  const auto dossier = std::find_if(p.dossiers.begin(), p.dossiers.end(),
                                    [&](const auto& d) { return d.id == dossierId; });
  if (dossier == p.dossiers.end()) {
    return Error::notFound("dossier \"" + std::string(dossierId) + "\" is not in the draw");
  }
  const std::size_t d = static_cast<std::size_t>(dossier - p.dossiers.begin());
  std::map<std::string_view, std::uint32_t> loads;
  std::set<std::string_view> alreadyOn;
  for (const DossierAssignment& a : current) {
    for (const std::string& j : a.jurorIds) {
      ++loads[j];
      if (a.dossierId == dossierId) alreadyOn.insert(j);
    }
  }
  const AssignmentJuror* best = nullptr;
  std::uint32_t bestLoad = 0;
  std::string bestKey;
  for (std::size_t j = 0; j < p.jurors.size(); ++j) {
    if (!p.canJudge(j, d) || alreadyOn.count(p.jurors[j].id) > 0) continue;
    const std::uint32_t load = loads[p.jurors[j].id];
    std::string key = store::chain::sha256({seed, "\n", dossierId, "\n", p.jurors[j].id});
    if (best == nullptr || load < bestLoad || (load == bestLoad && key < bestKey)) {
      best = &p.jurors[j];
      bestLoad = load;
      bestKey = std::move(key);
    }
  }
  if (best == nullptr) {
    return Error::refused("no juror is left to replace on dossier \"" + std::string(dossierId) +
                          "\": every other juror is already on it or excluded");
  }
  return best->id;
}

}  // namespace parcours::workflows::judging
