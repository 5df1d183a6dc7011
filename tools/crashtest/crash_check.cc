#include "crash_check.h"

#include <map>
#include <unordered_map>

#include "parcours/engine/clock.h"
#include "parcours/engine/log_verifier.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/engine/projection.h"
#include "parcours/store/event_log.h"
#include "bench_campaign.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/timer_service.h"
#include "parcours/workflows/views.h"
#include "parcours/workflows/workflow.h"

namespace parcours::crashtest {
namespace {

using Problems = std::vector<std::string>;

// Where one command id's events lie in the log.
struct CommandSpan {
  store::Position first = 0;
  store::Position last = 0;
  std::uint64_t events = 0;
  std::uint64_t rawCount = 0;  // n of a raw append ("#i/n"), 0 otherwise
  std::uint64_t rawInOrder = 0;
};

// One pass over the log: positions, stream versions, command spans.
void scanLog(const store::EventLog& log, std::unordered_map<std::string, CommandSpan>& spans,
             CheckReport& report) {
  std::unordered_map<std::string, store::StreamVersion> versions;
  store::Position expected = 1;
  auto scanned = log.scanAll(1, UINT64_MAX, [&](const store::EventView& e) -> Status {
    if (e.position != expected) {
      report.problems.push_back("position " + std::to_string(expected) + " is missing (found " +
                                std::to_string(e.position) + ")");
      expected = e.position;
    }
    ++expected;
    auto& version = versions[std::string(e.streamId)];
    if (e.streamVersion != version + 1) {
      report.problems.push_back("stream " + std::string(e.streamId) + " goes from version " +
                                std::to_string(version) + " to " + std::to_string(e.streamVersion) +
                                " at position " + std::to_string(e.position));
    }
    version = e.streamVersion;
    if (!e.commandId.empty()) {
      CommandSpan& span = spans[std::string(e.commandId)];
      if (span.events == 0) span.first = e.position;
      span.last = e.position;
      ++span.events;
      if (e.eventType == rawEventType) {
        const std::string payload(e.payload.begin(), e.payload.end());
        auto part = parseRawPayload(payload);
        if (!part || part->commandId != e.commandId) {
          report.problems.push_back("the raw event at " + std::to_string(e.position) +
                                    " holds bytes no append wrote");
        } else {
          span.rawCount = part->count;
          if (part->index == span.rawInOrder) ++span.rawInOrder;
        }
      }
    }
    ++report.events;
    return okStatus();
  });
  if (!scanned) report.problems.push_back("scanning the log: " + scanned.error().message);
  if (report.events != log.head()) {
    report.problems.push_back("the head is " + std::to_string(log.head()) + " but the log holds " +
                              std::to_string(report.events) + " events");
  }
}

// Every command whole: its events are exactly its recorded range.
void checkSpans(const store::EventLog& log,
                const std::unordered_map<std::string, CommandSpan>& spans, CheckReport& report) {
  for (const auto& [id, span] : spans) {
    auto recorded = log.findCommand(id);
    if (!recorded || !recorded->has_value()) {
      report.problems.push_back("command " + id + " has events but no recorded answer");
      continue;
    }
    const store::AppendResult& r = **recorded;
    if (r.firstPosition != span.first || r.lastPosition != span.last ||
        span.events != span.last - span.first + 1) {
      report.problems.push_back(
          "command " + id + " is not whole: its answer names " + std::to_string(r.firstPosition) +
          ".." + std::to_string(r.lastPosition) + ", the log holds " + std::to_string(span.events) +
          " of its events in " + std::to_string(span.first) + ".." + std::to_string(span.last));
    }
    if (span.rawCount != 0 && (span.rawCount != span.events || span.rawInOrder != span.events)) {
      report.problems.push_back("raw append " + id + " holds " + std::to_string(span.events) +
                                " of its " + std::to_string(span.rawCount) + " events");
    }
  }
}

// Every acknowledgement is in the log as answered.
void checkAcks(const store::EventLog& log, const std::vector<Ack>& acks,
               const std::unordered_map<std::string, CommandSpan>& spans, CheckReport& report) {
  for (const Ack& ack : acks) {
    ++report.acksChecked;
    const auto span = spans.find(ack.commandId);
    if (span == spans.end()) {
      report.problems.push_back("acknowledged command " + ack.commandId + " (positions " +
                                std::to_string(ack.first) + ".." + std::to_string(ack.last) +
                                ") is not in the log");
      continue;
    }
    if (span->second.first != ack.first || span->second.last != ack.last) {
      report.problems.push_back("acknowledged command " + ack.commandId + " was answered " +
                                std::to_string(ack.first) + ".." + std::to_string(ack.last) +
                                " but lies at " + std::to_string(span->second.first) + ".." +
                                std::to_string(span->second.last));
      continue;
    }
    if (ack.kind == 'a' || ack.kind == 'p') {
      auto events = log.readAll(ack.first, ack.last - ack.first + 1);
      if (!events) {
        report.problems.push_back("reading " + ack.commandId + ": " + events.error().message);
        continue;
      }
      for (std::size_t i = 0; i < events->size(); ++i) {
        if ((*events)[i].payload != rawPayload(ack.commandId, i, events->size())) {
          report.problems.push_back("acknowledged event " + std::to_string(ack.first + i) + " of " +
                                    ack.commandId + " does not hold what was written");
        }
      }
    }
    for (const StreamAck& s : ack.streams) {
      auto at = log.readStream(s.streamId, s.lastVersion, store::Direction::Forward, 1);
      if (!at || at->empty() || (*at)[0].commandId != ack.commandId) {
        report.problems.push_back("stream " + s.streamId + " version " +
                                  std::to_string(s.lastVersion) + " is not " + ack.commandId +
                                  "'s event");
      }
    }
  }
}

// A sample of acknowledged commands sent again: each must come back
// deduplicated with its first answer, and write nothing.
void probeDedupe(store::EventLog& log, const std::vector<Ack>& acks, std::mt19937_64& rng,
                 CheckReport& report) {
  if (acks.empty()) return;
  engine::SystemClock clock;
  workflows::Workflow workflow(log, clock);
  const store::Position head = log.head();
  for (int probe = 0; probe < 8; ++probe) {
    const Ack& ack = acks[rng() % acks.size()];
    Result<store::AppendResult> again = Error::invalidInput("not sent");
    if (ack.kind == 'a' || ack.kind == 'p') {
      again =
          log.append("dedupe-probe", store::ExpectedVersion::any(),
                     {{std::string(rawEventType), "probe"}}, {ack.commandId, "probe", "", "", 0});
    } else if (ack.kind == 't') {
      const std::string id = ack.commandId.substr(std::string("open-").size());
      const workflows::CommandContext context{{ack.commandId, "probe", "", ""}, "probe"};
      again = workflow.campaign(id, workflows::campaign_command::Open{{id, bench::benchRules()}},
                                context);
    } else {
      // The same command id on the same dossier (the workflow refuses an id
      // reused on another one); it is looked up before anything is decided.
      const std::string stream = ack.streams.empty() ? "" : ack.streams[0].streamId;
      const std::string dossierId =
          stream.starts_with("dossier-") ? stream.substr(std::string("dossier-").size()) : stream;
      const workflows::CommandContext context{{ack.commandId, "probe", "", ""}, "probe"};
      again =
          workflow.dossier(dossierId, workflows::dossier_command::ConfirmEligibility{}, context);
    }
    ++report.dedupeProbes;
    if (!again || !again->deduplicated || again->firstPosition != ack.first ||
        again->lastPosition != ack.last) {
      report.problems.push_back("command " + ack.commandId + " sent again was not deduplicated" +
                                (again ? std::string() : ": " + again.error().message));
    }
  }
  if (log.head() != head) report.problems.push_back("a deduplicated command wrote events");
}

using Dump = std::map<std::string, std::vector<store::Row>>;

Result<Dump> dumpViews(const workflows::Views& views) {
  Dump out;
  for (const auto& [name, table] : views.tables()) {
    auto rows = engine::dumpTable(*table);
    if (!rows) return std::move(rows).takeError();
    out[name] = std::move(*rows);
  }
  return out;
}

// The projections resume from their checkpoints, and equal a rebuild.
void checkProjections(store::EventLog& log, const std::shared_ptr<spdlog::logger>& logger,
                      CheckReport& report) {
  auto views = workflows::Views::open(log, logger);  // catches up from the checkpoints
  if (!views) {
    report.problems.push_back("the views did not resume: " + views.error().message);
    return;
  }
  auto resumed = dumpViews(**views);
  auto rebuilt = (*views)->rebuild();
  auto fresh = rebuilt ? dumpViews(**views) : Result<Dump>(rebuilt.error());
  if (!resumed || !fresh) {
    report.problems.push_back("dumping the views failed");
  } else if (*resumed != *fresh) {
    report.problems.push_back("the views resumed after the crash differ from a rebuild");
  }
  auto index = engine::MerkleIndex::open(log, logger);
  if (!index) {
    report.problems.push_back("the Merkle index did not resume: " + index.error().message);
    return;
  }
  auto resumedDigest = (*index)->digest();
  auto resumedRows = engine::dumpTable(*(*index)->table());
  auto rebuiltIndex = (*index)->rebuild();
  auto rebuiltDigest = (*index)->digest();
  auto rebuiltRows = engine::dumpTable(*(*index)->table());
  if (!resumedDigest || !rebuiltIndex || !rebuiltDigest || !resumedRows || !rebuiltRows) {
    report.problems.push_back("reading the Merkle index failed");
  } else if (!(resumedDigest->root == rebuiltDigest->root) || *resumedRows != *rebuiltRows) {
    report.problems.push_back("the Merkle index resumed after the crash differs from a rebuild");
  }
  auto verified = engine::verifyLog(log, {{}, index->get()});
  if (!verified) {
    report.problems.push_back("verify could not read the log: " + verified.error().message);
  } else if (!verified->intact) {
    report.problems.push_back("verify failed at position " + std::to_string(verified->failedAt) +
                              ": " + verified->problem);
  }
}

// A restart's catch-up, then every timer: due ones fired exactly once, none
// early, none fired twice.
void checkTimers(store::EventLog& log, const std::shared_ptr<spdlog::logger>& logger,
                 CheckReport& report) {
  engine::SystemClock clock;
  workflows::Workflow workflow(log, clock);
  auto timers = workflows::TimerService::open(log, workflow, clock, logger);
  if (!timers) {
    report.problems.push_back("the timers' index did not resume: " + timers.error().message);
    return;
  }
  // The index resumed from its checkpoint equals a rebuild from the log.
  auto resumed = engine::dumpTable(*(*timers)->table());
  auto rebuilt = (*timers)->rebuild();
  auto fresh = rebuilt ? engine::dumpTable(*(*timers)->table())
                       : Result<std::vector<store::Row>>(rebuilt.error());
  if (!resumed || !fresh) {
    report.problems.push_back("dumping the timers' index failed");
  } else if (*resumed != *fresh) {
    report.problems.push_back("the timers' index resumed after the crash differs from a rebuild");
  }
  auto ran = (*timers)->runDue();
  if (!ran || ran->failed > 0) {
    report.problems.push_back("the catch-up of due timers failed: " +
                              (ran ? ran->firstError->message : ran.error().message));
    return;
  }
  struct Seen {
    std::int64_t due = 0;
    int fired = 0;
    bool cancelled = false;
  };
  std::map<std::string, Seen> seen;
  using E = workflows::schema::CampaignEvent;
  auto scanned = store::scanWholeLog(log, [&](const store::EventView& e) -> Status {
    if (!e.eventType.starts_with("Timer")) return okStatus();
    return workflows::readPayload<E>(e.payload, e.eventType, [&](E::Reader r) -> Status {
      if (r.isTimerScheduled()) {
        seen[workflows::toString(r.getTimerScheduled().getTimerId())].due =
            r.getTimerScheduled().getDueMicros();
      } else if (r.isTimerRescheduled()) {
        seen[workflows::toString(r.getTimerRescheduled().getTimerId())].due =
            r.getTimerRescheduled().getDueMicros();
      } else if (r.isTimerCancelled()) {
        seen[workflows::toString(r.getTimerCancelled().getTimerId())].cancelled = true;
      } else if (r.isTimerFired()) {
        Seen& s = seen[workflows::toString(r.getTimerFired().getTimerId())];
        ++s.fired;
        if (e.recordedAtMicros < s.due) {
          report.problems.push_back("timer " + workflows::toString(r.getTimerFired().getTimerId()) +
                                    " fired before its due instant");
        }
      }
      return okStatus();
    });
  });
  if (!scanned) {
    report.problems.push_back("reading the timers' events failed: " + scanned.error().message);
    return;
  }
  const std::int64_t now = engine::toMicros(clock.now());
  for (const auto& [id, s] : seen) {
    if (s.fired > 1) report.problems.push_back("timer " + id + " fired " + std::to_string(s.fired) + " times");
    if (s.fired == 0 && !s.cancelled && s.due <= now) {
      report.problems.push_back("timer " + id + " was due and did not fire after the restart");
    }
    if (s.fired == 1) ++report.timersFired;
  }
}

}  // namespace

CheckReport checkStore(const std::string& dataDir, const std::vector<Ack>& acks,
                       std::mt19937_64& rng, std::shared_ptr<spdlog::logger> logger) {
  CheckReport report;
  store::Options options;
  options.path = dataDir;
  auto log = store::EventLog::open(options, logger);
  if (!log) {
    report.problems.push_back("the store does not reopen: " + log.error().message);
    return report;
  }
  if ((*log)->readOnly()) {
    report.problems.push_back("the store reopens read-only: " + (*log)->readOnlyReason());
    return report;
  }
  std::unordered_map<std::string, CommandSpan> spans;
  scanLog(**log, spans, report);
  checkSpans(**log, spans, report);
  checkAcks(**log, acks, spans, report);
  probeDedupe(**log, acks, rng, report);
  checkProjections(**log, logger, report);
  checkTimers(**log, logger, report);
  return report;
}

}  // namespace parcours::crashtest
