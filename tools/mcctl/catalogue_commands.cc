#include "tools/mcctl/catalogue_commands.h"

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "libs/domain/specification_id.h"
#include "tools/mcctl/cli.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/json_input.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

using catalogue::v1::GetSpecificationRequest;
using catalogue::v1::PublishSpecificationRequest;
using catalogue::v1::SearchSpecificationsRequest;
using catalogue::v1::SearchSpecificationsResponse;
using catalogue::v1::Specification;

constexpr char kPublish[] = "catalogue publish";
constexpr char kGet[] = "catalogue get";
constexpr char kSearch[] = "catalogue search";
constexpr char kRevise[] = "catalogue revise";
constexpr char kWithdraw[] = "catalogue withdraw";
constexpr char kProfileGet[] = "catalogue profile get";
constexpr char kProfilePublish[] = "catalogue profile publish";

std::vector<std::string> CommaList(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipWhitespace());
}

absl::StatusOr<PublishSpecificationRequest> ReadPublishRequest(const std::string& path,
                                                               std::string& content) {
  auto read = ReadInput(path);
  if (!read.ok()) return read.status();
  content = *std::move(read);
  PublishSpecificationRequest request;
  if (auto s = ParseJsonMessage(
          content, path, request,
          "the file holds {\"local_id\": ..., \"content\": {\"title\": ..., ...}}");
      !s.ok()) {
    return s;
  }
  return request;
}

// The one ecosystem `--ecosystem` names, "" when absent.
absl::StatusOr<std::string> OneEcosystem(const host::Config& flags) {
  auto value = flags.GetString("ecosystem", "");
  if (!value.ok()) return value.status();
  auto ids = EcosystemIds("ecosystem", *value, /*many=*/false);
  if (!ids.ok()) return ids.status();
  return ids->empty() ? "" : ids->front();
}

int RunPublish(const Invocation& in) {
  std::string content;
  auto request = ReadPublishRequest(in.args[0], content);
  if (!request.ok()) return UsageError(kPublish, request.status());
  auto ecosystem = OneEcosystem(in.flags);
  if (!ecosystem.ok()) return UsageError(kPublish, ecosystem.status());
  if (!ecosystem->empty()) request->set_ecosystem_id(*ecosystem);
  if (request->request_id().empty()) {
    request->set_request_id(PublishRequestId(content, *ecosystem));
  }
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  Specification spec;
  grpc::Status status = client.catalogue().PublishSpecification(&context, *request, &spec);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(spec);
  } else {
    std::cout << "published " << spec.specification_id() << " version " << spec.version()
              << (spec.ecosystem_id().empty() ? "" : " in " + spec.ecosystem_id())
              << " (request id " << request->request_id() << ")\n";
  }
  return kExitOk;
}

int RunGet(const Invocation& in) {
  auto version = in.flags.GetInt("version", 0);
  if (!version.ok()) return UsageError(kGet, version.status());
  if (*version < 0) return UsageError(kGet, "--version: must be 1 or more (0 = latest)");
  GetSpecificationRequest request;
  request.set_specification_id(in.args[0]);
  request.set_version(static_cast<uint32_t>(*version));
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  Specification spec;
  grpc::Status status = client.catalogue().GetSpecification(&context, request, &spec);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(spec);
  } else {
    std::cout << SpecificationText(spec);
  }
  return kExitOk;
}

absl::Status AddEqfLevels(const std::string& text, SearchSpecificationsRequest& request) {
  for (const std::string& item : CommaList(text)) {
    int level = 0;
    if (!absl::SimpleAtoi(item, &level) || level < 1 || level > 8) {
      return absl::InvalidArgumentError("--eqf: expected levels 1 to 8 (\"6\" or \"6,7\"), got \"" +
                                        item + "\"");
    }
    request.add_eqf_levels(level);
  }
  return absl::OkStatus();
}

absl::Status AddList(const host::Config& flags, std::string_view name,
                     google::protobuf::RepeatedPtrField<std::string>& list) {
  auto value = flags.GetString(name, "");
  if (!value.ok()) return value.status();
  for (std::string& item : CommaList(*value)) list.Add(std::move(item));
  return absl::OkStatus();
}

absl::StatusOr<SearchSpecificationsRequest> SearchRequestFrom(const Invocation& in) {
  SearchSpecificationsRequest request;
  std::string text;
  for (const std::string& word : in.args) text += (text.empty() ? "" : " ") + word;
  request.set_text(text);
  auto eqf = in.flags.GetString("eqf", "");
  if (!eqf.ok()) return eqf.status();
  if (auto s = AddEqfLevels(*eqf, request); !s.ok()) return s;
  if (auto s = AddList(in.flags, "provider", *request.mutable_providers()); !s.ok()) return s;
  if (auto s = AddList(in.flags, "country", *request.mutable_countries()); !s.ok()) return s;
  if (auto s = AddList(in.flags, "language", *request.mutable_languages()); !s.ok()) return s;
  auto ecosystems = in.flags.GetString("ecosystem", "");
  if (!ecosystems.ok()) return ecosystems.status();
  auto ids = EcosystemIds("ecosystem", *ecosystems, /*many=*/true);
  if (!ids.ok()) return ids.status();
  for (std::string& id : *ids) request.add_ecosystems(std::move(id));
  auto withdrawn = in.flags.GetBool("include-withdrawn", false);
  auto page_size = in.flags.GetInt("page-size", 0);
  auto page_token = in.flags.GetString("page-token", "");
  if (!withdrawn.ok()) return withdrawn.status();
  if (!page_size.ok()) return page_size.status();
  if (!page_token.ok()) return page_token.status();
  if (*page_size < 0 || *page_size > 100) {
    return absl::InvalidArgumentError("--page-size: 1 to 100 (default 20)");
  }
  request.set_include_withdrawn(*withdrawn);
  request.set_page_size(static_cast<int32_t>(*page_size));
  request.set_page_token(*page_token);
  return request;
}

int RunSearch(const Invocation& in) {
  auto request = SearchRequestFrom(in);
  if (!request.ok()) return UsageError(kSearch, request.status());
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  SearchSpecificationsResponse response;
  grpc::Status status = client.catalogue().SearchSpecifications(&context, *request, &response);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(response);
  } else {
    std::cout << SearchText(response);
  }
  return kExitOk;
}

// ---- revise, withdraw ----

// FILE.json holds a SpecificationContent, or a whole publish request whose content is taken (the
// file `catalogue publish` sent, edited).
absl::StatusOr<catalogue::v1::SpecificationContent> ReadContent(const std::string& path) {
  auto content = ReadInput(path);
  if (!content.ok()) return content.status();
  catalogue::v1::SpecificationContent spec_content;
  absl::Status as_content = ParseJsonMessage(*content, path, spec_content);
  if (as_content.ok()) return spec_content;
  PublishSpecificationRequest publish;
  if (ParseJsonMessage(*content, path, publish).ok() && publish.has_content()) {
    return publish.content();
  }
  return absl::InvalidArgumentError(
      std::string(as_content.message()) +
      "; the file holds the new content {\"title\": ..., ...}, or a publish file "
      "{\"content\": {...}}");
}

int PrintSpecification(const Specification& spec, const GlobalOptions& global,
                       const std::string& verb) {
  if (global.json) {
    PrintJson(spec);
  } else {
    std::cout << verb << " " << spec.specification_id() << " version " << spec.version() << "\n";
  }
  return kExitOk;
}

int RunRevise(const Invocation& in) {
  auto expected = in.flags.GetInt("expected-version", 0);
  if (!expected.ok()) return UsageError(kRevise, expected.status());
  if (*expected < 1) {
    return UsageError(kRevise,
                      "--expected-version is required: the version you revised (mcctl catalogue "
                      "get " +
                          in.args[0] + " shows the latest)");
  }
  auto content = ReadContent(in.args[1]);
  if (!content.ok()) return UsageError(kRevise, content.status());
  catalogue::v1::ReviseSpecificationRequest request;
  request.set_specification_id(in.args[0]);
  request.set_expected_version(static_cast<uint32_t>(*expected));
  *request.mutable_content() = *std::move(content);
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_request_id(id.empty() ? MessageRequestId("revise", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  Specification spec;
  grpc::Status status = client.catalogue().ReviseSpecification(&context, request, &spec);
  if (!status.ok()) return RpcFailure(status, in.global);
  return PrintSpecification(spec, in.global, "revised");
}

int RunWithdraw(const Invocation& in) {
  auto reason = RequiredFlag(in.flags, "reason");
  if (!reason.ok()) return UsageError(kWithdraw, reason.status());
  catalogue::v1::WithdrawSpecificationRequest request;
  request.set_specification_id(in.args[0]);
  request.set_reason(*reason);
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_request_id(id.empty() ? MessageRequestId("withdraw-spec", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  Specification spec;
  grpc::Status status = client.catalogue().WithdrawSpecification(&context, request, &spec);
  if (!status.ok()) return RpcFailure(status, in.global);
  return PrintSpecification(spec, in.global, "withdrew");
}

// ---- profile ----

std::string ProfileText(const catalogue::v1::ProviderProfile& p) {
  std::string text = p.institution_id() + "  " + p.legal_name() + "\n";
  text += "  country: " + p.country() + (p.region().empty() ? "" : " (" + p.region() + ")") + "\n";
  text += "  provider type: " +
          EnumLabel(common::v1::ProviderType_Name(p.provider_type()), "PROVIDER_TYPE_") + "\n";
  if (!p.website().empty()) text += "  website: " + p.website() + "\n";
  if (!p.qa_declaration().empty()) text += "  quality assurance: " + p.qa_declaration() + "\n";
  if (!p.deqar_id().empty()) text += "  DEQAR: " + p.deqar_id() + "\n";
  if (!p.ecosystem_id().empty()) text += "  ecosystem: " + p.ecosystem_id() + "\n";
  for (const std::string& key : p.public_key_ids()) text += "  key: " + key + "\n";
  if (!p.recognition_policy().text().empty()) {
    text += "  recognition policy: " + p.recognition_policy().text() + "\n";
  }
  for (const std::string& link : p.recognition_policy().links()) text += "    " + link + "\n";
  return text;
}

int PrintProfile(const catalogue::v1::ProviderProfile& profile, const GlobalOptions& global) {
  if (global.json) {
    PrintJson(profile);
  } else {
    std::cout << ProfileText(profile);
  }
  return kExitOk;
}

int RunProfileGet(const Invocation& in) {
  catalogue::v1::GetProviderProfileRequest request;
  request.set_institution_id(in.args[0]);
  auto ecosystem = OneEcosystem(in.flags);
  if (!ecosystem.ok()) return UsageError(kProfileGet, ecosystem.status());
  request.set_ecosystem_id(*ecosystem);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  catalogue::v1::ProviderProfile profile;
  grpc::Status status = client.catalogue().GetProviderProfile(&context, request, &profile);
  if (!status.ok()) return RpcFailure(status, in.global);
  return PrintProfile(profile, in.global);
}

int RunProfilePublish(const Invocation& in) {
  auto content = ReadInput(in.args[0]);
  if (!content.ok()) return UsageError(kProfilePublish, content.status());
  catalogue::v1::UpsertProviderProfileRequest request;
  if (auto s = ParseJsonMessage(*content, in.args[0], *request.mutable_profile(),
                                "the file holds {\"institution_id\": ..., \"legal_name\": ..., "
                                "\"country\": \"BE\", \"provider_type\": ..., ...}");
      !s.ok()) {
    return UsageError(kProfilePublish, s);
  }
  auto ecosystem = OneEcosystem(in.flags);
  if (!ecosystem.ok()) return UsageError(kProfilePublish, ecosystem.status());
  request.set_ecosystem_id(*ecosystem);
  const std::string id = *in.flags.GetString("request-id", "");
  request.set_request_id(id.empty() ? MessageRequestId("profile", request) : id);
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  catalogue::v1::ProviderProfile profile;
  grpc::Status status = client.catalogue().UpsertProviderProfile(&context, request, &profile);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (!in.global.json) std::cout << "published the profile of ";
  return PrintProfile(profile, in.global);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> EcosystemIds(std::string_view flag,
                                                      const std::string& text, bool many) {
  std::vector<std::string> ids = CommaList(text);
  const std::string name = "--" + std::string(flag);
  if (!many && ids.size() > 1) {
    return absl::InvalidArgumentError(name + ": one ecosystem id, got \"" + text + "\"");
  }
  for (const std::string& id : ids) {
    if (!domain::ValidateEcosystemId(id).ok()) {
      return absl::InvalidArgumentError(
          name + ": an ecosystem id is 1 to 64 characters from A-Z a-z 0-9 . _ -, got \"" + id +
          "\"");
    }
  }
  return ids;
}

std::vector<Command> CatalogueCommands() {
  return {
      {.name = kPublish,
       .synopsis = "FILE.json",
       .summary = "publish a micro-credential specification (needs a catalogue_editor token)",
       .details =
           "FILE.json (or - for stdin) is a PublishSpecificationRequest in JSON, with proto\n"
           "field names: {\"local_id\": \"open-science\", \"content\": {\"title\": ...}}.\n"
           "Without a request_id in the file, the request id is derived from the file's\n"
           "content: publishing the same file again returns the first answer instead of\n"
           "publishing twice. Prints the new specification's id and version.\n"
           "--ecosystem names the ecosystem to publish in (one the node joined, where the\n"
           "institution is a member; default: the node's home ecosystem). Its revisions and\n"
           "withdrawal follow it there.\n",
       .options = {{"ecosystem", "the ecosystem to publish in (default: the node's home)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunPublish},
      {.name = kGet,
       .synopsis = "SPEC_ID",
       .summary = "show a specification (public)",
       .details = "SPEC_ID is <institution>/<local id>, e.g. uclouvain/open-science.\n",
       .options = {{"version", "a version to show instead of the latest (1, 2, ...)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunGet},
      {.name = kSearch,
       .synopsis = "[TEXT...]",
       .summary = "search the catalogue of every ecosystem the node joined (public)",
       .details = "TEXT matches titles, learning outcomes and descriptions; every word must\n"
                  "match. Lists take comma-separated values. Each result shows its ecosystem;\n"
                  "\"by ecosystem\" counts the results (all pages) per ecosystem.\n",
       .options = {{"eqf", "EQF levels, e.g. 6 or 6,7"},
                   {"provider", "awarding institutions, e.g. uclouvain,ulb"},
                   {"country", "ISO 3166-1 country codes, e.g. BE,FR"},
                   {"language", "ISO 639-1 language codes, e.g. fr,en"},
                   {"ecosystem",
                    "ecosystems the specifications are published in, e.g. fwb,alliance"},
                   {"include-withdrawn", "also list withdrawn specifications"},
                   {"page-size", "results per page, 1 to 100 (default 20)"},
                   {"page-token", "the next page, as printed after a page of results"}},
       .min_args = 0,
       .max_args = 64,
       .run = RunSearch},
      {.name = kRevise,
       .synopsis = "SPEC_ID FILE.json",
       .summary = "publish a new version of a specification (needs a catalogue_editor token)",
       .details =
           "FILE.json (or - for stdin) holds the new SpecificationContent in JSON, or the file\n"
           "`catalogue publish` sent, edited (its content is taken). --expected-version is the\n"
           "version you revised: when someone revised it in between, the node refuses and\n"
           "nothing changes. Without --request-id, the request id is derived from everything\n"
           "sent: running the command again is answered once.\n",
       .options = {{"expected-version", "the version the revision replaces (required)"},
                   {"request-id", "the request id (default: derived)"}},
       .min_args = 2,
       .max_args = 2,
       .run = RunRevise},
      {.name = kWithdraw,
       .synopsis = "SPEC_ID",
       .summary = "withdraw a specification from the catalogue (needs a catalogue_editor token)",
       .details = "A withdrawn specification stays readable (catalogue get) and credentials\n"
                  "issued for it stay valid, but nothing more is issued for it and searches\n"
                  "leave it out unless --include-withdrawn.\n",
       .options = {{"reason", "why, shown with the specification (required)"},
                   {"request-id", "the request id (default: derived)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunWithdraw},
      {.name = kProfileGet,
       .synopsis = "INSTITUTION_ID",
       .summary = "show a provider's public profile and recognition policy (public)",
       .details = "An institution has a profile in each ecosystem it published one in.\n",
       .options = {{"ecosystem",
                    "which ecosystem's profile (default: the node's home's, or the "
                    "first)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunProfileGet},
      {.name = kProfilePublish,
       .synopsis = "PROFILE.json",
       .summary = "publish this institution's provider profile (needs a registrar token)",
       .details =
           "PROFILE.json (or - for stdin) is a ProviderProfile in JSON: institution_id,\n"
           "legal_name, country, provider_type (as the registry admitted it), qa_declaration,\n"
           "website, recognition_policy {text, links}. The node adds the registered key ids.\n"
           "Without --request-id, the request id is derived from the profile: to publish\n"
           "again a profile identical to an earlier one, pass a new --request-id.\n"
           "Without --ecosystem, the profile is published in every ecosystem the node joined.\n",
       .options = {{"request-id", "the request id (default: derived)"},
                   {"ecosystem", "the one ecosystem to publish in (default: every one joined)"}},
       .min_args = 1,
       .max_args = 1,
       .run = RunProfilePublish},
  };
}

}  // namespace microcred::mcctl
