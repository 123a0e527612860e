// CatalogueFacts (stacking_internal.h): catalogue specifications as stacking reads them, the
// same for a hypothetical credential (WhatIf) and for the index suggestions search. The issuer's
// groups and provider type come from stacking's registry.
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "services/stacking/stacking_internal.h"

namespace microcred::stacking::internal {
namespace {

using strings::Cat;

constexpr int kCataloguePage = 100;

}  // namespace

v1::SpecificationSummary CatalogueFacts::Summary(const catalogue::v1::Specification& spec) const {
  v1::SpecificationSummary s;
  s.mutable_specification()->set_specification_id(spec.specification_id());
  s.mutable_specification()->set_version(spec.version());
  s.set_issuer_institution_id(spec.owner_institution());
  if (auto owner = core_.read_model->FindMember(spec.owner_institution())) {
    *s.mutable_issuer_groups() = owner->admitted().groups();
    s.set_provider_type(owner->admitted().provider_type());
  }
  const auto& content = spec.content();
  s.set_eqf_level(content.eqf_level());
  s.set_isced_f_code(content.isced_f_code());
  for (const auto& outcome : content.learning_outcomes()) {
    if (!outcome.esco_skill_uri().empty()) s.add_esco_skill_uris(outcome.esco_skill_uri());
  }
  s.set_assessment_type(content.assessment_type());
  s.set_supervision(content.supervision());
  s.set_ects(content.workload().ects());
  return s;
}

absl::StatusOr<v1::CredentialFacts> CatalogueFacts::Hypothetical(const v1::SpecificationRef& ref,
                                                                 const v1::Pathway& pathway,
                                                                 absl::CivilDay today,
                                                                 const std::string& path) const {
  if (ref.specification_id().empty()) {
    return absl::InvalidArgumentError(path + ".specification_id: is required");
  }
  auto spec = core_.ports.catalogue.FindSpecification(ref.specification_id(), ref.version());
  if (!spec.ok()) return spec.status();
  if (!spec->has_value()) {
    return absl::NotFoundError(
        Cat(path, ".specification_id: ", ref.specification_id(), " is not in the catalogue"));
  }
  const v1::SpecificationSummary s = Summary(**spec);
  v1::CredentialFacts f;
  f.set_credential_id(
      Cat("hypothetical:", s.specification().specification_id(), "@", s.specification().version()));
  *f.mutable_specification() = s.specification();
  f.set_issuer_institution_id(s.issuer_institution_id());
  *f.mutable_issuer_groups() = s.issuer_groups();
  f.set_provider_type(s.provider_type());
  f.set_eqf_level(s.eqf_level());
  f.set_isced_f_code(s.isced_f_code());
  *f.mutable_esco_skill_uris() = s.esco_skill_uris();
  f.set_assessment_type(s.assessment_type());
  f.set_supervision(s.supervision());
  f.set_ects(s.ects());
  *f.mutable_issued_on() = domain::ToDate(today);
  if (f.issuer_institution_id() != pathway.owner_institution()) {
    f.set_recognition(v1::RECOGNITION_STATUS_RECOGNISED);  // assumed, as suggestions do
  }
  f.set_hypothetical(true);
  return f;
}

absl::StatusOr<std::vector<v1::SpecificationSummary>> CatalogueFacts::All() const {
  std::vector<v1::SpecificationSummary> all;
  catalogue::v1::SearchSpecificationsRequest search;
  search.set_page_size(kCataloguePage);
  while (true) {
    auto page = core_.ports.catalogue.Search(search);
    if (!page.ok()) return page.status();
    for (const catalogue::v1::Specification& spec : page->results()) {
      if (!spec.content().workload().has_ects()) continue;  // hours only: no ECTS to stack
      all.push_back(Summary(spec));
    }
    if (page->next_page_token().empty()) break;
    search.set_page_token(page->next_page_token());
  }
  return all;
}

}  // namespace microcred::stacking::internal
