#include "libs/credentials/vocabulary.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "google/protobuf/descriptor.h"
#include "nlohmann/json.hpp"

namespace microcred::credentials {
namespace {

using google::protobuf::EnumDescriptor;

// Every value of a closed list but UNSPECIFIED has a term, a label, and a definition in the
// extension context; no two values share a term.
template <typename Enum>
void ExpectEveryValueHasATerm(const EnumDescriptor* descriptor, std::set<std::string>& terms) {
  const auto context = nlohmann::json::parse(MicrocredContextDocument())["@context"];
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto value = static_cast<Enum>(descriptor->value(i)->number());
    const std::string name = descriptor->value(i)->name();
    if (descriptor->value(i)->number() == 0) {
      EXPECT_TRUE(VocabularyTerm(value).empty()) << name;
      continue;
    }
    const std::string term(VocabularyTerm(value));
    EXPECT_FALSE(term.empty()) << name;
    EXPECT_FALSE(EnglishLabel(value).empty()) << name;
    EXPECT_TRUE(context.contains(term)) << name << " -> " << term;
    EXPECT_TRUE(terms.insert(term).second) << "term used twice: " << term;
  }
}

TEST(VocabularyTest, EveryClosedListValueHasADefinedTerm) {
  std::set<std::string> terms;
  ExpectEveryValueHasATerm<common::v1::AssessmentType>(common::v1::AssessmentType_descriptor(),
                                                       terms);
  ExpectEveryValueHasATerm<common::v1::FormOfParticipation>(
      common::v1::FormOfParticipation_descriptor(), terms);
  ExpectEveryValueHasATerm<common::v1::QfEheaCycle>(common::v1::QfEheaCycle_descriptor(), terms);
  ExpectEveryValueHasATerm<common::v1::QualityAssuranceType>(
      common::v1::QualityAssuranceType_descriptor(), terms);
  ExpectEveryValueHasATerm<common::v1::Supervision>(common::v1::Supervision_descriptor(), terms);
  ExpectEveryValueHasATerm<common::v1::Stackability>(common::v1::Stackability_descriptor(), terms);
  ExpectEveryValueHasATerm<common::v1::ProviderType>(common::v1::ProviderType_descriptor(), terms);
  ExpectEveryValueHasATerm<issuance::v1::ModeOfAcquisition>(
      issuance::v1::ModeOfAcquisition_descriptor(), terms);
}

TEST(VocabularyTest, UnknownValuesHaveNoTerm) {
  EXPECT_TRUE(VocabularyTerm(static_cast<common::v1::AssessmentType>(99)).empty());
  EXPECT_TRUE(EnglishLabel(static_cast<common::v1::Supervision>(99)).empty());
}

TEST(VocabularyTest, IrisAreInTheVocabulary) {
  EXPECT_EQ(VocabularyIri("WrittenExam"), "https://w3id.org/microcred/vocab#WrittenExam");
}

TEST(VocabularyTest, ContextDocumentIsTheFile) {
  const auto document = nlohmann::json::parse(MicrocredContextDocument());
  EXPECT_TRUE(document.contains("@context"));
}

}  // namespace
}  // namespace microcred::credentials
