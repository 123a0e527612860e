#include "libs/jades/trust_anchors.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/crypto/crypto.h"
#include "libs/jades/x509_util.h"

namespace microcred::jades {

struct TrustAnchors::State {
  std::vector<TrustAnchor> anchors;
  std::map<std::string, std::string> name_by_der;
  x509::StorePtr store;
  mutable absl::Mutex mutex;
  mutable std::unordered_map<std::string, VerifiedChain> verified ABSL_GUARDED_BY(mutex);
};

namespace {

constexpr std::string_view kTslNamespace = "http://uri.etsi.org/02231/v2#";
constexpr std::string_view kCaQcService = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
constexpr std::string_view kWithdrawn =
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

absl::Status Invalid(std::string_view reason) {
  return absl::InvalidArgumentError("trusted list: " + std::string(reason));
}

// ---- The TS 119 612 XML, read through libxml2's tree ----

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

bool IsTsl(const xmlNode* node, std::string_view local_name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         node->ns->href != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) == kTslNamespace &&
         std::string_view(reinterpret_cast<const char*>(node->name)) == local_name;
}

const xmlNode* Child(const xmlNode* parent, std::string_view local_name) {
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (IsTsl(child, local_name)) return child;
  }
  return nullptr;
}

std::vector<const xmlNode*> Children(const xmlNode* parent, std::string_view local_name) {
  std::vector<const xmlNode*> found;
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (IsTsl(child, local_name)) found.push_back(child);
  }
  return found;
}

// The element's text with surrounding blanks removed.
std::string Text(const xmlNode* node) {
  std::string text;
  if (xmlChar* content = xmlNodeGetContent(node); content != nullptr) {
    text = reinterpret_cast<const char*>(content);
    xmlFree(content);
  }
  size_t begin = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// The ServiceName's Name in English, else its first Name.
std::string ServiceName(const xmlNode* information) {
  const xmlNode* names = Child(information, "ServiceName");
  if (names == nullptr) return "";
  std::string first;
  for (const xmlNode* name : Children(names, "Name")) {
    xmlChar* lang = xmlNodeGetLang(name);
    bool english = lang != nullptr && std::string_view(reinterpret_cast<char*>(lang)) == "en";
    if (lang != nullptr) xmlFree(lang);
    if (english) return Text(name);
    if (first.empty()) first = Text(name);
  }
  return first;
}

std::optional<std::string> DecodeBase64Blank(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  }
  if (compact.empty() || compact.size() % 4 != 0) return std::nullopt;
  std::string out(3 * (compact.size() / 4), '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(compact.data()),
                                static_cast<int>(compact.size()));
  if (written < 0) return std::nullopt;
  size_t padding = compact.size() - compact.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(written) - padding);
  return out;
}

// The anchors of one TSPService, appended to `anchors`.
absl::Status ReadService(const xmlNode* service, size_t number, std::vector<TrustAnchor>& anchors) {
  const xmlNode* information = Child(service, "ServiceInformation");
  if (information == nullptr) return absl::OkStatus();
  const xmlNode* type = Child(information, "ServiceTypeIdentifier");
  if (type == nullptr || Text(type) != kCaQcService) return absl::OkStatus();
  const xmlNode* status = Child(information, "ServiceStatus");
  if (status != nullptr && Text(status) == kWithdrawn) return absl::OkStatus();
  const std::string name = ServiceName(information);
  const xmlNode* identity = Child(information, "ServiceDigitalIdentity");
  if (identity == nullptr) return absl::OkStatus();
  for (const xmlNode* digital_id : Children(identity, "DigitalId")) {
    const xmlNode* certificate = Child(digital_id, "X509Certificate");
    if (certificate == nullptr) continue;
    std::optional<std::string> der = DecodeBase64Blank(Text(certificate));
    x509::X509Ptr parsed = der ? x509::ParseDer(*der) : nullptr;
    if (parsed == nullptr) {
      return Invalid(absl::StrCat("TSPService ", number, " (", name,
                                  "): X509Certificate is not a valid base64 DER certificate"));
    }
    anchors.push_back({name.empty() ? x509::SubjectLabel(*parsed) : name, *std::move(der)});
  }
  return absl::OkStatus();
}

}  // namespace

TrustAnchors::TrustAnchors() : TrustAnchors(*FromAnchors({})) {}

absl::StatusOr<TrustAnchors> TrustAnchors::FromAnchors(std::vector<TrustAnchor> anchors) {
  auto state = std::make_shared<State>();
  state->store.reset(X509_STORE_new());
  if (state->store == nullptr) return absl::InternalError("trusted list: out of memory");
  for (TrustAnchor& anchor : anchors) {
    // One certificate named twice (a list naming a CA under two services) is one anchor.
    if (!state->name_by_der.emplace(anchor.certificate_der, anchor.name).second) continue;
    x509::X509Ptr certificate = x509::ParseDer(anchor.certificate_der);
    if (certificate == nullptr || X509_STORE_add_cert(state->store.get(), certificate.get()) != 1) {
      ERR_clear_error();
      return Invalid("could not add the anchor " + anchor.name);
    }
    state->anchors.push_back(std::move(anchor));
  }
  return TrustAnchors(std::move(state));
}

absl::StatusOr<TrustAnchors> TrustAnchors::FromPem(std::string_view pem) {
  absl::StatusOr<std::vector<x509::X509Ptr>> certificates =
      x509::ParsePemCertificates(pem, "trusted list");
  if (!certificates.ok()) return certificates.status();
  std::vector<TrustAnchor> anchors;
  for (const x509::X509Ptr& certificate : *certificates) {
    std::string common_name = x509::SubjectAttribute(*certificate, NID_commonName);
    anchors.push_back({common_name.empty() ? x509::SubjectLabel(*certificate) : common_name,
                       x509::ToDer(*certificate)});
  }
  return FromAnchors(std::move(anchors));
}

absl::StatusOr<TrustAnchors> TrustAnchors::FromTrustedListXml(std::string_view xml) {
  if (xml.size() > kMaxTrustedListBytes) {
    return Invalid(absl::StrCat("longer than ", kMaxTrustedListBytes, " bytes"));
  }
  // A TS 119 612 list has no document type declaration; refusing one keeps entity declarations
  // (and their expansion) out altogether.
  if (xml.find("<!DOCTYPE") != std::string_view::npos) {
    return Invalid("a DOCTYPE is not allowed (TS 119 612 lists have none)");
  }
  // XML_PARSE_NONET: nothing is fetched. Neither XML_PARSE_NOENT (entities stay unexpanded
  // references) nor XML_PARSE_DTDLOAD (no external DTD) is given, so no external entity is
  // ever resolved.
  std::unique_ptr<xmlDoc, XmlDocFree> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "trusted-list.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (doc == nullptr) {
    const xmlError* error = xmlGetLastError();
    std::string reason = error != nullptr && error->message != nullptr ? error->message : "";
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    xmlResetLastError();
    return Invalid("not well-formed XML: " + reason);
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!IsTsl(root, "TrustServiceStatusList")) {
    return Invalid("not a TS 119 612 TrustServiceStatusList");
  }
  std::vector<TrustAnchor> anchors;
  size_t number = 0;
  if (const xmlNode* providers = Child(root, "TrustServiceProviderList"); providers != nullptr) {
    for (const xmlNode* provider : Children(providers, "TrustServiceProvider")) {
      const xmlNode* services = Child(provider, "TSPServices");
      if (services == nullptr) continue;
      for (const xmlNode* service : Children(services, "TSPService")) {
        if (absl::Status read = ReadService(service, ++number, anchors); !read.ok()) return read;
      }
    }
  }
  if (anchors.empty()) return Invalid("no granted CA/QC service with a certificate");
  return FromAnchors(std::move(anchors));
}

absl::StatusOr<TrustAnchors> TrustAnchors::FromText(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string_view::npos && text[first] == '<') return FromTrustedListXml(text);
  return FromPem(text);
}

absl::StatusOr<TrustAnchors> TrustAnchors::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("trusted list file " + path + ": cannot be opened");
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxTrustedListBytes) {
      return absl::FailedPreconditionError(absl::StrCat(
          "trusted list file ", path, ": longer than ", kMaxTrustedListBytes, " bytes"));
    }
  }
  absl::StatusOr<TrustAnchors> anchors = FromText(text);
  if (!anchors.ok()) {
    return absl::Status(anchors.status().code(),
                        "file " + path + ": " + std::string(anchors.status().message()));
  }
  return anchors;
}

const std::vector<TrustAnchor>& TrustAnchors::anchors() const { return state_->anchors; }

std::string TrustAnchors::NameOf(const X509& certificate) const {
  auto it = state_->name_by_der.find(x509::ToDer(certificate));
  return it == state_->name_by_der.end() ? "" : it->second;
}

X509_STORE* TrustAnchors::store() const { return state_->store.get(); }

std::optional<TrustAnchors::VerifiedChain> TrustAnchors::FindVerifiedChain(
    const std::string& chain_key) const {
  absl::MutexLock lock(&state_->mutex);
  auto it = state_->verified.find(chain_key);
  if (it == state_->verified.end()) return std::nullopt;
  return it->second;
}

void TrustAnchors::RememberVerifiedChain(const std::string& chain_key, VerifiedChain chain) const {
  static constexpr size_t kMaxVerifiedChains = 4096;
  absl::MutexLock lock(&state_->mutex);
  if (state_->verified.size() >= kMaxVerifiedChains) state_->verified.clear();
  state_->verified.insert_or_assign(chain_key, std::move(chain));
}

}  // namespace microcred::jades
