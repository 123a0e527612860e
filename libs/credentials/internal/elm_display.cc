#include "libs/credentials/internal/elm_display.h"

#include <string_view>
#include <vector>

#include "libs/credentials/internal/document_parts.h"
#include "libs/credentials/internal/strings.h"
#include "libs/crypto/crypto.h"

namespace microcred::credentials::internal {
namespace {

std::string XmlEscaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// One line of text; `size` in pixels, centred on the A4-proportioned page.
std::string Line(int y, int size, std::string_view text, bool bold = false) {
  return Cat("<text x=\"420\" y=\"", y, "\" font-size=\"", size, "\"",
             bold ? " font-weight=\"bold\"" : "", ">", XmlEscaped(text), "</text>\n");
}

}  // namespace

std::string DisplaySvg(const CredentialFacts& facts) {
  const auto& content = facts.specification.content();
  std::string bodies;
  for (const IssuerFacts* body : AwardingBodiesInOrder(facts)) {
    if (!bodies.empty()) bodies += ", ";
    bodies += body->legal_name;
  }
  const auto& on = facts.issuance.issued_on();
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"840\" height=\"594\" "
      "viewBox=\"0 0 840 594\">\n"
      "<rect width=\"840\" height=\"594\" fill=\"#ffffff\" stroke=\"#1f3864\" "
      "stroke-width=\"8\"/>\n"
      "<g font-family=\"sans-serif\" text-anchor=\"middle\" fill=\"#1f3864\">\n";
  svg += Line(110, 22, "Micro-credential");
  svg += Line(190, 34, content.title(), true);
  svg += Line(260, 18, "awarded to");
  svg += Line(310, 30, LearnerFullName(facts.issuance.learner()), true);
  svg += Line(380, 18, Cat("by ", bodies));
  svg +=
      Line(420, 18,
           Cat("on ", absl::Dec(on.year(), absl::kZeroPad4), "-",
               absl::Dec(on.month(), absl::kZeroPad2), "-", absl::Dec(on.day(), absl::kZeroPad2)));
  svg += Line(520, 12, Cat("Credential ", facts.credential_id));
  svg += Line(545, 12, "The sealed credential data prevails over this image.");
  svg += "</g>\n</svg>\n";
  return svg;
}

std::string Base64(std::string_view bytes) {
  std::string out = crypto::Base64UrlEncode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  out.append((4 - out.size() % 4) % 4, '=');
  return out;
}

}  // namespace microcred::credentials::internal
