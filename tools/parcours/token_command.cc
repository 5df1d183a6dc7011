// `parcours token add`: makes a bearer token for a subject and roles, keeps
// only its SHA-256 hash in the tokens file, and prints the token once.
#include <iostream>
#include <memory>
#include <vector>

#include "commands.h"
#include "output.h"
#include "parcours/adapters/tokens.h"

namespace parcours::cli {
namespace {

struct TokenOptions {
  std::string file;
  std::string subject;
  std::vector<std::string> roles;
  bool json = false;
};

int runTokenAdd(const TokenOptions& options) {
  std::vector<adapters::Role> roles;
  for (const auto& name : options.roles) {
    auto role = adapters::parseRole(name);
    if (!role) {
      return reportError(Error::invalidInput(
          "--role \"" + name +
          "\": administrator, instructor, juror, auditor, integrator or applicant"));
    }
    roles.push_back(*role);
  }
  auto token = adapters::addToken(options.file, options.subject, roles);
  if (!token) return reportError(token.error());
  if (options.json) {
    printJson({{"token", *token},
               {"subject", options.subject},
               {"roles", options.roles},
               {"tokens_file", options.file}});
  } else {
    std::cout << *token << "\n";
    std::cerr << "token for " << options.subject << " added to " << options.file
              << " (only its hash is kept: copy it now)\n";
  }
  return 0;
}

}  // namespace

void addTokenCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand("token", "Manage the bearer tokens of `parcours serve`");
  group->require_subcommand(1);
  auto options = std::make_shared<TokenOptions>();
  CLI::App* add = group->add_subcommand(
      "add", "Make a token for a subject with roles; print it once, keep its hash");
  add->footer(
      "\nRoles: administrator, instructor, juror (the subject is the juror's id in the\n"
      "campaign's jury), auditor, integrator, applicant. The subject is recorded as the\n"
      "actor of every event its requests write.\n"
      "--json: {token, subject, roles, tokens_file}.\n" +
      helpFooter("parcours token add --tokens tokens.json --subject alice --role administrator"));
  add->add_option("--tokens", options->file, "Tokens file (created when missing)")
      ->envname("PARCOURS_TOKENS")
      ->required();
  add->add_option("--subject", options->subject, "Who the token stands for")->required();
  add->add_option("--role", options->roles, "A role (repeat for several)")->required();
  add->add_flag("--json", options->json, "Print one JSON object");
  add->callback(
      [options, &run] { run = [options](const Context&) { return runTokenAdd(*options); }; });
}

}  // namespace parcours::cli
