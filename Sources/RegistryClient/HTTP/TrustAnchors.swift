import FoundationEssentials

/// The CA certificates a transfer trusts: the system bundle, with extra PEM
/// certificates (a pipeline's `ca_certs`) added to it, not substituted for
/// it. Only named here; the bundle is read and parsed once per process, on
/// the first TLS handshake (`TrustStore`), so libcurl is given no CA file of
/// its own.
package enum TrustAnchors {
    static let systemBundlePaths = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                                    "/etc/ssl/cert.pem"]

    /// What makes up one bundle; equal sources share one store.
    struct Sources: Hashable, Sendable {
        /// The system bundle's path, if one exists.
        var systemBundle: String?
        var extras: [String]

        /// The bundle's bytes: the system file (read now), then each extra.
        func bundle() -> Data {
            var bundle = Data()
            if let systemBundle, let system = FileManager.default.contents(atPath: systemBundle) {
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

    /// `nil` when no system bundle exists and nothing is added (libcurl's default applies).
    static func sources(adding extraPEM: [String],
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws(RegistryError) -> Sources? {
        let extras = extraPEM.map { $0.trimmingWhitespace(newlines: true) }.filter { !$0.isEmpty }
        for (index, pem) in extras.enumerated() where !pem.contains("-----BEGIN CERTIFICATE-----") {
            throw .invalidCACertificate(index: index)
        }
        // Go honours SSL_CERT_FILE for the system pool; so do we.
        let candidates = (environment["SSL_CERT_FILE"].map { [$0] } ?? []) + systemBundlePaths
        let system = candidates.first { FileManager.default.isReadableFile(atPath: $0) }
        if system == nil && extras.isEmpty { return nil }
        return Sources(systemBundle: system, extras: extras)
    }

    /// The process's shared store for the system bundle plus `extraPEM`.
    package static func store(adding extraPEM: [String]) throws(RegistryError) -> TrustStore? {
        try sources(adding: extraPEM).map(TrustStore.shared)
    }
}
