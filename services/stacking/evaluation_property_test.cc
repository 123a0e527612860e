// Property: on random small instances, the evaluator's answer is optimal and legal.
//
// Everything the evaluator decides is recomputed here independently, straight from the protos:
// which credentials count (and for how many ECTS), which leaves each may go to (a filter
// matcher of its own), the shortfall of the tree, caps and sharing. A brute force enumerates
// every legal assignment and finds the least (shortfall, ECTS consumed); the evaluator must
// reach exactly that, with an assignment that the checker accepts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "services/stacking/evaluation.h"
#include "services/stacking/testing/builders.h"

namespace microcred::stacking {
namespace {

using testing::kHome;

constexpr int kInstances = 1500;
const absl::CivilDay kToday(2025, 6, 1);

// ---- Random instances ----

class InstanceGenerator {
 public:
  explicit InstanceGenerator(uint64_t seed) : rng_(seed) {}

  v1::Pathway Pathway() {
    leaves_ = 0;
    ids_ = 0;
    v1::Pathway p = testing::PathwayOf(Group(0));
    if (Chance(0.2)) p.add_equivalences()->set_issuer_group("alliance");
    if (Chance(0.1)) p.add_equivalences()->set_specification_id("ext-b/spec-x");
    return p;
  }

  std::vector<v1::CredentialFacts> Credentials() {
    std::vector<v1::CredentialFacts> out;
    const int n = Pick(1, 8);
    for (int i = 0; i < n; ++i) {
      static const char* kIssuers[] = {"home", "home", "ext-a", "ext-b"};
      static const char* kFields[] = {"0611", "0611", "0612", "0688", "0711", "0311"};
      static const double kEcts[] = {0, 1, 2, 2.5, 3, 4, 5, 6};
      v1::CredentialFacts c = testing::Cred("c" + std::to_string(i), kEcts[Pick(0, 7)],
                                            kFields[Pick(0, 5)], kIssuers[Pick(0, 3)]);
      if (c.issuer_institution_id() == "ext-a") c.add_issuer_groups("alliance");
      if (c.issuer_institution_id() != kHome) {
        static const v1::RecognitionStatus kStatus[] = {
            v1::RECOGNITION_STATUS_UNSPECIFIED, v1::RECOGNITION_STATUS_RECOGNISED,
            v1::RECOGNITION_STATUS_RECOGNISED, v1::RECOGNITION_STATUS_REFUSED,
            v1::RECOGNITION_STATUS_PENDING};
        c.set_recognition(kStatus[Pick(0, 4)]);
        if (Chance(0.3)) c.set_recognised_ects(Pick(0, 4));
        if (Chance(0.2)) c.mutable_specification()->set_specification_id("ext-b/spec-x");
      }
      c.set_eqf_level(Pick(4, 7));
      if (Chance(0.7)) c.set_grade(Pick(40, 100));
      c.mutable_issued_on()->set_year(Chance(0.3) ? 2023 : 2025);
      c.set_supervision(static_cast<common::v1::Supervision>(Pick(1, 4)));
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string NextId(const char* kind) { return kind + std::to_string(ids_++); }

  v1::Requirement Node(int depth) {
    if (depth < 2 && leaves_ < 3 && Chance(0.35)) return Group(depth);
    return Leaf();
  }

  v1::Requirement Group(int depth) {
    std::vector<v1::Requirement> children;
    const int n = Pick(1, 3);
    for (int i = 0; i < n && leaves_ < 4; ++i) children.push_back(Node(depth + 1));
    if (children.empty()) children.push_back(Leaf());
    static const v1::Combinator kCombinators[] = {v1::COMBINATOR_ALL_OF, v1::COMBINATOR_ANY_OF,
                                                  v1::COMBINATOR_AT_LEAST};
    const v1::Combinator combinator = kCombinators[Pick(0, 2)];
    const int at_least =
        combinator == v1::COMBINATOR_AT_LEAST ? Pick(1, static_cast<int>(children.size())) : 0;
    static const double kGroupMin[] = {0, 0, 3, 6};
    v1::Requirement g = testing::GroupReq(NextId("g"), combinator, std::move(children),
                                          kGroupMin[Pick(0, 3)], at_least);
    MaybeCaps(g);
    return g;
  }

  v1::Requirement Leaf() {
    ++leaves_;
    static const char* kPrefixes[] = {"", "06", "061", "0611", "07"};
    static const double kMin[] = {0, 2, 2.5, 4, 5};
    v1::Requirement r =
        testing::LeafReq(NextId("l"), kPrefixes[Pick(0, 4)], kMin[Pick(0, 4)], Pick(0, 1));
    v1::CredentialFilter& f = *r.mutable_filter();
    if (Chance(0.2)) f.set_min_eqf_level(Pick(5, 6));
    if (Chance(0.1)) f.set_max_eqf_level(6);
    if (Chance(0.15)) f.add_issuer_institution_ids(Chance(0.5) ? "home" : "ext-a");
    if (Chance(0.1)) f.add_issuer_groups("alliance");
    if (Chance(0.15)) f.set_min_grade(60);
    if (Chance(0.15)) f.set_max_age_days(365);
    if (Chance(0.1)) f.set_min_supervision(common::v1::SUPERVISION_SUPERVISED_ONLINE);
    if (Chance(0.1)) {
      v1::SpecificationRef* ref = f.add_specifications();
      ref->set_specification_id("ext-b/spec-x");
    }
    r.set_allow_sharing(Chance(0.2));
    MaybeCaps(r);
    return r;
  }

  void MaybeCaps(v1::Requirement& r) {
    if (Chance(0.15)) r.mutable_caps()->set_max_ects_per_issuer(Pick(3, 6));
    if (Chance(0.15)) r.mutable_caps()->set_max_external_ects(Pick(0, 5));
  }

  std::mt19937_64 rng_;
  int leaves_ = 0;
  int ids_ = 0;
};

// ---- The independent model ----

using Milli = int64_t;
Milli M(double ects) { return std::llround(ects * 1000); }

struct Model {
  const v1::Pathway& pathway;
  const std::vector<v1::CredentialFacts>& credentials;
  std::vector<const v1::Requirement*> leaves;
  std::map<std::string, const v1::Requirement*> node_by_id;
  std::map<const v1::Requirement*, const v1::Requirement*> parent;

  Model(const v1::Pathway& p, const std::vector<v1::CredentialFacts>& c)
      : pathway(p), credentials(c) {
    Index(p.rules(), nullptr);
  }

  void Index(const v1::Requirement& r, const v1::Requirement* up) {
    node_by_id[r.requirement_id()] = &r;
    parent[&r] = up;
    if (!r.has_group()) leaves.push_back(&r);
    for (const v1::Requirement& child : r.group().children()) Index(child, &r);
  }

  // Counted ECTS, or -1.
  Milli Counted(const v1::CredentialFacts& c) const {
    if (c.issuer_institution_id() == pathway.owner_institution()) return M(c.ects());
    for (const v1::Equivalence& e : pathway.equivalences()) {
      if (e.issuer_group() == "alliance" &&
          std::count(c.issuer_groups().begin(), c.issuer_groups().end(), "alliance") > 0) {
        return M(c.ects());
      }
      if (!e.specification_id().empty() &&
          e.specification_id() == c.specification().specification_id()) {
        return M(c.ects());
      }
    }
    if (c.recognition() != v1::RECOGNITION_STATUS_RECOGNISED) return -1;
    if (c.has_recognised_ects()) return std::min(M(c.ects()), M(c.recognised_ects()));
    return M(c.ects());
  }

  static bool FilterAccepts(const v1::CredentialFilter& f, const v1::CredentialFacts& c) {
    if (f.isced_f_codes_size() > 0 && c.isced_f_code().rfind(f.isced_f_codes(0), 0) != 0) {
      return false;
    }
    if (f.min_eqf_level() && c.eqf_level() < f.min_eqf_level()) return false;
    if (f.max_eqf_level() && c.eqf_level() > f.max_eqf_level()) return false;
    if (f.issuer_institution_ids_size() &&
        f.issuer_institution_ids(0) != c.issuer_institution_id()) {
      return false;
    }
    if (f.issuer_groups_size() &&
        std::count(c.issuer_groups().begin(), c.issuer_groups().end(), f.issuer_groups(0)) == 0) {
      return false;
    }
    if (f.has_min_grade() && (!c.has_grade() || c.grade() < f.min_grade())) return false;
    if (f.max_age_days()) {
      const absl::CivilDay issued(c.issued_on().year(), c.issued_on().month(), c.issued_on().day());
      if (kToday - issued > f.max_age_days()) return false;
    }
    if (f.min_supervision() && c.supervision() < f.min_supervision()) return false;
    if (f.specifications_size() &&
        f.specifications(0).specification_id() != c.specification().specification_id()) {
      return false;
    }
    return true;
  }

  bool Accepts(const v1::Requirement* leaf, const v1::CredentialFacts& c) const {
    for (const v1::Requirement* r = leaf; r != nullptr; r = parent.at(r)) {
      if (!FilterAccepts(r->filter(), c)) return false;
    }
    return true;
  }

  bool IsBelow(const v1::Requirement* leaf, const v1::Requirement* node) const {
    for (const v1::Requirement* r = leaf; r != nullptr; r = parent.at(r)) {
      if (r == node) return true;
    }
    return false;
  }

  // assignment[i] = the set of leaves credential i goes to.
  using Assignment = std::vector<std::set<const v1::Requirement*>>;

  struct Short {
    Milli ects = 0;
    int count = 0;
    Milli size() const { return ects + 1000 * count; }
  };

  Short Shortfall(const v1::Requirement& r, const Assignment& a) const {
    Milli below = 0;
    int count_here = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      bool counted = false;
      for (const v1::Requirement* leaf : a[i]) counted |= IsBelow(leaf, &r);
      if (counted) {
        below += Counted(credentials[i]);
        ++count_here;
      }
    }
    const Milli own = std::max<Milli>(0, M(r.min_ects()) - below);
    if (!r.has_group()) {
      return {own, std::max(0, static_cast<int>(r.min_credentials()) - count_here)};
    }
    std::vector<Short> children;
    for (const v1::Requirement& child : r.group().children()) {
      children.push_back(Shortfall(child, a));
    }
    size_t take = children.size();
    if (r.group().combinator() != v1::COMBINATOR_ALL_OF) {
      take = r.group().combinator() == v1::COMBINATOR_ANY_OF ? 1 : r.group().at_least();
      std::stable_sort(children.begin(), children.end(),
                       [](const Short& x, const Short& y) { return x.size() < y.size(); });
    }
    Short s;
    for (size_t k = 0; k < take; ++k) {
      s.ects += children[k].ects;
      s.count += children[k].count;
    }
    s.ects = std::max(s.ects, own);
    return s;
  }

  // Empty when legal, else what is wrong.
  std::string Check(const Assignment& a) const {
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].empty()) continue;
      if (Counted(credentials[i]) < 0) return "a credential that does not count is assigned";
      int exclusive = 0;
      for (const v1::Requirement* leaf : a[i]) {
        if (!Accepts(leaf, credentials[i])) return "a filter is violated";
        exclusive += leaf->allow_sharing() ? 0 : 1;
      }
      if (exclusive > 1) return "a credential counts twice without sharing";
    }
    for (const auto& [id, node] : node_by_id) {
      std::map<std::string, Milli> per_issuer;
      Milli external = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        bool below = false;
        for (const v1::Requirement* leaf : a[i]) below |= IsBelow(leaf, node);
        if (!below) continue;
        per_issuer[credentials[i].issuer_institution_id()] += Counted(credentials[i]);
        if (credentials[i].issuer_institution_id() != kHome) external += Counted(credentials[i]);
      }
      if (node->caps().has_max_ects_per_issuer()) {
        for (const auto& [issuer, sum] : per_issuer) {
          if (sum > M(node->caps().max_ects_per_issuer())) return "per-issuer cap exceeded";
        }
      }
      if (node->caps().has_max_external_ects() && external > M(node->caps().max_external_ects())) {
        return "external cap exceeded";
      }
    }
    return "";
  }

  Milli Consumed(const Assignment& a) const {
    Milli sum = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].empty()) sum += Counted(credentials[i]);
    }
    return sum;
  }

  // Every subset of matching leaves per credential; the caller keeps instances small.
  std::vector<std::vector<std::set<const v1::Requirement*>>> Choices() const {
    std::vector<std::vector<std::set<const v1::Requirement*>>> out;
    for (const v1::CredentialFacts& c : credentials) {
      std::vector<const v1::Requirement*> matching;
      if (Counted(c) >= 0) {
        for (const v1::Requirement* leaf : leaves) {
          if (Accepts(leaf, c)) matching.push_back(leaf);
        }
      }
      std::vector<std::set<const v1::Requirement*>> subsets;
      for (uint32_t mask = 0; mask < (1u << matching.size()); ++mask) {
        std::set<const v1::Requirement*> s;
        for (size_t k = 0; k < matching.size(); ++k) {
          if (mask & (1u << k)) s.insert(matching[k]);
        }
        subsets.push_back(std::move(s));
      }
      out.push_back(std::move(subsets));
    }
    return out;
  }

  struct Best {
    Milli shortfall = INT64_MAX;
    Milli consumed = INT64_MAX;
  };

  Best BruteForce() const {
    const auto choices = Choices();
    Best best;
    Assignment a(credentials.size());
    std::function<void(size_t)> walk = [&](size_t i) {
      if (i == credentials.size()) {
        if (!Check(a).empty()) return;
        const Milli s = Shortfall(pathway.rules(), a).size();
        const Milli c = Consumed(a);
        if (s < best.shortfall || (s == best.shortfall && c < best.consumed)) best = {s, c};
        return;
      }
      for (const auto& choice : choices[i]) {
        a[i] = choice;
        walk(i + 1);
      }
      a[i].clear();
    };
    walk(0);
    return best;
  }

  size_t SearchSpace() const {
    size_t space = 1;
    for (const auto& c : Choices()) space *= c.size();
    return space;
  }

  Assignment FromResult(const v1::EvaluationResult& r) const {
    Assignment a(credentials.size());
    for (const v1::Assignment& as : r.assignments()) {
      for (size_t i = 0; i < credentials.size(); ++i) {
        if (credentials[i].credential_id() != as.credential_id()) continue;
        for (const std::string& id : as.requirement_ids()) a[i].insert(node_by_id.at(id));
      }
    }
    return a;
  }
};

TEST(EvaluationPropertyTest, MatchesBruteForceOnRandomInstances) {
  InstanceGenerator generator(20250601);
  EvaluationContext context{.evaluation_date = kToday};
  int checked = 0, satisfied = 0, with_caps_or_sharing = 0, large = 0;
  while (checked < kInstances) {
    const v1::Pathway pathway = generator.Pathway();
    const std::vector<v1::CredentialFacts> credentials = generator.Credentials();
    Model model(pathway, credentials);
    const size_t space = model.SearchSpace();
    if (space > 50000) continue;
    ++checked;
    large += space >= 256 ? 1 : 0;
    absl::StatusOr<v1::EvaluationResult> result = Evaluate(pathway, credentials, context);
    ASSERT_TRUE(result.ok()) << result.status();
    const Model::Assignment assignment = model.FromResult(*result);
    const std::string instance = pathway.DebugString() +
                                 "\ncredentials: " + std::to_string(credentials.size()) + "\n" +
                                 result->DebugString();
    ASSERT_EQ(model.Check(assignment), "") << instance;
    const Model::Short reported = model.Shortfall(pathway.rules(), assignment);
    const Model::Best best = model.BruteForce();
    ASSERT_EQ(reported.size(), best.shortfall) << instance;
    ASSERT_EQ(model.Consumed(assignment), best.consumed) << instance;
    ASSERT_TRUE(result->optimal());
    ASSERT_EQ(M(result->ects_short()), reported.ects) << instance;
    ASSERT_EQ(static_cast<int>(result->credentials_short()), reported.count) << instance;
    ASSERT_EQ(result->satisfied(), reported.size() == 0);
    ASSERT_EQ(M(result->counted_ects()), best.consumed);
    ASSERT_EQ(result->assignments_size() + result->unused_size(),
              static_cast<int>(credentials.size()));
    satisfied += result->satisfied() ? 1 : 0;
    const bool interesting =
        pathway.rules().DebugString().find("caps") != std::string::npos ||
        pathway.rules().DebugString().find("allow_sharing") != std::string::npos;
    with_caps_or_sharing += interesting ? 1 : 0;
  }
  // The generator must exercise both outcomes and the constraints.
  EXPECT_GT(satisfied, kInstances / 10);
  EXPECT_LT(satisfied, kInstances * 9 / 10);
  EXPECT_GT(with_caps_or_sharing, kInstances / 5);
  EXPECT_GT(large, kInstances / 20);  // instances with at least 256 candidate assignments
  std::printf("%d instances: %d satisfied, %d with caps or sharing, %d with >= 256 assignments\n",
              checked, satisfied, with_caps_or_sharing, large);
}

TEST(EvaluationPropertyTest, AnswerDoesNotDependOnInputOrder) {
  InstanceGenerator generator(7);
  std::mt19937_64 rng(11);
  EvaluationContext context{.evaluation_date = kToday};
  for (int i = 0; i < 300; ++i) {
    const v1::Pathway pathway = generator.Pathway();
    std::vector<v1::CredentialFacts> credentials = generator.Credentials();
    absl::StatusOr<v1::EvaluationResult> first = Evaluate(pathway, credentials, context);
    std::shuffle(credentials.begin(), credentials.end(), rng);
    absl::StatusOr<v1::EvaluationResult> second = Evaluate(pathway, credentials, context);
    ASSERT_TRUE(first.ok() && second.ok());
    ASSERT_EQ(first->SerializeAsString(), second->SerializeAsString());
  }
}

}  // namespace
}  // namespace microcred::stacking
