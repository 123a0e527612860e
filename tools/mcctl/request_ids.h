// The client request ids mcctl derives when the user gives none, so that running the same command
// again (after a timeout, a lost connection, a half-done cohort) is answered with the first
// result instead of acting twice.
//
// Request ids travel in events that every node of the ecosystem reads, so none is derived from
// guessable personal data alone (a student number and a date could be tried one by one): each
// one hashes a whole file, or a whole request including the learner's names.
// All ids fit the server's rule: 1 to 128 characters from [A-Za-z0-9._:-].
#ifndef MICROCRED_TOOLS_MCCTL_REQUEST_IDS_H_
#define MICROCRED_TOOLS_MCCTL_REQUEST_IDS_H_

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::mcctl {

// `catalogue publish`: "mcctl-publish-" + 32 hex digits of the file's SHA-256, and of the
// ecosystem named by --ecosystem when there is one (the same file published in two ecosystems is
// two requests).
std::string PublishRequestId(std::string_view file_content, std::string_view ecosystem = "");

// `issue --cohort`: the key of one cohort file issued against one specification (24 hex
// digits), then "mcctl-cohort-<key>-r<row>" for the file's row `row` (header = row 1). The same
// file and specification give the same ids, so a re-run never issues twice; the same class list
// issued for two specifications gives two sets of ids.
std::string CohortKey(std::string_view specification_id, std::string_view file_content);
std::string CohortRowRequestId(std::string_view cohort_key, int row);

// `issue` of one credential: "mcctl-issue-" + 32 hex digits of every field of the request
// (its request_id ignored). Repeating the command returns the same credential; changing any
// field (a corrected name) issues a new one.
std::string IssueRequestId(const issuance::v1::IssueCredentialRequest& request);

// `revoke`, `suspend`, `reinstate`: "mcctl-<action>-" + 32 hex digits of (action, credential id,
// reason, period). Revocation is final, so it passes an empty period; suspension and
// reinstatement can happen again later, so they pass the UTC day ("2026-03-14"): a retry the
// same day is answered once, the same action on another day is a new request.
std::string StatusRequestId(std::string_view action, std::string_view credential_id,
                            std::string_view reason, std::string_view period);

// Every other command that changes something: "mcctl-<action>-" + 32 hex digits of the SHA-256 of
// the request as sent (serialized deterministically, with its request id field still empty), and
// of `period` when it is not empty. The same command line is answered once; changing any field
// makes a new request. `period` is the UTC day ("2026-03-14") for actions that may rightly be
// repeated later (asking a learner for information again), as for StatusRequestId.
std::string MessageRequestId(std::string_view action, const google::protobuf::Message& request,
                             std::string_view period = "");

// The period of an action on a recognition request that may rightly come again once the request
// has come back to a state: taking it into review, or asking for information, again after the
// learner provided some (the request is received again); providing information again after a
// further question. "" while `request` has entered `state` at most once (the first round keeps
// the id derived without a period), then "round-<n>" for its n-th entry. A retry within a round
// finds the same round, so it is answered once.
std::string RecognitionRound(const recognition::v1::RecognitionRequest& request,
                             recognition::v1::RequestState state);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_REQUEST_IDS_H_
