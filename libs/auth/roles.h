// The roles a bearer token can grant (its "roles" claim). What each role may do is decided by
// each service's handlers; these names are the contract between token issuers and services.
// Plain character arrays so that they convert implicitly to std::string and std::string_view.
#ifndef MICROCRED_LIBS_AUTH_ROLES_H_
#define MICROCRED_LIBS_AUTH_ROLES_H_

namespace microcred::auth::roles {

inline constexpr char kRegistrar[] = "registrar";
inline constexpr char kCatalogueEditor[] = "catalogue_editor";
inline constexpr char kRecognitionOfficer[] = "recognition_officer";
inline constexpr char kPathwayEditor[] = "pathway_editor";  // publishes stacking pathways
inline constexpr char kAppealOfficer[] = "appeal_officer";
inline constexpr char kJuryMember[] = "jury_member";
inline constexpr char kLearner[] = "learner";
inline constexpr char kSecretariat[] = "secretariat";
inline constexpr char kOperator[] = "operator";

inline constexpr const char* kAll[] = {kRegistrar,     kCatalogueEditor, kRecognitionOfficer,
                                       kPathwayEditor, kAppealOfficer,   kJuryMember,
                                       kLearner,       kSecretariat,     kOperator};

}  // namespace microcred::auth::roles

#endif  // MICROCRED_LIBS_AUTH_ROLES_H_
