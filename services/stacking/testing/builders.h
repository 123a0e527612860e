// Terse builders of pathways and credentials for the stacking tests.
#ifndef MICROCRED_SERVICES_STACKING_TESTING_BUILDERS_H_
#define MICROCRED_SERVICES_STACKING_TESTING_BUILDERS_H_

#include <string>
#include <utility>
#include <vector>

#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking::testing {

inline constexpr char kHome[] = "home";

// A leaf accepting credentials whose ISCED-F field starts with `isced` ("" = any).
inline v1::Requirement LeafReq(const std::string& id, const std::string& isced, double min_ects,
                               int min_credentials = 0) {
  v1::Requirement r;
  r.set_requirement_id(id);
  if (!isced.empty()) r.mutable_filter()->add_isced_f_codes(isced);
  r.set_min_ects(min_ects);
  r.set_min_credentials(min_credentials);
  return r;
}

inline v1::Requirement GroupReq(const std::string& id, v1::Combinator combinator,
                                std::vector<v1::Requirement> children, double min_ects = 0,
                                int at_least = 0) {
  v1::Requirement r;
  r.set_requirement_id(id);
  r.set_min_ects(min_ects);
  r.mutable_group()->set_combinator(combinator);
  r.mutable_group()->set_at_least(at_least);
  for (v1::Requirement& child : children) *r.mutable_group()->add_children() = std::move(child);
  return r;
}

inline v1::Pathway PathwayOf(v1::Requirement root) {
  v1::Pathway p;
  p.set_pathway_id(std::string(kHome) + "/test-pathway");
  p.set_version(1);
  p.set_owner_institution(kHome);
  p.set_title("Data literacy pathway");
  p.mutable_target()->set_kind(v1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE);
  p.mutable_target()->set_title("Certificat en littératie des données");
  *p.mutable_rules() = std::move(root);
  return p;
}

inline v1::CredentialFacts Cred(const std::string& id, double ects, const std::string& isced,
                                const std::string& issuer = kHome) {
  v1::CredentialFacts c;
  c.set_credential_id(id);
  c.mutable_specification()->set_specification_id(issuer + "/spec-" + id);
  c.mutable_specification()->set_version(1);
  c.set_issuer_institution_id(issuer);
  c.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  c.set_eqf_level(6);
  c.set_isced_f_code(isced);
  c.set_assessment_type(common::v1::ASSESSMENT_TYPE_WRITTEN_EXAM);
  c.set_supervision(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  c.set_ects(ects);
  c.mutable_issued_on()->set_year(2025);
  c.mutable_issued_on()->set_month(1);
  c.mutable_issued_on()->set_day(15);
  if (issuer != kHome) c.set_recognition(v1::RECOGNITION_STATUS_RECOGNISED);
  return c;
}

inline v1::SpecificationSummary Spec(const std::string& id, double ects, const std::string& isced,
                                     const std::string& issuer = kHome) {
  v1::SpecificationSummary s;
  s.mutable_specification()->set_specification_id(issuer + "/" + id);
  s.mutable_specification()->set_version(1);
  s.set_issuer_institution_id(issuer);
  s.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  s.set_eqf_level(6);
  s.set_isced_f_code(isced);
  s.set_ects(ects);
  return s;
}

}  // namespace microcred::stacking::testing

#endif  // MICROCRED_SERVICES_STACKING_TESTING_BUILDERS_H_
