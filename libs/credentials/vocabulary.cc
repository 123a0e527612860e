#include "libs/credentials/vocabulary.h"

#include <span>

#include "libs/credentials/internal/strings.h"

namespace microcred::credentials {
namespace {

using namespace common::v1;
using issuance::v1::ModeOfAcquisition;

// One value of a closed list: its proto number, its term in the extension vocabulary (which
// context/microcred-v1.jsonld defines), and an English label.
struct Entry {
  int value;
  std::string_view term;
  std::string_view label;
};

constexpr Entry kAssessmentTypes[] = {
    {ASSESSMENT_TYPE_WRITTEN_EXAM, "WrittenExam", "Written exam"},
    {ASSESSMENT_TYPE_ORAL_EXAM, "OralExam", "Oral exam"},
    {ASSESSMENT_TYPE_PRACTICAL_DEMONSTRATION, "PracticalDemonstration", "Practical demonstration"},
    {ASSESSMENT_TYPE_PROJECT, "ProjectAssessment", "Project"},
    {ASSESSMENT_TYPE_PORTFOLIO, "PortfolioAssessment", "Portfolio"},
    {ASSESSMENT_TYPE_CONTINUOUS, "ContinuousAssessment", "Continuous assessment"},
    {ASSESSMENT_TYPE_MIXED, "MixedAssessment", "Mixed assessment"},
};

constexpr Entry kFormsOfParticipation[] = {
    {FORM_OF_PARTICIPATION_ONLINE, "OnlineParticipation", "Online"},
    {FORM_OF_PARTICIPATION_ONSITE, "OnsiteParticipation", "Onsite"},
    {FORM_OF_PARTICIPATION_BLENDED, "BlendedParticipation", "Blended"},
};

constexpr Entry kQfEheaCycles[] = {
    {QF_EHEA_CYCLE_SHORT, "ShortCycle", "QF-EHEA short cycle"},
    {QF_EHEA_CYCLE_FIRST, "FirstCycle", "QF-EHEA first cycle"},
    {QF_EHEA_CYCLE_SECOND, "SecondCycle", "QF-EHEA second cycle"},
    {QF_EHEA_CYCLE_THIRD, "ThirdCycle", "QF-EHEA third cycle"},
};

constexpr Entry kQualityAssuranceTypes[] = {
    {QUALITY_ASSURANCE_TYPE_INTERNAL, "InternalQualityAssurance", "Internal quality assurance"},
    {QUALITY_ASSURANCE_TYPE_EXTERNAL, "ExternalQualityAssurance", "External quality assurance"},
};

constexpr Entry kSupervisions[] = {
    {SUPERVISION_UNSUPERVISED_NO_ID_CHECK, "UnsupervisedWithoutIdVerification",
     "Unsupervised, with no identity verification"},
    {SUPERVISION_SUPERVISED_NO_ID_CHECK, "SupervisedWithoutIdVerification",
     "Supervised, with no identity verification"},
    {SUPERVISION_SUPERVISED_ONLINE, "SupervisedOnlineWithIdVerification",
     "Supervised online, with identity verification"},
    {SUPERVISION_ONSITE_WITH_ID_CHECK, "SupervisedOnsiteWithIdVerification",
     "Supervised onsite, with identity verification"},
};

constexpr Entry kStackabilities[] = {
    {STACKABILITY_STANDALONE, "Standalone", "Stand-alone"},
    {STACKABILITY_INTEGRATED, "IntegratedIntoCredential",
     "Independent of, or integrated into, another credential"},
    {STACKABILITY_STACKABLE, "StackableTowardsCredential", "Stackable towards another credential"},
};

constexpr Entry kProviderTypes[] = {
    {PROVIDER_TYPE_HIGHER_EDUCATION, "HigherEducationInstitution", "Higher-education institution"},
    {PROVIDER_TYPE_VET, "VocationalEducationProvider",
     "Vocational education and training provider"},
    {PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE, "PublicEmploymentService",
     "Public employment service"},
    {PROVIDER_TYPE_EMPLOYER_INDUSTRY, "EmployerOrIndustry", "Employer or industry"},
    {PROVIDER_TYPE_SOCIAL_PARTNER, "SocialPartner", "Social partner"},
    {PROVIDER_TYPE_CIVIL_SOCIETY, "CivilSocietyOrganisation", "Civil-society organisation"},
    {PROVIDER_TYPE_PRIVATE_PROVIDER, "PrivateProvider", "Private provider"},
    {PROVIDER_TYPE_PUBLIC_AUTHORITY, "PublicAuthority", "Public authority"},
};

constexpr Entry kModesOfAcquisition[] = {
    {issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE, "CompletedLearningActivity",
     "Completed learning activity"},
    {issuance::v1::MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION, "ValidationOfPriorLearning",
     "Validation of non-formal or informal prior learning"},
};

const Entry* Find(std::span<const Entry> table, int value) {
  for (const Entry& entry : table) {
    if (entry.value == value) return &entry;
  }
  return nullptr;
}

std::string_view TermIn(std::span<const Entry> table, int value) {
  const Entry* entry = Find(table, value);
  return entry == nullptr ? std::string_view() : entry->term;
}

std::string_view LabelIn(std::span<const Entry> table, int value) {
  const Entry* entry = Find(table, value);
  return entry == nullptr ? std::string_view() : entry->label;
}

}  // namespace

std::string_view VocabularyTerm(AssessmentType v) { return TermIn(kAssessmentTypes, v); }
std::string_view VocabularyTerm(FormOfParticipation v) { return TermIn(kFormsOfParticipation, v); }
std::string_view VocabularyTerm(QfEheaCycle v) { return TermIn(kQfEheaCycles, v); }
std::string_view VocabularyTerm(QualityAssuranceType v) {
  return TermIn(kQualityAssuranceTypes, v);
}
std::string_view VocabularyTerm(Supervision v) { return TermIn(kSupervisions, v); }
std::string_view VocabularyTerm(Stackability v) { return TermIn(kStackabilities, v); }
std::string_view VocabularyTerm(ProviderType v) { return TermIn(kProviderTypes, v); }
std::string_view VocabularyTerm(ModeOfAcquisition v) { return TermIn(kModesOfAcquisition, v); }

std::string_view EnglishLabel(AssessmentType v) { return LabelIn(kAssessmentTypes, v); }
std::string_view EnglishLabel(FormOfParticipation v) { return LabelIn(kFormsOfParticipation, v); }
std::string_view EnglishLabel(QfEheaCycle v) { return LabelIn(kQfEheaCycles, v); }
std::string_view EnglishLabel(QualityAssuranceType v) { return LabelIn(kQualityAssuranceTypes, v); }
std::string_view EnglishLabel(Supervision v) { return LabelIn(kSupervisions, v); }
std::string_view EnglishLabel(Stackability v) { return LabelIn(kStackabilities, v); }
std::string_view EnglishLabel(ProviderType v) { return LabelIn(kProviderTypes, v); }
std::string_view EnglishLabel(ModeOfAcquisition v) { return LabelIn(kModesOfAcquisition, v); }

std::string VocabularyIri(std::string_view term) {
  return internal::Cat(kMicrocredVocabulary, term);
}

}  // namespace microcred::credentials
