#include "services/mcnode/node.h"

namespace microcred {

Node::Node(NodeOptions options)
    : options_(std::move(options)),
      signer_(options_.institution_id, options_.node_id, options_.event_key) {}

absl::StatusOr<std::unique_ptr<Node>> Node::Start(EventLog& log, StateStore& store,
                                                  NodeOptions options) {
  std::unique_ptr<Node> node(new Node(std::move(options)));
  auto catalogue =
      catalogue::CatalogueService::Start(log, store, node->signer_, node->options_.policy,
                                         {.node_id = node->options_.node_id,
                                          .trust_anchors = node->options_.trust_anchors,
                                          .on_refusal = node->options_.on_refusal});
  if (!catalogue.ok()) return catalogue.status();
  node->catalogue_ = *std::move(catalogue);
  return node;
}

}  // namespace microcred
