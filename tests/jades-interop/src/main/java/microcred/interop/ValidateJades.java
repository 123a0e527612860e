package microcred.interop;

import eu.europa.esig.dss.diagnostic.CertificateWrapper;
import eu.europa.esig.dss.diagnostic.DiagnosticData;
import eu.europa.esig.dss.diagnostic.SignatureWrapper;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.DSSUtils;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Validates one JAdES document with DSS, offline, against the trust anchors given as PEM files,
 * and prints what DSS found, one "key=value" line each:
 *
 * <pre>
 *   java -cp 'lib/*' microcred.interop.ValidateJades document.json anchor.pem [anchor.pem ...]
 * </pre>
 *
 * signatures, format (e.g. JAdES-BASELINE-B), indication, subindication, intact (the signature
 * value matches the signed data), valid (it verifies with the signing certificate's key),
 * signing_certificate_identified, chain_trusted (the chain DSS built ends at a given anchor),
 * signing_certificate (its subject), claimed_signing_time, errors (the simple report's ad-hoc
 * errors). Exits 0 when DSS produced a report, 2 on bad arguments or unreadable files.
 */
public final class ValidateJades {
  private ValidateJades() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ValidateJades <document> <anchor.pem> [<anchor.pem> ...]");
      System.exit(2);
    }
    DSSDocument document = new FileDocument(new File(args[0]));
    CommonTrustedCertificateSource anchors = new CommonTrustedCertificateSource();
    for (int i = 1; i < args.length; i++) {
      try (InputStream in = new FileInputStream(args[i])) {
        anchors.addCertificate(DSSUtils.loadCertificate(in));
      }
    }
    // Offline: no AIA, CRL or OCSP fetching; DSS validates with what the document carries.
    CommonCertificateVerifier verifier = new CommonCertificateVerifier();
    verifier.setTrustedCertSources(anchors);
    verifier.setAIASource(null);
    verifier.setCrlSource(null);
    verifier.setOcspSource(null);

    SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(document);
    validator.setCertificateVerifier(verifier);
    Reports reports = validator.validateDocument();

    SimpleReport simple = reports.getSimpleReport();
    DiagnosticData diagnostic = reports.getDiagnosticData();
    List<String> ids = simple.getSignatureIdList();
    System.out.println("signatures=" + ids.size());
    if (ids.isEmpty()) return;
    String id = ids.get(0);
    SignatureWrapper signature = diagnostic.getSignatureById(id);
    System.out.println("format=" + simple.getSignatureFormat(id));
    System.out.println("indication=" + simple.getIndication(id));
    System.out.println("subindication=" + simple.getSubIndication(id));
    System.out.println("intact=" + signature.isSignatureIntact());
    System.out.println("valid=" + signature.isSignatureValid());
    System.out.println(
        "signing_certificate_identified=" + signature.isSigningCertificateIdentified());
    List<CertificateWrapper> chain = signature.getCertificateChain();
    boolean trusted = !chain.isEmpty() && chain.get(chain.size() - 1).isTrusted();
    System.out.println("chain_trusted=" + trusted);
    System.out.println("chain_length=" + chain.size());
    CertificateWrapper signer = signature.getSigningCertificate();
    System.out.println(
        "signing_certificate=" + (signer == null ? "" : signer.getCertificateDN()));
    System.out.println("claimed_signing_time=" + signature.getClaimedSigningTime().toInstant());
    System.out.println(
        "errors="
            + simple.getAdESValidationErrors(id).stream()
                .map(message -> message.getValue())
                .collect(Collectors.joining(" | ")));
  }
}
