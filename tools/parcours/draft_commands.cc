// `parcours dossier draft|save|discard|attach|detach|documents` and
// `dossier submit DOSSIER` (the draft's submission): an applicant's dossier
// before it is submitted (workflows/drafts.h, docs/forms.md "Drafts") and
// its documents (docs/documents.md), on the store at --data.
// Drafts are saved at the present time (no --at: a draft is not an import)
// and whoever runs the CLI on the data directory may act on any of them.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "draft_commands.h"
#include "output.h"
#include "parcours/engine/clock.h"
#include "parcours/workflows/drafts.h"
#include "parcours/workflows/zoned_time.h"
#include "store_access.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

struct DraftOptions {
  std::vector<std::string> args;  // the positionals, read per verb
  std::string actor;
  std::uint64_t version = 0;  // --version: the version read (0: none)
  std::string commandId;
  std::string name;  // attach: the document's name (default: the file's)
  bool json = false;
};

using workflows::Draft;
using workflows::Drafts;

// Opens the store, the key store and the drafts, then runs `body`.
template <typename Body>
int withDrafts(const Context& context, const DraftOptions& options, KeyStoreUse keyUse,
               Body&& body) {
  if (!context.server.empty()) {
    return reportError(Error::invalidInput(
        "drafts over --server: use the HTTP API (PUT /v1/dossiers/{id}/draft, docs/http-api.md); "
        "the CLI keeps drafts in the store at --data"));
  }
  if (options.actor.empty()) {
    return reportError(Error::invalidInput("--actor is empty: say who drafts"));
  }
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  auto keys = openKeyStore(context, keyUse);
  if (!keys) return reportError(keys.error());
  if (*keys == nullptr) {
    return reportError(Error::notFound("there is no key store (--keys), so there are no drafts"));
  }
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock, keys->get());
  auto drafts = Drafts::open(**log, workflow, clock, **keys);
  if (!drafts) return reportError(drafts.error());
  return body(**drafts, workflow);
}

workflows::DraftAccess access(const DraftOptions& options) { return {options.actor, true}; }

std::optional<std::uint64_t> versionOf(const DraftOptions& options) {
  if (options.version == 0) return std::nullopt;
  return options.version;
}

int printDraft(const Draft& draft, const workflows::DraftCompleteness& completeness, bool json) {
  if (json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : completeness.problems) {
      problems.push_back({{"pointer", p.pointer}, {"detail", p.message}});
    }
    printJson({{"dossier_id", draft.dossierId},
               {"campaign_id", draft.campaignId},
               {"owner", draft.owner},
               {"version", draft.version},
               {"created_at", workflows::formatUtc(draft.createdAtMicros)},
               {"saved_at", workflows::formatUtc(draft.savedAtMicros)},
               {"application", nlohmann::json::parse(workflows::applicationFile(draft.application))},
               {"complete", completeness.complete},
               {"refusal", completeness.refusal},
               {"problems", problems}});
    return 0;
  }
  std::cout << "dossier " << draft.dossierId << ": draft of campaign " << draft.campaignId
            << ", version " << draft.version << ", saved " << workflows::formatUtc(draft.savedAtMicros)
            << " by " << draft.owner << "\n";
  if (completeness.complete) {
    std::cout << "complete: it can be submitted (parcours dossier submit " << draft.dossierId
              << ")\n";
    return 0;
  }
  std::cout << "not complete: " << completeness.refusal << "\n";
  for (const auto& p : completeness.problems) std::cout << "  " << p.pointer << ": " << p.message << "\n";
  return 0;
}

Result<workflows::Application> readApplicationFile(const std::string& path) {
  auto text = readInputFile(path, "draft");
  if (!text) return text.error();
  auto application = workflows::parseApplication(*text);
  if (!application) return Error::invalidInput(path + ": " + application.error().message);
  return application;
}

// draft DOSSIER: show it; draft CAMPAIGN DOSSIER [FILE]: create it.
int runDraft(const Context& context, const DraftOptions& options) {
  const auto& args = options.args;
  if (args.size() == 1) {
    return withDrafts(context, options, KeyStoreUse::IfPresent, [&](Drafts& drafts, auto&) {
      auto draft = drafts.find(args[0], access(options));
      if (!draft) return reportError(draft.error());
      return printDraft(*draft, drafts.completeness(*draft), options.json);
    });
  }
  workflows::Application application;
  if (args.size() == 3) {
    auto read = readApplicationFile(args[2]);
    if (!read) return reportError(read.error());
    application = std::move(read).value();
  }
  return withDrafts(context, options, KeyStoreUse::Create, [&](Drafts& drafts, auto&) {
    auto draft = drafts.save(args[1], args[0], application, std::nullopt, access(options));
    if (!draft) return reportError(draft.error());
    return printDraft(*draft, drafts.completeness(*draft), options.json);
  });
}

int runSave(const Context& context, const DraftOptions& options) {
  if (options.args.size() != 2) {
    return reportError(Error::invalidInput("save: give DOSSIER FILE"));
  }
  auto application = readApplicationFile(options.args[1]);
  if (!application) return reportError(application.error());
  return withDrafts(context, options, KeyStoreUse::Create, [&](Drafts& drafts, auto&) {
    auto current = drafts.find(options.args[0], access(options));
    if (!current) return reportError(current.error());
    auto draft = drafts.save(options.args[0], current->campaignId, *application, versionOf(options),
                             access(options));
    if (!draft) return reportError(draft.error());
    return printDraft(*draft, drafts.completeness(*draft), options.json);
  });
}

int runDiscard(const Context& context, const DraftOptions& options) {
  return withDrafts(context, options, KeyStoreUse::IfPresent, [&](Drafts& drafts, auto&) {
    if (auto s = drafts.discard(options.args[0], versionOf(options), access(options)); !s) {
      return reportError(s.error());
    }
    if (options.json) {
      printJson({{"dossier_id", options.args[0]}, {"discarded", true}});
    } else {
      std::cout << "dossier " << options.args[0] << ": draft discarded\n";
    }
    return 0;
  });
}

nlohmann::json documentJson(const workflows::DocumentRef& d) {
  return {{"field", d.field},
          {"name", d.name},
          {"size", d.size},
          {"content_type", d.contentType},
          {"sha256", d.sha256}};
}

// attach DOSSIER FIELD FILE: the file streamed into the store a chunk at a
// time, its type named from its bytes, then attached to the draft.
int runAttach(const Context& context, const DraftOptions& options) {
  const auto& args = options.args;
  const std::filesystem::path file = args[2];
  std::ifstream in(file, std::ios::binary);
  if (!in) return reportError(Error::notFound("cannot read " + file.string()));
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return reportError(Error::ioError("cannot read " + file.string() + ": " + ec.message()));
  const std::string name = options.name.empty() ? file.filename().string() : options.name;
  return withDrafts(context, options, KeyStoreUse::Create, [&](Drafts& drafts, auto&) {
    auto slot = drafts.attachable(args[0], args[1], access(options));
    if (!slot) return reportError(slot.error());
    if (size > slot->maxBytes) {
      return reportError(Error::invalidInput(file.string() + " is " + std::to_string(size) +
                                             " bytes, over the limit of " +
                                             std::to_string(slot->maxBytes) + " for \"" +
                                             args[1] + "\""));
    }
    auto upload = drafts.documents().begin(args[0], slot->maxBytes);
    if (!upload) return reportError(upload.error());
    std::string buffer(workflows::documentChunkBytes, '\0');
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto got = static_cast<std::size_t>(in.gcount());
      if (got == 0) break;
      if (auto s = (*upload)->write(std::string_view(buffer.data(), got)); !s) {
        return reportError(s.error());
      }
    }
    if (in.bad()) return reportError(Error::ioError("reading " + file.string() + " failed"));
    const std::string type = workflows::detectContentType((*upload)->head());
    const auto& allowed = slot->contentTypes;
    if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      std::string list;
      for (const auto& t : allowed) list += (list.empty() ? "" : ", ") + t;
      return reportError(Error::invalidInput(file.string() + " is " + type + ", which \"" +
                                             args[1] + "\" does not take (" + list + ")"));
    }
    auto stored = (*upload)->finish(type);
    if (!stored) return reportError(stored.error());
    auto draft = drafts.attach(args[0], args[1], name, *stored, versionOf(options), access(options));
    if (!draft) return reportError(draft.error());
    const workflows::DocumentRef& d = draft->application.documents.back();
    if (options.json) {
      nlohmann::json out = documentJson(d);
      out["dossier_id"] = args[0];
      out["draft_version"] = draft->version;
      printJson(out);
    } else {
      std::cout << "dossier " << args[0] << ": " << d.name << " attached to " << d.field << " ("
                << d.contentType << ", " << d.size << " bytes, sha256 " << d.sha256
                << "), draft version " << draft->version << "\n";
    }
    return 0;
  });
}

int runDetach(const Context& context, const DraftOptions& options) {
  return withDrafts(context, options, KeyStoreUse::IfPresent, [&](Drafts& drafts, auto&) {
    auto draft = drafts.detach(options.args[0], options.args[1], versionOf(options), access(options));
    if (!draft) return reportError(draft.error());
    if (options.json) {
      printJson({{"dossier_id", options.args[0]}, {"detached", options.args[1]},
                 {"draft_version", draft->version}});
    } else {
      std::cout << "dossier " << options.args[0] << ": document " << options.args[1]
                << " detached, draft version " << draft->version << "\n";
    }
    return 0;
  });
}

// documents DOSSIER: the draft's, or the submitted dossier's as recorded.
int runDocuments(const Context& context, const DraftOptions& options) {
  return withDrafts(context, options, KeyStoreUse::IfPresent, [&](Drafts& drafts, auto& workflow) {
    std::vector<workflows::DocumentRef> documents;
    auto dossier = workflow.loadDossier(options.args[0]);
    if (dossier) {
      documents = dossier->application.documents;
    } else {
      auto draft = drafts.find(options.args[0], access(options));
      if (!draft) return reportError(draft.error());
      documents = draft->application.documents;
    }
    if (options.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& d : documents) list.push_back(documentJson(d));
      printJson({{"dossier_id", options.args[0]}, {"documents", list}});
      return 0;
    }
    Table table({"field", "name", "type", "bytes", "sha256"});
    for (const auto& d : documents) {
      table.addRow({d.field, d.name, d.contentType, std::to_string(d.size), d.sha256});
    }
    table.print(std::cout);
    return 0;
  });
}

CLI::App* addDraftVerb(CLI::App& group, CommandRun& run, const std::string& name,
                       const std::string& description, const std::string& example,
                       int (*body)(const Context&, const DraftOptions&),
                       std::shared_ptr<DraftOptions>& options) {
  options = std::make_shared<DraftOptions>();
  CLI::App* verb = group.add_subcommand(name, description);
  verb->footer(helpFooter(example));
  options->actor = defaultActor();
  verb->add_option("--actor", options->actor, "Who drafts (the owner of a new draft)")
      ->envname("PARCOURS_ACTOR")
      ->capture_default_str();
  verb->add_flag("--json", options->json, "Print one JSON object");
  verb->callback([options, &run, body] {
    run = [options, body](const Context& context) { return body(context, *options); };
  });
  return verb;
}

}  // namespace

// The draft's submission: `dossier submit DOSSIER` (dossier_commands.cc
// sends the one-positional form here).
int runDraftSubmit(const Context& context, const std::string& dossierId, std::uint64_t version,
                   const WriteOptions& write) {
  DraftOptions options;
  options.actor = write.actor;
  options.version = version;
  options.json = write.json;
  if (!write.at.empty()) {
    return reportError(Error::invalidInput("--at: a draft is submitted now, not at another time"));
  }
  return withDrafts(context, options, KeyStoreUse::Create, [&](Drafts& drafts, auto& workflow) {
    const workflows::CommandContext commandContext{{write.commandId, write.actor, "", ""},
                                                   write.reason};
    auto appended = drafts.submit(dossierId, versionOf(options), access(options), commandContext);
    if (!appended) return reportError(appended.error());
    auto dossier = workflow.loadDossierAfter(dossierId, *appended);
    const std::string status =
        dossier ? std::string(workflows::statusName(dossier->status)) : std::string("submitted");
    if (write.json) {
      nlohmann::json out = {{"dossier_id", dossierId}, {"status", status}};
      out.update(appendResultJson(*appended));
      printJson(out);
    } else {
      std::cout << "dossier " << dossierId << ": " << status << " from its draft ("
                << positionsText(*appended) << ")\n";
    }
    return 0;
  });
}

void addDraftVerbs(CLI::App& group, CommandRun& run) {
  std::shared_ptr<DraftOptions> o;
  CLI::App* verb = addDraftVerb(
      group, run, "draft",
      "Create a draft (CAMPAIGN DOSSIER [FILE]) or show one (DOSSIER), with what its submission "
      "would be told now",
      "parcours dossier draft sud-2020 d-12 application.json", runDraft, o);
  verb->add_option("args", o->args, "CAMPAIGN DOSSIER [FILE] to create, DOSSIER to show")
      ->required()
      ->expected(1, 3);
  verb = addDraftVerb(group, run, "save",
                      "Save a draft from a file (the submission file's shape), over the version "
                      "you read",
                      "parcours dossier save d-12 application.json --version 3", runSave, o);
  verb->add_option("args", o->args, "DOSSIER FILE")->required()->expected(2);
  verb->add_option("--version", o->version,
                   "The draft's version you read (parcours dossier draft D): refused if it was "
                   "saved since")
      ->required()
      ->check(CLI::PositiveNumber);
  verb = addDraftVerb(group, run, "attach",
                      "Upload a file to a draft's attachment field (its type read from its bytes)",
                      "parcours dossier attach d-12 deliberation deliberation.pdf", runAttach, o);
  verb->add_option("args", o->args, "DOSSIER FIELD FILE")->required()->expected(3);
  verb->add_option("--name", o->name, "The document's name (default: the file's)");
  verb->add_option("--version", o->version, "Refuse if the draft was saved since this version")
      ->check(CLI::PositiveNumber);
  verb = addDraftVerb(group, run, "detach", "Take a document off a draft (by its SHA-256)",
                      "parcours dossier detach d-12 3a7bd3e2...", runDetach, o);
  verb->add_option("args", o->args, "DOSSIER SHA256")->required()->expected(2);
  verb->add_option("--version", o->version, "Refuse if the draft was saved since this version")
      ->check(CLI::PositiveNumber);
  verb = addDraftVerb(group, run, "documents",
                      "List a dossier's documents: its draft's, or as its submission recorded them",
                      "parcours dossier documents d-12", runDocuments, o);
  verb->add_option("args", o->args, "DOSSIER")->required()->expected(1);
  verb = addDraftVerb(group, run, "discard", "Abandon a draft",
                      "parcours dossier discard d-12", runDiscard, o);
  verb->add_option("args", o->args, "DOSSIER")->required()->expected(1);
  verb->add_option("--version", o->version, "Refuse if the draft was saved since this version")
      ->check(CLI::PositiveNumber);
}

}  // namespace parcours::cli
