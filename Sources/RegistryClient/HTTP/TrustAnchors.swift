import Foundation
import OCIModel

/// The CA certificates a transfer trusts: the system bundle, with extra PEM
/// certificates (a pipeline's `ca_certs`) added to it, not substituted for
/// it. The bundle is parsed once per process (`TrustStore`), so libcurl is
/// given no CA file of its own.
enum TrustAnchors {
    static let systemBundlePaths = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                                    "/etc/ssl/cert.pem"]

    /// `nil` when no system bundle exists and nothing is added (libcurl's default applies).
    static func bundle(adding extraPEM: [String],
                       environment: [String: String] = ProcessInfo.processInfo.environment) throws(RegistryError) -> Data? {
        let extras = extraPEM.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        for (index, pem) in extras.enumerated() where !pem.contains("-----BEGIN CERTIFICATE-----") {
            throw .invalidCACertificate(index: index)
        }
        var bundle = Data()
        // Go honours SSL_CERT_FILE for the system pool; so do we.
        let candidates = (environment["SSL_CERT_FILE"].map { [$0] } ?? []) + systemBundlePaths
        if let system = candidates.lazy.compactMap({ FileManager.default.contents(atPath: $0) }).first {
            bundle.append(system)
            bundle.append(0x0a)
        }
        for pem in extras {
            bundle.append(Data(pem.utf8))
            bundle.append(0x0a)
        }
        return bundle.isEmpty ? nil : bundle
    }
}
