#include "services/public_web/i18n.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "services/public_web/weighted_list.h"

namespace microcred::web {
namespace {

struct Text {
  std::string_view en;
  std::string_view fr;
};

// Every text of the pages, by key. Closed-list values are keyed by their proto enum names.
const std::map<std::string_view, Text>& Texts() {
  static const auto* texts = new std::map<std::string_view, Text>{
      // Layout.
      {"lang.name", {"English", "Français"}},
      {"site.tagline", {"Micro-credentials", "Microcertifications"}},
      {"nav.label", {"Main", "Navigation principale"}},
      {"nav.catalogue", {"Catalogue", "Catalogue"}},
      {"nav.verify", {"Verify a credential", "Vérifier une microcertification"}},
      {"nav.learner", {"My credentials", "Mes microcertifications"}},
      {"lang.switch", {"Language", "Langue"}},
      {"skip", {"Skip to main content", "Aller au contenu principal"}},
      {"footer.about",
       {"Published by this institution's node of the micro-credential ecosystem. Credentials are "
        "W3C Verifiable Credentials and Open Badges 3.0: anyone can verify them.",
        "Publié par le nœud de cet établissement dans l'écosystème des microcertifications. Les "
        "microcertifications sont des attestations vérifiables W3C et des Open Badges 3.0 : "
        "chacun peut les vérifier."}},
      {"footer.eu",
       {"Catalogue published under Council Recommendation 2022/C 243/02 on a European approach "
        "to micro-credentials.",
        "Catalogue publié en application de la recommandation du Conseil 2022/C 243/02 relative "
        "à une approche européenne des microcertifications."}},
      {"yes", {"Yes", "Oui"}},
      {"no", {"No", "Non"}},
      {"not_stated", {"Not stated", "Non précisé"}},
      {"none", {"None", "Aucun"}},
      // Catalogue.
      {"catalogue.title", {"Catalogue of micro-credentials", "Catalogue des microcertifications"}},
      {"catalogue.intro",
       {"Every micro-credential offered in the ecosystem, with every element of Annex I of the "
        "EU Council Recommendation and each provider's recognition policy.",
        "Toutes les microcertifications proposées dans l'écosystème, avec chaque élément de "
        "l'annexe I de la recommandation du Conseil de l'UE et la politique de reconnaissance de "
        "chaque prestataire."}},
      {"search.label", {"Search the catalogue", "Rechercher dans le catalogue"}},
      {"search.hint",
       {"Words from the title, the learning outcomes or the description.",
        "Des mots de l'intitulé, des acquis d'apprentissage ou de la description."}},
      {"search.button", {"Search", "Rechercher"}},
      {"search.ects", {"Workload in ECTS credits", "Charge de travail en crédits ECTS"}},
      {"search.ects_min", {"From", "De"}},
      {"search.ects_max", {"To", "À"}},
      {"search.refine", {"Refine the results", "Affiner les résultats"}},
      {"search.clear", {"Clear all filters", "Effacer tous les filtres"}},
      {"search.results", {"{n} micro-credentials found", "{n} microcertifications trouvées"}},
      {"search.result_one", {"1 micro-credential found", "1 microcertification trouvée"}},
      {"search.none",
       {"No micro-credential matches your search. Try fewer words or remove a filter.",
        "Aucune microcertification ne correspond à votre recherche. Essayez avec moins de mots ou "
        "retirez un filtre."}},
      {"search.next", {"Next page", "Page suivante"}},
      {"search.first", {"First page", "Première page"}},
      {"search.selected", {"selected, select to remove", "sélectionné, cliquer pour retirer"}},
      {"search.results_label", {"Results", "Résultats"}},
      {"search.provided_by", {"Provided by", "Proposée par"}},
      {"search.in_ecosystem", {"Published in", "Publiée dans"}},
      {"facet.assessment_type", {"Type of assessment", "Type d'évaluation"}},
      {"facet.country", {"Country", "Pays"}},
      {"facet.credit_bearing", {"Credits", "Crédits"}},
      {"facet.ecosystem", {"Ecosystem", "Écosystème"}},
      {"facet.eqf_level", {"EQF level", "Niveau du CEC"}},
      {"facet.form_of_participation", {"Form of participation", "Modalité de participation"}},
      {"facet.isced_f_broad", {"Field of education", "Domaine d'études"}},
      {"facet.language", {"Language of instruction", "Langue d'enseignement"}},
      {"facet.provider", {"Provider", "Prestataire"}},
      {"facet.provider_type", {"Type of provider", "Type de prestataire"}},
      {"facet.stackable", {"Stackability", "Combinabilité"}},
      {"value.credit_bearing", {"Awards ECTS credits", "Octroie des crédits ECTS"}},
      {"value.stackable", {"Stackable", "Combinable"}},
      {"eqf", {"EQF", "CEC"}},
      {"ects", {"ECTS", "ECTS"}},
      {"hours", {"hours", "heures"}},
      // Specification page.
      {"spec.annex1", {"Mandatory elements (Annex I)", "Éléments obligatoires (annexe I)"}},
      {"spec.optional", {"Optional elements (Annex I)", "Éléments facultatifs (annexe I)"}},
      {"spec.more", {"About this offer", "À propos de cette offre"}},
      {"spec.element", {"Element", "Élément"}},
      {"spec.value", {"Value", "Valeur"}},
      {"spec.back", {"Back to the catalogue", "Retour au catalogue"}},
      {"spec.withdrawn",
       {"This micro-credential has been withdrawn from the catalogue.",
        "Cette microcertification a été retirée du catalogue."}},
      {"spec.withdrawn_reason", {"Reason", "Motif"}},
      {"spec.not_found",
       {"This micro-credential is not in the catalogue.",
        "Cette microcertification ne figure pas au catalogue."}},
      {"el.title", {"Title", "Intitulé"}},
      {"el.learner", {"Identification of the learner", "Identification de l'apprenant"}},
      {"el.country", {"Country and region of the provider", "Pays et région du prestataire"}},
      {"el.awarding", {"Awarding body", "Organisme de délivrance"}},
      {"el.date", {"Date of issuing", "Date de délivrance"}},
      {"el.outcomes", {"Learning outcomes", "Acquis d'apprentissage"}},
      {"el.workload", {"Notional workload", "Charge de travail théorique"}},
      {"el.level", {"Level and cycle", "Niveau et cycle"}},
      {"el.assessment", {"Type of assessment", "Type d'évaluation"}},
      {"el.participation", {"Form of participation", "Modalité de participation"}},
      {"el.qa", {"Type of quality assurance", "Type d'assurance qualité"}},
      {"el.prerequisites", {"Prerequisites", "Prérequis"}},
      {"el.supervision",
       {"Supervision and identity verification", "Surveillance et vérification d'identité"}},
      {"el.grade", {"Grade", "Note"}},
      {"el.stackability", {"Integration and stackability", "Intégration et combinabilité"}},
      {"el.further", {"Further information", "Informations complémentaires"}},
      {"el.validity", {"Validity", "Validité"}},
      {"el.validity.spec",
       {"Stated on each credential when it is issued (a date until which it is valid, or none).",
        "Indiquée sur chaque microcertification lors de sa délivrance (une date de fin de "
        "validité, ou aucune)."}},
      {"el.learner.spec",
       {"Named on each credential issued.", "Nommé sur chaque microcertification délivrée."}},
      {"el.date.spec",
       {"Stated on each credential issued.", "Indiquée sur chaque microcertification délivrée."}},
      {"el.languages", {"Languages of instruction", "Langues d'enseignement"}},
      {"el.isced", {"Field of education (ISCED-F 2013)", "Domaine d'études (CITE-F 2013)"}},
      {"el.credit_bearing", {"Awards ECTS credits", "Octroie des crédits ECTS"}},
      {"el.review_by", {"To be reviewed by", "À réexaminer avant le"}},
      {"el.description", {"Description", "Description"}},
      {"el.spec_id", {"Identifier and version", "Identifiant et version"}},
      {"el.published", {"Version published on", "Version publiée le"}},
      {"el.assessment_description", {"How it is assessed", "Modalités d'évaluation"}},
      {"el.qa_body", {"quality assurance body", "organisme d'assurance qualité"}},
      {"el.esco", {"ESCO skill", "Compétence ESCO"}},
      {"el.version", {"version", "version"}},
      // Providers.
      {"provider.title",
       {"Provider and recognition policy", "Prestataire et politique de reconnaissance"}},
      {"provider.type", {"Type of provider", "Type de prestataire"}},
      {"provider.country", {"Country", "Pays"}},
      {"provider.website", {"Website", "Site web"}},
      {"provider.qa", {"Quality assurance", "Assurance qualité"}},
      {"provider.deqar", {"DEQAR identifier", "Identifiant DEQAR"}},
      {"provider.policy",
       {"Policy for recognising other providers' micro-credentials",
        "Politique de reconnaissance des microcertifications d'autres prestataires"}},
      {"provider.no_policy",
       {"This provider has not published a recognition policy yet.",
        "Ce prestataire n'a pas encore publié de politique de reconnaissance."}},
      {"provider.no_profile",
       {"This provider has not published a profile yet.",
        "Ce prestataire n'a pas encore publié de profil."}},
      // Institutions (the page at an issuer's URL).
      {"institution.lead",
       {"A member of the micro-credential ecosystem's trust registry: it issues credentials that "
        "anyone can verify with the keys below.",
        "Membre du registre de confiance de l'écosystème des microcertifications : il délivre des "
        "microcertifications que chacun peut vérifier avec les clés ci-dessous."}},
      {"institution.registry", {"In the trust registry", "Dans le registre de confiance"}},
      {"institution.issuer_id", {"Issuer identifier", "Identifiant d'émetteur"}},
      {"institution.did",
       {"Decentralised identifier (did:web)", "Identifiant décentralisé (did:web)"}},
      {"institution.keys", {"Signing keys", "Clés de signature"}},
      {"institution.jwks", {"JSON Web Key Set", "Jeu de clés JSON Web Key"}},
      {"institution.did_document", {"DID document", "Document DID"}},
      {"institution.offers",
       {"Its micro-credentials in the catalogue", "Ses microcertifications dans le catalogue"}},
      // Verification.
      {"verify.title", {"Verify a micro-credential", "Vérifier une microcertification"}},
      {"verify.intro",
       {"Paste the credential you received: a long text of three parts separated by dots, "
        "starting with \"eyJ\". The page checks who issued it, that it has not been altered and "
        "that it is still valid. Nothing you paste is kept.",
        "Collez la microcertification reçue : un long texte en trois parties séparées par des "
        "points, qui commence par « eyJ ». La page vérifie qui l'a délivrée, qu'elle n'a pas été "
        "modifiée et qu'elle est toujours valide. Rien de ce que vous collez n'est conservé."}},
      {"verify.label", {"Credential (compact JWS)", "Microcertification (JWS compact)"}},
      {"verify.button", {"Verify", "Vérifier"}},
      {"verify.empty",
       {"credential: paste a credential in the field first.",
        "credential : collez d'abord une microcertification dans le champ."}},
      {"verify.result", {"Verification result", "Résultat de la vérification"}},
      {"verify.checks", {"Checks made", "Contrôles effectués"}},
      {"verify.check", {"Check", "Contrôle"}},
      {"verify.outcome", {"Result", "Résultat"}},
      {"verify.detail", {"Detail", "Détail"}},
      {"verify.issuer", {"Issuer", "Émetteur"}},
      {"verify.issuer_renamed",
       {"The credential names its issuer “{claimed}”: that is not this issuer's name in the "
        "trust registry, “{registered}”, which is the name shown here.",
        "La microcertification nomme son émetteur « {claimed} » : ce n'est pas le nom de cet "
        "émetteur dans le registre de confiance, « {registered} », qui est celui affiché ici."}},
      {"verify.issuer_unconfirmed",
       {"named in the credential, not confirmed",
        "nommé dans la microcertification, non confirmé"}},
      {"verify.award", {"The award", "L'attribution"}},
      {"verify.elements",
       {"What the credential certifies", "Ce que la microcertification atteste"}},
      {"verify.claimed",
       {"The credential could not be confirmed: what follows is only what it claims.",
        "La microcertification n'a pas pu être confirmée : ce qui suit n'est que ce qu'elle "
        "affirme."}},
      {"verify.spec_unknown",
       {"The specification this credential names is not in this node's catalogue.",
        "La spécification que nomme cette microcertification ne figure pas au catalogue de ce "
        "nœud."}},
      {"verify.another", {"Verify another credential", "Vérifier une autre microcertification"}},
      {"verify.shared",
       {"Shared with you by its holder through a link.",
        "Partagée avec vous par son titulaire au moyen d'un lien."}},
      {"check.passed", {"Passed", "Réussi"}},
      {"check.failed", {"Failed", "Échoué"}},
      {"check.not_checked", {"Not checked", "Non contrôlé"}},
      {"check.format", {"Credential format", "Format de la microcertification"}},
      {"check.issuer", {"Issuer is a trusted member", "Émetteur membre de confiance"}},
      {"check.signature", {"Digital signature", "Signature numérique"}},
      {"check.policy",
       {"Issuer allowed by the ecosystem's policy",
        "Émetteur autorisé par la politique de l'écosystème"}},
      {"check.issued",
       {"Recorded as issued by the issuer", "Enregistrée comme délivrée par l'émetteur"}},
      {"check.status", {"Not revoked or suspended", "Ni révoquée ni suspendue"}},
      {"check.validity", {"Validity dates", "Dates de validité"}},
      {"status.valid", {"VALID: genuine and in force", "VALIDE : authentique et en vigueur"}},
      {"status.valid.detail",
       {"Issued by the institution named below, not altered, neither revoked nor suspended.",
        "Délivrée par l'établissement nommé ci-dessous, non modifiée, ni révoquée ni suspendue."}},
      {"status.revoked",
       {"REVOKED: this credential is no longer valid",
        "RÉVOQUÉE : cette microcertification n'est plus valide"}},
      {"status.revoked.detail",
       {"The issuer revoked it. Do not rely on it.",
        "L'émetteur l'a révoquée. Ne vous y fiez pas."}},
      {"status.suspended",
       {"SUSPENDED: this credential is not valid at present",
        "SUSPENDUE : cette microcertification n'est pas valide actuellement"}},
      {"status.suspended.detail",
       {"The issuer suspended it. Do not rely on it while it is suspended.",
        "L'émetteur l'a suspendue. Ne vous y fiez pas tant qu'elle l'est."}},
      {"status.tampered",
       {"NOT AUTHENTIC: altered or not issued as shown",
        "NON AUTHENTIQUE : modifiée ou non délivrée telle quelle"}},
      {"status.tampered.detail",
       {"This text is not a credential its issuer signed and issued. Do not rely on it.",
        "Ce texte n'est pas une microcertification signée et délivrée par son émetteur. Ne vous "
        "y fiez pas."}},
      {"status.invalid", {"NOT VALID", "NON VALIDE"}},
      {"status.invalid.detail",
       {"At least one check failed: see the checks below. Do not rely on it.",
        "Au moins un contrôle a échoué : voir les contrôles ci-dessous. Ne vous y fiez pas."}},
      {"award.learner", {"Awarded to", "Décernée à"}},
      {"award.date", {"Date of issuing", "Date de délivrance"}},
      {"award.valid_until", {"Valid until", "Valable jusqu'au"}},
      {"award.no_end", {"No end date", "Sans date de fin"}},
      {"award.grade", {"Grade", "Note"}},
      {"award.supervision",
       {"Supervision and identity verification applied",
        "Surveillance et vérification d'identité appliquées"}},
      {"award.mode", {"Mode of acquisition", "Mode d'acquisition"}},
      {"award.place", {"Place of issuing", "Lieu de délivrance"}},
      {"award.credential_id", {"Credential identifier", "Identifiant de la microcertification"}},
      {"award.status", {"Status", "Statut"}},
      {"award.secured", {"Secured as", "Sécurisée selon"}},
      {"award.trust_basis", {"Trust basis", "Base de confiance"}},
      {"award.ecosystem", {"Issued in ecosystem", "Délivrée dans l'écosystème"}},
      {"award.secured.value",
       {"{profile}, signed with {algorithm}", "{profile}, signée en {algorithm}"}},
      {"SECURING_PROFILE_OPEN_BADGES_JWT",
       {"Open Badges 3.0 (VC-JWT)", "Open Badges 3.0 (VC-JWT)"}},
      {"SECURING_PROFILE_VC_JOSE_COSE", {"W3C VC-JOSE-COSE (vc+jwt)", "W3C VC-JOSE-COSE (vc+jwt)"}},
      {"award.ects_earned", {"Credits earned", "Crédits obtenus"}},
      // Learner page.
      {"learner.title", {"My credentials", "Mes microcertifications"}},
      {"learner.signin.title", {"Sign in", "Connexion"}},
      {"learner.signin.intro",
       {"Sign in with the learner access token your institution gave you. This browser keeps it "
        "for this site only, until you sign out or close the browser.",
        "Connectez-vous avec le jeton d'accès d'apprenant que votre établissement vous a remis. "
        "Ce navigateur le conserve pour ce site uniquement, jusqu'à votre déconnexion ou la "
        "fermeture du navigateur."}},
      {"learner.token", {"Learner access token", "Jeton d'accès d'apprenant"}},
      {"learner.signin", {"Sign in", "Se connecter"}},
      {"learner.signout", {"Sign out", "Se déconnecter"}},
      {"learner.intro",
       {"The credentials this institution issued to you. Download them to keep them in a wallet, "
        "or make a link to share one with an employer.",
        "Les microcertifications que cet établissement vous a délivrées. Téléchargez-les pour les "
        "garder dans un portefeuille, ou créez un lien pour en partager une avec un employeur."}},
      {"learner.none",
       {"This institution has issued no credential to you yet.",
        "Cet établissement ne vous a encore délivré aucune microcertification."}},
      {"learner.issued", {"Issued on", "Délivrée le"}},
      {"learner.download", {"Download", "Télécharger"}},
      {"learner.share", {"Share", "Partager"}},
      {"learner.unavailable",
       {"Learner pages are not enabled on this node.",
        "Les pages des apprenants ne sont pas activées sur ce nœud."}},
      {"export.jws", {"Signed credential (JWS)", "Microcertification signée (JWS)"}},
      {"export.ob", {"Open Badges 3.0 (JSON)", "Open Badges 3.0 (JSON)"}},
      {"export.elm", {"Europass, ELM (JSON-LD)", "Europass, ELM (JSON-LD)"}},
      {"share.make", {"Make a share link", "Créer un lien de partage"}},
      {"share.made",
       {"Your share link is ready. Anyone with this link can verify this credential:",
        "Votre lien de partage est prêt. Toute personne qui a ce lien peut vérifier cette "
        "microcertification :"}},
      {"share.links", {"My share links", "Mes liens de partage"}},
      {"share.withdraw", {"Withdraw", "Retirer"}},
      {"share.withdrawn", {"Withdrawn", "Retiré"}},
      {"share.working", {"Working", "Actif"}},
      {"share.created", {"Created on", "Créé le"}},
      {"share.link", {"Link", "Lien"}},
      {"share.state", {"State", "État"}},
      {"share.action", {"Action", "Action"}},
      {"share.for", {"Credential", "Microcertification"}},
      {"share.none", {"You have made no share link.", "Vous n'avez créé aucun lien de partage."}},
      {"share.gone.title",
       {"This share link does not work", "Ce lien de partage ne fonctionne pas"}},
      {"share.gone",
       {"Its holder withdrew it, or it never existed. Ask the holder for a new link.",
        "Son titulaire l'a retiré, ou il n'a jamais existé. Demandez un nouveau lien au "
        "titulaire."}},
      {"share.copy", {"Copy the link", "Copier le lien"}},
      {"share.copied", {"Link copied", "Lien copié"}},
      // Errors.
      {"error.bad_request", {"The request is not right", "La demande est incorrecte"}},
      {"error.not_found", {"Page not found", "Page introuvable"}},
      {"error.internal", {"Something went wrong", "Une erreur est survenue"}},
      {"error.forbidden", {"Not allowed", "Action non autorisée"}},
      {"error.home", {"Go to the catalogue", "Aller au catalogue"}},
      // Closed lists.
      {"ASSESSMENT_TYPE_WRITTEN_EXAM", {"Written exam", "Examen écrit"}},
      {"ASSESSMENT_TYPE_ORAL_EXAM", {"Oral exam", "Examen oral"}},
      {"ASSESSMENT_TYPE_PRACTICAL_DEMONSTRATION",
       {"Practical demonstration", "Démonstration pratique"}},
      {"ASSESSMENT_TYPE_PROJECT", {"Project", "Projet"}},
      {"ASSESSMENT_TYPE_PORTFOLIO", {"Portfolio", "Portfolio"}},
      {"ASSESSMENT_TYPE_CONTINUOUS", {"Continuous assessment", "Évaluation continue"}},
      {"ASSESSMENT_TYPE_MIXED", {"Mixed assessment", "Évaluation mixte"}},
      {"FORM_OF_PARTICIPATION_ONLINE", {"Online", "En ligne"}},
      {"FORM_OF_PARTICIPATION_ONSITE", {"On site", "En présentiel"}},
      {"FORM_OF_PARTICIPATION_BLENDED", {"Blended", "Hybride"}},
      {"QUALITY_ASSURANCE_TYPE_INTERNAL", {"Internal", "Interne"}},
      {"QUALITY_ASSURANCE_TYPE_EXTERNAL", {"External", "Externe"}},
      {"SUPERVISION_UNSUPERVISED_NO_ID_CHECK",
       {"Unsupervised, no identity verification", "Sans surveillance ni vérification d'identité"}},
      {"SUPERVISION_SUPERVISED_NO_ID_CHECK",
       {"Supervised, no identity verification", "Surveillée, sans vérification d'identité"}},
      {"SUPERVISION_SUPERVISED_ONLINE",
       {"Supervised online, with identity verification",
        "Surveillée en ligne, avec vérification d'identité"}},
      {"SUPERVISION_ONSITE_WITH_ID_CHECK",
       {"Supervised on site, with identity verification",
        "Surveillée sur place, avec vérification d'identité"}},
      {"STACKABILITY_STANDALONE", {"Stand-alone", "Autonome"}},
      {"STACKABILITY_INTEGRATED",
       {"Independent, or integrated into another credential",
        "Indépendante, ou intégrée à une autre certification"}},
      {"STACKABILITY_STACKABLE",
       {"Stackable towards another credential", "Combinable en vue d'une autre certification"}},
      {"PROVIDER_TYPE_HIGHER_EDUCATION",
       {"Higher education institution", "Établissement d'enseignement supérieur"}},
      {"PROVIDER_TYPE_VET",
       {"Vocational education and training provider",
        "Prestataire d'enseignement et de formation professionnels"}},
      {"PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE",
       {"Public employment service", "Service public de l'emploi"}},
      {"PROVIDER_TYPE_EMPLOYER_INDUSTRY", {"Employer or industry", "Employeur ou secteur"}},
      {"PROVIDER_TYPE_SOCIAL_PARTNER", {"Social partner", "Partenaire social"}},
      {"PROVIDER_TYPE_CIVIL_SOCIETY",
       {"Civil society organisation", "Organisation de la société civile"}},
      {"PROVIDER_TYPE_PRIVATE_PROVIDER", {"Private provider", "Prestataire privé"}},
      {"PROVIDER_TYPE_PUBLIC_AUTHORITY", {"Public authority", "Autorité publique"}},
      {"QF_EHEA_CYCLE_SHORT", {"QF-EHEA short cycle", "Cycle court du CQ-EEES"}},
      {"QF_EHEA_CYCLE_FIRST", {"QF-EHEA first cycle", "Premier cycle du CQ-EEES"}},
      {"QF_EHEA_CYCLE_SECOND", {"QF-EHEA second cycle", "Deuxième cycle du CQ-EEES"}},
      {"QF_EHEA_CYCLE_THIRD", {"QF-EHEA third cycle", "Troisième cycle du CQ-EEES"}},
      {"MODE_OF_ACQUISITION_COMPLETED_COURSE",
       {"Completed the learning activity", "Activité d'apprentissage suivie"}},
      {"MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION",
       {"Validation of prior learning", "Validation des acquis de l'expérience"}},
      {"CREDENTIAL_STATUS_ACTIVE", {"Active", "Active"}},
      {"CREDENTIAL_STATUS_SUSPENDED", {"Suspended", "Suspendue"}},
      {"CREDENTIAL_STATUS_REVOKED", {"Revoked", "Révoquée"}},
      {"SPECIFICATION_STATUS_PUBLISHED", {"Published", "Publiée"}},
      {"SPECIFICATION_STATUS_WITHDRAWN", {"Withdrawn", "Retirée"}},
  };
  return *texts;
}

struct Named {
  std::string_view code;
  std::string_view en;
  std::string_view fr;
};

constexpr Named kCountries[] = {
    {"AT", "Austria", "Autriche"},
    {"BE", "Belgium", "Belgique"},
    {"BG", "Bulgaria", "Bulgarie"},
    {"CH", "Switzerland", "Suisse"},
    {"CY", "Cyprus", "Chypre"},
    {"CZ", "Czechia", "Tchéquie"},
    {"DE", "Germany", "Allemagne"},
    {"DK", "Denmark", "Danemark"},
    {"EE", "Estonia", "Estonie"},
    {"ES", "Spain", "Espagne"},
    {"FI", "Finland", "Finlande"},
    {"FR", "France", "France"},
    {"GB", "United Kingdom", "Royaume-Uni"},
    {"GR", "Greece", "Grèce"},
    {"HR", "Croatia", "Croatie"},
    {"HU", "Hungary", "Hongrie"},
    {"IE", "Ireland", "Irlande"},
    {"IS", "Iceland", "Islande"},
    {"IT", "Italy", "Italie"},
    {"LI", "Liechtenstein", "Liechtenstein"},
    {"LT", "Lithuania", "Lituanie"},
    {"LU", "Luxembourg", "Luxembourg"},
    {"LV", "Latvia", "Lettonie"},
    {"MT", "Malta", "Malte"},
    {"NL", "Netherlands", "Pays-Bas"},
    {"NO", "Norway", "Norvège"},
    {"PL", "Poland", "Pologne"},
    {"PT", "Portugal", "Portugal"},
    {"RO", "Romania", "Roumanie"},
    {"SE", "Sweden", "Suède"},
    {"SI", "Slovenia", "Slovénie"},
    {"SK", "Slovakia", "Slovaquie"},
};

constexpr Named kLanguages[] = {
    {"bg", "Bulgarian", "bulgare"},
    {"cs", "Czech", "tchèque"},
    {"da", "Danish", "danois"},
    {"de", "German", "allemand"},
    {"el", "Greek", "grec"},
    {"en", "English", "anglais"},
    {"es", "Spanish", "espagnol"},
    {"et", "Estonian", "estonien"},
    {"fi", "Finnish", "finnois"},
    {"fr", "French", "français"},
    {"ga", "Irish", "irlandais"},
    {"hr", "Croatian", "croate"},
    {"hu", "Hungarian", "hongrois"},
    {"it", "Italian", "italien"},
    {"lb", "Luxembourgish", "luxembourgeois"},
    {"lt", "Lithuanian", "lituanien"},
    {"lv", "Latvian", "letton"},
    {"mt", "Maltese", "maltais"},
    {"nl", "Dutch", "néerlandais"},
    {"pl", "Polish", "polonais"},
    {"pt", "Portuguese", "portugais"},
    {"ro", "Romanian", "roumain"},
    {"sk", "Slovak", "slovaque"},
    {"sl", "Slovenian", "slovène"},
    {"sv", "Swedish", "suédois"},
};

constexpr Named kIscedBroad[] = {
    {"00", "Generic programmes and qualifications", "Programmes et certifications génériques"},
    {"01", "Education", "Éducation"},
    {"02", "Arts and humanities", "Arts et lettres"},
    {"03", "Social sciences, journalism and information",
     "Sciences sociales, journalisme et information"},
    {"04", "Business, administration and law", "Commerce, administration et droit"},
    {"05", "Natural sciences, mathematics and statistics",
     "Sciences naturelles, mathématiques et statistiques"},
    {"06", "Information and communication technologies",
     "Technologies de l'information et de la communication"},
    {"07", "Engineering, manufacturing and construction",
     "Ingénierie, industries de transformation et construction"},
    {"08", "Agriculture, forestry, fisheries and veterinary",
     "Agriculture, sylviculture, halieutique et sciences vétérinaires"},
    {"09", "Health and welfare", "Santé et protection sociale"},
    {"10", "Services", "Services"},
    {"99", "Field unknown", "Domaine inconnu"},
};

template <size_t N>
std::string NameOf(const Named (&table)[N], Lang lang, std::string_view code) {
  for (const Named& n : table) {
    if (n.code == code) return std::string(lang == Lang::kFr ? n.fr : n.en);
  }
  return std::string(code);
}

std::optional<Lang> Parse(std::string_view code) {
  std::string lower = absl::AsciiStrToLower(absl::string_view(code.data(), code.size()));
  if (lower == "en" || lower.rfind("en-", 0) == 0) return Lang::kEn;
  if (lower == "fr" || lower.rfind("fr-", 0) == 0) return Lang::kFr;
  return std::nullopt;
}

}  // namespace

std::string_view Code(Lang lang) { return lang == Lang::kFr ? "fr" : "en"; }
Lang Other(Lang lang) { return lang == Lang::kFr ? Lang::kEn : Lang::kFr; }

Lang ChooseLang(std::string_view query_lang, std::string_view accept_language) {
  if (auto lang = Parse(query_lang)) return *lang;
  // "fr-BE,fr;q=0.9,en;q=0.8": the highest q among the languages we have; ties keep order.
  std::optional<Lang> best;
  double best_q = 0;
  for (const WeightedValue& tag : ParseWeightedList(accept_language)) {
    auto lang = Parse(tag.value);
    if (lang && tag.q > best_q) {
      best = lang;
      best_q = tag.q;
    }
  }
  return best.value_or(Lang::kEn);
}

std::string_view Tr(Lang lang, std::string_view key) {
  const auto& texts = Texts();
  auto it = texts.find(key);
  if (it == texts.end()) return key;
  return lang == Lang::kFr ? it->second.fr : it->second.en;
}

bool HasText(std::string_view key) { return Texts().count(key) > 0; }

std::string CountryName(Lang lang, std::string_view code) { return NameOf(kCountries, lang, code); }
std::string LanguageName(Lang lang, std::string_view code) {
  return NameOf(kLanguages, lang, code);
}
std::string IscedBroadFieldName(Lang lang, std::string_view code) {
  return NameOf(kIscedBroad, lang, code.substr(0, 2));
}

}  // namespace microcred::web
