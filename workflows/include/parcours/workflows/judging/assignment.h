// Provable juror assignment: a deterministic draw anyone can re-run.
//
// The draw is a pure function of (algorithm version, constraints, inputs,
// seed). The campaign commits to a seed's hash before it sees the inputs
// (when submissions close), then reveals the seed and records the draw;
// anyone holding the log re-runs drawAssignment with the recorded seed and
// the recorded inputs and must get the same bytes, and checks that the
// seed's SHA-256 is the commitment. docs/judging.md states the algorithm
// step by step so it can be re-implemented without this code.
//
// Version 1, in short: jurors and dossiers sorted by id; a xoshiro256**
// generator seeded with SHA-256("parcours-assignment-v1\n" ‖ seed ‖ "\n" ‖
// inputs hash); the dossiers shuffled (Fisher–Yates); each dossier in turn
// takes the k eligible jurors with the least load, equal loads ordered by a
// fresh random key per juror; then, if exclusions left loads more than one
// apart, assignments move along the shortest chain from a most-loaded to a
// least-loaded juror until every load is within ±1 — or the draw is refused,
// saying which juror cannot be balanced.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::workflows::judging {

// Bumped whenever the draw could give another result for the same inputs;
// the log records it, and a replay runs the version that was recorded.
inline constexpr std::uint32_t assignmentAlgorithmVersion = 1;

struct AssignmentConstraints {
  std::uint32_t jurorsPerDossier = 3;  // k, >= 1
  // A dossier with tags is given only jurors sharing at least one of them;
  // a dossier without tags, any juror.
  bool expertiseRequired = false;
  bool operator==(const AssignmentConstraints&) const = default;
};

struct AssignmentJuror {
  std::string id;
  std::vector<std::string> tags;  // expertise
};

struct AssignmentDossier {
  std::string id;
  std::vector<std::string> tags;  // e.g. the strands it asks for
};

struct AssignmentInputs {
  std::vector<AssignmentJuror> jurors;
  std::vector<AssignmentDossier> dossiers;
  // (juror id, dossier id) pairs that must not be drawn: conflicts of
  // interest declared or upheld.
  std::vector<std::pair<std::string, std::string>> exclusions;
};

struct DossierAssignment {
  std::string dossierId;
  std::vector<std::string> jurorIds;  // sorted
  bool operator==(const DossierAssignment&) const = default;
};

struct Assignment {
  std::uint32_t algorithmVersion = assignmentAlgorithmVersion;
  std::string inputsHash;                  // hex SHA-256 of the canonical inputs
  std::vector<DossierAssignment> dossiers;  // sorted by dossier id
  bool operator==(const Assignment&) const = default;
};

// The bytes the inputs hash is taken over: version, constraints, jurors,
// dossiers and exclusions, each sorted by id, every string length-prefixed,
// so two different inputs never share them.
std::string canonicalAssignmentInputs(std::uint32_t algorithmVersion,
                                      const AssignmentConstraints& constraints,
                                      const AssignmentInputs& inputs);
// Lower-case hex SHA-256 of canonicalAssignmentInputs.
std::string assignmentInputsHash(std::uint32_t algorithmVersion,
                                 const AssignmentConstraints& constraints,
                                 const AssignmentInputs& inputs);

// The commitment to a seed: lower-case hex SHA-256 of its bytes.
std::string seedCommitment(std::string_view seed);

// A new seed nobody can guess: 32 bytes from OpenSSL's RAND_bytes, in
// lower-case hex. IoError when the generator fails.
Result<std::string> freshSeed();

// Draws the assignment. InvalidInput for an unknown algorithm version, k = 0,
// an empty or duplicated id, an empty seed; RefusedByRule when a dossier has
// fewer than k eligible jurors or the loads cannot be balanced within ±1,
// naming the dossier or the juror.
Result<Assignment> drawAssignment(std::uint32_t algorithmVersion,
                                  const AssignmentConstraints& constraints,
                                  const AssignmentInputs& inputs, std::string_view seed);

// After an upheld conflict removes `removedJurorId` from `dossierId`: the
// replacement, among jurors eligible for the dossier (not excluded, sharing
// a tag if required) and not already on it, with the least load in
// `current`; equal loads ordered by SHA-256(seed ‖ "\n" ‖ dossier id ‖ "\n"
// ‖ juror id), lowest first. Deterministic from what the log records.
// RefusedByRule when nobody is eligible.
Result<std::string> drawReplacement(const AssignmentConstraints& constraints,
                                    const AssignmentInputs& inputs,
                                    const std::vector<DossierAssignment>& current,
                                    std::string_view dossierId, std::string_view seed);

}  // namespace parcours::workflows::judging
