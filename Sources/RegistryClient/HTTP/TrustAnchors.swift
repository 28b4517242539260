import Foundation
import OCIModel

/// The CA certificates a transfer trusts. Extra PEM certificates (a pipeline's
/// `ca_certs`) are added to the system bundle, not substituted for it:
/// `CURLOPT_CAINFO_BLOB` replaces libcurl's default file, so the blob holds both.
enum TrustAnchors {
    static let systemBundlePaths = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                                    "/etc/ssl/cert.pem"]

    /// `nil` when there is nothing to add (libcurl's default applies).
    static func bundle(adding extraPEM: [String],
                       environment: [String: String] = ProcessInfo.processInfo.environment) throws(RegistryError) -> Data? {
        let extras = extraPEM.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if extras.isEmpty { return nil }
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
        return bundle
    }
}
