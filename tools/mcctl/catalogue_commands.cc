#include "tools/mcctl/catalogue_commands.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "tools/mcctl/node_client.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/printing.h"
#include "tools/mcctl/request_ids.h"

namespace microcred::mcctl {
namespace {

using catalogue::v1::GetSpecificationRequest;
using catalogue::v1::ProviderProfile;
using catalogue::v1::PublishSpecificationRequest;
using catalogue::v1::SearchSpecificationsRequest;
using catalogue::v1::SearchSpecificationsResponse;
using catalogue::v1::Specification;
using catalogue::v1::UpsertProviderProfileRequest;

constexpr char kPublish[] = "catalogue publish";
constexpr char kGet[] = "catalogue get";
constexpr char kSearch[] = "catalogue search";
constexpr char kProfile[] = "catalogue profile";

std::vector<std::string> CommaList(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipWhitespace());
}

absl::StatusOr<PublishSpecificationRequest> ReadPublishRequest(const std::string& path,
                                                               std::string& content) {
  auto read = ReadInput(path);
  if (!read.ok()) return read.status();
  content = *std::move(read);
  PublishSpecificationRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is an error, not a silent omission
  auto parsed = google::protobuf::util::JsonStringToMessage(content, &request, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        path + ": not a PublishSpecificationRequest in JSON (" +
        std::string(parsed.message().data(), parsed.message().size()) +
        "); the file holds {\"local_id\": ..., \"content\": {\"title\": ..., ...}}");
  }
  return request;
}

int RunPublish(const Invocation& in) {
  std::string content;
  auto request = ReadPublishRequest(in.args[0], content);
  if (!request.ok()) return UsageError(kPublish, request.status());
  if (request->request_id().empty()) request->set_request_id(PublishRequestId(content));
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
              << " (request id " << request->request_id() << ")\n";
  }
  return kExitOk;
}

int RunProfile(const Invocation& in) {
  auto read = ReadInput(in.args[0]);
  if (!read.ok()) return UsageError(kProfile, read.status());
  UpsertProviderProfileRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(*read, &request, options);
      !parsed.ok()) {
    return UsageError(kProfile, absl::InvalidArgumentError(
                                    in.args[0] + ": not an UpsertProviderProfileRequest in JSON (" +
                                    std::string(parsed.message().data(), parsed.message().size()) +
                                    "); the file holds {\"profile\": {\"institution_id\": ...}}"));
  }
  if (request.request_id().empty()) request.set_request_id(PublishRequestId(*read));
  NodeClient client(in.global);
  grpc::ClientContext context;
  client.Prepare(context);
  ProviderProfile profile;
  grpc::Status status = client.catalogue().UpsertProviderProfile(&context, request, &profile);
  if (!status.ok()) return RpcFailure(status, in.global);
  if (in.global.json) {
    PrintJson(profile);
  } else {
    std::cout << "profile of " << profile.institution_id() << " published (request id "
              << request.request_id() << ")\n";
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

}  // namespace

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
           "publishing twice. Prints the new specification's id and version.\n",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunPublish},
      {.name = kProfile,
       .synopsis = "FILE.json",
       .summary = "publish the institution's provider profile and recognition policy (registrar)",
       .details =
           "FILE.json (or - for stdin) is an UpsertProviderProfileRequest in JSON, with proto\n"
           "field names: {\"profile\": {\"institution_id\": \"uclouvain\", \"legal_name\": ...,\n"
           "\"recognition_policy\": {\"text\": ..., \"links\": [...]}}}. The public catalogue\n"
           "pages show it with every specification of the institution (Recommendation 9c).\n",
       .options = {},
       .min_args = 1,
       .max_args = 1,
       .run = RunProfile},
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
       .summary = "search the ecosystem's catalogue (public)",
       .details = "TEXT matches titles, learning outcomes and descriptions; every word must\n"
                  "match. Lists take comma-separated values.\n",
       .options = {{"eqf", "EQF levels, e.g. 6 or 6,7"},
                   {"provider", "awarding institutions, e.g. uclouvain,ulb"},
                   {"country", "ISO 3166-1 country codes, e.g. BE,FR"},
                   {"language", "ISO 639-1 language codes, e.g. fr,en"},
                   {"include-withdrawn", "also list withdrawn specifications"},
                   {"page-size", "results per page, 1 to 100 (default 20)"},
                   {"page-token", "the next page, as printed after a page of results"}},
       .min_args = 0,
       .max_args = 64,
       .run = RunSearch},
  };
}

}  // namespace microcred::mcctl
