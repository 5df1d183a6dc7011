// `parcours token add`: makes a bearer token for a subject and roles (and
// an expiry), keeps only its SHA-256 hash in the tokens file, and prints the
// token once. `parcours token revoke`: removes a subject's tokens.
#include <iostream>
#include <memory>
#include <vector>

#include "commands.h"
#include "output.h"
#include "parcours/adapters/tokens.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::cli {
namespace {

struct TokenOptions {
  std::string file;
  std::string subject;
  std::vector<std::string> roles;
  std::string expires;  // RFC 3339; empty: never
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
  std::optional<std::int64_t> expires;
  if (!options.expires.empty()) {
    auto at = workflows::parseInstant(options.expires);
    if (!at) return reportError(Error::invalidInput("--expires: " + at.error().message));
    expires = *at;
  }
  auto token = adapters::addToken(options.file, options.subject, roles, expires);
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

int runTokenRevoke(const TokenOptions& options) {
  auto revoked = adapters::revokeTokens(options.file, options.subject);
  if (!revoked) return reportError(revoked.error());
  if (options.json) {
    printJson({{"subject", options.subject}, {"revoked", *revoked}, {"tokens_file", options.file}});
  } else {
    std::cout << "revoked " << *revoked << " token(s) of " << options.subject << " in "
              << options.file << " (a running server refuses them within a second)\n";
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
  add->add_option("--expires", options->expires,
                  "When the token stops working, RFC 3339 (e.g. 2027-06-30T18:00:00+02:00); "
                  "default: never");
  add->add_flag("--json", options->json, "Print one JSON object");
  add->callback(
      [options, &run] { run = [options](const Context&) { return runTokenAdd(*options); }; });

  CLI::App* revoke = group->add_subcommand(
      "revoke", "Remove every token of a subject; a running server refuses them within a second");
  revoke->footer("\n--json: {subject, revoked, tokens_file}. Exit 3 when the subject has no token.\n" +
                 helpFooter("parcours token revoke --tokens tokens.json --subject alice"));
  revoke->add_option("--tokens", options->file, "Tokens file")
      ->envname("PARCOURS_TOKENS")
      ->required();
  revoke->add_option("--subject", options->subject, "Whose tokens to remove")->required();
  revoke->add_flag("--json", options->json, "Print one JSON object");
  revoke->callback(
      [options, &run] { run = [options](const Context&) { return runTokenRevoke(*options); }; });
}

}  // namespace parcours::cli
