// What an outsider reading the shared topics can join: the values that connect two
// institutions' learner pseudonyms (for tests).
//
// Every record of the given topics is decoded as a member would: the envelope (signature not
// checked: an outsider reads everything), its payload by event_type through the generated
// descriptor pool, and a dead letter's refused record in turn. Each event gives its pseudonyms
// (every field named learner_pseudonym, under the event's source institution) and its values:
// every other string or bytes field at any depth, the fields a newer schema no longer names
// (an older reader still decodes them), and the envelope's partition key and request id. A
// value that some event pairs with a pseudonym of one institution and some event with a
// pseudonym of another joins the two: it is reported.
#ifndef MICROCRED_SERVICES_MCNODE_TESTING_LINKABILITY_H_
#define MICROCRED_SERVICES_MCNODE_TESTING_LINKABILITY_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/event_log.h"

namespace microcred {

struct CrossIssuerLink {
  std::string value;
  std::set<std::string> pseudonyms;  // "<institution>:<pseudonym>", two institutions or more
};

struct LinkabilityReport {
  std::vector<CrossIssuerLink> links;
  // The institutions some event names a pseudonym of (what the check covered).
  std::set<std::string> institutions_with_pseudonyms;
  int events = 0;

  std::string Describe() const;
};

// Reads `topics` of `log` from their beginning to their current end.
absl::StatusOr<LinkabilityReport> FindCrossIssuerLinks(EventLog& log,
                                                       const std::vector<std::string>& topics);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_TESTING_LINKABILITY_H_
