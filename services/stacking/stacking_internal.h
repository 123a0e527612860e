// The parts of StackingService (stacking_service.cc), each over the StackingCore they share.
// Internal to services/stacking.
//
//   PathwayCommands       publishing and revising a pathway           pathway_commands.cc
//   PresentedCredentials  a presented JWS verified and read into the  presented_credentials.cc
//                         facts stacking evaluates, with the owner's
//                         recognition decisions
//   CatalogueFacts        catalogue specifications as stacking reads  catalogue_facts.cc
//                         them: hypothetical credentials, the index
//                         suggestions search
//   Evaluations           Evaluate and WhatIf, and the reading of a   evaluations.cc
//                         request's credentials Confer shares
//   Conferrals            Confer: issue or grant, record, append      conferrals.cc
//
// None holds a lock of its own: the command path (libs/command/command_path.h) claims request
// ids and locks pathways, the read model and the ports are thread-safe, and the core is not
// changed after start.
#ifndef MICROCRED_SERVICES_STACKING_STACKING_INTERNAL_H_
#define MICROCRED_SERVICES_STACKING_STACKING_INTERNAL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/repeated_field.h"
#include "libs/auth/caller.h"
#include "libs/command/command_path.h"
#include "libs/command/service_context.h"
#include "microcred/stacking/v1/stacking.pb.h"
#include "services/stacking/evaluation.h"
#include "services/stacking/stacking_ports.h"
#include "services/stacking/stacking_read_model.h"
#include "services/stacking/stacking_service.h"

namespace microcred::stacking::internal {

// What every part of the service shares.
struct StackingCore {
  StackingCore(ServiceContext context_in, StackingOptions options_in, StackingPorts ports_in,
               std::unique_ptr<StackingReadModel> read_model_in)
      : context(std::move(context_in)),
        options(std::move(options_in)),
        ports(ports_in),
        read_model(std::move(read_model_in)),
        path(context, read_model->projector()) {}

  const std::string& institution() const { return context.institution_id(); }
  // PERMISSION_DENIED unless the caller acts for this node's institution.
  absl::Status CheckInstitution(const auth::Caller& caller) const;
  absl::CivilDay Today() const { return context.clock.Today(options.zone); }

  const ServiceContext context;
  const StackingOptions options;
  const StackingPorts ports;
  const std::unique_ptr<StackingReadModel> read_model;
  command::CommandPath path;  // "request_id"
};

class PathwayCommands {
 public:
  explicit PathwayCommands(StackingCore& core) : core_(core) {}

  absl::StatusOr<v1::Pathway> Publish(const auth::Caller& caller,
                                      const v1::PublishPathwayRequest& request);

 private:
  // The pathway the request publishes: owner and id set, checked as the request names them.
  absl::StatusOr<v1::Pathway> Proposed(const v1::PublishPathwayRequest& request) const;
  // The ecosystem the publication goes to: the request's (or the home) for a new pathway, the
  // pathway's own for a revision. INVALID_ARGUMENT naming `ecosystem_id` otherwise.
  absl::StatusOr<std::string> PathwayEcosystem(const v1::PublishPathwayRequest& request,
                                               const std::optional<v1::Pathway>& current) const;

  StackingCore& core_;
};

class PresentedCredentials {
 public:
  explicit PresentedCredentials(const StackingCore& core) : core_(core) {}

  // Verifies a presented credential and reads its facts, with the recognition `pathway`'s owner
  // gave it when it was issued elsewhere. `path` names the JWS in errors.
  absl::StatusOr<v1::CredentialFacts> Read(const std::string& jws, const v1::Pathway& pathway,
                                           const std::string& path) const;

 private:
  // The owner's decisions on the credential: a positive one (FULL or PARTIAL) counts, at its
  // recognised ECTS (the credential's share of them when the request presented several). Only
  // the owner's node finds them (DecisionLookup); elsewhere there are none.
  absl::Status AddRecognition(const std::string& owner, v1::CredentialFacts& facts) const;

  const StackingCore& core_;
};

class CatalogueFacts {
 public:
  explicit CatalogueFacts(const StackingCore& core) : core_(core) {}

  // A catalogue specification as if the learner held it: issued `today`, recognised in full
  // when issued outside `pathway`'s owner. `path` names the reference in errors.
  absl::StatusOr<v1::CredentialFacts> Hypothetical(const v1::SpecificationRef& ref,
                                                   const v1::Pathway& pathway, absl::CivilDay today,
                                                   const std::string& path) const;
  // Every published specification with ECTS this node's catalogue knows, as suggestions read
  // them.
  absl::StatusOr<std::vector<v1::SpecificationSummary>> All() const;

 private:
  v1::SpecificationSummary Summary(const catalogue::v1::Specification& spec) const;

  const StackingCore& core_;
};

// A request's credentials read against one pathway, and the context to evaluate them in.
struct Prepared {
  v1::Pathway pathway;
  std::vector<v1::CredentialFacts> held;
  EvaluationContext context;
};

class Evaluations {
 public:
  explicit Evaluations(const StackingCore& core)
      : core_(core), presented_(core), catalogue_(core) {}

  absl::StatusOr<v1::EvaluateResponse> Evaluate(const auth::Caller& caller,
                                                const v1::EvaluateRequest& request) const;
  absl::StatusOr<v1::EvaluateResponse> WhatIf(const auth::Caller& caller,
                                              const v1::WhatIfRequest& request) const;

  // The pathway (NOT_FOUND when unknown), the evaluation date (`date`, or today when unset),
  // and the presented credentials verified and read (those of `ids` only, when not empty).
  // `prefix` starts the field paths of errors ("evaluation." for WhatIf).
  absl::StatusOr<Prepared> Prepare(const auth::Caller& caller, const std::string& pathway_id,
                                   uint32_t version,
                                   const google::protobuf::RepeatedPtrField<std::string>& jws,
                                   const google::protobuf::RepeatedPtrField<std::string>& ids,
                                   const common::v1::Date& date, const std::string& prefix) const;

 private:
  absl::StatusOr<v1::EvaluateResponse> EvaluateWith(
      const auth::Caller& caller, const v1::EvaluateRequest& request,
      const google::protobuf::RepeatedPtrField<v1::SpecificationRef>& hypothetical,
      const std::string& prefix) const;
  absl::StatusOr<v1::Suggestion> Suggestion(const Prepared& prepared,
                                            const std::vector<v1::CredentialFacts>& extra) const;

  const StackingCore& core_;
  PresentedCredentials presented_;
  CatalogueFacts catalogue_;
};

class Conferrals {
 public:
  Conferrals(StackingCore& core, const Evaluations& evaluations)
      : core_(core), evaluations_(evaluations) {}

  absl::StatusOr<v1::ConferResponse> Confer(const auth::Caller& caller,
                                            const v1::ConferRequest& request);

 private:
  // What the officer confirms: a satisfied evaluation on a pathway of this node's institution
  // that names what it confers, and the conferral it makes (its learner not yet filled).
  struct Confirmed {
    v1::Pathway pathway;
    absl::CivilDay evaluation_date;
    v1::ConferResponse response;
    // The credentials assigned, sorted: the conferred credential's evidence. The event only
    // counts them (stacking.proto, StackConferred).
    std::vector<std::string> constituents;
  };
  absl::StatusOr<Confirmed> Confirm(const auth::Caller& caller,
                                    const v1::ConferRequest& request) const;
  // Fills the learner of the conferral: the credential issued (a certificate, a larger
  // micro-credential) or the learner's pseudonym (an exemption, an admission).
  absl::Status IssueOrGrant(const auth::Caller& caller, const v1::ConferRequest& request,
                            Confirmed& confirmed);
  // Issues the pathway's target specification to the learner, listing the constituents.
  absl::StatusOr<issuance::v1::IssuedCredential> IssueTarget(const auth::Caller& caller,
                                                             const v1::ConferRequest& request,
                                                             const Confirmed& confirmed);

  StackingCore& core_;
  const Evaluations& evaluations_;
};

}  // namespace microcred::stacking::internal

#endif  // MICROCRED_SERVICES_STACKING_STACKING_INTERNAL_H_
