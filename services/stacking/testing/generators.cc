#include "services/stacking/testing/generators.h"

#include "libs/base/strings.h"

namespace microcred::stacking::testing {
namespace {

using strings::Cat;

int Uniform(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::string Issuer(int i) { return i == 0 ? std::string(kReceiver) : Cat("issuer-", i); }

// The field of leaf `leaf`: spread over the field space so that leaves rarely overlap.
int LeafField(int leaf, const Shape& shape) { return (leaf * 7) % shape.fields; }

v1::Requirement Leaf(std::mt19937_64& rng, int leaf, const Shape& shape) {
  v1::Requirement r;
  r.set_requirement_id(Cat("leaf-", leaf));
  // One leaf in six accepts a whole narrow field (three digits), overlapping its neighbours.
  const std::string field = FieldCode(LeafField(leaf, shape));
  r.mutable_filter()->add_isced_f_codes(leaf % 6 == 5 ? field.substr(0, 3) : field);
  r.mutable_filter()->set_min_eqf_level(Uniform(rng, 4, 6));
  if (Uniform(rng, 0, 2) == 0) {
    r.set_min_credentials(Uniform(rng, 1, 2));
  } else {
    r.set_min_ects(Uniform(rng, 2, 6) * 2.5);
  }
  return r;
}

}  // namespace

std::string FieldCode(int i) {
  const int broad = i % 10, rest = (i / 10) % 100;
  return Cat("0", broad, rest / 10, rest % 10);
}

v1::Pathway RealisticPathway(uint64_t seed, const Shape& shape) {
  std::mt19937_64 rng(seed);
  v1::Pathway p;
  p.set_pathway_id(Cat(kReceiver, "/generated"));
  p.set_version(1);
  p.set_owner_institution(kReceiver);
  p.set_title("Generated pathway");
  p.mutable_target()->set_kind(v1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE);
  p.mutable_target()->set_title("Certificate");
  v1::Requirement& root = *p.mutable_rules();
  root.set_requirement_id("root");
  root.mutable_group()->set_combinator(v1::COMBINATOR_ALL_OF);
  root.set_min_ects(10);
  if (shape.caps) {
    root.mutable_caps()->set_max_external_ects(shape.requirements * 4.0);
    root.mutable_caps()->set_max_ects_per_issuer(shape.requirements * 2.0);
  }
  for (int first = 0, g = 0; first < shape.requirements; first += 5, ++g) {
    v1::Requirement& group = *root.mutable_group()->add_children();
    group.set_requirement_id(Cat("group-", g));
    const int leaves = std::min(5, shape.requirements - first);
    const v1::Combinator combinator = g % 3 == 1                  ? v1::COMBINATOR_ANY_OF
                                      : g % 3 == 2 && leaves >= 2 ? v1::COMBINATOR_AT_LEAST
                                                                  : v1::COMBINATOR_ALL_OF;
    group.mutable_group()->set_combinator(combinator);
    if (combinator == v1::COMBINATOR_AT_LEAST) group.mutable_group()->set_at_least(2);
    for (int i = 0; i < leaves; ++i) {
      *group.mutable_group()->add_children() = Leaf(rng, first + i, shape);
    }
  }
  return p;
}

std::vector<v1::CredentialFacts> RealisticCredentials(uint64_t seed, int count,
                                                      const Shape& shape) {
  std::mt19937_64 rng(seed);
  std::vector<v1::CredentialFacts> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) {
    v1::CredentialFacts c;
    c.set_credential_id(Cat("cred-", i));
    const int field = Uniform(rng, 0, 1) == 0
                          ? LeafField(Uniform(rng, 0, shape.requirements - 1), shape)
                          : Uniform(rng, 0, shape.fields - 1);
    c.mutable_specification()->set_specification_id(Cat("issuer/spec-", field, "-", i % 50));
    c.mutable_specification()->set_version(1);
    const int issuer = Uniform(rng, 0, 2) == 0 ? 0 : Uniform(rng, 1, shape.issuers - 1);
    c.set_issuer_institution_id(Issuer(issuer));
    c.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
    c.set_eqf_level(Uniform(rng, 4, 7));
    c.set_isced_f_code(FieldCode(field));
    c.set_ects(Uniform(rng, 2, 12) * 0.5);
    c.mutable_issued_on()->set_year(2024);
    c.mutable_issued_on()->set_month(Uniform(rng, 1, 12));
    c.mutable_issued_on()->set_day(Uniform(rng, 1, 28));
    if (issuer != 0) {
      const int r = Uniform(rng, 0, 9);
      c.set_recognition(r < 7   ? v1::RECOGNITION_STATUS_RECOGNISED
                        : r < 9 ? v1::RECOGNITION_STATUS_PENDING
                                : v1::RECOGNITION_STATUS_REFUSED);
      if (r == 0) c.set_recognised_ects(c.ects() / 2);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<v1::SpecificationSummary> RealisticCatalogue(uint64_t seed, int count,
                                                         const Shape& shape) {
  std::mt19937_64 rng(seed);
  std::vector<v1::SpecificationSummary> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) {
    v1::SpecificationSummary s;
    const int issuer = Uniform(rng, 0, shape.issuers - 1);
    s.mutable_specification()->set_specification_id(Cat(Issuer(issuer), "/spec-", i));
    s.mutable_specification()->set_version(1);
    s.set_issuer_institution_id(Issuer(issuer));
    s.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
    s.set_eqf_level(Uniform(rng, 4, 7));
    s.set_isced_f_code(FieldCode(Uniform(rng, 0, shape.fields - 1)));
    s.set_ects(Uniform(rng, 2, 12) * 0.5);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace microcred::stacking::testing
